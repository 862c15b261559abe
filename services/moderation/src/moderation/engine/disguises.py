"""Terms written with some characters disguised, in any combination (issue 16; MB-12.2, BJ-10): a character written as
its components (拆字, `出售木仓支`, or every one of them, `亻弋力八钅艮彳亍上下` for 代办银行卡), as its
pinyin, or as its initial (`买m枪z`, `m卖q支`, `d品`), the others as they are.

The ways multiply with a term's length (three for each character, more where a character splits more
ways), so they are not made into patterns: the text is read as a lattice instead. At each place the
text offers the character written there, the characters its components recompose (one small automaton
over the folded text, of the decompositions of the terms' characters), and, where letters stand, the
characters whose reading or initial they spell; a trie of the terms is walked through it from the
places near a recomposition or a run of letters. A walk counts when it took at least one disguise;
pinyin alone is the pinyin channel's, initials alone the initials channel's.

Pure: no I/O once built. Spans are of the folded text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import ahocorasick_rs

SPLIT = "split"
MIXED = "mixed"
# A mixture typed wholly in letters (`wangluodb`) must be this long; with one of the term's own
# characters in it (`毒p`, `d品`) any length will do.
MIN_LETTERS_ALONE = 6


@dataclass
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    # typed letters → (initial?, child): a character's readings and initials, looked up by what is typed
    spelled: dict[str, list[tuple[bool, _Node]]] = field(default_factory=dict)
    entries: list = field(default_factory=list)


def is_letter(char: str) -> bool:
    """A folded Latin letter."""
    return "a" <= char <= "z"


class Disguises:
    """The terms of the disguised entries, and how their characters may be written instead."""

    def __init__(
        self,
        terms: Iterable[tuple[object, str]],
        readings: Callable[[str], tuple[str, ...]],
        decompositions: Callable[[str], list[str]],
    ) -> None:
        """`terms`: (entry, folded term); `readings(char)`: its toneless pinyin readings (letters only);
        `decompositions(char)`: its folded component strings."""
        self._root = _Node()
        self.widest = 0
        self._longest = 1  # the longest reading: how many typed letters one character can take
        self._syllables: set[str] = set()
        characters: set[str] = set()
        for entry, term in terms:
            node = self._root
            for char in term:
                node = node.children.setdefault(char, _Node())
            node.entries.append(entry)
            characters.update(term)
            self.widest = max(self.widest, len(term))
        self._index(self._root, readings)
        recompose: dict[str, list[str]] = {}
        for char in characters:
            for parts in decompositions(char):
                recompose.setdefault(parts, []).append(char)
        self._parts = list(recompose.values())
        self._automaton = (
            ahocorasick_rs.AhoCorasick(list(recompose), matchkind=ahocorasick_rs.MatchKind.Standard)
            if recompose
            else None
        )

    def _index(self, node: _Node, readings: Callable[[str], tuple[str, ...]]) -> None:
        stack = [node]
        while stack:
            current = stack.pop()
            for char, child in current.children.items():
                for reading in readings(char):
                    self._syllables.add(reading)
                    current.spelled.setdefault(reading, []).append((False, child))
                    current.spelled.setdefault(reading[0], []).append((True, child))
                    self._longest = max(self._longest, len(reading))
                stack.append(child)

    def __bool__(self) -> bool:
        return bool(self._root.children)

    def find(self, folded: str, latin_runs: list[tuple[int, int]]) -> list[tuple[object, int, int, str]]:
        """(entry, start, end, split or mixed) for every disguised term in the folded text."""
        edges: dict[int, list[tuple[int, str]]] = {}
        if self._automaton is not None:
            for index, start, end in self._automaton.find_matches_as_indexes(folded, overlapping=True):
                for char in self._parts[index]:
                    edges.setdefault(start, []).append((end, char))
        if not edges and not latin_runs:
            return []
        # A walk starts at a character, a recomposition, or the first letter of a run (typed initials
        # begin their run), within a term's length before what it needs to take.
        anchors: set[int] = set()
        for start in edges:
            anchors.update(range(max(0, start - self.widest + 1), start + 1))
        for start, end in latin_runs:
            if self._units(folded[start:end]) <= self.widest:
                anchors.update(range(max(0, start - self.widest + 1), start + 1))
        root = self._root.children
        anchors = {a for a in anchors if a in edges or folded[a] in root or is_letter(folded[a])}
        found: dict[tuple, tuple] = {}
        for start in sorted(anchors):
            self._walk(folded, edges, start, found)
        return list(found.values())

    def _units(self, run: str) -> int:
        """The fewest characters a run of letters can spell (each a reading or an initial): a run that
        needs more than a term has (`goodmorning`) is no disguise, and no walk starts there."""
        fewest = [0] + [len(run) + 1] * len(run)
        for end in range(1, len(run) + 1):
            for length in range(1, min(self._longest, end) + 1):
                if length == 1 or run[end - length : end] in self._syllables:
                    fewest[end] = min(fewest[end], fewest[end - length] + 1)
        return fewest[-1]

    def _walk(self, folded: str, edges: dict, start: int, found: dict) -> None:
        # (place, node, split used, initials used, letters typed, own characters, syllables spelled)
        stack = [(start, self._root, False, False, 0, 0, 0)]
        size = len(folded)
        while stack:
            at, node, split, initials, letters, own, spelled = stack.pop()
            if node.entries and (split or initials):
                self._record(folded, start, at, node, split, own or spelled, letters, own, found)
            if at >= size:
                continue
            char = folded[at]
            child = node.children.get(char)
            if child is not None:
                stack.append((at + 1, child, split, initials, letters, own + 1, spelled))
            for end, composed in edges.get(at, ()):
                child = node.children.get(composed)
                if child is not None:
                    stack.append((end, child, True, initials, letters, own + 1, spelled))
            if is_letter(char) and (at == start or not is_letter(folded[at - 1]) or letters):
                for typed in range(1, self._longest + 1):
                    spelling = folded[at : at + typed]
                    if len(spelling) < typed or not is_letter(spelling[-1]):
                        break
                    for initial, child in node.spelled.get(spelling, ()):
                        step = (at + typed, child, split, initials or initial, letters + typed)
                        stack.append((*step, own, spelled + (not initial)))

    @staticmethod
    def _record(
        folded: str,
        start: int,
        end: int,
        node: _Node,
        split: bool,
        more_than_initials: int,
        letters: int,
        own: int,
        found: dict,
    ) -> None:
        if not split:
            if not more_than_initials:
                return  # initials alone: the initials channel's, which holds them only among Chinese
            # Typed initials end their run of letters (`网络dǔ b` is no mixture inside `网络dǔ bó`), and a
            # mixture wholly in letters must be long enough not to be a word (`dup`).
            if is_letter(folded[start]) and start > 0 and is_letter(folded[start - 1]):
                return
            if is_letter(folded[end - 1]) and end < len(folded) and is_letter(folded[end]):
                return
            if not own and letters < MIN_LETTERS_ALONE:
                return
        kind = SPLIT if split else MIXED
        for entry in node.entries:
            found.setdefault((id(entry), start, end), (entry, start, end, kind))
