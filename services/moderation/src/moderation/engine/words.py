"""Ordinary words, to tell a homophone evasion from a word that only sounds like a term: 病毒 (a virus)
reads bingdu like 冰毒, and is no evasion; 兵毒 is no word. The list is jieba's dictionary (dict.txt:
349,046 words, MIT), read as a file; jieba itself is not imported (it would build its trie)."""

from __future__ import annotations

from importlib.resources import files


def dictionary_words() -> list[str]:
    """Read afresh at each lexicon build (a tenth of a second): 349,046 strings are not worth keeping."""
    text = files("jieba").joinpath("dict.txt").read_text(encoding="utf-8")
    return [line.split(" ", 1)[0] for line in text.splitlines() if line]
