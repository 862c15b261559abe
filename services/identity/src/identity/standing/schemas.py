"""HTTP models of credit, sanctions, grades and filings; the row -> response views."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from kit.inputs import RequestModel, VisibleText
from pydantic import BaseModel, Field

from identity.standing.domain import GradePrivileges, GradingRules, Limit, SanctionKind


class ReversalCreate(RequestModel):
    note: VisibleText = Field(min_length=3, max_length=2000)


class SanctionRead(BaseModel):
    id: uuid.UUID
    kind: SanctionKind
    features: list[Limit]
    reason: str
    legal_basis: list[str]
    starts_at: str
    ends_at: str | None


class LedgerEntryRead(BaseModel):
    id: int
    delta: int
    cause: str
    legal_basis: list[str]
    reverses: int | None
    created_by: str
    created_at: str


class StandingRead(BaseModel):
    """Credit score, level and the limits in force, active sanctions with their legal basis, the grade,
    and the ledger entries with their causes (MB-9, MB-15, PA-6.2, PA-13.1)."""

    credit_score: int
    credit_level: str
    limits: list[Limit]
    subject_credit_score: int
    subject_accounts: int
    suspended_until: str | None
    closed: bool
    version: int
    followers: int = Field(description="Followers as content counts them; the grade uses them (MB-9)")
    grade: int
    grading_rules_version: int
    privileges: GradePrivileges = Field(description="What the grade allows (MB-9, PA-7.2): review, quotas, push")
    account_kind: str = Field(default="user", description="user, or public (a public account, PA-2)")
    sanctions: list[SanctionRead]
    ledger: list[LedgerEntryRead]

    @classmethod
    def of(cls, view: Mapping[str, Any], ledger: list[Mapping[str, Any]]) -> StandingRead:
        until = view["suspended_until"]
        return cls(
            **{k: v for k, v in view.items() if k not in ("suspended_until", "sanctions")},
            suspended_until=until.isoformat() if until else None,
            sanctions=[
                SanctionRead(
                    id=s["id"],
                    kind=s["kind"],
                    features=list(s["features"]),
                    reason=s["reason"],
                    legal_basis=list(s["legal_basis"]),
                    starts_at=s["starts_at"].isoformat(),
                    ends_at=s["ends_at"].isoformat() if s["ends_at"] else None,
                )
                for s in view["sanctions"]
            ],
            ledger=[
                LedgerEntryRead(
                    id=e["id"],
                    delta=e["delta"],
                    cause=e["cause"],
                    legal_basis=list(e["legal_basis"]),
                    reverses=e["reverses"],
                    created_by=e["created_by"],
                    created_at=e["created_at"].isoformat(),
                )
                for e in ledger
            ],
        )


class GradingRulesRead(BaseModel):
    version: int
    rules: GradingRules


class GradingRulesPublished(GradingRulesRead):
    regraded_accounts: int
    job_id: str | None = Field(default=None, description="the regrading's job: GET /v1/identity/staff/jobs/{job_id}")


class OperatorDeclarationCreate(RequestModel):
    registrant: VisibleText = Field(min_length=2, max_length=200)
    business_scope: VisibleText = Field(min_length=2, max_length=2000)
    accounts: list[uuid.UUID] = Field(min_length=2, max_length=1000)


class OperatorDeclarationRead(BaseModel):
    id: uuid.UUID
    registrant: str
    business_scope: str
    accounts: list[uuid.UUID]
    province_code: str
    declared_at: str
