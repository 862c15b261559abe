"""The decision rule, free of I/O: what a scan means for a post."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum

from moderation.lexicon import ENGINE_VERSION, Action, Hit, Lexicon


class Outcome(StrEnum):
    APPROVE = "approve"
    STOP_TRANSMISSION = "stop_transmission"


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    category: str
    legal_basis: list[str]
    reason: str
    hits: list[Hit] = field(default_factory=list)
    content_sha256: str = ""
    engine_version: str = ENGINE_VERSION
    lexicon_version: str = ""

    @property
    def suggestion(self) -> str:
        return "block" if self.outcome is Outcome.STOP_TRANSMISSION else "pass"


def decide(text: str, lexicon: Lexicon) -> Verdict:
    """MB-6.1 publication review: a prohibited term (MB-12 / BJ-10) stops transmission (MB-12.2)."""
    digest = hashlib.sha256(text.encode()).hexdigest()
    stops = [h for h in lexicon.scan(text) if h.entry.action is Action.STOP]
    if not stops:
        return Verdict(
            Outcome.APPROVE,
            "",
            ["MB-6.1"],
            "No prohibited content found.",
            content_sha256=digest,
            lexicon_version=lexicon.version,
        )
    first = stops[0]
    basis = list(dict.fromkeys([*first.entry.legal_basis, "MB-12.2"]))
    terms = ", ".join(dict.fromkeys(h.entry.term for h in stops))
    return Verdict(
        Outcome.STOP_TRANSMISSION,
        first.entry.category,
        basis,
        f"Prohibited content ({first.entry.category}): matched lexicon term(s) {terms}.",
        hits=stops,
        content_sha256=digest,
        lexicon_version=lexicon.version,
    )
