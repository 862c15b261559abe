"""Text folding for matching: what people write to slip past a filter, reduced to one canonical form.

Per code point, in this order:
- invisible and separating characters go: controls and format characters (zero-width space and
  joiner, BOM, bidi marks), spaces, punctuation, symbols (emoji included), combining marks (tone
  marks on pinyin, strike-through overlays) — so `赌.博`, `赌 博`, `赌😀博`, `赌\u200b博` all read `赌博`;
- compatibility and width forms become plain ones (NFKC: `ｂｃ`, `①`, Kangxi radicals), case folds;
- look-alike letters from other scripts become Latin (`а` Cyrillic → `a`), from the Unicode
  confusables data shipped by `confusable_homoglyphs`;
- Chinese numerals, everyday and financial, become digits (`六`, `陆` → `6`), so `6合彩` is `六合彩`;
- traditional becomes simplified with OpenCC's `t2s`.

Folding is per character, so each folded character keeps the index of the one it came from and every
hit maps back to a span of the original text. OpenCC's phrase tables are not used for that reason
(t2s is a many-to-one mapping per character for nearly all characters, so little is lost).

The fast path is one `str.translate` over a memoised table (C speed); the offsets are computed only
for texts that matched something.
"""

from __future__ import annotations

import functools
import unicodedata

import numpy as np
import opencc
from confusable_homoglyphs import confusables

# Chinese numerals, including the financial (anti-forgery) forms, to the digit they stand for.
_NUMERALS = {
    char: str(digit)
    for digit, chars in enumerate(
        ["零〇", "一壹", "二贰貳两兩", "三叁參", "四肆", "五伍", "六陆陸", "七柒", "八捌", "九玖"]
    )
    for char in chars
}
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Me", "Mc"})


def _is_cjk(char: str) -> bool:
    point = ord(char)
    return 0x2E80 <= point <= 0x9FFF or 0xF900 <= point <= 0xFAFF or 0xFF00 <= point <= 0xFFEF or point >= 0x20000


@functools.cache
def _homoglyphs() -> dict[str, str]:
    """Non-Latin look-alikes of the Latin letters and digits, to that letter (letters win over
    digits: Greek omicron reads `o`, not `0`). CJK characters are never folded to Latin."""
    table: dict[str, str] = {}
    for target in "0123456789abcdefghijklmnopqrstuvwxyz":
        for upper in {target, target.upper()}:
            for item in confusables.confusables_data.get(upper, ()):
                glyph = item["c"]
                if len(glyph) != 1 or glyph.isascii() or _is_cjk(glyph):
                    continue
                if target.isdigit() and glyph in table:
                    continue
                table[glyph] = target
    return table


def _dropped(char: str) -> bool:
    category = unicodedata.category(char)
    return category in _DROPPED_CATEGORIES or category[0] in "PS"


def translation(folded: str) -> int | str | None:
    """A `str.translate` table value: a code point for one character (CPython's fastest case),
    None to drop, the string otherwise."""
    if len(folded) == 1:
        return ord(folded)
    return folded or None


def translated_length(value: int | str | None) -> int:
    if value is None:
        return 0
    return 1 if isinstance(value, int) else len(value)


class _CharFolder:
    """How one code point folds."""

    def __init__(self) -> None:
        self._t2s = opencc.OpenCC("t2s")
        self._homoglyphs = _homoglyphs()

    def fold_char(self, char: str) -> str:
        # Decompose, drop combining marks (tones, overlays), recompose with compatibility folding.
        decomposed = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        out = []
        for c in unicodedata.normalize("NFKC", decomposed).casefold():
            if _dropped(c):
                continue
            c = self._homoglyphs.get(c, c)
            c = _NUMERALS.get(c, c)
            if _is_cjk(c):
                c = self._t2s.convert(c) or c
            out.append(c)
        return "".join(out)


# Planes folded: the Basic Multilingual Plane, the Supplementary Multilingual Plane (emoji,
# mathematical letters), the ideographic planes 2 and 3 and the special-purpose plane 14 (tags,
# variation selectors). Private-use planes pass through unchanged.
_PLANES = (0, 1, 2, 3, 14)


@functools.cache
def fold_table() -> dict[int, int | str | None]:
    """Every assigned code point of the folded planes whose folded form differs from itself, and
    every one of the Basic Multilingual Plane, as `str.translate` values. A plain, complete dict
    (built once per process, about half a second) translates a third faster than one that fills
    itself on first sight, and a present key faster still than an absent one (CPython raises and
    clears a KeyError per absent character), hence the identities of the BMP."""
    folder = _CharFolder()
    table: dict[int, int | str | None] = {}
    for plane in _PLANES:
        for point in range(plane << 16, (plane + 1) << 16):
            if 0xD800 <= point <= 0xDFFF:
                continue  # surrogates are not characters
            char = chr(point)
            if unicodedata.category(char) == "Cn":
                continue  # unassigned: nothing to fold, and a smaller table stays in cache
            folded = folder.fold_char(char)
            if folded != char or plane == 0:
                table[point] = translation(folded)
    return table


class LengthTable(dict):
    """code point → chr(length of its value in `table`), so one `translate` gives every length;
    a code point absent from `table` stays as it is (length 1)."""

    def __init__(self, table: dict) -> None:
        super().__init__()
        self._table = table

    def __missing__(self, point: int) -> str:
        try:
            value = self._table[point]  # a table that fills itself answers for every code point
        except KeyError:
            value = point
        length = chr(translated_length(value))
        self[point] = length
        return length


class Folder:
    def __init__(self) -> None:
        self.table = fold_table()
        self._lengths = LengthTable(self.table)

    def fold(self, text: str) -> str:
        return text.translate(self.table)

    def origins(self, text: str) -> np.ndarray:
        """For each character of the folded text, the index in `text` it came from."""
        return origins(text, self._lengths)


def origins(text: str, lengths: LengthTable) -> np.ndarray:
    """For each character of `text.translate(lengths' table)`, the index in `text` it came from."""
    counts = np.frombuffer(text.translate(lengths).encode("utf-32-le"), dtype=np.uint32)
    return np.repeat(np.arange(len(text)), counts)
