"""HTTP models of staff administration (MB-6.1, PA-5.1); the row -> response views."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from contracts.staff import StaffRole
from kit.inputs import RequestModel, VisibleText
from pydantic import BaseModel, Field


class StaffMemberRead(BaseModel):
    id: uuid.UUID
    username: str
    roles: list[StaffRole]
    disabled: bool
    disabled_at: str | None
    created_at: str

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> StaffMemberRead:
        return cls(
            id=row["id"],
            username=row["username"],
            roles=list(row["roles"]),
            disabled=row["disabled_at"] is not None,
            disabled_at=row["disabled_at"].isoformat() if row["disabled_at"] else None,
            created_at=row["created_at"].isoformat(),
        )


class StaffStatusChange(RequestModel):
    reason: VisibleText = Field(min_length=3, max_length=2000)


class StaffRolesUpdate(RequestModel):
    roles: list[StaffRole] = Field(min_length=1, max_length=5)
    reason: VisibleText | None = Field(default=None, min_length=3, max_length=2000)
