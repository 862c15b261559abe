"""SQL of regulator offices, their keys, their rate windows and the record of their accesses (MB-16.1)."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Protocol

import asyncpg
from kit.unit import Unit

from regulator_gateway.offices.domain import Access, AccessQuery, Caller, Office, OfficeKey


class OfficeStore(Protocol):
    async def insert_office(self, office: Office) -> None: ...
    async def office(self, office_id: uuid.UUID) -> Office | None: ...
    async def insert_key(self, office_id: uuid.UUID, key_id: str, key_hash: bytes) -> OfficeKey: ...
    async def caller_by_key(self, key_hash: bytes) -> Caller | None: ...
    async def keys(self, office_id: uuid.UUID) -> list[OfficeKey]: ...
    async def expire_keys(self, office_id: uuid.UUID, at: datetime, *, sparing: str) -> list[OfficeKey]: ...
    async def revoke_keys(self, office_id: uuid.UUID, key_id: str | None) -> list[OfficeKey]: ...
    async def count_request(self, office_id: uuid.UUID) -> tuple[int, datetime, datetime]: ...
    async def prune_rate_windows(self) -> int: ...
    async def record_access(self, access: Access) -> None: ...
    async def accesses(self, query: AccessQuery) -> list[Access]: ...


_LIVE = "revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())"


def _key(row: asyncpg.Record) -> OfficeKey:
    return OfficeKey(row["id"], row["office_id"], row["created_at"], row["expires_at"], row["revoked_at"])


def _access(row: asyncpg.Record) -> Access:
    return Access(
        office_id=row["office_id"],
        key_id=row["key_id"] or "",
        method=row["method"],
        path=row["path"],
        route=row["route"] or row["path"],  # accesses recorded before issue 15 have no route
        status=row["status"] or 0,  # nor a status
        filters=json.loads(row["filters"]) if isinstance(row["filters"], str) else dict(row["filters"]),
        accessed_at=row["accessed_at"],
        id=row["id"],
    )


class PgOfficeStore(Unit):
    async def insert_office(self, office: Office) -> None:
        await self.conn.execute(
            "INSERT INTO regulator_office (id, name, jurisdiction) VALUES ($1, $2, $3)",
            office.id,
            office.name,
            office.jurisdiction,
        )

    async def office(self, office_id: uuid.UUID) -> Office | None:
        row = await self.conn.fetchrow("SELECT id, name, jurisdiction FROM regulator_office WHERE id = $1", office_id)
        return Office(row["id"], row["name"], row["jurisdiction"]) if row else None

    async def insert_key(self, office_id: uuid.UUID, key_id: str, key_hash: bytes) -> OfficeKey:
        row = await self.conn.fetchrow(
            "INSERT INTO office_key (id, office_id, key_hash) VALUES ($1, $2, $3) RETURNING *",
            key_id,
            office_id,
            key_hash,
        )
        return _key(row)

    async def caller_by_key(self, key_hash: bytes) -> Caller | None:
        """The office holding this key, unless the key was revoked or expired (or the office switched off)."""
        row = await self.conn.fetchrow(
            """SELECT o.id, o.name, o.jurisdiction, k.id AS key_id
                 FROM office_key k JOIN regulator_office o ON o.id = k.office_id
                WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())
                  AND o.revoked_at IS NULL""",
            key_hash,
        )
        return Caller(Office(row["id"], row["name"], row["jurisdiction"]), row["key_id"]) if row else None

    async def keys(self, office_id: uuid.UUID) -> list[OfficeKey]:
        rows = await self.conn.fetch("SELECT * FROM office_key WHERE office_id = $1 ORDER BY created_at, id", office_id)
        return [_key(r) for r in rows]

    async def expire_keys(self, office_id: uuid.UUID, at: datetime, *, sparing: str) -> list[OfficeKey]:
        """Every live key of the office but ``sparing`` stops working at ``at`` (or sooner, if it already would)."""
        rows = await self.conn.fetch(
            f"""UPDATE office_key SET expires_at = LEAST(COALESCE(expires_at, $2), $2)
                 WHERE office_id = $1 AND id <> $3 AND {_LIVE} RETURNING *""",  # noqa: S608 - fixed clause
            office_id,
            at,
            sparing,
        )
        return [_key(r) for r in rows]

    async def revoke_keys(self, office_id: uuid.UUID, key_id: str | None) -> list[OfficeKey]:
        """The office's live key ``key_id`` (every live key: None) stops working now."""
        rows = await self.conn.fetch(
            f"""UPDATE office_key SET revoked_at = now()
                 WHERE office_id = $1 AND ($2::text IS NULL OR id = $2) AND {_LIVE} RETURNING *""",  # noqa: S608
            office_id,
            key_id,
        )
        return [_key(r) for r in rows]

    async def count_request(self, office_id: uuid.UUID) -> tuple[int, datetime, datetime]:
        """One more request in the office's current minute: the count so far, the window's start and now
        (the database's clock: the same for every process)."""
        row = await self.conn.fetchrow(
            """INSERT INTO office_rate_window (office_id, window_start, requests)
               VALUES ($1, date_trunc('minute', now()), 1)
               ON CONFLICT (office_id, window_start) DO UPDATE SET requests = office_rate_window.requests + 1
               RETURNING requests, window_start, now() AS now""",
            office_id,
        )
        return row["requests"], row["window_start"], row["now"]

    async def prune_rate_windows(self) -> int:
        done = await self.conn.execute(
            "DELETE FROM office_rate_window WHERE window_start < date_trunc('minute', now()) - interval '5 minutes'"
        )
        return int(done.split()[-1])

    async def record_access(self, access: Access) -> None:
        await self.conn.execute(
            """INSERT INTO regulator_access (office_id, method, path, route, status, key_id, filters)
               VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)""",
            access.office_id,
            access.method,
            access.path,
            access.route,
            access.status,
            access.key_id,
            json.dumps(access.filters),
        )

    async def accesses(self, query: AccessQuery) -> list[Access]:
        """Keyset pages in (accessed_at, id) order."""
        rows = await self.conn.fetch(
            """SELECT * FROM regulator_access
                WHERE ($1::uuid IS NULL OR office_id = $1)
                  AND ($2::timestamptz IS NULL OR accessed_at >= $2)
                  AND ($3::timestamptz IS NULL OR accessed_at < $3)
                  AND ($4::timestamptz IS NULL OR (accessed_at, id) > ($4, $5))
                ORDER BY accessed_at, id LIMIT $6""",
            query.office_id,
            query.since,
            query.until,
            query.after[0] if query.after else None,
            query.after[1] if query.after else None,
            query.limit,
        )
        return [_access(r) for r in rows]
