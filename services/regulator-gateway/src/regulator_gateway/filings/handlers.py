"""Filings' events and queries, one function each: an announcement becomes one filing; an office
lists its jurisdiction's (MB-16.1)."""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg
from kit.cloudevents import Event

from regulator_gateway.assessments import handlers as assessments
from regulator_gateway.assessments.store import AssessmentStores
from regulator_gateway.database import Database
from regulator_gateway.filings import domain, events
from regulator_gateway.filings.domain import Filing, NewFiling
from regulator_gateway.filings.store import FilingStore, PgFilingStore
from regulator_gateway.offices.domain import Office
from regulator_gateway.reports import handlers as reports
from regulator_gateway.reports.domain import Jurisdiction
from regulator_gateway.reports.store import PgReportStore


async def on_subject_blacklisted(conn: asyncpg.Connection, event: Event) -> None:
    await file(PgFilingStore(conn), events.blacklisting(event))


async def on_verified_account_approved(conn: asyncpg.Connection, event: Event) -> None:
    await file(PgFilingStore(conn), events.verified_account(event))


async def on_operator_declared(conn: asyncpg.Connection, event: Event) -> None:
    await file(PgFilingStore(conn), events.operator(event))


async def on_grading_rules_published(conn: asyncpg.Connection, event: Event) -> None:
    await file(PgFilingStore(conn), events.grading_rules(event))


async def on_public_account_approved(conn: asyncpg.Connection, event: Event) -> None:
    """PA-7.1: the public account filed with the office of its province; and its province learned, so the
    reports of its stopped articles reach that office too (MB-12.2, MB-16.1): it verifies no real name itself."""
    filing = events.public_account(event)
    await file(PgFilingStore(conn), filing)
    if filing.account_id is not None and filing.province_code is not None:
        await reports.learn_jurisdiction(PgReportStore(conn), Jurisdiction(filing.account_id, filing.province_code))


async def file(store: FilingStore, filing: NewFiling) -> None:
    """One filing per announcement: the same announcement again files nothing."""
    await store.file(filing)


async def list_filings(
    db: Database[FilingStore],
    office: Office,
    *,
    kind: str | None,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[Filing]:
    """Filings in the office's jurisdiction, oldest first, after the cursor (MB-16.1)."""
    async with db.transaction() as store:
        return await store.filings(domain.query_for(office, kind=kind, after=after, limit=limit))


async def acknowledge_filing(
    db: Database[AssessmentStores], office: Office, filing_id: uuid.UUID, receipt_number: str
) -> Filing:
    """The office's receipt of a filing in its jurisdiction (MB-16.1; 404 outside it). The same receipt
    again changes nothing; another is refused. A security assessment's comes into force with it (MB-13)."""
    async with db.transaction() as tx:
        filing = domain.visible_to(office, await tx.filings.filing(filing_id, for_update=True))
        if not domain.needs_acknowledgement(office, filing, receipt_number):
            return filing
        filing = await tx.filings.acknowledge(filing_id, office.id, receipt_number)
        await assessments.filing_acknowledged(tx, filing)
    return filing
