from __future__ import annotations

from typing import Literal

from kit.inputs import Int32, RequestModel, VisibleText
from pydantic import BaseModel, Field

from identity.domain import SubjectType


class AccountCreate(RequestModel):
    username: str = Field(min_length=3, max_length=32, pattern=r"^[A-Za-z0-9_]+$")
    password: str = Field(min_length=10, max_length=256)
    mobile: str = Field(min_length=5, max_length=20, description="Mainland China mobile number, e.g. +8613800138000")
    accepted_agreement_version: Int32 | None = Field(
        default=None, ge=1, description="the service agreement version accepted (MB-6.2; GET /v1/identity/agreement)"
    )


class AccountRead(BaseModel):
    id: str
    username: str
    mobile_masked: str
    phone_confirmed: bool
    real_name_verified: bool
    real_name_expires_at: str | None = None
    subject_type: SubjectType | None = None


class TokenCreate(RequestModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)
    # A third-party application signing its user in (BJ-7(6)): its registered credentials.
    client_id: str | None = Field(default=None, max_length=64)
    client_secret: str | None = Field(default=None, max_length=128)


class TokenRead(BaseModel):
    access_token: str
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 - the scheme name
    expires_in: int


class PhoneConfirm(RequestModel):
    code: str = Field(pattern=r"^[0-9]{6}$")


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


class AgreementRead(BaseModel):
    version: int
    title: str
    body: str
    sha256: str
    published_at: str


class AgreementAccept(RequestModel):
    version: Int32 = Field(ge=1)


class AgreementCreate(RequestModel):
    title: VisibleText = Field(min_length=3, max_length=200)
    body: VisibleText = Field(min_length=10, max_length=100_000)
