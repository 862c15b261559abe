"""Reporting's SQL: complaints, the projection of who wrote each post, and the outbox rows that
announce complaints. ``Store`` is the port the handlers use; ``PgStore`` its asyncpg adapter."""

from __future__ import annotations

import uuid
from contextlib import AbstractAsyncContextManager
from typing import Protocol

import asyncpg
from kit.outbox import OutboxRow
from kit.unit import Database as KitDatabase
from kit.unit import Unit

from reporting.domain import Complaint, ComplaintReason, ComplaintStatus, Outcome, reason


class Store(Protocol):
    """What the handlers need of reporting's tables, inside one transaction."""

    async def record_post_author(self, post_id: uuid.UUID, author_id: uuid.UUID) -> None: ...
    async def post_author(self, post_id: uuid.UUID) -> uuid.UUID | None: ...
    async def insert_complaint(
        self,
        *,
        complainant_id: uuid.UUID,
        target_type: str,
        target_id: uuid.UUID,
        author_id: uuid.UUID,
        reason: ComplaintReason,
        detail: str,
        idempotency_key: str | None,
    ) -> Complaint | None: ...
    async def complaint_by_key(self, complainant_id: uuid.UUID, key: str | None) -> Complaint: ...
    async def complaint(self, complaint_id: uuid.UUID, *, for_update: bool = False) -> Complaint | None: ...
    async def record_outcome(self, complaint_id: uuid.UUID, outcome: Outcome) -> Complaint: ...
    async def announce(self, row: OutboxRow) -> None: ...


class Database(Protocol):
    """Where the handlers open their transactions."""

    def transaction(self) -> AbstractAsyncContextManager[Store]: ...


def _complaint(row: asyncpg.Record) -> Complaint:
    return Complaint(
        id=row["id"],
        complainant_id=row["complainant_id"],
        target_type=row["target_type"],
        target_id=row["target_id"],
        author_id=row["author_id"],
        reason=reason(row["reason"]),
        detail=row["detail"],
        status=ComplaintStatus(row["status"]),
        filed_at=row["filed_at"],
        upheld=row["upheld"],
        account_id=row["account_id"],
        outcome_note=row["outcome_note"],
        decided_by=row["decided_by"],
        decided_at=row["decided_at"],
    )


class PgStore(Unit):
    async def record_post_author(self, post_id: uuid.UUID, author_id: uuid.UUID) -> None:
        """A post announced (again: content re-announces a post that waits): its author, once."""
        await self.conn.execute(
            "INSERT INTO post_author (post_id, author_id) VALUES ($1, $2) ON CONFLICT (post_id) DO NOTHING",
            post_id,
            author_id,
        )

    async def post_author(self, post_id: uuid.UUID) -> uuid.UUID | None:
        return await self.conn.fetchval("SELECT author_id FROM post_author WHERE post_id = $1", post_id)

    async def insert_complaint(
        self,
        *,
        complainant_id: uuid.UUID,
        target_type: str,
        target_id: uuid.UUID,
        author_id: uuid.UUID,
        reason: ComplaintReason,
        detail: str,
        idempotency_key: str | None,
    ) -> Complaint | None:
        """The new complaint, or None when the complainant filed one with this idempotency key already."""
        row = await self.conn.fetchrow(
            """INSERT INTO complaint (id, complainant_id, target_type, target_id, author_id, reason, detail,
                                      idempotency_key)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING *""",
            uuid.uuid4(),
            complainant_id,
            target_type,
            target_id,
            author_id,
            reason.value,
            detail,
            idempotency_key,
        )
        return _complaint(row) if row else None

    async def complaint_by_key(self, complainant_id: uuid.UUID, key: str | None) -> Complaint:
        row = await self.conn.fetchrow(
            "SELECT * FROM complaint WHERE complainant_id = $1 AND idempotency_key = $2", complainant_id, key
        )
        return _complaint(row)

    async def complaint(self, complaint_id: uuid.UUID, *, for_update: bool = False) -> Complaint | None:
        lock = " FOR UPDATE" if for_update else ""
        row = await self.conn.fetchrow(f"SELECT * FROM complaint WHERE id = $1{lock}", complaint_id)  # noqa: S608 - fixed clause
        return _complaint(row) if row else None

    async def record_outcome(self, complaint_id: uuid.UUID, outcome: Outcome) -> Complaint:
        row = await self.conn.fetchrow(
            """UPDATE complaint SET status = $2, upheld = $3, account_id = $4, outcome_note = $5, decided_by = $6,
                      decided_at = now()
                WHERE id = $1 RETURNING *""",
            complaint_id,
            outcome.status.value,
            outcome.upheld,
            outcome.account_id,
            outcome.note,
            outcome.decided_by,
        )
        return _complaint(row)


class PgDatabase(KitDatabase[PgStore]):
    def __init__(self, pool: asyncpg.Pool) -> None:
        super().__init__(pool, PgStore)
