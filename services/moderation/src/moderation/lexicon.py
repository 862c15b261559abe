"""The lexicon check: Aho-Corasick (ahocorasick-rs) over text folded with OpenCC, NFKC and case.

Pure: no I/O once loaded. Every hit maps back to a span of the original text.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import ahocorasick_rs
import opencc

ENGINE_VERSION = "lexicon-ac/1"


class Action(StrEnum):
    STOP = "stop"  # stop transmission (MB-12.2)


@dataclass(frozen=True, slots=True)
class Entry:
    term: str
    category: str  # a BJ-10 category code
    action: Action
    legal_basis: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Hit:
    entry: Entry
    start: int  # code-point span in the original text
    end: int


class Folder:
    """Folds text for matching while keeping, for each folded character, its original index."""

    def __init__(self) -> None:
        self._t2s = opencc.OpenCC("t2s")

    def fold(self, text: str) -> tuple[str, list[int]]:
        chars: list[str] = []
        origin: list[int] = []
        for index, char in enumerate(text):
            # NFKC turns full-width and compatibility forms into their plain ones; casefold lower-cases.
            for folded in unicodedata.normalize("NFKC", char).casefold():
                chars.append(folded)
                origin.append(index)
        width_folded = "".join(chars)
        simplified = self._t2s.convert(width_folded)
        if len(simplified) != len(width_folded):
            # A phrase conversion changed the length: convert per character so offsets stay exact.
            simplified = "".join(self._t2s.convert(c) or c for c in width_folded)
            if len(simplified) != len(width_folded):
                return width_folded, origin
        return simplified, origin


class Lexicon:
    def __init__(self, entries: list[Entry], version: str) -> None:
        if not entries:
            raise ValueError("a lexicon needs at least one entry")
        self.entries = entries
        self.version = version
        self._folder = Folder()
        folded_terms = [self._folder.fold(e.term)[0] for e in entries]
        self._automaton = ahocorasick_rs.AhoCorasick(folded_terms, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)

    @classmethod
    def load(cls, path: Path) -> Lexicon:
        raw = path.read_bytes()
        entries = []
        for line_no, line in enumerate(raw.decode("utf-8").splitlines(), start=1):
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) != 4:
                raise ValueError(f"{path}:{line_no}: expected 4 tab-separated fields")
            term, category, action, basis = fields
            entries.append(
                Entry(
                    term.strip(),
                    category.strip(),
                    Action(action.strip()),
                    tuple(b.strip() for b in basis.split(",") if b.strip()),
                )
            )
        return cls(entries, version=hashlib.sha256(raw).hexdigest()[:12])

    def scan(self, text: str) -> list[Hit]:
        folded, origin = self._folder.fold(text)
        hits = []
        for index, start, end in self._automaton.find_matches_as_indexes(folded):
            hits.append(Hit(self.entries[index], origin[start], origin[end - 1] + 1))
        return hits
