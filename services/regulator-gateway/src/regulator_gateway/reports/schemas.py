"""Reports as the filing API shows them, and what an acknowledgement may carry."""

from __future__ import annotations

from datetime import datetime

from kit.inputs import RequestModel, Text
from pydantic import BaseModel, Field

from regulator_gateway.reports.domain import Amendment, Report


class AmendmentRead(BaseModel):
    version: int = Field(description="the report's version this amendment made (the report as filed is 1)")
    kind: str = Field(description="restore: the stopped content was restored by staff")
    reason: str
    legal_basis: list[str]
    decision_id: str = Field(description="the decision that amended the report")
    decided_by: str
    decided_at: datetime
    recorded_at: datetime | None

    @classmethod
    def of(cls, amendment: Amendment, version: int) -> AmendmentRead:
        return cls(
            version=version,
            kind=amendment.kind,
            reason=amendment.reason,
            legal_basis=amendment.legal_basis,
            decision_id=str(amendment.amending_decision_id),
            decided_by=amendment.decided_by,
            decided_at=amendment.decided_at,
            recorded_at=amendment.recorded_at,
        )


class ReportRead(BaseModel):
    id: str
    decision_id: str
    post_id: str
    account_id: str
    category: str = Field(description="BJ-10 category code")
    legal_basis: list[str] = Field(description="Requirement IDs that justified the stop, e.g. MB-12.2")
    reason: str
    decided_at: datetime
    content_sha256: str = Field(description="SHA-256 of the content snapshot the decision was made on")
    province_code: str | None
    filed_at: datetime
    acknowledged_at: datetime | None
    ack_reference: str | None
    status: str = Field(description='"filed", or "withdrawn" once the stopped content was restored (MB-12.2)')
    version: int = Field(description="1 as filed; one more per amendment (earlier versions kept)")
    amendments: list[AmendmentRead] = Field(description="oldest first; the fields above are the report as filed")

    @classmethod
    def of(cls, report: Report) -> ReportRead:
        return cls(
            id=str(report.id),
            decision_id=str(report.decision_id),
            post_id=str(report.post_id),
            account_id=str(report.account_id),
            category=report.category,
            legal_basis=report.legal_basis,
            reason=report.reason,
            decided_at=report.decided_at,
            content_sha256=report.content_sha256,
            province_code=report.province_code,
            filed_at=report.filed_at,
            acknowledged_at=report.acknowledged_at,
            ack_reference=report.ack_reference,
            status=report.status,
            version=report.version,
            amendments=[AmendmentRead.of(a, n) for n, a in enumerate(report.amendments, start=2)],
        )


class AcknowledgementCreate(RequestModel):
    reference: Text | None = Field(default=None, max_length=200, description="The office's own receipt number")
