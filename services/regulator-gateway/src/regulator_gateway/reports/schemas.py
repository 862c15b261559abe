"""Reports as the filing API shows them, and what an acknowledgement may carry."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from contracts.categories import Bj10Category
from kit.inputs import RequestModel, Text
from pydantic import AfterValidator, BaseModel, Field

from regulator_gateway.reports.domain import BATCH_MAX, REQUIREMENT_ID, Acknowledgement, Amendment, Report


class AmendmentRead(BaseModel):
    version: int = Field(description="the report's version this amendment made (the report as filed is 1)")
    kind: str = Field(description="restore: the stopped content was restored by staff; lift: the sanction lifted")
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
    kind: str = Field(description="stop (MB-12.2), sanction (PA-13.1, PA-13.2) or referral (BJ-7(8))")
    decision_id: str = Field(description="the stop's decision, the sanction's or the referral's id: one report each")
    post_id: str | None = Field(description="a stop's post; null for a sanction or an account's referral")
    account_id: str
    category: str = Field(description="BJ-10 category code (a stop's, a referral's); empty for a sanction")
    legal_basis: list[str] = Field(description="Requirement IDs that justified it, e.g. MB-12.2, PA-13.1")
    reason: str
    decided_at: datetime
    content_sha256: str | None = Field(description="a stop's: SHA-256 of the content snapshot decided on")
    stage: str | None = Field(
        description="a stop's stage: publication, review, retro_scan or takedown (null: another kind, or a stop "
        "filed before it was kept)"
    )
    details: dict[str, Any] = Field(
        description="a sanction's terms (sanction, features, starts_at, ends_at, imposed_by); a referral's offence "
        "and statement; empty for a stop"
    )
    province_code: str | None
    filed_at: datetime
    acknowledged_at: datetime | None
    ack_reference: str | None
    status: str = Field(
        description='"filed"; "withdrawn" once the stopped content was restored (MB-12.2); "lifted" once the '
        "sanction was lifted (PA-13.1)"
    )
    version: int = Field(description="1 as filed; one more per amendment (earlier versions kept)")
    amendments: list[AmendmentRead] = Field(description="oldest first; the fields above are the report as filed")

    @classmethod
    def of(cls, report: Report) -> ReportRead:
        return cls(
            id=str(report.id),
            kind=str(report.kind),
            decision_id=str(report.decision_id),
            post_id=str(report.post_id) if report.post_id else None,
            account_id=str(report.account_id),
            category=report.category,
            legal_basis=report.legal_basis,
            reason=report.reason,
            decided_at=report.decided_at,
            content_sha256=report.content_sha256,
            stage=report.stage,
            details=dict(report.details),
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


class BatchItem(RequestModel):
    report_id: uuid.UUID
    reference: Text | None = Field(default=None, max_length=200, description="The office's own receipt number")


class BatchAcknowledgementCreate(RequestModel):
    items: list[BatchItem] = Field(min_length=1, max_length=BATCH_MAX, description="Each report once")


class BatchItemResult(BaseModel):
    report_id: str
    result: Acknowledgement = Field(
        description="acknowledged (now), already_acknowledged, not_found, outside_jurisdiction (MB-16.1)"
    )
    acknowledged_at: datetime | None = Field(description="When it was acknowledged before (already_acknowledged)")

    @classmethod
    def of(cls, report_id: uuid.UUID, result: Acknowledgement, report: Report | None) -> BatchItemResult:
        earlier = report.acknowledged_at if report and result is Acknowledgement.ALREADY_ACKNOWLEDGED else None
        return cls(report_id=str(report_id), result=result, acknowledged_at=earlier)


class BatchAcknowledgementRead(BaseModel):
    results: list[BatchItemResult] = Field(description="One per item, in the items' order")
    counts: dict[str, int] = Field(description="How many items came to each result")


def _requirement_ids(value: list[str]) -> list[str]:
    bad = [v for v in value if not REQUIREMENT_ID.match(v)]
    if bad:
        raise ValueError(f"not requirement IDs (REQUIREMENTS.md, e.g. BJ-7(8)): {', '.join(bad)}")
    return value


class ReferralCreate(RequestModel):
    """A suspected crime referred to public security (BJ-7(8)), by the chief editor."""

    account_id: uuid.UUID
    post_id: uuid.UUID | None = Field(default=None, description="the post it concerns, if one (its stop's evidence)")
    category: Bj10Category = Field(description="the BJ-10 category the suspected offence falls under")
    offence: Text = Field(min_length=1, max_length=200, description="the suspected offence, briefly")
    statement: Text = Field(min_length=1, max_length=4000, description="what the platform found, for the office")
    legal_basis: Annotated[list[Text], AfterValidator(_requirement_ids)] = Field(
        default_factory=list, max_length=10, description="further requirement IDs; BJ-7(8) is always added"
    )
