"""SQL of filings."""

from __future__ import annotations

import json
import uuid
from typing import Protocol

import asyncpg
from kit.unit import Unit

from regulator_gateway.filings.domain import Filing, FilingQuery, NewFiling


class FilingStore(Protocol):
    async def file(self, filing: NewFiling) -> None: ...
    async def file_new(self, filing: NewFiling) -> Filing: ...
    async def filing(self, filing_id: uuid.UUID, *, for_update: bool = False) -> Filing | None: ...
    async def filings(self, query: FilingQuery) -> list[Filing]: ...
    async def acknowledge(self, filing_id: uuid.UUID, office_id: uuid.UUID, receipt_number: str) -> Filing: ...


def _filing(r: asyncpg.Record) -> Filing:
    return Filing(
        id=r["id"],
        kind=r["kind"],
        account_id=r["account_id"],
        province_code=r["province_code"],
        legal_basis=list(r["legal_basis"]),
        details=json.loads(r["details"]),
        filed_at=r["filed_at"],
        acknowledged_at=r["acknowledged_at"],
        acknowledged_by=r["acknowledged_by"],
        receipt_number=r["receipt_number"],
    )


class PgFilingStore(Unit):
    async def file(self, filing: NewFiling) -> None:
        """The filing, once per announcing event."""
        await self.conn.execute(
            """INSERT INTO filing (id, event_id, kind, account_id, province_code, legal_basis, details)
               VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (event_id) DO NOTHING""",
            uuid.uuid4(),
            filing.event_id,
            filing.kind.value,
            filing.account_id,
            filing.province_code,
            filing.legal_basis,
            json.dumps(filing.details),
        )

    async def file_new(self, filing: NewFiling) -> Filing:
        """A filing the platform makes itself (not from an event): its ``event_id`` names its origin."""
        row = await self.conn.fetchrow(
            """INSERT INTO filing (id, event_id, kind, account_id, province_code, legal_basis, details)
               VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *""",
            uuid.uuid4(),
            filing.event_id,
            filing.kind.value,
            filing.account_id,
            filing.province_code,
            filing.legal_basis,
            json.dumps(filing.details),
        )
        return _filing(row)

    async def filing(self, filing_id: uuid.UUID, *, for_update: bool = False) -> Filing | None:
        lock = " FOR UPDATE" if for_update else ""
        row = await self.conn.fetchrow(f"SELECT * FROM filing WHERE id = $1{lock}", filing_id)  # noqa: S608 - fixed clause
        return _filing(row) if row else None

    async def filings(self, query: FilingQuery) -> list[Filing]:
        """Keyset pages in (filed_at, id) order."""
        rows = await self.conn.fetch(
            """SELECT * FROM filing
                WHERE ($1::text IS NULL OR province_code = $1)
                  AND ($2::text IS NULL OR kind = $2)
                  AND ($3::timestamptz IS NULL OR (filed_at, id) > ($3, $4))
                ORDER BY filed_at, id LIMIT $5""",
            query.province_code,
            query.kind,
            query.after[0] if query.after else None,
            query.after[1] if query.after else None,
            query.limit,
        )
        return [_filing(r) for r in rows]

    async def acknowledge(self, filing_id: uuid.UUID, office_id: uuid.UUID, receipt_number: str) -> Filing:
        row = await self.conn.fetchrow(
            """UPDATE filing SET acknowledged_at = now(), acknowledged_by = $2, receipt_number = $3
                WHERE id = $1 RETURNING *""",
            filing_id,
            office_id,
            receipt_number,
        )
        return _filing(row)
