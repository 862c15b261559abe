"""The sound form of text, for the homophone channel (同音字: 冰毒 written 兵毒, 迷药 written 米药).

Every Han character becomes one private-use code point standing for its toneless syllable (the
first reading of pypinyin's character table), after folding (`textfold`): so two texts that read
alike have the same sound form, and the sound form has exactly one character per folded character,
so a match in it is a span of the folded text too. Everything that is not a Han character keeps its
folded form. Toneless, because evaders change the tone as readily as the character (米 mǐ for 迷 mí);
what that costs in ambiguity is measured by the evaluation (`moderation.evaluation`), not assumed.

One `str.translate` with a table composed once per process (folding, then sound) replaces the fold
on the hot path: the folded text itself is computed only for texts that matched something.
"""

from __future__ import annotations

import functools
import unicodedata

from pypinyin.pinyin_dict import pinyin_dict
from textfold import fold_table, translation

# The Basic Multilingual Plane's private use area: three bytes of UTF-8 like a Han character, so the
# automaton scans the sound form as fast as the text (plane 15's four bytes cost a quarter more).
_FIRST_CODE = 0xE000
_TONE_MARKS = {"\u0300", "\u0301", "\u0304", "\u030c"}


def toneless(reading: str) -> str:
    """`lǜ` → `lv`, `dú` → `du`: pypinyin's NORMAL style, so the Latin channels spell it the same."""
    stripped = "".join(c for c in unicodedata.normalize("NFD", reading) if c not in _TONE_MARKS)
    return unicodedata.normalize("NFC", stripped).replace("ü", "v")


@functools.cache
def syllable_codes() -> dict[str, int]:
    """toneless syllable → its private-use code point (about 410 of them)."""
    syllables = sorted({toneless(r.split(",")[0]) for r in pinyin_dict.values()})
    return {syllable: _FIRST_CODE + index for index, syllable in enumerate(syllables)}


@functools.cache
def _character_codes() -> dict[int, int]:
    codes = syllable_codes()
    return {point: codes[toneless(r.split(",")[0])] for point, r in pinyin_dict.items()}


@functools.cache
def sound_table() -> dict[int, int | str | None]:
    """A `str.translate` table: a code point → its folded form with Han characters as syllable codes."""
    characters = _character_codes()
    table: dict[int, int | str | None] = {}
    for point, value in fold_table().items():
        folded = "" if value is None else chr(value) if isinstance(value, int) else value
        table[point] = translation(folded.translate(characters))
    for point, code in characters.items():
        table.setdefault(point, code)  # Han characters that fold to themselves outside the table's planes
    for code in syllable_codes().values():
        table[code] = 0xFFFD  # a syllable code typed as itself (private use) stands for nothing
    return table


def encode(syllables: tuple[str, ...]) -> str | None:
    """The sound form of a reading (one toneless syllable per character); None when a syllable has no code."""
    codes = syllable_codes()
    try:
        return "".join(chr(codes[s]) for s in syllables)
    except KeyError:
        return None
