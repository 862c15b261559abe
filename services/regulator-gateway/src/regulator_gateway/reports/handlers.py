"""Reports' commands and events, one function each, owning its transaction: a stop-transmission
becomes a report (MB-12.2), an office lists, reads and acknowledges its jurisdiction's (MB-16.1)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import asyncpg
from kit.cloudevents import Event

from regulator_gateway.database import Database
from regulator_gateway.evidence import events as evidence_events
from regulator_gateway.evidence import handlers as evidence
from regulator_gateway.evidence.store import PgEvidenceStore
from regulator_gateway.offices.domain import Office
from regulator_gateway.reports import domain, events
from regulator_gateway.reports.domain import (
    Acknowledgement,
    Amendment,
    Jurisdiction,
    Referral,
    Report,
    ReportFilters,
    SanctionReported,
    StoppedPost,
)
from regulator_gateway.reports.store import PgReportStore, ReportStore


async def on_transmission_stopped(conn: asyncpg.Connection, event: Event) -> None:
    await file_report(PgReportStore(conn), events.stopped_post(event))
    # The decision is half of the report's evidence (issue 15): kept, and the evidence sealed if complete.
    await evidence.record_decision(PgEvidenceStore(conn), evidence_events.decision_record(event))


async def file_report(store: ReportStore, stopped: StoppedPost) -> Report:
    """MB-12.2: every stop-transmission becomes exactly one report. A repeated decision finds the
    report already there and only confirms it again to moderation."""
    report = await store.file_report(stopped)
    await store.announce(events.report_filed(report))
    return report


async def on_sanction_imposed(conn: asyncpg.Connection, event: Event) -> None:
    await file_sanction_report(PgReportStore(conn), events.sanction_reported(event))


async def file_sanction_report(store: ReportStore, sanction: SanctionReported) -> Report:
    """PA-13.1, PA-13.2: a suspension, closure or blacklisting becomes exactly one report for the office of the
    account's province. A repeat finds it and confirms it again to identity (its ReportFiled, with the version)."""
    report = await store.file_sanction_report(sanction)
    await store.announce(events.report_filed(report))
    return report


async def refer(
    db: Database[ReportStore],
    *,
    account_id: uuid.UUID,
    post_id: uuid.UUID | None,
    category: str,
    offence: str,
    statement: str,
    legal_basis: list[str],
    by: str,
) -> Report:
    """BJ-7(8): the chief editor refers a suspected crime to public security; it is reported to the office of the
    account's province (the national office sees it too), with the post's stop report named when it was stopped,
    so its sealed evidence goes with it. Announced like every report, and pushed where the office asked."""
    async with db.transaction() as store:
        stop_report = await store.stop_report_of_post(post_id) if post_id is not None else None
        referral = Referral(
            id=uuid.uuid4(),
            account_id=account_id,
            post_id=post_id,
            category=category,
            offence=offence,
            statement=statement,
            legal_basis=domain.referral_basis(legal_basis),
            referred_by=by,
            referred_at=datetime.now(UTC),
            stop_report_id=stop_report,
        )
        report = await store.file_referral_report(referral)
        await store.announce(events.report_filed(report))
        return report


async def on_sanction_lifted(conn: asyncpg.Connection, event: Event) -> None:
    store = PgReportStore(conn)
    amendment = events.sanction_lift(event)
    await amend_report(store, amendment)
    # Identity hears the amended version once the report holds it (a lift before its report waits for it).
    report = await store.report_of_decision(amendment.decision_id)
    if report is not None:
        await store.announce(events.report_filed(report))


async def on_decision_restored(conn: asyncpg.Connection, event: Event) -> None:
    await amend_report(PgReportStore(conn), events.restoration(event))


async def amend_report(store: ReportStore, amendment: Amendment) -> None:
    """MB-12.2: restored content amends its stop's report: a new version (kind restore, reason, when), the
    report as filed kept; the office sees both. A repeated restore records nothing more."""
    await store.amend(amendment)


async def on_real_name_verified(conn: asyncpg.Connection, event: Event) -> None:
    await learn_jurisdiction(PgReportStore(conn), events.jurisdiction(event))


async def learn_jurisdiction(store: ReportStore, jurisdiction: Jurisdiction) -> None:
    """Learn an account's province of registration, so its reports reach the right office (MB-16.1)."""
    await store.learn_jurisdiction(jurisdiction)


async def list_reports(
    db: Database[ReportStore],
    office: Office,
    *,
    acknowledged: bool | None,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
    filters: ReportFilters | None = None,
) -> list[Report]:
    """Reports of stopped content (MB-12.2) in the office's jurisdiction, oldest first, narrowed by filters."""
    query = domain.query_for(office, acknowledged=acknowledged, after=after, limit=limit, filters=filters)
    async with db.transaction() as store:
        return await store.reports(query)


async def read_report(db: Database[ReportStore], office: Office, report_id: uuid.UUID) -> Report:
    async with db.transaction() as store:
        return domain.visible_to(office, await store.report(report_id))


async def acknowledge_report(
    db: Database[ReportStore], office: Office, report_id: uuid.UUID, reference: str | None
) -> Report:
    """Record the regulator's receipt. Repeating the same acknowledgement is harmless."""
    async with db.transaction() as store:
        report = domain.visible_to(office, await store.report(report_id, for_update=True))
        if not domain.needs_acknowledgement(office, report, reference):
            return report
        return await store.acknowledge(report_id, office.id, reference)


async def acknowledge_reports(
    db: Database[ReportStore], office: Office, items: list[tuple[uuid.UUID, str | None]]
) -> list[tuple[uuid.UUID, Acknowledgement, Report | None]]:
    """Issue 15 (MB-12.2, MB-16.1): acknowledge up to BATCH_MAX reports, each item answered on its own
    (acknowledged, already acknowledged, not found, outside the jurisdiction) by the same rule as a single
    acknowledgement; all of it in one transaction: written together or not at all."""
    domain.check_batch([report_id for report_id, _ in items])
    async with db.transaction() as store:
        found = await store.reports_for_update([report_id for report_id, _ in items])
        outcomes = [(report_id, domain.acknowledgement(office, found.get(report_id))) for report_id, _ in items]
        due = [
            item for item, (_, outcome) in zip(items, outcomes, strict=True) if outcome is Acknowledgement.ACKNOWLEDGED
        ]
        if due:
            await store.acknowledge_many(office.id, due)
    return [(report_id, outcome, found.get(report_id)) for report_id, outcome in outcomes]
