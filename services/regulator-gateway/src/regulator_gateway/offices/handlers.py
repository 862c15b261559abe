"""Creating an office (operator command) and authenticating one by its API key (every request)."""

from __future__ import annotations

import uuid

from regulator_gateway.database import Database
from regulator_gateway.offices import domain
from regulator_gateway.offices.domain import Office
from regulator_gateway.offices.store import OfficeStore


async def create_office(db: Database[OfficeStore], *, name: str, jurisdiction: str) -> tuple[Office, str]:
    """A new office and its API key, shown only this once (only its SHA-256 is stored)."""
    office = Office(uuid.uuid4(), name, domain.check_jurisdiction(jurisdiction))
    api_key = domain.new_api_key()
    async with db.transaction() as store:
        await store.insert_office(office, domain.key_hash(api_key))
    return office, api_key


async def authenticate(db: Database[OfficeStore], api_key: str | None, *, method: str, path: str) -> Office:
    """MB-16.1: the office holding this key; the access is recorded."""
    if api_key is None:
        raise domain.MissingApiKey("Send the office's API key: 'Authorization: Bearer qlr_...'.")
    async with db.transaction() as store:
        office = await store.office_by_key(domain.key_hash(api_key))
        if office is None:
            raise domain.UnknownApiKey("Unknown or revoked API key.")
        await store.record_access(office, method, path)
    return office
