"""Evidence's commands and events, one function each (MB-12.2, PA-11.2): the parts are kept as they arrive, the
document sealed when the report and both parts are held, and an office reads its jurisdiction's."""

from __future__ import annotations

import uuid

from regulator_gateway.database import Database
from regulator_gateway.evidence import domain
from regulator_gateway.evidence.domain import DecisionRecord, Evidence, Snapshot
from regulator_gateway.evidence.store import PgEvidenceStore
from regulator_gateway.offices.domain import Office
from regulator_gateway.reports import events as report_events
from regulator_gateway.reports.domain import ReportKind, ReportNotFound


async def record_decision(store: PgEvidenceStore, decision: DecisionRecord) -> None:
    """Moderation's stop decision, kept for its report's evidence (the report was filed in this transaction)."""
    await store.lock_decision(decision.decision_id)
    await store.save_decision(decision)
    await seal_if_complete(store, decision.decision_id)


async def record_snapshot(store: PgEvidenceStore, snapshot: Snapshot) -> None:
    """Content's sealed snapshot. Whenever one arrives while the evidence is held (a repeat after a broker loss,
    or the first), the report is announced again with the evidence's hash: content then stops repeating it."""
    await store.lock_decision(snapshot.decision_id)
    await store.save_snapshot(snapshot)
    await seal_if_complete(store, snapshot.decision_id, tell_content=True)


async def seal_if_complete(store: PgEvidenceStore, decision_id: uuid.UUID, *, tell_content: bool = False) -> None:
    """Seal the evidence once the report and both parts are here (whichever arrives last seals it; both build
    the same document, and the first sealing stays)."""
    evidence = await store.sealed(decision_id)
    if evidence is None:
        parts = await store.parts(decision_id)
        if parts is None:
            return
        evidence = await store.seal(domain.seal(*parts))
        tell_content = True
    if tell_content:
        report = await store.reports.report_of_decision(decision_id)
        if report is not None:
            await store.announce(report_events.report_filed(report, evidence_sha256=evidence.sha256))


async def read_evidence(db: Database[PgEvidenceStore], office: Office, report_id: uuid.UUID) -> Evidence:
    """A report's sealed evidence, if the report is in the office's jurisdiction (MB-16.1) and the evidence is held."""
    async with db.transaction() as store:
        report = await store.reports.report(report_id)
        if report is None or not office.may_see(report.province_code):
            raise ReportNotFound("No such report in your jurisdiction.")
        evidence = await store.sealed(report.decision_id)
    if report.kind is not ReportKind.STOP:
        raise domain.EvidenceNotHeld(
            "Evidence is sealed for reports of stops; a sanction's or a referral's report carries its terms in "
            "`details`.",
            requirement="MB-12.2",
        )
    if evidence is None:
        raise domain.EvidenceNotHeld(
            "The evidence of this report is not held yet: it follows the report within seconds.",
            requirement="MB-12.2",
        )
    return evidence
