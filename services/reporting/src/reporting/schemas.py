"""Reporting's HTTP models: what a request may carry, and a complaint as the API shows it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from kit.inputs import Bool, RequestModel, Text, VisibleText
from pydantic import BaseModel, Field, field_validator

from reporting.domain import FORMER_REASON_CODES, Complaint, ComplaintReason, ComplaintStatus, normalise_reason

_FORMER = ", ".join(f"`{old}` (now `{new.value}`)" for old, new in FORMER_REASON_CODES.items())


class ComplaintCreate(RequestModel):
    target_type: Literal["post"] = "post"
    target_id: uuid.UUID
    reason: ComplaintReason = Field(
        description="A BJ-10 category in moderation's codes, or `spam` / `impersonation`. "
        f"Former codes are accepted for this release and answered in today's: {_FORMER}."
    )
    detail: Text = Field(default="", max_length=2000)

    @field_validator("reason", mode="before")
    @classmethod
    def _today_code(cls, value: object) -> object:
        return normalise_reason(value)


class ComplaintRead(BaseModel):
    id: str
    target_type: str
    target_id: str
    reason: ComplaintReason
    detail: str
    status: ComplaintStatus
    legal_basis: list[str]
    filed_at: datetime

    @classmethod
    def of(cls, complaint: Complaint) -> ComplaintRead:
        return cls(
            id=str(complaint.id),
            target_type=complaint.target_type,
            target_id=str(complaint.target_id),
            reason=complaint.reason,
            detail=complaint.detail,
            status=complaint.status,
            legal_basis=complaint.legal_basis,
            filed_at=complaint.filed_at,
        )


class OutcomeCreate(RequestModel):
    upheld: Bool
    account_id: uuid.UUID | None = Field(
        default=None,
        description="optional: the author of the post complained about, whom an upheld complaint is against "
        "whatever is given; another account is refused (422 `not-the-author`, MB-14)",
    )
    note: VisibleText = Field(min_length=3, max_length=2000)
