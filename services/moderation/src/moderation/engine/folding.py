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


class FoldTable(dict):
    """code point → folded string ('' drops it), filled on first sight of each code point;
    usable directly as a `str.translate` table."""

    def __init__(self) -> None:
        super().__init__()
        self._t2s = opencc.OpenCC("t2s")
        self._homoglyphs = _homoglyphs()

    def __missing__(self, point: int) -> str:
        folded = self.fold_char(chr(point))
        self[point] = folded
        return folded

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


class LengthTable(dict):
    """code point → chr(length of its string in `table`), so one `translate` gives every length."""

    def __init__(self, table: dict) -> None:
        super().__init__()
        self._table = table

    def __missing__(self, point: int) -> str:
        length = chr(len(self._table[point]))
        self[point] = length
        return length


class Folder:
    def __init__(self) -> None:
        self.table = FoldTable()
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
