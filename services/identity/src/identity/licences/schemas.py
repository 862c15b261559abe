"""HTTP models of the news licence registry (MB-4, PA-8); the row -> response views."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date
from typing import Any

from kit.inputs import RequestModel, VisibleText
from pydantic import BaseModel, Field

from identity.licences.domain import Scope


class EvidenceIn(RequestModel):
    filename: VisibleText = Field(min_length=1, max_length=200)
    content_type: str = Field(pattern=r"^(image/(png|jpeg)|application/pdf)$")
    content_base64: str = Field(min_length=4, max_length=1_048_576)


class NewsLicenceCreate(RequestModel):
    number: VisibleText = Field(min_length=3, max_length=80, description="the licence number")
    holder_account_id: uuid.UUID = Field(description="a verified account (or public account) of the holder subject")
    scopes: list[Scope] = Field(min_length=1, max_length=3)
    valid_from: date
    valid_until: date
    evidence: list[EvidenceIn] = Field(min_length=1, max_length=5)


class RevocationCreate(RequestModel):
    reason: VisibleText = Field(min_length=3, max_length=2000)


class EvidenceRead(BaseModel):
    filename: str
    content_type: str
    sha256: str
    size: int


class NewsLicenceRead(BaseModel):
    id: uuid.UUID
    number: str
    holder_account_id: uuid.UUID
    scopes: list[Scope]
    valid_from: date
    valid_until: date
    recorded_by: str
    recorded_at: str
    revoked_at: str | None
    revoked_by: str | None
    revoke_reason: str | None
    version: int
    evidence: list[EvidenceRead]

    @classmethod
    def of(cls, found: Mapping[str, Any]) -> NewsLicenceRead:
        row = found["licence"]
        return cls(
            id=row["id"],
            number=row["number"],
            holder_account_id=row["holder_account_id"],
            scopes=list(row["scopes"]),
            valid_from=row["valid_from"],
            valid_until=row["valid_until"],
            recorded_by=row["recorded_by"],
            recorded_at=row["recorded_at"].isoformat(),
            revoked_at=row["revoked_at"].isoformat() if row["revoked_at"] else None,
            revoked_by=row["revoked_by"],
            revoke_reason=row["revoke_reason"],
            version=row["version"],
            evidence=[EvidenceRead(**dict(e)) for e in found["evidence"]],
        )
