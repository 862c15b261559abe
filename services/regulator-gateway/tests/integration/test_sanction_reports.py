"""Reports of sanctions on a real PostgreSQL (issue 15; PA-13.1, PA-13.2, MB-16.1): a suspension, closure or
blacklisting becomes one report for the office of the account's province, whatever is delivered again; lifting it
amends the report (status lifted, version 2) even when the lift arrives first; each ReportFiled tells identity the
version the gateway holds."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest
from contracts import regulator
from regulator_gateway.database import PgDatabase
from regulator_gateway.offices.domain import Office
from regulator_gateway.reports import handlers
from regulator_gateway.reports.domain import (
    Amendment,
    Jurisdiction,
    ReportFilters,
    ReportKind,
    SanctionReported,
    lift_amendment_id,
)
from regulator_gateway.reports.store import PgReportStore

NOW = datetime.now(UTC)
BEIJING = Office(uuid.uuid4(), "北京市网信办", "110000")
SHANGHAI = Office(uuid.uuid4(), "上海市网信办", "310000")


def _suspension(account: uuid.UUID) -> SanctionReported:
    return SanctionReported(uuid.uuid4(), account, "suspend_updates", [], "三次违规", ["PA-13.1"], NOW,
                            NOW + timedelta(days=7), "staff:s1")  # fmt: skip


def _lift(sanction: SanctionReported) -> Amendment:
    return Amendment(uuid.uuid4(), sanction.sanction_id, lift_amendment_id(sanction.sanction_id), "lift",
                     "appeal upheld", ["PA-13.1", "PA-6.2"], "staff:s2", NOW)  # fmt: skip


async def _confirmed_versions(pool: asyncpg.Pool, sanction: SanctionReported) -> list[tuple[int, str]]:
    rows = await pool.fetch("SELECT payload FROM outbox_event WHERE ce_type = $1", regulator.REPORT_FILED.name)
    parsed = [regulator.REPORT_FILED.parse(bytes(r["payload"])) for r in rows]
    return sorted({(m.version, m.kind) for m in parsed if m.decision_id == str(sanction.sanction_id)})


@pytest.mark.requirement("PA-13.1")
@pytest.mark.requirement("MB-16.1")
async def test_a_sanction_is_reported_once_to_its_provinces_office_and_amended_when_lifted(pool: asyncpg.Pool) -> None:
    db = PgDatabase(pool, PgReportStore)
    account = uuid.uuid4()
    sanction = _suspension(account)
    async with db.transaction() as store:
        await handlers.learn_jurisdiction(store, Jurisdiction(account, "110000"))
    for _ in range(2):  # identity announces again until it hears the report is held
        async with pool.acquire() as conn, conn.transaction():
            await handlers.file_sanction_report(PgReportStore(conn), sanction)
    listed = await handlers.list_reports(db, BEIJING, acknowledged=None, after=None, limit=100,
                                         filters=ReportFilters(kind=ReportKind.SANCTION))  # fmt: skip
    [report] = [r for r in listed if r.decision_id == sanction.sanction_id]
    assert (report.kind, report.post_id, report.content_sha256, report.status, report.version) == (
        ReportKind.SANCTION, None, None, "filed", 1
    )  # fmt: skip
    assert report.details["sanction"] == "suspend_updates" and report.details["imposed_by"] == "staff:s1"
    assert report.province_code == "110000" and "PA-13.1" in report.legal_basis
    assert not [r for r in await handlers.list_reports(db, SHANGHAI, acknowledged=None, after=None, limit=100)
                if r.decision_id == sanction.sanction_id]  # fmt: skip
    assert await _confirmed_versions(pool, sanction) == [(1, "sanction")]

    for _ in range(2):  # a redelivered lift amends once
        async with pool.acquire() as conn, conn.transaction():
            await handlers.amend_report(PgReportStore(conn), _lift(sanction))
    async with db.transaction() as store:
        amended = await store.report(report.id)
    assert amended is not None and (amended.status, amended.version) == ("lifted", 2)


@pytest.mark.requirement("PA-13.1")
async def test_a_lift_that_arrives_before_its_sanction_is_found_by_the_report(pool: asyncpg.Pool) -> None:
    sanction = _suspension(uuid.uuid4())
    async with pool.acquire() as conn, conn.transaction():
        await handlers.amend_report(PgReportStore(conn), _lift(sanction))
    async with pool.acquire() as conn, conn.transaction():
        filed = await handlers.file_sanction_report(PgReportStore(conn), sanction)
    assert (filed.status, filed.version) == ("lifted", 2)
    assert await _confirmed_versions(pool, sanction) == [(2, "sanction")]
