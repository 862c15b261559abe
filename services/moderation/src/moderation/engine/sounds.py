"""The sound form of text: what the lexicon's second automaton scans (homophones, 同音字: 冰毒 written
兵毒, 迷药 written 米药, checked against the folded text afterwards).

Each folded character becomes two bytes: a Han character (or a digit, read as its numeral) the code of
its toneless syllable (the first reading of pypinyin's character table), a Latin letter a code of its
own, anything else one separator. Two texts that read alike have the same sound form, and bytes 2i and
2i+1 are folded character i, so a match in it is a span of the folded text too. Toneless, because
evaders change the tone as readily as the character (米 mǐ for 迷 mí); what that costs in ambiguity is
measured by the evaluation (`moderation.evaluation`), not assumed.

Why bytes of our own: `ahocorasick-rs` scans bytes, and a str would first be encoded to UTF-8 (three
bytes per character here) and its offsets mapped back. The form is one numpy lookup of the folded
text's code points in a 65,536-entry array (a third of the time `str.translate` takes for the same
result, measured on the bench's posts). A code's first byte is 0x80-0xFF and its second 0x00-0x7F, so
no match can start inside a character. A character beyond the Basic Multilingual Plane reads as a
separator (the rare Han characters of the extensions have no homophones worth the plane's table).
"""

from __future__ import annotations

import functools
import unicodedata

import numpy as np
from pypinyin.pinyin_dict import pinyin_dict

SEPARATOR = "\xff\x7f"  # any character that is neither Han, digit nor Latin letter
_DIGIT_READINGS = ["ling", "yi", "er", "san", "si", "wu", "liu", "qi", "ba", "jiu"]
_TONE_MARKS = {"\u0300", "\u0301", "\u0304", "\u030c"}


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
def _codes() -> dict[int, str]:
    """A folded character → its code, for every character that is not a separator."""
    codes = syllable_codes()
    table = {point: codes[toneless(r.split(",")[0])] for point, r in pinyin_dict.items() if point <= 0xFFFF}
    table.update({ord(str(d)): codes[r] for d, r in enumerate(_DIGIT_READINGS)})
    table.update({ord(c): "\xfe" + c for c in "abcdefghijklmnopqrstuvwxyz"})
    return table


@functools.cache
def _array() -> np.ndarray:
    """Code point (Basic Multilingual Plane) → its code as a little-endian 16-bit number."""
    array = np.full(0x10000, int.from_bytes(SEPARATOR.encode("latin-1"), "little"), dtype="<u2")
    for point, code in _codes().items():
        array[point] = int.from_bytes(code.encode("latin-1"), "little")
    return array


def encode(folded: str) -> bytes:
    """The sound form of folded text."""
    points = np.frombuffer(folded.encode("utf-32-le"), dtype=np.uint32)
    if points.size and points.max() > 0xFFFF:
        points = np.minimum(points, 0xFFFF)  # U+FFFF is no character: a separator
    return _array()[points].tobytes()


def encode_reading(syllables: tuple[str, ...]) -> bytes | None:
    """The sound form of a reading (one toneless syllable per character); None when one has no code."""
    codes = syllable_codes()
    try:
        return "".join(codes[s] for s in syllables).encode("latin-1")
    except KeyError:
        return None
