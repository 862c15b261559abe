"""HTTP models of bulk registration cohorts for staff (CM, BJ-9.2): never the network they came from."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from kit.inputs import RequestModel, VisibleText
from pydantic import BaseModel, Field

from identity.abuse.domain import CohortStatus


class ClearanceCreate(RequestModel):
    reason: VisibleText = Field(min_length=3, max_length=2000, description="why the cohort is not bulk registration")


class CohortRead(BaseModel):
    id: uuid.UUID
    status: CohortStatus
    size: int = Field(description="Its members (accounts registered from one network within the window)")
    opened_at: str
    last_joined_at: str
    cleared_at: str | None = None
    cleared_by: str | None = None
    clearance_reason: str | None = None

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> CohortRead:
        cleared = row["cleared_at"]
        return cls(
            id=row["id"],
            status=CohortStatus.CLEARED if cleared else CohortStatus.FLAGGED,
            size=row["size"],
            opened_at=row["opened_at"].isoformat(),
            last_joined_at=row["last_joined_at"].isoformat(),
            cleared_at=cleared.isoformat() if cleared else None,
            cleared_by=row["cleared_by"],
            clearance_reason=row["clearance_reason"],
        )
