"""Filings as the filing API shows them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from regulator_gateway.filings.domain import Filing


class FilingRead(BaseModel):
    id: str
    kind: str = Field(description="blacklist, verified_account, multi_account_operator or grading_rules")
    account_id: str | None
    province_code: str | None
    legal_basis: list[str]
    details: dict[str, Any]
    filed_at: datetime

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
        )
