"""HTTP models of verified ("V") accounts and profiles; the row -> response views."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from kit.inputs import Bool, RequestModel, VisibleText
from pydantic import BaseModel, Field

from identity.verified.domain import ApplicationStatus, VType


class ProfileUpdate(RequestModel):
    display_name: VisibleText = Field(min_length=1, max_length=40)


class VerifiedBadge(BaseModel):
    type: VType
    name: str | None


class ProfileRead(BaseModel):
    id: uuid.UUID
    display_name: str | None
    verified: VerifiedBadge | None

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> ProfileRead:
        badge = None
        if row["verified_type"]:
            badge = VerifiedBadge(type=row["verified_type"], name=row["verified_display_name"])
        return cls(id=row["id"], display_name=row["display_name"], verified=badge)


class ProofFileIn(RequestModel):
    filename: VisibleText = Field(min_length=1, max_length=200)
    content_type: str = Field(pattern=r"^(image/(png|jpeg)|application/pdf)$")
    content_base64: str = Field(min_length=4, max_length=700_000)


class VerifiedApplicationCreate(RequestModel):
    v_type: VType
    proof_name: VisibleText = Field(
        min_length=1, max_length=200, description="the name on the proof materials (sealed, never shown, MB-7.3)"
    )
    display_name: VisibleText | None = Field(
        default=None,
        min_length=1,
        max_length=40,
        description="the name the account shows (checked against impersonation, CM); required of an individual, "
        "an organization shows its proof name when omitted (MB-7.3)",
    )
    proof_number: str = Field(min_length=3, max_length=80, description="the ID, credit or registration number on them")
    files: list[ProofFileIn] = Field(min_length=1, max_length=5)


class ApplicationDecision(RequestModel):
    approve: Bool
    reason: VisibleText = Field(min_length=3, max_length=2000)


class ProofFileRead(BaseModel):
    ordinal: int = Field(description="The file's number n within its application (staff open it by it, MB-7.3)")
    filename: str
    content_type: str
    sha256: str
    size: int


class ApplicationRead(BaseModel):
    """An application as its applicant and the reviewers see it: no proof name (MB-7.3; staff who may
    read personal data see it through the audited personal-data route)."""

    id: uuid.UUID
    account_id: uuid.UUID
    v_type: VType
    display_name: str | None
    status: ApplicationStatus
    reason: str | None
    submitted_at: str
    reviewed_by: str | None
    reviewed_at: str | None
    files: list[ProofFileRead]

    @classmethod
    def of(cls, found: Mapping[str, Any]) -> ApplicationRead:
        row = found["application"]
        return cls(
            id=row["id"],
            account_id=row["account_id"],
            v_type=row["v_type"],
            display_name=row["display_name"],
            status=row["status"],
            reason=row["reason"],
            submitted_at=row["submitted_at"].isoformat(),
            reviewed_by=row["reviewed_by"],
            reviewed_at=row["reviewed_at"].isoformat() if row["reviewed_at"] else None,
            files=[ProofFileRead(**dict(f)) for f in found["files"]],
        )


class ProofAccessRead(BaseModel):
    """One opening of a proof file (MB-7.3): who, which application and file, why, when."""

    id: int
    staff: str
    application_id: uuid.UUID
    file: int
    file_sha256: str
    reason: str
    opened_at: str

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> ProofAccessRead:
        return cls(
            id=row["id"],
            staff=row["staff"],
            application_id=row["application_id"],
            file=row["file_ordinal"],
            file_sha256=row["file_sha256"],
            reason=row["reason"],
            opened_at=row["opened_at"].isoformat(),
        )
