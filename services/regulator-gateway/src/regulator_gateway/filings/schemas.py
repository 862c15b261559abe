"""Filings as the filing API shows them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kit.inputs import RequestModel, VisibleText
from pydantic import BaseModel, Field

from regulator_gateway.filings.domain import Filing


class FilingRead(BaseModel):
    id: str
    kind: str = Field(
        description="blacklist, verified_account, multi_account_operator, grading_rules, public_account or "
        "security_assessment"
    )
    account_id: str | None
    province_code: str | None
    legal_basis: list[str]
    details: dict[str, Any]
    filed_at: datetime
    acknowledged_at: datetime | None = None
    receipt_number: str | None = Field(default=None, description="The office's receipt number, once acknowledged")

    @classmethod
    def of(cls, filing: Filing) -> FilingRead:
        return cls(
            id=str(filing.id),
            kind=filing.kind,
            account_id=str(filing.account_id) if filing.account_id else None,
            province_code=filing.province_code,
            legal_basis=filing.legal_basis,
            details=filing.details,
            filed_at=filing.filed_at,
            acknowledged_at=filing.acknowledged_at,
            receipt_number=filing.receipt_number,
        )


class FilingAcknowledgement(RequestModel):
    receipt_number: VisibleText = Field(min_length=1, max_length=200, description="The office's receipt number")
