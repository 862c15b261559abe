"""HTTP bodies and views of the trending list (MB-13, CM)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from kit.inputs import RequestModel, Text, VisibleText
from pydantic import BaseModel, Field


class TrendingEntryRead(BaseModel):
    rank: int
    term: str = Field(description="The term as most often written; its posts: GET /v1/trending/{term}/posts")
    score: float


class TrendingRead(BaseModel):
    computed_at: datetime | None = Field(description="When the list was computed (null: never yet)")
    items: list[TrendingEntryRead]


class TrendingStaffEntryRead(BaseModel):
    rank: int
    term: str = Field(description="The folded term (what removals name)")
    display: str
    score: float
    authors: int
    backing_post_ids: list[str]
    flags: list[str] = Field(description="burst_discounted, accounts_discounted (CM)")
    removed: bool = Field(description="Under an active staff removal: not shown")


class TrendingStaffRead(BaseModel):
    computed_at: datetime | None
    items: list[TrendingStaffEntryRead]


class TrendingRemovalCreate(RequestModel):
    term: VisibleText = Field(max_length=60, description="The term (folded as the list folds it)")
    reason: VisibleText = Field(max_length=2000, description="Why it is removed: recorded (CM, MB-12.2)")
    legal_basis: list[Text] = Field(min_length=1, max_length=20, description="Requirement IDs, e.g. CM, MB-12.2")
    until: datetime | None = Field(default=None, description="When the removal ends; null: until lifted")


class TrendingRemovalLift(RequestModel):
    reason: VisibleText = Field(max_length=2000)


class TrendingRemovalRead(BaseModel):
    id: str
    term: str
    reason: str
    legal_basis: list[str]
    removed_by: str
    removed_at: datetime
    until: datetime | None
    lifted_at: datetime | None = None
    lifted_by: str | None = None
    lift_reason: str | None = None


def removal_read(row: Mapping[str, Any]) -> TrendingRemovalRead:
    return TrendingRemovalRead(
        id=str(row["id"]),
        term=row["term"],
        reason=row["reason"],
        legal_basis=list(row["legal_basis"]),
        removed_by=row["removed_by"],
        removed_at=row["removed_at"],
        until=row["until"],
        lifted_at=row["lifted_at"],
        lifted_by=row["lifted_by"],
        lift_reason=row["lift_reason"],
    )


def staff_entry_read(row: Mapping[str, Any]) -> TrendingStaffEntryRead:
    return TrendingStaffEntryRead(
        rank=row["rank"],
        term=row["term"],
        display=row["display"],
        score=row["score"],
        authors=row["authors"],
        backing_post_ids=[str(uuid.UUID(str(p))) for p in row["backing_post_ids"]],
        flags=list(row["flags"]),
        removed=row["removed"],
    )
