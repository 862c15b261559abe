"""Security assessments as staff file and read them."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Annotated

from kit.inputs import Int32, RequestModel, Text, VisibleText
from pydantic import BaseModel, Field, field_validator

from regulator_gateway.assessments.domain import Assessment, Level

# ~1 MiB of base64: the gateway's body limit; the decoded size is checked against the setting (413).
_DOCUMENT_MAX_CHARS = 1_048_576


class AssessmentCreate(RequestModel):
    feature: Annotated[Text, Field(min_length=1, max_length=64, description="A gated feature's key, e.g. trending")]
    version: Annotated[Int32, Field(ge=1, description="The feature's version assessed: its current one or later")]
    level: Level = Field(description="national: filed with the national office; provincial: with one province's")
    province_code: Annotated[Text | None, Field(max_length=6, description="For a provincial filing: e.g. 110000")] = (
        None
    )
    summary: Annotated[VisibleText, Field(min_length=1, max_length=4000, description="What was assessed, in brief")]
    document: Annotated[
        str, Field(min_length=1, max_length=_DOCUMENT_MAX_CHARS, description="The assessment report, base64")
    ]

    @field_validator("document")
    @classmethod
    def _base64(cls, value: str) -> str:
        try:
            base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("document is not base64") from None
        return value

    def document_bytes(self) -> bytes:
        return base64.b64decode(self.document, validate=True)


class AssessmentWithdrawal(RequestModel):
    reason: Annotated[VisibleText, Field(min_length=1, max_length=1000, description="Why it is withdrawn")]


class AssessmentRead(BaseModel):
    id: str
    feature: str
    version: int
    level: str
    province_code: str | None
    summary: str
    document_sha256: str
    document_bytes: int
    filed_by: str
    filed_at: datetime
    filing_id: str = Field(description="The filing with the office (GET /v1/regulator/filings)")
    status: str = Field(description="filed (awaiting the office's receipt), acknowledged (in force) or withdrawn")
    acknowledged_at: datetime | None
    receipt_number: str | None
    withdrawn_at: datetime | None
    withdraw_reason: str | None

    @classmethod
    def of(cls, a: Assessment) -> AssessmentRead:
        return cls(
            id=str(a.id),
            feature=a.feature,
            version=a.version,
            level=a.level,
            province_code=a.province_code,
            summary=a.summary,
            document_sha256=a.document_sha256,
            document_bytes=a.document_bytes,
            filed_by=str(a.filed_by),
            filed_at=a.filed_at,
            filing_id=str(a.filing_id),
            status=a.status,
            acknowledged_at=a.acknowledged_at,
            receipt_number=a.receipt_number,
            withdrawn_at=a.withdrawn_at,
            withdraw_reason=a.withdraw_reason,
        )
