"""Request and response bodies of moderation's HTTP API."""

from __future__ import annotations

import json
import re
from typing import Annotated, Literal

from kit.inputs import Bool, Float, Int, RequestModel, Text, VisibleText
from pydantic import BaseModel, Field, HttpUrl, field_validator, model_validator

from moderation.engine.categories import BJ10_CATEGORIES

REQUIREMENT_ID = r"^[A-Z]{2,3}(-[0-9A-Za-z().]+)*$"


def _category(value: str) -> str:
    if value not in BJ10_CATEGORIES:
        raise ValueError(f"not a BJ-10 category code; one of: {', '.join(BJ10_CATEGORIES)}")
    return value


class MatchRead(BaseModel):
    term: str
    category: str
    start: int
    end: int
    entry_id: str = ""
    channel: str = "text"


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
    rumour_hits: list[dict]
    refutation: RefutationRead | None
    supersedes: str | None
    decided_by: str
    content_sha256: str
    engine_version: str
    lexicon_version: str
    rumour_version: str
    rules_version: str
    decided_at: str


def decision_view(row) -> dict:
    return {
        "id": str(row["id"]),
        "post_id": str(row["post_id"]),
        "stage": row["stage"],
        "outcome": row["outcome"],
        "suggestion": row["suggestion"],
        "risk": row["risk"],
        "rule": row["rule"],
        "category": row["category"],
        "legal_basis": list(row["legal_basis"]),
        "reason": row["reason"],
        "matches": json.loads(row["matches"]),
        "rumour_hits": json.loads(row["rumour_hits"]),
        "refutation": json.loads(row["refutation"]) if row["refutation"] else None,
        "supersedes": str(row["supersedes"]) if row["supersedes"] else None,
        "decided_by": row["decided_by"],
        "content_sha256": row["content_sha256"],
        "engine_version": row["engine_version"],
        "lexicon_version": row["lexicon_version"],
        "rumour_version": row["rumour_version"],
        "rules_version": row["rules_version"],
        "decided_at": row["decided_at"].isoformat(),
    }


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
    rumour_hits: list[dict]
    engine_version: str
    lexicon_version: str
    rumour_version: str
    rules_version: str


class LexiconRead(BaseModel):
    version: str
    release: int
    engine_version: str
    entries: int
    routing: dict
    released_by: str
    released_at: str


class EntryCreate(RequestModel):
    term: VisibleText = Field(min_length=1, max_length=64)
    category: str
    action: Literal["stop", "review", "label"]
    legal_basis: list[str] = Field(min_length=1, max_length=10)

    @field_validator("category")
    @classmethod
    def _known_category(cls, value: str) -> str:
        return _category(value)

    @field_validator("legal_basis")
    @classmethod
    def _ids(cls, value: list[str]) -> list[str]:
        bad = [v for v in value if not re.match(REQUIREMENT_ID, v)]
        if bad:
            raise ValueError(f"not requirement IDs (such as MB-12.2): {bad}")
        return value


class RoutingChange(RequestModel):
    review_below_credit: Int | None = Field(default=None, ge=0, le=1000)
    new_account_hours: Float | None = Field(default=None, ge=0, le=24 * 365)
    high_reach_followers: Int | None = Field(default=None, ge=1)


class PolicyChangeCreate(RequestModel):
    kind: Literal["lexicon", "routing"]
    reason: VisibleText = Field(min_length=3, max_length=2000)
    add: list[EntryCreate] = Field(default_factory=list, max_length=200_000)  # bulk imports too
    remove: list[Annotated[Int, Field(ge=1)]] = Field(default_factory=list, max_length=200_000)
    routing: RoutingChange | None = None

    @model_validator(mode="after")
    def _says_something(self) -> PolicyChangeCreate:
        if self.kind == "lexicon" and not (self.add or self.remove):
            raise ValueError("a lexicon change adds or removes at least one entry")
        if self.kind == "routing" and not (self.routing and self.routing.model_dump(exclude_none=True)):
            raise ValueError("a routing change sets at least one rule")
        return self


class PolicyChangeRead(BaseModel):
    id: str
    kind: str
    changes: dict
    reason: str
    proposed_by: str
    proposed_at: str
    status: str
    decided_by: str | None
    decided_at: str | None
    decision_note: str | None
    release: int | None


def change_view(row) -> dict:
    return {
        "id": str(row["id"]),
        "kind": row["kind"],
        "changes": json.loads(row["changes"]),
        "reason": row["reason"],
        "proposed_by": row["proposed_by"],
        "proposed_at": row["proposed_at"].isoformat(),
        "status": row["status"],
        "decided_by": row["decided_by"],
        "decided_at": row["decided_at"].isoformat() if row["decided_at"] else None,
        "decision_note": row["decision_note"],
        "release": row["release"],
    }


class ChangeDecision(RequestModel):
    approve: Bool
    note: VisibleText = Field(min_length=1, max_length=2000)


class RumourCreate(RequestModel):
    canonical_text: VisibleText = Field(min_length=8, max_length=2000)
    refutation_text: VisibleText = Field(min_length=4, max_length=2000)
    refutation_url: HttpUrl
    authority: VisibleText = Field(min_length=2, max_length=200)
    action: Literal["label", "stop"] = "label"
    legal_basis: list[str] = Field(default_factory=lambda: ["MB-11", "BJ-7(5)"], min_length=1, max_length=10)
    reason: VisibleText = Field(min_length=3, max_length=2000)


class RumourRead(BaseModel):
    id: str
    canonical_text: str
    refutation_text: str
    refutation_url: str
    authority: str
    action: str
    legal_basis: list[str]
    reason: str
    registered_by: str
    registered_at: str
    scan_status: str
    scanned_posts: int
    matched_posts: int
    scan_finished_at: str | None
    source_post_id: str | None
    source_created_at: str | None


def rumour_view(row) -> dict:
    return {
        "id": str(row["id"]),
        "canonical_text": row["canonical_text"],
        "refutation_text": row["refutation_text"],
        "refutation_url": row["refutation_url"],
        "authority": row["authority"],
        "action": row["action"],
        "legal_basis": list(row["legal_basis"]),
        "reason": row["reason"],
        "registered_by": row["registered_by"],
        "registered_at": row["registered_at"].isoformat(),
        "scan_status": row["scan_status"],
        "scanned_posts": row["scanned_posts"],
        "matched_posts": row["matched_posts"],
        "scan_finished_at": row["scan_finished_at"].isoformat() if row["scan_finished_at"] else None,
        "source_post_id": str(row["source_post_id"]) if row["source_post_id"] else None,
        "source_created_at": row["source_created_at"].isoformat() if row["source_created_at"] else None,
    }


class EmergencyCreate(RequestModel):
    scope: Literal["platform", "topic", "region"]
    value: Text = Field(default="", max_length=64, description="the topic, or a GB/T 2260 province code")
    reason: VisibleText = Field(min_length=3, max_length=2000)

    @model_validator(mode="after")
    def _value_fits_scope(self) -> EmergencyCreate:
        if self.scope == "platform" and self.value:
            raise ValueError("a platform-wide emergency takes no value")
        if self.scope == "topic" and len(self.value.strip()) < 2:
            raise ValueError("a topic emergency names the topic (two characters or more)")
        if self.scope == "region" and not re.fullmatch(r"[1-8][0-9]0000", self.value):
            raise ValueError("a region emergency names a province code such as 110000")
        return self


class EmergencyRead(BaseModel):
    id: str
    scope: str
    value: str
    reason: str
    started_by: str
    started_at: str
    ended_by: str | None
    ended_at: str | None


def emergency_view(row) -> dict:
    return {
        "id": str(row["id"]),
        "scope": row["scope"],
        "value": row["value"],
        "reason": row["reason"],
        "started_by": row["started_by"],
        "started_at": row["started_at"].isoformat(),
        "ended_by": row["ended_by"],
        "ended_at": row["ended_at"].isoformat() if row["ended_at"] else None,
    }


class ReviewItemRead(BaseModel):
    decision_id: str
    post_id: str
    author_id: str
    text: str
    created_at: str
    held_at: str
    rule: str
    reason: str
    risk: str
    suggestion: str
    category: str
    matches: list[MatchRead]
    rumour_hits: list[dict]


class ReviewCreate(RequestModel):
    outcome: Literal["approve", "label", "stop_transmission"]
    reason: VisibleText = Field(min_length=3, max_length=2000)
    category: str | None = None
    legal_basis: list[str] = Field(default_factory=list, max_length=10)
    rumour_id: str | None = Field(default=None, description="the refuted rumour a label attaches")

    @model_validator(mode="after")
    def _grounds(self) -> ReviewCreate:
        if self.outcome == "stop_transmission":
            if self.category is None:
                raise ValueError("a stop of transmission names its BJ-10 category")
            _category(self.category)
        if self.outcome == "label" and not self.rumour_id:
            raise ValueError("a label names the rumour whose refutation it attaches")
        return self
