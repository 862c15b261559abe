"""HTTP models of accounts, tokens, cancellation and personal data; the row -> response views."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Literal

from kit.inputs import Int32, RequestModel
from pydantic import BaseModel, Field

from identity.accounts.domain import mask_mobile, real_name_verified
from identity.pii import PHONE, PersonalDataVault
from identity.realname.domain import SubjectType


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

    @classmethod
    def of(cls, account: Mapping[str, Any], vault: PersonalDataVault) -> AccountRead:
        return cls(
            id=str(account["id"]),
            username=account["username"],
            mobile_masked=mask_mobile(vault.open(account["phone_ciphertext"], purpose=PHONE)),
            phone_confirmed=account["phone_confirmed_at"] is not None,
            real_name_verified=real_name_verified(account, datetime.now(UTC)),
            real_name_expires_at=account["expires_at"].isoformat() if account["expires_at"] else None,
            subject_type=account["subject_type"],
        )


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


class Jwks(BaseModel):
    """The public keys access tokens are signed with (RFC 7517)."""

    keys: list[dict[str, str]]


class PhoneConfirm(RequestModel):
    code: str = Field(pattern=r"^[0-9]{6}$")


class CodeSent(BaseModel):
    status: Literal["sent"] = "sent"


class CancellationCreate(RequestModel):
    password: str = Field(min_length=1, max_length=256)


class CancellationRead(BaseModel):
    cancelled_at: str
    purge_after: str  # PA-9.2: the records are kept until then (at least six months, MB-16.2)
    legal_basis: list[str]
