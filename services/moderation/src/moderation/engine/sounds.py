"""The sound form of text: what the lexicon's second automaton scans (homophones, 同音字: 冰毒 written
兵毒, 迷药 written 米药; and split forms, checked against the folded text afterwards).

Each folded character becomes two bytes: a Han character (or a digit, read as its numeral) the code of
its toneless syllable (the first reading of pypinyin's character table), a Latin letter a code of its
own, anything else one separator. Two texts that read alike have the same sound form, and byte 2i is
folded character i, so a match in it is a span of the folded text too. Toneless, because evaders
change the tone as readily as the character (米 mǐ for 迷 mí); what that costs in ambiguity is
measured by the evaluation (`moderation.evaluation`), not assumed.

Why bytes of our own rather than characters: `ahocorasick-rs` scans bytes, and a str would first be
encoded to UTF-8 (three bytes per character here) and its offsets mapped back; two bytes per
character, made by one `str.translate` into Latin-1 and an `encode` that only copies, scan a third
faster (measured against private-use characters in a str). A code's first byte is 0x80-0xFF and its
second 0x00-0x7F, so no match can start inside a character.
"""

from __future__ import annotations

import functools
import unicodedata

from pypinyin.pinyin_dict import pinyin_dict
from textfold import fold_table

SEPARATOR = "\xff\x7f"  # any character that is neither Han, digit nor Latin letter
LETTER_MARK = b"\xfe"  # the first byte of a Latin letter's code: a text with one has Latin letters
_DIGIT_READINGS = ["ling", "yi", "er", "san", "si", "wu", "liu", "qi", "ba", "jiu"]
_TONE_MARKS = {"\u0300", "\u0301", "\u0304", "\u030c"}
# The planes whose assigned code points the table holds (those textfold folds); another code point
# (unassigned, private use of planes 15 and 16) takes the slow path in `encode`.
_PLANES = (0, 1, 2, 3, 14)


def toneless(reading: str) -> str:
    """`lǜ` → `lv`, `dú` → `du`: pypinyin's NORMAL style, so the Latin channels spell it the same."""
    stripped = "".join(c for c in unicodedata.normalize("NFD", reading) if c not in _TONE_MARKS)
    return unicodedata.normalize("NFC", stripped).replace("ü", "v")


@functools.cache
def syllable_codes() -> dict[str, str]:
    """toneless syllable → its two-character code (about 410 syllables)."""
    syllables = sorted({toneless(r.split(",")[0]) for r in pinyin_dict.values()} | set(_DIGIT_READINGS))
    return {s: chr(0x80 + i // 128) + chr(i % 128) for i, s in enumerate(syllables)}


@functools.cache
def _folded_codes() -> dict[int, str]:
    """A folded character → its code, for every character that is not a separator."""
    codes = syllable_codes()
    table = {point: codes[toneless(r.split(",")[0])] for point, r in pinyin_dict.items()}
    table.update({ord(str(d)): codes[r] for d, r in enumerate(_DIGIT_READINGS)})
    table.update({ord(c): "\xfe" + c for c in "abcdefghijklmnopqrstuvwxyz"})
    return table


def _code_of(folded: str) -> str:
    codes = _folded_codes()
    return "".join(codes.get(ord(c), SEPARATOR) for c in folded)


@functools.cache
def sound_table() -> dict[int, str]:
    """A `str.translate` table: a code point → the codes of its folded form (folding, then sound, in one)."""
    folds = fold_table()
    table: dict[int, str] = {}
    for plane in _PLANES:
        for point in range(plane << 16, (plane + 1) << 16):
            if point in folds:
                value = folds[point]
                table[point] = _code_of("" if value is None else chr(value) if isinstance(value, int) else value)
            elif plane == 0 or unicodedata.category(chr(point)) != "Cn":
                table[point] = _code_of(chr(point))  # folds to itself
    return table


def encode(text: str) -> bytes:
    """The sound form of raw text (folded on the way)."""
    table = sound_table()
    try:
        return text.translate(table).encode("latin-1")
    except UnicodeEncodeError:  # a code point outside the table (folding keeps it): the rare slow path
        return "".join(table.get(point, SEPARATOR) for point in map(ord, text)).encode("latin-1")


def encode_reading(syllables: tuple[str, ...]) -> bytes | None:
    """The sound form of a reading (one toneless syllable per character); None when one has no code."""
    codes = syllable_codes()
    try:
        return "".join(codes[s] for s in syllables).encode("latin-1")
    except KeyError:
        return None
