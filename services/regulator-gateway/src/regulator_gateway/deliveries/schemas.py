"""Pushes as the filing API and the staff API show them, and an office's endpoint."""

from __future__ import annotations

from datetime import date, datetime

from kit.inputs import RequestModel
from pydantic import BaseModel, Field
from regulator_gateway.deliveries.domain import Delivery


class EndpointWrite(RequestModel):
    url: str = Field(min_length=8, max_length=2000, description="an absolute https URL the reports are POSTed to")


class DeliveryRead(BaseModel):
    id: str
    office_id: str
    item_kind: str = Field(description="report (a version of one) or anchor (a day's signed anchor, MB-16.2)")
    report_id: str | None
    anchor_day: date | None
    version: int = Field(description="the report's version pushed (an amendment is pushed again)")
    state: str = Field(description="pending, overdue (escalated: unacknowledged past the deadline) or delivered")
    created_at: datetime
    attempts: int
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    last_status: int | None = Field(description="the office's last HTTP status; null when it did not answer")
    last_error: str | None
    delivered_at: datetime | None
    reference: str | None = Field(description="the office's reference: its acknowledgement")
    escalated_at: datetime | None

    @classmethod
    def of(cls, d: Delivery) -> DeliveryRead:
        return cls(
            id=str(d.id),
            office_id=str(d.office_id),
            item_kind=str(d.item_kind),
            report_id=str(d.report_id) if d.report_id else None,
            anchor_day=d.anchor_day,
            version=d.version,
            state=str(d.state),
            created_at=d.created_at,
            attempts=d.attempts,
            next_attempt_at=d.next_attempt_at if d.delivered_at is None else None,
            last_attempt_at=d.last_attempt_at,
            last_status=d.last_status,
            last_error=d.last_error,
            delivered_at=d.delivered_at,
            reference=d.reference,
            escalated_at=d.escalated_at,
        )
