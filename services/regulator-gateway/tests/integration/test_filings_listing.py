"""`GET /v1/regulator/filings` had no cursor: filings beyond the first page (at most 1,000) could never
be read. On a real database, an office reads more filings than fit a page, each exactly once, through
the cursor the listing gives (MB-16.1) — filings filed in one transaction share their filed_at."""

from __future__ import annotations

import uuid

import asyncpg
import pytest
from devstack.testing import Infra
from kit.db import apply_migrations
from regulator_gateway.database import PgDatabase
from regulator_gateway.filings import api, handlers
from regulator_gateway.filings.domain import FilingKind, NewFiling
from regulator_gateway.filings.store import PgFilingStore
from regulator_gateway.main import MIGRATIONS
from regulator_gateway.offices.domain import NATIONAL, Office


def filing(province: str | None, kind: FilingKind = FilingKind.BLACKLIST) -> NewFiling:
    return NewFiling(str(uuid.uuid4()), kind, uuid.uuid4(), province, ["PA-13.2"], {"n": 1})


@pytest.mark.requirement("MB-16.1")
async def test_every_filing_is_read_exactly_once_through_the_cursor(infra: Infra) -> None:
    url = infra.fresh_database()
    apply_migrations(url, MIGRATIONS)
    pool = await asyncpg.create_pool(url, min_size=1, max_size=2)
    try:
        db = PgDatabase(pool, PgFilingStore)
        async with db.transaction() as store:  # one transaction: 40 filings with the same filed_at
            for province in ["110000"] * 25 + ["310000"] * 10 + [None] * 5:
                await handlers.file(store, filing(province))
        async with db.transaction() as store:  # and more, later
            for _ in range(6):
                await handlers.file(store, filing("110000", FilingKind.VERIFIED_ACCOUNT))

        async def read_all(office: Office, kind: str | None, limit: int) -> list[str]:
            ids: list[str] = []
            cursor = None
            while True:
                page = await api.list_filings(office, db, kind=kind, limit=limit, cursor=cursor)
                assert len(page.items) <= limit
                ids += [f.id for f in page.items]
                if page.next_cursor is None:
                    return ids
                cursor = page.next_cursor

        beijing = Office(uuid.uuid4(), "Beijing", "110000")
        national = Office(uuid.uuid4(), "CAC", NATIONAL)
        for office, kind, limit, expected in [
            (beijing, None, 7, 31),
            (beijing, "blacklist", 5, 25),  # a page boundary on the last one
            (national, None, 4, 46),
            (national, None, 1000, 46),
        ]:
            ids = await read_all(office, kind, limit)
            assert len(ids) == expected and len(set(ids)) == expected, (office.name, kind, limit)
    finally:
        await pool.close()
