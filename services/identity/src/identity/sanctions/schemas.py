"""HTTP models of manual sanctions and appeals; the row -> response views."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Annotated, Any

from kit.inputs import Bool, Int, RequestModel, Text, VisibleText
from pydantic import BaseModel, Field

from identity.sanctions.domain import MAX_DAYS, AppealState, ManualKind, TargetKind, appealable_until, imposer
from identity.standing.domain import Limit, SanctionKind

# A requirement ID of REQUIREMENTS.md: MB-12.2, PA-13.1, BJ-7(8), CM.
RequirementId = Annotated[
    str, Field(pattern=r"^(MB|PA|BJ|CM)(-\d{1,2}(\.\d{1,2})?(\(\d{1,2}\))?)?$", max_length=20, examples=["PA-13.1"])
]


class SanctionCreate(RequestModel):
    kind: ManualKind
    reason: VisibleText = Field(min_length=3, max_length=2000)
    legal_basis: list[RequirementId] = Field(min_length=1, max_length=10, description="Requirement IDs, e.g. PA-13.1")
    duration_days: Int | None = Field(
        default=None, ge=1, le=MAX_DAYS, description="Required for feature_restriction and suspension; none else"
    )
    features: list[Limit] = Field(
        default_factory=list, max_length=5, description="feature_restriction only: the limits it imposes"
    )


class SanctionLift(RequestModel):
    reason: VisibleText = Field(min_length=3, max_length=2000)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


class AccountSanctionRead(BaseModel):
    """A sanction as its account sees it (PA-13.1): kind, reason, legal basis, from, until, the appeal."""

    id: uuid.UUID
    kind: SanctionKind
    features: list[Limit]
    reason: str
    legal_basis: list[str]
    starts_at: str
    ends_at: str | None = Field(description="null: until lifted (a warning has no end)")
    lifted_at: str | None
    lift_reason: str | None
    appealable_until: str = Field(description="PA-6.2: an appeal is filed until then")
    appeal_id: uuid.UUID | None
    appeal_state: AppealState | None

    @classmethod
    def of(cls, row: Mapping[str, Any], window: timedelta) -> AccountSanctionRead:
        return cls(
            id=row["id"],
            kind=row["kind"],
            features=list(row["features"]),
            reason=row["reason"],
            legal_basis=list(row["legal_basis"]),
            starts_at=row["starts_at"].isoformat(),
            ends_at=_iso(row["ends_at"]),
            lifted_at=_iso(row["lifted_at"]),
            lift_reason=row["lift_reason"],
            appealable_until=appealable_until(row["starts_at"], window).isoformat(),
            appeal_id=row["appeal_id"],
            appeal_state=row["appeal_state"],
        )


class StaffSanctionRead(AccountSanctionRead):
    account_id: uuid.UUID
    imposed_by: str = Field(description="`staff:<id>`, or `system:...` for an automatic sanction")
    lifted_by: str | None

    @classmethod
    def of(cls, row: Mapping[str, Any], window: timedelta) -> StaffSanctionRead:
        return cls(
            **AccountSanctionRead.of(row, window).model_dump(),
            account_id=row["account_id"],
            imposed_by=row["created_by"],
            lifted_by=row["lifted_by"],
        )


class AppealCreate(RequestModel):
    target_kind: TargetKind
    target_id: Text = Field(min_length=1, max_length=64, description="A sanction's id or a credit entry's id")
    statement: VisibleText = Field(min_length=3, max_length=5000)


class ClosureAppealCreate(RequestModel):
    """A closed account's appeal of its closure (PA-6.2, PA-13.1): it cannot sign in, so it names itself."""

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)
    statement: VisibleText = Field(min_length=3, max_length=5000)


class AppealDecision(RequestModel):
    upheld: Bool
    reason: VisibleText = Field(min_length=3, max_length=2000)


class AppealRead(BaseModel):
    id: uuid.UUID
    target_kind: TargetKind
    target_id: str
    statement: str
    state: AppealState
    filed_at: str
    decided_at: str | None
    decision_reason: str | None

    @classmethod
    def fields(cls, row: Mapping[str, Any]) -> dict[str, Any]:
        sanction = row["sanction_id"] is not None
        return {
            "id": row["id"],
            "target_kind": TargetKind.SANCTION if sanction else TargetKind.CREDIT_ENTRY,
            "target_id": str(row["sanction_id"] if sanction else row["credit_entry_id"]),
            "statement": row["statement"],
            "state": row["state"],
            "filed_at": row["filed_at"].isoformat(),
            "decided_at": _iso(row["decided_at"]),
            "decision_reason": row["decision_reason"],
        }

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> AppealRead:
        return cls(**cls.fields(row))


class StaffAppealRead(AppealRead):
    account_id: uuid.UUID
    imposed_by: str | None = Field(description="The staff member who imposed what it contests; null: automatic")
    imposed_at: str
    decided_by: str | None

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> StaffAppealRead:
        return cls(
            **cls.fields(row),
            account_id=row["account_id"],
            imposed_by=imposer(row["imposed_by"]),
            imposed_at=row["imposed_at"].isoformat(),
            decided_by=row["decided_by"],
        )
