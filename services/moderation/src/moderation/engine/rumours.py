"""Refuted-rumour matching (MB-11): near-duplicates by MinHash LSH (datasketch) over character shingles
of the folded text, confirmed by the exact similarity of the shingle sets.

A post spreads a rumour when, after folding,
- the post, or a run of its sentences, is a paraphrase or copy of the rumour's canonical text
  (Jaccard similarity of shingle sets >= `jaccard`), or
- the post quotes most of the rumour inside other text (share of the rumour's shingles found in
  the post >= `containment`) — found within one stretch of the post (`stretch` times the rumour's
  length), not scattered over a long article: an article of thousands of characters holds most
  two-character shingles of any short sentence somewhere, so containment over its whole text would
  match rumours it never quotes.
LSH finds candidates among many rumours in well under a millisecond; the exact check decides, so the
live path and the retro-scan of stored posts (`RumourProbe`) agree on every post. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from datasketch import MinHash, MinHashLSH
from textfold import Folder

_SENTENCE_END = re.compile(r"[。！？!?；;\n…]+")


class RumourAction(StrEnum):
    LABEL = "label"  # publish with the refutation attached (MB-11)
    STOP = "stop"  # the rumour itself is illegal (BJ-10 rumours disturbing order): stop transmission


@dataclass(frozen=True, slots=True)
class Rumour:
    id: str
    canonical_text: str
    refutation_text: str
    refutation_url: str
    authority: str
    action: RumourAction
    legal_basis: tuple[str, ...]


def rumour_legal_basis(named: list[str]) -> list[str]:
    """MB-11: a registered rumour's legal basis always includes MB-11, after those its registrar named."""
    return list(dict.fromkeys([*named, "MB-11"]))


@dataclass(frozen=True, slots=True)
class RumourHit:
    rumour: Rumour
    similarity: float  # the larger of the Jaccard and containment scores that matched


@dataclass(frozen=True, slots=True)
class Thresholds:
    jaccard: float = 0.5
    # LSH's own threshold, below `jaccard`: LSH recall falls off near its threshold, the exact check decides.
    candidate: float = 0.3
    containment: float = 0.7
    shingle: int = 2  # characters per shingle: two suits Chinese, where a character is nearly a word
    num_perm: int = 128
    min_chars: int = 12  # sentences are compared in runs of at least this many (folded) characters
    # Containment is judged in stretches of this many times the rumour's length, each starting one
    # rumour length after the last: a quote up to (stretch - 1) times the rumour's length (the rumour
    # with words added) lies whole in one of them. A text that short is one stretch.
    stretch: int = 3


def _shingle_hash(shingle: str) -> int:
    """32-bit hash of a shingle for MinHash. Python's own string hash (SipHash, in C, cached on the
    string) instead of datasketch's default SHA-1 per item: the index lives in this process only
    and is rebuilt on start, so a per-process hash seed changes nothing, and it is several times faster."""
    return hash(shingle) & 0xFFFFFFFF


def shingles(folded: str, size: int) -> set[str]:
    if len(folded) <= size:
        return {folded} if folded else set()
    return {folded[i : i + size] for i in range(len(folded) - size + 1)}


def folded_sentences(folder: Folder, text: str) -> list[str]:
    """The folded sentences of a text (folding drops the punctuation that separates them)."""
    return [s for s in (folder.fold(part) for part in _SENTENCE_END.split(text)) if s]


def pieces(sentences: list[str], size: int, min_chars: int) -> list[set[str]]:
    """The shingle sets a text is compared by: the whole text first, then runs of consecutive
    sentences of at least `min_chars` characters (a rumour quoted among other sentences)."""
    whole = shingles("".join(sentences), size)
    out = [whole] if whole else []
    if len(sentences) > 1:
        group = ""
        for sentence in sentences:
            group += sentence
            if len(group) >= min_chars:
                out.append(shingles(group, size))
                group = ""
    return out


class _Similarity:
    def __init__(self, thresholds: Thresholds) -> None:
        self.t = thresholds

    def score(self, rumour_shingles: set[str], text_pieces: list[set[str]], joined: str) -> float:
        """The matching score (>= the threshold it passed), or 0.0. ``joined`` is the folded text whose
        shingle sets ``text_pieces`` are (the whole first)."""
        if not text_pieces or not rumour_shingles:
            return 0.0
        whole = text_pieces[0]
        shared = len(whole & rumour_shingles)
        contained = shared / len(rumour_shingles)
        if contained >= self.t.containment:
            contained = self._contained_in_a_stretch(rumour_shingles, joined, contained)
        if contained >= self.t.containment:
            return contained
        best = 0.0
        for piece in text_pieces:
            common = len(piece & rumour_shingles)
            best = max(best, common / (len(piece) + len(rumour_shingles) - common))
        return best if best >= self.t.jaccard else 0.0

    def _contained_in_a_stretch(self, rumour_shingles: set[str], joined: str, whole: float) -> float:
        """The best containment within one stretch of the text. Only a text longer than a stretch
        needs it: only there can the whole text's score come from scattered shingles."""
        step = len(rumour_shingles) + self.t.shingle - 1  # the rumour's length in folded characters
        window = self.t.stretch * step
        if len(joined) <= window:
            return whole
        best = 0.0
        for start in range(0, len(joined) - step, step):
            stretch = shingles(joined[start : start + window], self.t.shingle)
            best = max(best, len(stretch & rumour_shingles) / len(rumour_shingles))
            if best >= self.t.containment:
                break
        return best


class RumourIndex:
    """Every registered rumour, indexed for matching posts as they arrive."""

    def __init__(
        self,
        rumours: Iterable[Rumour],
        version: str,
        folder: Folder | None = None,
        thresholds: Thresholds = Thresholds(),
    ) -> None:
        self.version = version
        self.folder = folder or Folder()
        self.thresholds = thresholds
        self._similarity = _Similarity(thresholds)
        prototype = MinHash(num_perm=thresholds.num_perm, seed=1, hashfunc=_shingle_hash)
        self._permutations, self._scheme = prototype.permutations, prototype.scheme
        self._lsh = MinHashLSH(threshold=thresholds.candidate, num_perm=thresholds.num_perm)
        self.rumours: dict[str, Rumour] = {}
        self._shingles: dict[str, set[str]] = {}
        for rumour in rumours:
            folded = "".join(folded_sentences(self.folder, rumour.canonical_text))
            grams = shingles(folded, thresholds.shingle)
            if not grams:
                continue
            self.rumours[rumour.id] = rumour
            self._shingles[rumour.id] = grams
            self._lsh.insert(rumour.id, self._minhash(grams))

    def __len__(self) -> int:
        return len(self.rumours)

    def _minhash(self, grams: set[str]) -> MinHash:
        # Shared permutations: building them per MinHash would cost more than hashing the shingles.
        minhash = MinHash(
            num_perm=self.thresholds.num_perm,
            seed=1,
            permutations=self._permutations,
            scheme=self._scheme,
            hashfunc=_shingle_hash,
        )
        minhash.update_batch(list(grams))
        return minhash

    def match(self, text: str) -> list[RumourHit]:
        """The registered rumours this text spreads, best first."""
        if not self.rumours:
            return []
        t = self.thresholds
        sentences = folded_sentences(self.folder, text)
        text_pieces = pieces(sentences, t.shingle, t.min_chars)
        joined = "".join(sentences)
        candidates: set[str] = set()
        for piece in text_pieces:
            candidates.update(self._lsh.query(self._minhash(piece)))
        hits = []
        for rumour_id in candidates:
            score = self._similarity.score(self._shingles[rumour_id], text_pieces, joined)
            if score:
                hits.append(RumourHit(self.rumours[rumour_id], round(score, 3)))
        return sorted(hits, key=lambda h: -h.similarity)


class RumourProbe:
    """One rumour against many stored posts (the retro-scan): a cheap, sound pre-filter (the share
    of the rumour's shingles present in the post bounds both scores from above), then the same
    exact check as the live path."""

    def __init__(self, rumour: Rumour, folder: Folder, thresholds: Thresholds = Thresholds()) -> None:
        self.rumour = rumour
        self._folder = folder
        self._similarity = _Similarity(thresholds)
        folded = "".join(folded_sentences(folder, rumour.canonical_text))
        self._shingles = shingles(folded, thresholds.shingle)
        self._needed = min(thresholds.jaccard, thresholds.containment) * len(self._shingles)
        self._size, self._min_chars = thresholds.shingle, thresholds.min_chars

    def scan(self, stored: Iterable[tuple[object, str]]) -> Iterator[tuple[object, float]]:
        """For (key, sentences folded and joined by newlines) pairs, yield (key, score) of matches."""
        grams, needed = self._shingles, self._needed
        for key, folded in stored:
            whole = folded.replace("\n", "")
            if sum(g in whole for g in grams) < needed:
                continue
            score = self._similarity.score(grams, pieces(folded.split("\n"), self._size, self._min_chars), whole)
            if score:
                yield key, round(score, 3)


def stored_form(folder: Folder, text: str) -> str:
    """What the retro-scan keeps of a published post: its folded sentences, one per line."""
    return "\n".join(folded_sentences(folder, text))
