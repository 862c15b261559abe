"""Lexicon matching: Aho-Corasick (ahocorasick-rs) over folded text, in three channels.

- `text`: the folded text against the folded terms. Catches width, case, traditional, separators,
  emoji, invisible characters, look-alikes and numerals (see `folding`).
- `pinyin`: terms written (wholly or partly) in pinyin: `网络dubo`, `wang luo du bo`, `dǔ博`.
- `initials`: terms written as the initials of their syllables: `wldb`, `网络db`.

The two Latin channels run only around Latin letters in the text (most posts have none, so they
cost nothing there), and a hit in them must include at least one letter the author typed and must
not sit inside a longer Latin word: all-Chinese homophones are left to lexicon entries of their own.
Pure: no I/O once built. Every hit maps back to a span of the original text.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import ahocorasick_rs
from contracts.categories import Bj10Category

# pypinyin's phrase dictionary costs ~150 MB per process; the per-character readings (with every
# reading of a heteronym) are enough here. Set before pypinyin is first imported.
os.environ.setdefault("PYPINYIN_NO_PHRASES", "true")
import pypinyin
from textfold import Folder, LengthTable, origins

_LATIN_RUN = re.compile(r"[a-z]+")
_DIGIT_READINGS = ["ling", "yi", "er", "san", "si", "wu", "liu", "qi", "ba", "jiu"]
# Latin-channel patterns shorter than this are too common in ordinary Latin text to mean anything.
MIN_PINYIN_LETTERS = 4
MIN_INITIALS = 3


class Action(StrEnum):
    STOP = "stop"  # stop transmission (MB-12.2)
    REVIEW = "review"  # hold for human review (MB-6.1)
    LABEL = "label"  # publish with a label


class Channel(StrEnum):
    TEXT = "text"
    PINYIN = "pinyin"
    INITIALS = "initials"


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    term: str
    category: str  # a BJ-10 category code (contracts.categories.Bj10Category)
    action: Action
    legal_basis: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Hit:
    entry: Entry
    start: int  # code-point span in the original text
    end: int
    channel: Channel


def _is_han(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" or char >= "\U00020000"


@functools.cache
def _char_readings(char: str) -> tuple[str, ...]:
    """Every toneless reading of a character, the usual one first (行: xing, hang, heng)."""
    if char.isdigit() and char.isascii():
        return (_DIGIT_READINGS[int(char)],)
    if not _is_han(char):
        return (char,)
    found = pypinyin.pinyin(char, style=pypinyin.Style.NORMAL, heteronym=True, errors="ignore")
    readings = tuple(dict.fromkeys(r for r in (found[0] if found else []) if r.isascii() and r))
    return readings or (char,)


MAX_READINGS_PER_TERM = 6


def _readings(folded: str) -> list[tuple[str, ...]]:
    """A term's readings: every character's usual one, then each heteronym character's others one at
    a time (银行: yin xing, yin hang), at most MAX_READINGS_PER_TERM."""
    options = [_char_readings(c) for c in folded]
    usual = tuple(o[0] for o in options)
    out = [usual]
    for index, choices in enumerate(options):
        for other in choices[1:]:
            out.append((*usual[:index], other, *usual[index + 1 :]))
    return list(itertools.islice(dict.fromkeys(out), MAX_READINGS_PER_TERM))


class _Transliteration(dict):
    """code point of a folded character → its Latin reading (pinyin, or initial), memoised;
    letters stay, digits read as their Chinese numeral; usable as a `str.translate` table."""

    def __init__(self, *, initials: bool) -> None:
        super().__init__()
        self._initials = initials

    def __missing__(self, point: int) -> str:
        char = chr(point)
        reading = _char_readings(char)[0]
        if self._initials and reading != char:
            reading = reading[0]
        self[point] = reading
        return reading


class Lexicon:
    """An immutable, versioned set of entries compiled into automatons."""

    def __init__(self, entries: Iterable[Entry], version: str, folder: Folder | None = None) -> None:
        self.entries = list(entries)
        if not self.entries:
            raise ValueError("a lexicon needs at least one entry")
        self.version = version
        self.folder = folder or Folder()
        self._fold_table = self.folder.table
        self._pinyin = _Transliteration(initials=False)
        self._initials = _Transliteration(initials=True)
        text_patterns: dict[str, Entry] = {}
        pinyin_patterns: dict[str, Entry] = {}
        initials_patterns: dict[str, Entry] = {}
        widest = 1
        for entry in self.entries:
            folded = self.folder.fold(entry.term)
            if not folded:
                continue
            text_patterns.setdefault(folded, entry)
            han = sum(1 for c in folded if _is_han(c) or c.isdigit())
            if han < 2:
                continue
            widest = max(widest, len(folded))
            for syllables in _readings(folded):
                reading = "".join(syllables)
                if len(reading) >= MIN_PINYIN_LETTERS and reading.isascii():
                    pinyin_patterns.setdefault(reading, entry)
                initials = "".join(s[:1] for s in syllables)
                if han >= MIN_INITIALS and initials.isascii():
                    initials_patterns.setdefault(initials, entry)
        self._window = widest
        self._text = _Automaton(text_patterns)
        self._pinyin_lengths = LengthTable(self._pinyin)
        self._pinyin_automaton = _Automaton(pinyin_patterns, overlapping=True)
        self._initials_automaton = _Automaton(initials_patterns, overlapping=True)

    @classmethod
    def from_rows(
        cls,
        rows: Iterable[tuple[object, str, str, str, Iterable[str]]],
        folder: Folder | None = None,
        release: str | None = None,
    ) -> Lexicon:
        """Entries as (id, term, category, action, legal basis). The version names the release and
        a digest of the entries, so two processes holding the same entries say so."""
        entries = [Entry(str(i), t, c, Action(a), tuple(b)) for i, t, c, a, b in rows]
        digest = hashlib.sha256()
        for e in sorted(entries, key=lambda e: e.id):
            digest.update(f"{e.id}\t{e.term}\t{e.category}\t{e.action}\t{','.join(e.legal_basis)}\n".encode())
        version = digest.hexdigest()[:12]
        return cls(entries, version=f"r{release}-{version}" if release else version, folder=folder)

    def scan(self, text: str) -> list[Hit]:
        folded = text.translate(self._fold_table)
        found = [(entry, s, e, Channel.TEXT) for entry, s, e in self._text.find(folded)]
        if _LATIN_RUN.search(folded):  # most posts have no Latin letters: skip the Latin channels
            runs = [(m.start(), m.end()) for m in _LATIN_RUN.finditer(folded)]
            for start, end in self._windows(runs, len(folded)):
                found.extend(self._scan_pinyin(folded, start, end))
            for start, end in runs:
                found.extend(self._scan_initials(folded, start, end))
        if not found:
            return []
        # Offsets only for texts that matched something: the slow path, rarely taken.
        origin = self.folder.origins(text)
        hits = []
        for entry, s, e, channel in found:
            o_start, o_end = int(origin[s]), int(origin[e - 1]) + 1
            while o_end < len(text) and unicodedata.combining(text[o_end]):
                o_end += 1  # a mark over the last character belongs to the span (one grapheme)
            if channel is Channel.TEXT or not _inside_word(text, o_start, o_end):
                hits.append(Hit(entry, o_start, o_end, channel))
        return sorted(hits, key=lambda h: (h.start, h.end))

    def _windows(self, runs: list[tuple[int, int]], size: int) -> list[tuple[int, int]]:
        """Latin runs widened by a term's length on each side (pinyin mixed with characters), merged."""
        windows: list[tuple[int, int]] = []
        for run_start, run_end in runs:
            start, end = max(0, run_start - self._window), min(size, run_end + self._window)
            if windows and start <= windows[-1][1]:
                windows[-1] = (windows[-1][0], end)
            else:
                windows.append((start, end))
        return windows

    def _scan_pinyin(self, folded: str, start: int, end: int) -> list[tuple[Entry, int, int, Channel]]:
        """Pinyin-channel hits in folded[start:end], as folded-text spans."""
        segment = folded[start:end]
        reading = segment.translate(self._pinyin)
        matches = self._pinyin_automaton.find(reading)
        if not matches:
            return []
        unit_at = origins(segment, self._pinyin_lengths).tolist()  # the segment character behind reading[i]
        found = []
        for entry, s, e in matches:
            first, last = unit_at[s], unit_at[e - 1]
            whole_units = (s == 0 or unit_at[s - 1] != first) and (e == len(reading) or unit_at[e] != last)
            if whole_units and _LATIN_RUN.search(segment, first, last + 1):  # the author typed a letter
                found.append((entry, start + first, start + last + 1, Channel.PINYIN))
        return found

    def _scan_initials(self, folded: str, start: int, end: int) -> list[tuple[Entry, int, int, Channel]]:
        """Initials are typed as a run of letters (`wldb`): matched within the run, never across
        characters around it, where the initials of ordinary text would match by chance."""
        return [
            (entry, start + s, start + e, Channel.INITIALS)
            for entry, s, e in self._initials_automaton.find(folded[start:end])
        ]


def _inside_word(text: str, start: int, end: int) -> bool:
    """True when the Latin span continues into letters on either side (`xdubo`, `duboy`)."""
    before = start > 0 and text[start - 1].isascii() and text[start - 1].isalpha() and text[start].isascii()
    after = end < len(text) and text[end].isascii() and text[end].isalpha() and text[end - 1].isascii()
    return before or after


class _Automaton:
    """Aho-Corasick over one channel's patterns. The Latin channels report overlapping matches: a
    match rejected later (no typed letter) must not hide one that overlaps it."""

    def __init__(self, patterns: dict[str, Entry], *, overlapping: bool = False) -> None:
        self._entries = list(patterns.values())
        self._overlapping = overlapping
        kind = ahocorasick_rs.MatchKind.Standard if overlapping else ahocorasick_rs.MatchKind.LeftmostLongest
        self._automaton = ahocorasick_rs.AhoCorasick(list(patterns), matchkind=kind) if patterns else None

    def find(self, text: str) -> list[tuple[Entry, int, int]]:
        if self._automaton is None:
            return []
        matches = self._automaton.find_matches_as_indexes(text, overlapping=self._overlapping)
        return [(self._entries[i], s, e) for i, s, e in matches] if matches else matches


def read_tsv(path: Path) -> list[tuple[str, str, str, list[str]]]:
    """A lexicon file: one entry per line, tab-separated term, BJ-10 category code, action and
    comma-separated requirement IDs; `#` starts a comment line."""
    rows = []
    for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 4:
            raise ValueError(f"{path}:{line_no}: expected 4 tab-separated fields")
        term, category, action, basis = (f.strip() for f in fields)
        rows.append(
            (
                term,
                Bj10Category(category).value,
                Action(action).value,
                [b.strip() for b in basis.split(",") if b.strip()],
            )
        )
    return rows
