"""A report's evidence as the filing API shows it."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from regulator_gateway.evidence.domain import Evidence, verifies


class EvidenceRead(BaseModel):
    report_id: str
    decision_id: str
    sha256: str = Field(description="SHA-256 (hex) of `canonical`: recompute it to verify the evidence")
    canonical: str = Field(
        description="the evidence document exactly as hashed: JSON in RFC 8785 canonical form (UTF-8)"
    )
    document: dict[str, Any] = Field(
        description="the same document, parsed: the report, the decision (rule, matches, engine, lexicon and rule "
        "versions, who decided), the sealed snapshot (text with its hash, media hashes, the author's account and "
        "province), whether detection and decision were automated, the requirement IDs and the timestamps"
    )
    sealed_at: datetime | None
    verified: bool = Field(description="the stored bytes hash to `sha256` (the gateway's own check)")
    legal_basis: list[str] = ["MB-12.2", "PA-11.2"]

    @classmethod
    def of(cls, evidence: Evidence) -> EvidenceRead:
        text = evidence.document.decode()
        return cls(
            report_id=str(evidence.report_id),
            decision_id=str(evidence.decision_id),
            sha256=evidence.sha256,
            canonical=text,
            document=json.loads(text),
            sealed_at=evidence.sealed_at,
            verified=verifies(evidence),
        )
