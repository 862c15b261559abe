"""HTTP models of public accounts (PA-7.1); the row -> response views."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from enum import StrEnum
from typing import Any, Literal

from kit.inputs import RequestModel, VisibleText
from pydantic import BaseModel, Field

from identity.public_accounts.domain import (
    ApplicationStatus,
    Category,
    OperatorRole,
    Outcome,
    PublicAccountKind,
    label_of,
)


class QualificationKind(StrEnum):
    NEWS_LICENCE = "news_licence"  # 互联网新闻信息服务许可 (MB-4, PA-8)
    ICP_LICENCE = "icp_licence"
    OTHER = "other"


class Qualification(RequestModel):
    kind: QualificationKind
    number: VisibleText = Field(min_length=3, max_length=80)


class PublicAccountCreate(RequestModel):
    name: VisibleText = Field(min_length=2, max_length=30, description="checked against impersonation (CM)")
    kind: PublicAccountKind = Field(description="must suit the registrant's subject (PA-7.1)")
    category: Category
    business_scope: VisibleText = Field(min_length=2, max_length=500)
    qualifications: list[Qualification] = Field(default_factory=list, max_length=10)


class Decision(RequestModel):
    outcome: Outcome
    reason: VisibleText = Field(min_length=3, max_length=2000)


class ApplicationRead(BaseModel):
    id: uuid.UUID
    registrant_account_id: uuid.UUID
    public_account_id: uuid.UUID | None
    name: str
    kind: PublicAccountKind
    label: str
    category: Category
    business_scope: str
    qualifications: list[dict[str, str]]
    province_code: str
    status: ApplicationStatus
    reason: str | None
    submitted_at: str
    reviewed_by: str | None
    reviewed_at: str | None

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> ApplicationRead:
        qualifications = row["qualifications"]
        return cls(
            id=row["id"],
            registrant_account_id=row["registrant_account_id"],
            public_account_id=row["public_account_id"],
            name=row["name"],
            kind=row["kind"],
            label=label_of(row["kind"]),
            category=row["category"],
            business_scope=row["business_scope"],
            qualifications=json.loads(qualifications) if isinstance(qualifications, str) else qualifications,
            province_code=row["province_code"],
            status=row["status"],
            reason=row["reason"],
            submitted_at=row["submitted_at"].isoformat(),
            reviewed_by=row["reviewed_by"],
            reviewed_at=row["reviewed_at"].isoformat() if row["reviewed_at"] else None,
        )


class Acting(BaseModel):
    operator_id: uuid.UUID
    role: OperatorRole


class PublicAccountRead(BaseModel):
    """A public account as anyone sees it: name, kind and its label (分类加注标识), category, scope,
    province, subscribers (PA-7.1)."""

    id: uuid.UUID
    name: str
    kind: PublicAccountKind
    label: str
    category: Category
    business_scope: str
    province_code: str
    subscribers: int
    approved_at: str
    acting: Acting | None = None
    role: OperatorRole | None = None

    @classmethod
    def of(cls, row: Mapping[str, Any], acting: Mapping[str, Any] | None = None) -> PublicAccountRead:
        return cls(
            id=row["account_id"],
            name=row["name"],
            kind=row["kind"],
            label=row["label"],
            category=row["category"],
            business_scope=row["business_scope"],
            province_code=row["province_code"],
            subscribers=row["followers"],
            approved_at=row["approved_at"].isoformat(),
            acting=Acting(**acting) if acting else None,
            role=row.get("role"),
        )


class MyPublicAccounts(BaseModel):
    applications: list[ApplicationRead]
    operated: list[PublicAccountRead]


class OperatorRead(BaseModel):
    account_id: uuid.UUID
    role: OperatorRole
    added_at: str


class OperatorsRead(BaseModel):
    items: list[OperatorRead]

    @classmethod
    def of(cls, rows: list[Mapping[str, Any]]) -> OperatorsRead:
        return cls(
            items=[
                OperatorRead(account_id=r["account_id"], role=r["role"], added_at=r["added_at"].isoformat())
                for r in rows
            ]
        )


class ActingTokenRead(BaseModel):
    access_token: str
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 - the scheme name
    expires_in: int
    public_account_id: uuid.UUID
