"""HTTP bodies of decisions (the statement of reasons, MB-12.2) and the verdict preview, and the
views of stored decisions and verdicts as those bodies."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from kit.inputs import RequestModel, VisibleText
from pydantic import BaseModel, Field

from moderation.decisions.domain import match_views
from moderation.engine.decide import Verdict


class MatchRead(BaseModel):
    term: str
    category: str
    start: int
    end: int
    entry_id: str = ""
    channel: str = "text"


class RumourHitRead(BaseModel):
    rumour_id: str
    similarity: float


class RefutationRead(BaseModel):
    rumour_id: str
    text: str
    url: str
    authority: str
    similarity: float


class DecisionRead(BaseModel):
    id: str
    post_id: str
    stage: str
    outcome: str
    suggestion: str
    risk: str
    rule: str
    category: str
    legal_basis: list[str]
    reason: str
    matches: list[MatchRead]
    rumour_hits: list[RumourHitRead]
    refutation: RefutationRead | None
    supersedes: str | None
    decided_by: str
    content_sha256: str
    engine_version: str
    lexicon_version: str
    rumour_version: str
    rules_version: str
    decided_at: str
    final: bool = Field(default=False, description="the chief editor's decision on an escalated item (MB-6.1, PA-5.1)")


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def decision_read(row: Mapping[str, Any]) -> DecisionRead:
    return DecisionRead(
        id=str(row["id"]),
        post_id=str(row["post_id"]),
        stage=row["stage"],
        outcome=row["outcome"],
        suggestion=row["suggestion"],
        risk=row["risk"],
        rule=row["rule"],
        category=row["category"],
        legal_basis=list(row["legal_basis"]),
        reason=row["reason"],
        matches=_json(row["matches"]),
        rumour_hits=_json(row["rumour_hits"]),
        refutation=_json(row["refutation"]) if row["refutation"] else None,
        supersedes=str(row["supersedes"]) if row["supersedes"] else None,
        decided_by=row["decided_by"],
        content_sha256=row["content_sha256"],
        engine_version=row["engine_version"],
        lexicon_version=row["lexicon_version"],
        rumour_version=row["rumour_version"],
        rules_version=row["rules_version"],
        decided_at=row["decided_at"].isoformat(),
        final=row["final"],
    )


class ScanRequest(RequestModel):
    text: VisibleText = Field(min_length=1, max_length=10_000)


class ScanRead(BaseModel):
    """A verdict without storing anything: the vocabulary of content-security APIs."""

    suggestion: str
    risk: str
    outcome: str
    rule: str
    category: str
    legal_basis: list[str]
    reason: str
    matches: list[MatchRead]
    rumour_hits: list[RumourHitRead]
    engine_version: str
    lexicon_version: str
    rumour_version: str
    rules_version: str


def scan_read(verdict: Verdict) -> ScanRead:
    return ScanRead(
        suggestion=verdict.suggestion.value,
        risk=verdict.risk.value,
        outcome=verdict.outcome.value,
        rule=verdict.rule,
        category=verdict.category,
        legal_basis=verdict.legal_basis,
        reason=verdict.reason,
        matches=match_views(verdict.hits),
        rumour_hits=[RumourHitRead(rumour_id=r.rumour.id, similarity=r.similarity) for r in verdict.rumour_hits],
        engine_version=verdict.engine_version,
        lexicon_version=verdict.lexicon_version,
        rumour_version=verdict.rumour_version,
        rules_version=verdict.rules_version,
    )
