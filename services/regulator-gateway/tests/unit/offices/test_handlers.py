"""Offices on an in-memory store (fast): created with a key shown once and authenticated by it; no key, an
unknown one or a bad jurisdiction refused (MB-16.1). Keys' rotation, revocation, the rate limit and the access
record run on a real PostgreSQL (tests/integration/test_office_keys.py, test_office_accesses.py)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import pytest
from regulator_gateway.offices import handlers
from regulator_gateway.offices.domain import (
    Caller,
    InvalidJurisdiction,
    MissingApiKey,
    Office,
    OfficeKey,
    UnknownApiKey,
)


class FakeOfficeStore:
    def __init__(self) -> None:
        self.offices: dict[uuid.UUID, Office] = {}
        self.keys: dict[bytes, tuple[str, uuid.UUID]] = {}

    async def insert_office(self, office: Office) -> None:
        self.offices[office.id] = office

    async def insert_key(self, office_id: uuid.UUID, key_id: str, key_hash: bytes) -> OfficeKey:
        self.keys[key_hash] = (key_id, office_id)
        return OfficeKey(key_id, office_id, datetime.now(UTC))

    async def caller_by_key(self, key_hash: bytes) -> Caller | None:
        found = self.keys.get(key_hash)
        return Caller(self.offices[found[1]], found[0]) if found else None


class FakeDatabase:
    def __init__(self) -> None:
        self.store = FakeOfficeStore()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[FakeOfficeStore]:
        yield self.store

    def reader(self) -> FakeOfficeStore:
        return self.store


@pytest.mark.requirement("MB-16.1")
async def test_an_office_is_known_by_its_key_and_its_key_by_an_id() -> None:
    db = FakeDatabase()
    office, api_key = await handlers.create_office(db, name="Beijing office", jurisdiction="110000")
    assert api_key.encode() not in b"".join(db.store.keys)  # only the key's hash is kept
    caller = await handlers.authenticate(db, api_key)
    assert caller.office == office
    assert len(caller.key_id) == 16 and caller.key_id not in api_key  # a prefix of the hash, not of the key


@pytest.mark.requirement("MB-16.1")
async def test_no_key_or_an_unknown_one_is_refused_and_no_office_is_created_for_a_bad_jurisdiction() -> None:
    db = FakeDatabase()
    with pytest.raises(MissingApiKey):
        await handlers.authenticate(db, None)
    with pytest.raises(UnknownApiKey):
        await handlers.authenticate(db, "qlr_wrong")
    with pytest.raises(InvalidJurisdiction):
        await handlers.create_office(db, name="Nowhere", jurisdiction="123")
    assert not db.store.offices and not db.store.keys
