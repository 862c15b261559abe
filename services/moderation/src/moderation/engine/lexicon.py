"""Lexicon matching: Aho-Corasick (ahocorasick-rs) over folded text, in six channels.

- `text`: the folded text against the folded terms. Catches width, case, traditional, separators,
  emoji, invisible characters, look-alikes and numerals (see `textfold`).
- `split` (拆字): a character written as its components, `氵去` for 法 (see `shapes`).
- `homophone` (同音字): other characters with the same toneless syllables, `兵毒` for 冰毒 (see `sounds`).
- `pinyin`: terms written (wholly or partly) in pinyin: `网络dubo`, `wang luo du bo`, `dǔ博`.
- `mixed`: characters or pinyin mixed with initials at any split point: `毒p`, `d品`, `网络db`.
- `initials`: terms written as the initials of their syllables: `wldb`.

Terms as written are one automaton over the folded text (leftmost longest: they need no check).
Homophones are a second automaton over the text's sound form (`sounds`: one more translate and
scan), built only from entries whose category is traded under disguise (`EVASION_CATEGORIES`), so a
lexicon without them pays nothing for it; a candidate that is itself an ordinary word (病毒 for 冰毒)
is no hit. Split and mixed forms of those entries are read by `disguises`, as a lattice. Every entry
in the sound automaton was measured and lost: each term as written then matched homophones by chance
(a quarter of the bench's posts) and each such candidate had to be checked.

The Latin channels run only around Latin letters in the text (most posts have none, so they cost
nothing there); a hit in them must include the letters the author typed where the form says so and
must not sit inside a longer Latin word. Initials alone mean something only among Chinese: a run of
initials between Latin words, or in a text without a Han character, is an English word.
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

from moderation.engine import disguises, shapes, sounds, words

# pypinyin's phrase dictionary costs ~150 MB per process; the per-character readings (with every
# reading of a heteronym) are enough here. Set before pypinyin is first imported.
os.environ.setdefault("PYPINYIN_NO_PHRASES", "true")
import pypinyin
from textfold import Folder, LengthTable, fold_table, origins

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
    SPLIT = "split"
    HOMOPHONE = "homophone"
    PINYIN = "pinyin"
    MIXED = "mixed"
    INITIALS = "initials"

    @property
    def ambiguous(self) -> bool:
        """A hit that ordinary text can produce by chance: it holds for review, never stops alone (MB-6.1)."""
        return self in (Channel.INITIALS, Channel.HOMOPHONE)


# The BJ-10 categories whose terms are goods and services traded under disguise (drugs, guns, gambling,
# sex, fraud; cults and illegal organisations recruit the same way): their entries are matched by sound
# and by shape too. Political categories are left to exact forms and review, where a homophone is as
# often a pun as an evasion.
EVASION_CATEGORIES = frozenset(
    {
        Bj10Category.OBSCENITY_GAMBLING_VIOLENCE_TERROR_CRIME.value,
        Bj10Category.RELIGION_CULTS_SUPERSTITION.value,
        Bj10Category.ILLEGAL_ORGANIZATION.value,
    }
)


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


@dataclass(frozen=True, slots=True)
class _Form:
    """One way an entry is written, as a pattern of an automaton stands for it."""

    entry: Entry
    channel: Channel
    written: str = ""  # the folded term the form writes ("" for a homophone: other characters)
    lengths: tuple[int, ...] = ()  # Latin automaton: the reading letters of each character of `written`


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
        disguised_terms: list[tuple[Entry, str]] = []
        self._written_as: dict[str, set[str]] = {}
        exact_patterns: dict[str, list[_Form]] = {}
        sound_patterns: dict[bytes, list[_Form]] = {}
        latin_patterns: dict[str, list[_Form]] = {}
        initials_patterns: dict[str, list[_Form]] = {}
        widest = 1
        for entry in self.entries:
            folded = self.folder.fold(entry.term)
            if not folded:
                continue
            exact_patterns.setdefault(folded, []).append(_Form(entry, Channel.TEXT, written=folded))
            han = sum(1 for c in folded if _is_han(c) or c.isdigit())
            if han < 2:
                continue
            widest = max(widest, len(folded))
            disguised = entry.category in EVASION_CATEGORIES
            if disguised:
                disguised_terms.append((entry, folded))
                for char in entry.term:  # 六 folds to 6, and is still written 亠八
                    self._written_as.setdefault(self.folder.fold(char), {char}).add(char)
            readings = _readings(folded)
            # Homophones of the usual reading only: a heteronym's rare reading (毒 dài) would double what
            # ordinary text matches by chance (并带 for 冰毒), for evasions nobody writes.
            if disguised and (sound := sounds.encode_reading(readings[0])) is not None:
                sound_patterns.setdefault(sound, []).append(_Form(entry, Channel.HOMOPHONE))
            for syllables in readings:
                reading = "".join(syllables)
                if not reading.isascii():
                    continue
                if len(reading) >= MIN_PINYIN_LETTERS:
                    latin_patterns.setdefault(reading, []).append(
                        _Form(entry, Channel.PINYIN, written=folded, lengths=tuple(map(len, syllables)))
                    )
                if han >= MIN_INITIALS:
                    initials = "".join(s[:1] for s in syllables)
                    initials_patterns.setdefault(initials, []).append(_Form(entry, Channel.INITIALS))
        self._window = widest
        self._exact = _Automaton(exact_patterns, overlapping=False)
        self._sound = _SoundAutomaton(sound_patterns)
        self._disguises = disguises.Disguises(disguised_terms, _latin_readings, self._decompositions)
        self._has_sound, self._has_disguises = bool(self._sound), bool(self._disguises)  # read per post
        self._written = {form: {f.entry.id for f in forms} for form, forms in exact_patterns.items()}
        self._ordinary = self._ordinary_words(sound_patterns)
        self._pinyin_lengths = LengthTable(self._pinyin)
        self._latin_automaton = _Automaton(latin_patterns)
        self._initials_automaton = _Automaton(initials_patterns)

    def _decompositions(self, char: str) -> list[str]:
        """The ways a folded term character is written as components (any character it was folded from),
        folded as text is."""
        forms = (
            self.folder.fold(d) for c in sorted(self._written_as.get(char, {char})) for d in shapes.decompositions(c)
        )
        return list(dict.fromkeys(f for f in forms if len(f) >= 2 and f != char))

    @staticmethod
    def _ordinary_words(sound_patterns: dict[bytes, list[_Form]]) -> frozenset[str]:
        """The dictionary's words (folded) that read like a homophone: what a homophone hit must not be."""
        if not sound_patterns:
            return frozenset()
        table = fold_table()
        folded = [w.translate(table) for w in words.dictionary_words()]
        sound, at, ordinary = sounds.encode("".join(folded)), 0, set()  # one encode for all the words
        for word in folded:
            if sound[at : at + 2 * len(word)] in sound_patterns:
                ordinary.add(word)
            at += 2 * len(word)
        return frozenset(ordinary)

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
        found = [(form.entry, s, e, form.channel) for forms, s, e in self._exact.find(folded) for form in forms]
        if self._has_sound:
            candidates = self._sound.find(sounds.encode(folded))
            if candidates:
                found.extend(self._check_sound(candidates, folded))
        if _LATIN_RUN.search(folded):  # most posts have no Latin letters: skip the Latin channels
            runs = [(m.start(), m.end()) for m in _LATIN_RUN.finditer(folded)]
            for start, end in self._windows(runs, len(folded)):
                found.extend(self._scan_latin(folded, start, end))
            if any(_is_han(c) for c in folded):  # initials alone mean something only among Chinese
                for start, end in runs:
                    found.extend(self._scan_initials(folded, start, end))
        else:
            runs = []
        if self._has_disguises:
            found.extend((entry, s, e, Channel(kind)) for entry, s, e, kind in self._disguises.find(folded, runs))
        if not found:
            return []
        # Offsets only for texts that matched something: the slow path, rarely taken.
        origin = self.folder.origins(text)
        hits = {}
        for entry, s, e, channel in found:
            o_start, o_end = int(origin[s]), int(origin[e - 1]) + 1
            while o_end < len(text) and unicodedata.combining(text[o_end]):
                o_end += 1  # a mark over the last character belongs to the span (one grapheme)
            if channel in _HAN_CHANNELS or not _inside_word(text, o_start, o_end):
                if channel is Channel.INITIALS and _among_latin_words(text, o_start, o_end):
                    continue
                hits.setdefault((entry.id, o_start, o_end), Hit(entry, o_start, o_end, channel))
        return _without_echoes(list(hits.values()))

    def _check_sound(self, candidates: list[tuple[list[_Form], int, int]], folded: str) -> list[tuple]:
        """Homophones that stand: neither the term as written (the text channel has it) nor an ordinary word."""
        found = []
        for forms, s, e in candidates:
            span = folded[s:e]
            if span in self._ordinary:
                continue
            written = self._written.get(span, ())
            found.extend((f.entry, s, e, Channel.HOMOPHONE) for f in forms if f.entry.id not in written)
        return found

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

    def _scan_latin(self, folded: str, start: int, end: int) -> list[tuple[Entry, int, int, Channel]]:
        """Pinyin- and mixed-channel hits in folded[start:end], as folded-text spans."""
        segment = folded[start:end]
        reading = segment.translate(self._pinyin)
        matches = self._latin_automaton.find(reading)
        if not matches:
            return []
        unit_at = origins(segment, self._pinyin_lengths).tolist()  # the segment character behind reading[i]
        found = []
        for forms, s, e in matches:
            first, last = unit_at[s], unit_at[e - 1]
            whole_units = (s == 0 or unit_at[s - 1] != first) and (e == len(reading) or unit_at[e] != last)
            if not whole_units or not _LATIN_RUN.search(segment, first, last + 1):  # the author typed a letter
                continue
            for form in forms:
                if _own_characters(segment, unit_at, s, form):
                    found.append((form.entry, start + first, start + last + 1, form.channel))
        return found

    def _scan_initials(self, folded: str, start: int, end: int) -> list[tuple[Entry, int, int, Channel]]:
        """Initials are typed as a run of letters (`wldb`): matched within the run, never across
        characters around it, where the initials of ordinary text would match by chance."""
        return [
            (form.entry, start + s, start + e, Channel.INITIALS)
            for forms, s, e in self._initials_automaton.find(folded[start:end])
            for form in forms
        ]


_HAN_CHANNELS = frozenset({Channel.TEXT, Channel.SPLIT, Channel.HOMOPHONE})
_CHANNEL_ORDER = {channel: index for index, channel in enumerate(Channel)}


def _without_echoes(hits: list[Hit]) -> list[Hit]:
    """Hits sorted, without one that lies inside a longer hit of the same entry, unless it is certain
    and the longer one is not: `火乍药` is split, and its `乍药` reading like 炸药 adds nothing."""

    def echoes(h: Hit) -> bool:
        return any(
            c.entry.id == h.entry.id
            and c.start <= h.start
            and h.end <= c.end
            and c.end - c.start > h.end - h.start
            and (h.channel.ambiguous or not c.channel.ambiguous)
            for c in hits
        )

    return sorted((h for h in hits if not echoes(h)), key=lambda h: (h.start, h.end, _CHANNEL_ORDER[h.channel]))


def _latin_readings(char: str) -> tuple[str, ...]:
    """A term character's readings a disguise may spell (letters only)."""
    return tuple(r for r in _char_readings(char) if r.isascii() and r.isalpha())


def _own_characters(segment: str, unit_at: list[int], start: int, form: _Form) -> bool:
    """True when every character (not a letter) in the reading span is the term's own at its place:
    `du品` is 毒品 in pinyin, `du拼` is not (homophones are the homophone channel's, among characters
    only)."""
    at = start
    for char, length in zip(form.written, form.lengths, strict=True):
        for unit in set(unit_at[at : at + length]):
            if not disguises.is_letter(segment[unit]) and segment[unit] != char:
                return False
        at += length
    return True


def _inside_word(text: str, start: int, end: int) -> bool:
    """True when the Latin span continues into letters on either side (`xdubo`, `duboy`)."""
    before = start > 0 and text[start - 1].isascii() and text[start - 1].isalpha() and text[start].isascii()
    after = end < len(text) and text[end].isascii() and text[end].isalpha() and text[end - 1].isascii()
    return before or after


def _among_latin_words(text: str, start: int, end: int) -> bool:
    """True when the word before or after the span (across spaces) is a Latin word: `He said WLDB is`."""
    before = text[:start].rstrip()
    after = text[end:].lstrip()
    return bool(before and before[-1].isascii() and before[-1].isalpha()) or bool(
        after and after[0].isascii() and after[0].isalpha()
    )


class _SoundAutomaton:
    """Aho-Corasick over sound forms (`sounds`), reporting overlapping matches as folded-text spans:
    a candidate rejected later (an ordinary word) must not hide one that overlaps it."""

    def __init__(self, patterns: dict[bytes, list[_Form]]) -> None:
        self._forms = list(patterns.values())
        kind = ahocorasick_rs.MatchKind.Standard
        self._automaton = ahocorasick_rs.BytesAhoCorasick(list(patterns), matchkind=kind) if patterns else None

    def __bool__(self) -> bool:
        return self._automaton is not None

    def find(self, sound: bytes) -> list[tuple[list[_Form], int, int]]:
        if self._automaton is None:
            return []
        matches = self._automaton.find_matches_as_indexes(sound, overlapping=True)
        return [(self._forms[i], s >> 1, e >> 1) for i, s, e in matches] if matches else matches


class _Automaton:
    """Aho-Corasick over one channel's patterns. The Latin channels report overlapping matches: a
    candidate rejected later (no typed letter, inside a word) must not hide one that overlaps it;
    exact forms need no check and take the leftmost longest."""

    def __init__(self, patterns: dict[str, list[_Form]], *, overlapping: bool = True) -> None:
        self._forms = list(patterns.values())
        self._overlapping = overlapping
        kind = ahocorasick_rs.MatchKind.Standard if overlapping else ahocorasick_rs.MatchKind.LeftmostLongest
        self._automaton = ahocorasick_rs.AhoCorasick(list(patterns), matchkind=kind) if patterns else None

    def find(self, text: str) -> list[tuple[list[_Form], int, int]]:
        if self._automaton is None:
            return []
        matches = self._automaton.find_matches_as_indexes(text, overlapping=self._overlapping)
        return [(self._forms[i], s, e) for i, s, e in matches] if matches else matches


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
