"""Security assessments' commands, one function each, owning its transaction: the chief editor files one
(with its filing) or withdraws it; staff read them; an office's acknowledgement of the filing puts it in
force (MB-13, PA-12.1). The reconciler announces again what is in force."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime

from kit.auth import Principal
from kit.service import Runtime

from regulator_gateway.assessments import domain, events
from regulator_gateway.assessments.domain import Assessment, AssessmentQuery, Level, Status
from regulator_gateway.assessments.store import AssessmentStores, PgAssessmentStores
from regulator_gateway.database import Database, PgDatabase
from regulator_gateway.filings.domain import Filing, FilingKind
from regulator_gateway.settings import RegulatorGatewaySettings

log = logging.getLogger(__name__)


async def file_assessment(
    db: Database[AssessmentStores],
    staff: Principal,
    *,
    feature: str,
    version: int,
    level: Level,
    province_code: str | None,
    summary: str,
    document: bytes,
    max_document_bytes: int,
) -> Assessment:
    """PA-12.1: the assessment and its filing with the office of its level, in one transaction. Another
    assessment of the same feature's version, filed or in force, is refused (409)."""
    new = domain.new_assessment(
        feature=feature,
        version=version,
        level=level,
        province_code=province_code,
        summary=summary,
        document=document,
        filed_by=uuid.UUID(staff.subject),
        max_document_bytes=max_document_bytes,
    )
    async with db.transaction() as tx:
        filing = await tx.filings.file_new(domain.filing_of(new))
        assessment = await tx.assessments.insert(new, filing.id)
        if assessment is None:  # the transaction rolls back: no filing without its assessment
            raise domain.AlreadyFiled(
                f"An assessment of {feature} version {version} is filed or in force already; withdraw it first.",
                requirement="MB-13",
            )
    log.info("security assessment filed", extra={"feature": feature, "version": version, "level": level.value})
    return assessment


async def list_assessments(
    db: Database[AssessmentStores],
    *,
    feature: str | None,
    status: Status | None,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[Assessment]:
    async with db.transaction() as tx:
        return await tx.assessments.assessments(AssessmentQuery(feature, status, after, limit))


async def read_assessment(db: Database[AssessmentStores], assessment_id: uuid.UUID) -> Assessment:
    async with db.transaction() as tx:
        return domain.found(await tx.assessments.assessment(assessment_id))


async def withdraw(
    db: Database[AssessmentStores], staff: Principal, assessment_id: uuid.UUID, reason: str
) -> Assessment:
    """MB-13: the assessment is out of force (the feature's gate for its version closes); announced."""
    async with db.transaction() as tx:
        assessment = domain.found(await tx.assessments.assessment(assessment_id, for_update=True))
        domain.check_withdrawable(assessment)
        assessment = await tx.assessments.withdraw(assessment_id, uuid.UUID(staff.subject), reason)
        await tx.announce(events.withdrawn(assessment))
    return assessment


async def filing_acknowledged(tx: AssessmentStores, filing: Filing) -> None:
    """In the acknowledgement's transaction: an acknowledged security-assessment filing puts its
    assessment in force, announced (MB-13). A withdrawn assessment stays withdrawn; the receipt is kept
    on the filing all the same (the office's record)."""
    if filing.kind != FilingKind.SECURITY_ASSESSMENT or filing.receipt_number is None:
        return
    assessment = await tx.assessments.acknowledge(filing.id, filing.receipt_number)
    if assessment is not None:
        await tx.announce(events.acknowledged(assessment))


async def reannounce(tx: AssessmentStores) -> int:
    """Every assessment that was acknowledged, as it stands now (in force or withdrawn since), once more."""
    latest = await tx.assessments.latest_acknowledged()
    await tx.announce_all([events.current_state(a) for a in latest])
    return len(latest)


async def reannounce_assessments(runtime: Runtime) -> None:
    """Reconciler: what is in force is announced again every ``ASSESSMENT_REANNOUNCE_INTERVAL_S``, and at
    once when the broker lost its state, so a broker that forgot loses no gate (the service offering the
    feature takes only newer state)."""
    settings: RegulatorGatewaySettings = runtime.settings  # type: ignore[assignment]
    db = PgDatabase(runtime.pool, PgAssessmentStores)
    async for _round in runtime.reconcile_periods(settings.assessment_reannounce_interval_s):
        async with db.transaction() as tx:
            count = await reannounce(tx)
        if count:
            log.info("re-announced security assessments", extra={"count": count})
