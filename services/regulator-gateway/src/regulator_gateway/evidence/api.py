"""The filing API's evidence of a report (MB-12.2, PA-11.2), by jurisdiction (MB-16.1)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from kit.problems import problems

from regulator_gateway.database import Database, PgDatabase
from regulator_gateway.evidence import handlers
from regulator_gateway.evidence.schemas import EvidenceRead
from regulator_gateway.evidence.store import PgEvidenceStore
from regulator_gateway.offices.api import CurrentOffice

router = APIRouter(tags=["regulator"])


async def evidence_database(request: Request) -> Database[PgEvidenceStore]:
    return PgDatabase(request.app.state.runtime.pool, PgEvidenceStore)


EvidenceDb = Annotated[Database[PgEvidenceStore], Depends(evidence_database)]


@router.get(
    "/v1/regulator/reports/{report_id}/evidence",
    response_model=EvidenceRead,
    responses=problems(
        404, s404="No such report in the office's jurisdiction, or its evidence is not held yet (`evidence-not-held`)"
    ),
)
async def read_evidence(report_id: uuid.UUID, office: CurrentOffice, db: EvidenceDb) -> EvidenceRead:
    """A report's evidence: the decision and the sealed snapshot of what was stopped, as one document in RFC 8785
    canonical JSON with its SHA-256. Recompute the hash over `canonical` to verify it, and the SHA-256 of
    `document.content.text` to check it is what the decision was made on (`document.decision.content_sha256`)."""
    return EvidenceRead.of(await handlers.read_evidence(db, office, report_id))
