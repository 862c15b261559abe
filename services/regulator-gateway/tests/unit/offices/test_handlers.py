"""Offices on an in-memory store (fast): created with a key shown once, authenticated by it, every
access recorded (MB-16.1)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from regulator_gateway.offices import handlers
from regulator_gateway.offices.domain import InvalidJurisdiction, MissingApiKey, Office, UnknownApiKey


class FakeOfficeStore:
    def __init__(self) -> None:
        self.offices: dict[bytes, Office] = {}
        self.accesses: list[tuple[Office, str, str]] = []

    async def insert_office(self, office: Office, key_hash: bytes) -> None:
        self.offices[key_hash] = office

    async def office_by_key(self, key_hash: bytes) -> Office | None:
        return self.offices.get(key_hash)

    async def record_access(self, office: Office, method: str, path: str) -> None:
        self.accesses.append((office, method, path))


class FakeDatabase:
    def __init__(self) -> None:
        self.store = FakeOfficeStore()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[FakeOfficeStore]:
        yield self.store


@pytest.mark.requirement("MB-16.1")
async def test_an_office_is_known_by_its_key_and_every_access_is_recorded() -> None:
    db = FakeDatabase()
    office, api_key = await handlers.create_office(db, name="Beijing office", jurisdiction="110000")
    assert api_key.encode() not in b"".join(db.store.offices)  # only the key's hash is kept
    assert await handlers.authenticate(db, api_key, method="GET", path="/v1/regulator/reports") == office
    assert db.store.accesses == [(office, "GET", "/v1/regulator/reports")]


@pytest.mark.requirement("MB-16.1")
async def test_no_key_or_an_unknown_one_is_refused_and_no_office_is_created_for_a_bad_jurisdiction() -> None:
    db = FakeDatabase()
    with pytest.raises(MissingApiKey):
        await handlers.authenticate(db, None, method="GET", path="/")
    with pytest.raises(UnknownApiKey):
        await handlers.authenticate(db, "qlr_wrong", method="GET", path="/")
    with pytest.raises(InvalidJurisdiction):
        await handlers.create_office(db, name="Nowhere", jurisdiction="123")
    assert not db.store.offices and not db.store.accesses
