"""The complaint-case projection on a real PostgreSQL (PA-15.2, MB-16.1): a newer version of a case
replaces an older one and never the reverse, a resolution counts once, and each office reads the handling
statistics of its own jurisdiction (the national office every province's)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest
from regulator_gateway.complaints import api, handlers
from regulator_gateway.complaints.domain import CaseResolved, CaseSeen
from regulator_gateway.complaints.store import PgComplaintStore
from regulator_gateway.database import PgDatabase
from regulator_gateway.offices.domain import NATIONAL, Office

NOW = datetime.now(UTC)
RUMOUR = "bj10.rumour_disturbing_order"


@pytest.fixture
def db(pool: asyncpg.Pool) -> PgDatabase:
    return PgDatabase(pool, PgComplaintStore)


def _seen(case_id: uuid.UUID, author: uuid.UUID, *, version: int, complaints: int, hours: float = 24) -> CaseSeen:
    return CaseSeen(case_id, "post", author, RUMOUR, NOW - timedelta(hours=2), NOW + timedelta(hours=hours),
                    version, complaints)  # fmt: skip


@pytest.mark.requirement("PA-15.2")
@pytest.mark.requirement("MB-16.1")
async def test_each_office_reads_the_handling_of_its_jurisdiction_from_the_newest_case_versions(
    db: PgDatabase,
) -> None:
    beijing_author, shanghai_author = uuid.uuid4(), uuid.uuid4()
    handled, open_late, elsewhere = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    async with db.transaction() as store:
        await store.conn.execute(
            "INSERT INTO account_jurisdiction (account_id, province_code) VALUES ($1, '110000'), ($2, '310000')",
            beijing_author,
            shanghai_author,
        )
        await handlers.see_case(store, _seen(handled, beijing_author, version=2, complaints=3))
        await handlers.see_case(store, _seen(handled, beijing_author, version=1, complaints=1))  # late: ignored
        await handlers.see_case(store, _seen(open_late, beijing_author, version=1, complaints=1, hours=-1))
        await handlers.see_case(store, _seen(elsewhere, shanghai_author, version=1, complaints=2))
        resolved = CaseResolved(handled, "post", beijing_author, RUMOUR, True, "stop", NOW - timedelta(hours=1))
        await handlers.resolve_case(store, resolved)
        await handlers.resolve_case(store, replace(resolved, upheld=False))  # once

    beijing = Office(uuid.uuid4(), "Beijing", "110000")
    read = await api.complaint_statistics(beijing, db, since=None, until=None)
    [rumours] = read.categories
    assert read.jurisdiction == "110000" and read.until - read.since == timedelta(days=30)
    assert (rumours.category, rumours.cases, rumours.complaints, rumours.handled) == (RUMOUR, 2, 4, 1)
    assert rumours.breaches == 1 and rumours.median_handling_s == pytest.approx(3600, abs=1)
    assert (rumours.upheld_rate, rumours.dismissed_rate) == (1.0, 0.0)

    national = await api.complaint_statistics(Office(uuid.uuid4(), "CAC", NATIONAL), db, since=None, until=None)
    assert [(c.cases, c.complaints) for c in national.categories] == [(3, 6)]
