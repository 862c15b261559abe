"""Reporting's HTTP models: what a request may carry, and complaints and cases as the API shows them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from kit.inputs import Bool, RequestModel, Text, VisibleText
from kit.statistics import CategoryStatisticsRead
from pydantic import BaseModel, Field, HttpUrl, field_validator

from reporting.domain import (
    FORMER_REASON_CODES,
    Case,
    Complaint,
    ComplaintReason,
    ComplaintStatus,
    Evidence,
    Step,
    TargetType,
    VictimProof,
    normalise_reason,
)

_FORMER = ", ".join(f"`{old}` (now `{new.value}`)" for old, new in FORMER_REASON_CODES.items())


class EvidenceCreate(RequestModel):
    media_ids: list[uuid.UUID] = Field(default_factory=list, max_length=9, description="Your uploads (up to 9)")
    urls: list[HttpUrl] = Field(default_factory=list, max_length=5, description="Links (up to 5)")


class VictimProofCreate(RequestModel):
    """MB-14: an infringement of rights is complained about by the victim or their agent, with proof."""

    relationship: Literal["self", "agent"]
    statement: VisibleText = Field(min_length=2, max_length=2000)
    media_ids: list[uuid.UUID] = Field(min_length=1, max_length=9, description="Proof uploads (1 to 9)")


class ComplaintCreate(RequestModel):
    target_type: TargetType = TargetType.POST
    target_id: uuid.UUID
    reason: ComplaintReason = Field(
        description="A BJ-10 category in moderation's codes, `spam`, `impersonation`, or an infringement of your "
        "rights (`infringement.insult`, `infringement.defamation`, `infringement.privacy`: these need "
        f"`victim_proof`, MB-14). Former codes are accepted for this release and answered in today's: {_FORMER}."
    )
    detail: Text = Field(default="", max_length=2000)
    evidence: EvidenceCreate | None = None
    victim_proof: VictimProofCreate | None = None

    @field_validator("reason", mode="before")
    @classmethod
    def _today_code(cls, value: object) -> object:
        return normalise_reason(value)

    def evidence_of(self) -> Evidence:
        if self.evidence is None:
            return Evidence()
        return Evidence(tuple(str(m) for m in self.evidence.media_ids), tuple(str(u) for u in self.evidence.urls))

    def proof_of(self) -> VictimProof | None:
        if self.victim_proof is None:
            return None
        p = self.victim_proof
        return VictimProof(p.relationship, p.statement, tuple(str(m) for m in p.media_ids))


class EvidenceRead(BaseModel):
    media_ids: list[str]
    urls: list[str]


class VictimProofRead(BaseModel):
    relationship: str
    statement: str
    media_ids: list[str]


class StepRead(BaseModel):
    step: Literal["received", "grouped", "escalated", "decided"]
    at: datetime
    detail: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def of(cls, step: Step) -> StepRead:
        return cls(step=step.step, at=step.at, detail=step.detail)  # type: ignore[arg-type]


def _evidence(e: Evidence) -> EvidenceRead:
    return EvidenceRead(media_ids=list(e.media_ids), urls=list(e.urls))


def _proof(p: VictimProof | None) -> VictimProofRead | None:
    return (
        VictimProofRead(relationship=p.relationship, statement=p.statement, media_ids=list(p.media_ids)) if p else None
    )


class ComplaintRead(BaseModel):
    id: str
    receipt_number: str | None = Field(description="The acceptance receipt's number (MB-14); null for old ones")
    case_id: str | None
    deadline: datetime | None = Field(description="When the complaint's case must be handled (MB-14, PA-15.2)")
    target_type: str
    target_id: str
    reason: ComplaintReason
    detail: str
    evidence: EvidenceRead
    victim_proof: VictimProofRead | None = None
    status: ComplaintStatus
    action: str | None = Field(default=None, description="Once decided: what was done (stop, label, sanction, none)")
    outcome_reason: str | None = Field(default=None, description="Once decided: the short reason")
    decided_at: datetime | None = None
    legal_basis: list[str]
    filed_at: datetime
    history: list[StepRead] | None = Field(default=None, description="Received, grouped, escalated, decided")

    @classmethod
    def of(cls, complaint: Complaint, case: Case | None = None, *, history: list[Step] | None = None) -> ComplaintRead:
        return cls(
            id=str(complaint.id),
            receipt_number=complaint.receipt_number,
            case_id=str(complaint.case_id) if complaint.case_id else None,
            deadline=case.deadline if case is not None else None,
            target_type=complaint.target_type,
            target_id=str(complaint.target_id),
            reason=complaint.reason,
            detail=complaint.detail,
            evidence=_evidence(complaint.evidence),
            victim_proof=_proof(complaint.victim_proof),
            status=complaint.status,
            action=complaint.action,
            outcome_reason=complaint.outcome_note,
            decided_at=complaint.decided_at,
            legal_basis=complaint.legal_basis,
            filed_at=complaint.filed_at,
            history=[StepRead.of(s) for s in history] if history is not None else None,
        )


class OutcomeCreate(RequestModel):
    upheld: Bool
    account_id: uuid.UUID | None = Field(
        default=None,
        description="optional: the author of the target complained about, whom an upheld complaint is against "
        "whatever is given; another account is refused (422 `not-the-author`, MB-14)",
    )
    note: VisibleText = Field(min_length=3, max_length=2000)


# --- staff -----------------------------------------------------------------------------------------------


class CaseRead(BaseModel):
    id: str
    target_type: str
    target_id: str
    author_id: str | None
    state: Literal["open", "closed"]
    category: str
    categories: list[str]
    complaint_count: int
    weight: float = Field(description="The complaints' weight after malicious-report screening")
    coordinated: bool = Field(description="A burst of new or low-credit reporters: shown, never acted on alone")
    priority: int
    victim_proof: bool
    opened_at: datetime
    deadline: datetime
    overdue: bool
    escalated_at: datetime | None
    breached_at: datetime | None
    version: int
    upheld: bool | None = None
    action: str | None = None
    note: str | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    legal_basis: list[str]

    @classmethod
    def of(cls, case: Case, now: datetime) -> CaseRead:
        return cls(
            id=str(case.id),
            target_type=case.target_type,
            target_id=str(case.target_id),
            author_id=str(case.author_id) if case.author_id else None,
            state=case.state.value,
            category=case.category,
            categories=list(case.categories),
            complaint_count=case.complaint_count,
            weight=case.weight,
            coordinated=case.coordinated,
            priority=case.priority,
            victim_proof=case.victim_proof,
            opened_at=case.opened_at,
            deadline=case.deadline,
            overdue=case.overdue(now),
            escalated_at=case.escalated_at,
            breached_at=case.breached_at,
            version=case.version,
            upheld=case.upheld,
            action=case.action,
            note=case.note,
            decided_by=case.decided_by,
            decided_at=case.decided_at,
            legal_basis=case.legal_basis,
        )


class CaseComplaintRead(BaseModel):
    """A complaint as staff see it: the reporter by account id only (never personal data)."""

    id: str
    complainant_id: str
    reason: str
    detail: str
    weight: float
    evidence: EvidenceRead
    victim_proof: VictimProofRead | None
    status: ComplaintStatus
    filed_at: datetime

    @classmethod
    def of(cls, c: Complaint) -> CaseComplaintRead:
        return cls(
            id=str(c.id),
            complainant_id=str(c.complainant_id),
            reason=c.reason.value,
            detail=c.detail,
            weight=c.weight,
            evidence=_evidence(c.evidence),
            victim_proof=_proof(c.victim_proof),
            status=c.status,
            filed_at=c.filed_at,
        )


class CaseDetailRead(CaseRead):
    complaints: list[CaseComplaintRead] = Field(description="The case's complaints, oldest first (up to 500)")


class StatisticsRead(BaseModel):
    since: datetime = Field(alias="from")
    until: datetime = Field(alias="to")
    categories: list[CategoryStatisticsRead]

    model_config = {"populate_by_name": True}
