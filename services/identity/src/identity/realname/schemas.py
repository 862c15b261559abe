"""HTTP models of real-name verification (MB-7.1, MB-7.2)."""

from __future__ import annotations

from kit.inputs import RequestModel, VisibleText
from pydantic import BaseModel, Field

from identity.realname.domain import SubjectType


class RealNameCreate(RequestModel):
    subject_type: SubjectType
    legal_name: VisibleText = Field(min_length=1, max_length=200)
    id_number: str = Field(
        min_length=3,
        max_length=64,
        description="Resident ID number (individual); unified social credit code or organization code "
        "(organization); registration number in the home country (foreign organization)",
    )
    region_code: str | None = Field(
        default=None,
        pattern=r"^[0-9]{6}$",
        description="GB/T 2260 region of registration: needed with an organization code, and for a foreign "
        "organization's office in China",
    )
    country: str | None = Field(
        default=None, pattern=r"^[A-Za-z]{2}$", description="foreign organization: ISO 3166-1 home country"
    )
    office_certificate: str | None = Field(
        default=None,
        max_length=64,
        description="foreign organization: registration certificate number of its office in China",
    )


class RealNameRead(BaseModel):
    subject_type: SubjectType
    province_code: str
    legal_basis: list[str]
    verified_at: str
    expires_at: str  # MB-7.2: renew before this to keep publishing
    renewal: bool
    # A fresh access token that carries the verified status, so publishing works at once.
    access_token: str
    expires_in: int
