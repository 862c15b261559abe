"""A stop's report amended when staff restore the content, on a real PostgreSQL (MB-12.2, MB-16.1): the
report as filed is kept and a new version says it was withdrawn; a redelivered restore records nothing
more; an amendment that arrives before its report is found by it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import asyncpg
import pytest
from regulator_gateway.database import PgDatabase
from regulator_gateway.reports import handlers
from regulator_gateway.reports.domain import Amendment, StoppedPost
from regulator_gateway.reports.store import PgReportStore

NOW = datetime.now(UTC)


@pytest.fixture
def db(pool: asyncpg.Pool) -> PgDatabase:
    return PgDatabase(pool, PgReportStore)


def _stop() -> StoppedPost:
    return StoppedPost(uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), "bj10.rumour_disturbing_order", ["MB-12.2"],
                       "造谣", NOW, "ab" * 32)  # fmt: skip


def _restore(stop: StoppedPost) -> Amendment:
    return Amendment(uuid.uuid4(), stop.decision_id, uuid.uuid4(), "restore", "the report was mistaken",
                     ["MB-12.2", "MB-6.1"], "staff:s1", NOW)  # fmt: skip


@pytest.mark.requirement("MB-12.2")
async def test_a_restore_amends_the_stops_report_once_and_keeps_it_as_filed(db: PgDatabase) -> None:
    stop = _stop()
    async with db.transaction() as store:
        filed = await handlers.file_report(store, stop)
    assert (filed.status, filed.version, filed.amendments) == ("filed", 1, ())
    restore = _restore(stop)
    for _ in range(2):  # a redelivery records nothing more
        async with db.transaction() as store:
            await handlers.amend_report(store, restore)
    async with db.transaction() as store:
        amended = await store.report(filed.id)
    assert amended is not None and (amended.status, amended.version) == ("withdrawn", 2)
    assert [a.amending_decision_id for a in amended.amendments] == [restore.amending_decision_id]
    assert (amended.legal_basis, amended.reason) == (["MB-12.2"], "造谣")  # as filed


@pytest.mark.requirement("MB-12.2")
async def test_an_amendment_before_its_report_is_found_by_it(db: PgDatabase) -> None:
    stop = _stop()
    async with db.transaction() as store:
        await handlers.amend_report(store, _restore(stop))
    async with db.transaction() as store:
        filed = await handlers.file_report(store, stop)
    assert (filed.status, filed.version) == ("withdrawn", 2)
