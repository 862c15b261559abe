"""Filings on an in-memory store (fast): one per announcement, listed by jurisdiction a page after
another (MB-16.1)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import pytest
from regulator_gateway.filings import handlers
from regulator_gateway.filings.domain import Filing, FilingKind, FilingQuery, NewFiling
from regulator_gateway.offices.domain import NATIONAL, Office


class FakeFilingStore:
    def __init__(self) -> None:
        self.rows: dict[str, Filing] = {}
        self.moment = datetime(2026, 1, 1, tzinfo=UTC)  # every filing at once: pages must break ties by id

    async def file(self, filing: NewFiling) -> None:
        if filing.event_id not in self.rows:
            self.rows[filing.event_id] = Filing(
                id=uuid.uuid4(),
                kind=filing.kind.value,
                account_id=filing.account_id,
                province_code=filing.province_code,
                legal_basis=filing.legal_basis,
                details=filing.details,
                filed_at=self.moment,
            )

    async def filings(self, query: FilingQuery) -> list[Filing]:
        return [
            f
            for f in sorted(self.rows.values(), key=lambda f: (f.filed_at, f.id))
            if (query.province_code is None or f.province_code == query.province_code)
            and (query.kind is None or f.kind == query.kind)
            and (query.after is None or (f.filed_at, f.id) > query.after)
        ][: query.limit]


class FakeDatabase:
    def __init__(self) -> None:
        self.store = FakeFilingStore()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[FakeFilingStore]:
        yield self.store


def blacklisting(province: str | None) -> NewFiling:
    return NewFiling(str(uuid.uuid4()), FilingKind.BLACKLIST, uuid.uuid4(), province, ["PA-13.2"], {"reason": "x"})


@pytest.mark.requirement("PA-13.2")
async def test_an_announcement_is_filed_once() -> None:
    db = FakeDatabase()
    filing = blacklisting("110000")
    await handlers.file(db.store, filing)
    await handlers.file(db.store, filing)
    assert len(db.store.rows) == 1


@pytest.mark.requirement("MB-16.1")
async def test_an_office_reads_every_filing_of_its_province_once_a_page_after_another() -> None:
    db = FakeDatabase()
    for province in ["110000"] * 7 + ["310000"] * 3 + [None]:
        await handlers.file(db.store, blacklisting(province))
    beijing = Office(uuid.uuid4(), "Beijing", "110000")
    read: list[Filing] = []
    after = None
    while page := await handlers.list_filings(db, beijing, kind="blacklist", after=after, limit=3):
        read += page
        after = (page[-1].filed_at, page[-1].id)
    assert len(read) == 7 and len({f.id for f in read}) == 7 and {f.province_code for f in read} == {"110000"}
    national = Office(uuid.uuid4(), "CAC", NATIONAL)
    assert len(await handlers.list_filings(db, national, kind=None, after=None, limit=100)) == 11
    assert await handlers.list_filings(db, national, kind="grading_rules", after=None, limit=100) == []
