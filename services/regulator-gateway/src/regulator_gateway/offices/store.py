"""SQL of regulator offices and the record of their accesses (MB-16.1)."""

from __future__ import annotations

from typing import Protocol

from kit.unit import Unit

from regulator_gateway.offices.domain import Office


class OfficeStore(Protocol):
    async def insert_office(self, office: Office, key_hash: bytes) -> None: ...
    async def office_by_key(self, key_hash: bytes) -> Office | None: ...
    async def record_access(self, office: Office, method: str, path: str) -> None: ...


class PgOfficeStore(Unit):
    async def insert_office(self, office: Office, key_hash: bytes) -> None:
        await self.conn.execute(
            "INSERT INTO regulator_office (id, name, jurisdiction, key_hash) VALUES ($1, $2, $3, $4)",
            office.id,
            office.name,
            office.jurisdiction,
            key_hash,
        )

    async def office_by_key(self, key_hash: bytes) -> Office | None:
        """The office holding this key, unless it was revoked."""
        row = await self.conn.fetchrow(
            "SELECT id, name, jurisdiction FROM regulator_office WHERE key_hash = $1 AND revoked_at IS NULL", key_hash
        )
        return Office(row["id"], row["name"], row["jurisdiction"]) if row else None

    async def record_access(self, office: Office, method: str, path: str) -> None:
        await self.conn.execute(
            "INSERT INTO regulator_access (office_id, method, path) VALUES ($1, $2, $3)", office.id, method, path
        )
