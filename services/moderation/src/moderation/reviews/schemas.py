"""HTTP bodies of the review queue (MB-6.1), and the view of a queued item."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Literal

from contracts.categories import Bj10Category
from kit.inputs import RequestModel, VisibleText
from pydantic import BaseModel, Field, model_validator

from moderation.decisions.schemas import MatchRead, RumourHitRead


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
    rumour_hits: list[RumourHitRead]


def review_item_read(row: Mapping[str, Any]) -> ReviewItemRead:
    return ReviewItemRead(
        decision_id=str(row["decision_id"]),
        post_id=str(row["post_id"]),
        author_id=str(row["author_id"]),
        text=row["text"],
        created_at=row["created_at"].isoformat(),
        held_at=row["held_at"].isoformat(),
        rule=row["rule"],
        reason=row["reason"],
        risk=row["risk"],
        suggestion=row["suggestion"],
        category=row["category"],
        matches=json.loads(row["matches"]),
        rumour_hits=json.loads(row["rumour_hits"]),
    )


class ReviewCreate(RequestModel):
    outcome: Literal["approve", "label", "stop_transmission"]
    reason: VisibleText = Field(min_length=3, max_length=2000)
    category: Bj10Category | None = None
    legal_basis: list[str] = Field(default_factory=list, max_length=10)
    rumour_id: str | None = Field(default=None, description="the refuted rumour a label attaches")

    @model_validator(mode="after")
    def _grounds(self) -> ReviewCreate:
        if self.outcome == "stop_transmission":
            if self.category is None:
                raise ValueError("a stop of transmission names its BJ-10 category")
        if self.outcome == "label" and not self.rumour_id:
            raise ValueError("a label names the rumour whose refutation it attaches")
        return self
