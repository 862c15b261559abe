"""Long jobs with progress (the `job` table of kit_0005_jobs.sql, in every service's database).

A command that starts long work records a job in its own transaction and answers with the job's id; the
work advances the job in the same transaction as each of its batches, so ``done`` (and the ``cursor`` the
work resumes from) is exact after a crash. A worker claims queued jobs, and running ones whose heartbeat
stopped (their process died), with ``FOR UPDATE SKIP LOCKED``; the work must be idempotent per batch on its
business key, as every consumer is. The kit knows no job kind: each service names its own.

    async with db.transaction() as tx:
        job = await tx.jobs.start(kind="rumour.retro_scan", subject=str(rumour_id), requested_by=actor)
    ...
    async with db.transaction() as tx:
        ...  # the batch's own writes
        await tx.jobs.advance(job["id"], by=len(batch), cursor=[...])
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Literal

import asyncpg
from pydantic import BaseModel, Field

from kit.pagination import decode_cursor, page
from kit.problems import NotFound

JobState = Literal["queued", "running", "done", "failed"]
OPEN_STATES = ("queued", "running")


class JobStore:
    """SQL for the `job` table, on the caller's connection (and transaction)."""

    def __init__(self, conn: asyncpg.Connection | asyncpg.Pool) -> None:
        self.conn = conn

    async def start(
        self,
        *,
        kind: str,
        requested_by: str,
        subject: str = "",
        total: int | None = None,
        running: bool = False,
        detail: Mapping[str, Any] | None = None,
    ) -> asyncpg.Record:
        """A new job, queued for a worker (or ``running`` when the caller does the work itself)."""
        return await self.conn.fetchrow(
            """INSERT INTO job (id, kind, state, total, subject, detail, requested_by, started_at, heartbeat_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7,
                       CASE WHEN $3 = 'running' THEN now() END, CASE WHEN $3 = 'running' THEN now() END)
               RETURNING *""",
            uuid.uuid4(),
            kind,
            "running" if running else "queued",
            total,
            subject,
            json.dumps(dict(detail or {})),
            requested_by,
        )

    async def claim(self, kinds: Sequence[str], *, stale_after_s: float) -> asyncpg.Record | None:
        """The oldest queued job of these kinds, or a running one abandoned (no heartbeat for
        ``stale_after_s``), now running in the caller's hands."""
        return await self.conn.fetchrow(
            """UPDATE job SET state = 'running', started_at = coalesce(started_at, now()), heartbeat_at = now()
                WHERE id = (SELECT id FROM job
                             WHERE kind = ANY($1::text[])
                               AND (state = 'queued'
                                    OR (state = 'running' AND heartbeat_at < now() - make_interval(secs => $2)))
                             ORDER BY requested_at LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING *""",
            list(kinds),
            stale_after_s,
        )

    async def advance(
        self,
        job_id: uuid.UUID,
        *,
        by: int = 0,
        cursor: Any = None,
        total: int | None = None,
        counts: Mapping[str, int] | None = None,
    ) -> bool:
        """``by`` more units done (and the cursor to resume from, the total if now known, counters added
        to ``detail``), in the caller's transaction: with the batch's own writes. False when the job is no
        longer running (failed, or finished by another process): the caller stops and rolls back."""
        status = await self.conn.execute(
            """UPDATE job SET done = done + $2, heartbeat_at = now(),
                      cursor = CASE WHEN $3::jsonb IS NULL THEN cursor ELSE $3::jsonb END,
                      total = coalesce($4, total),
                      detail = detail || coalesce((SELECT jsonb_object_agg(c.key, coalesce((detail->>c.key)::bigint, 0)
                                                                          + c.value::bigint)
                                                     FROM jsonb_each_text($5::jsonb) AS c), '{}'::jsonb)
                WHERE id = $1 AND state = 'running'""",
            job_id,
            by,
            None if cursor is None else json.dumps(cursor),
            total,
            json.dumps(dict(counts or {})),
        )
        return status.endswith(" 1")

    async def finish(self, job_id: uuid.UUID) -> asyncpg.Record | None:
        """Done: when the total was not known, it is what was done."""
        return await self.conn.fetchrow(
            """UPDATE job SET state = 'done', finished_at = now(), heartbeat_at = now(), total = coalesce(total, done)
                WHERE id = $1 AND state IN ('queued', 'running') RETURNING *""",
            job_id,
        )

    async def fail(self, job_id: uuid.UUID, error: str) -> asyncpg.Record | None:
        """Failed for good (not a crash: a crashed job is taken over), with what went wrong (no personal data)."""
        return await self.conn.fetchrow(
            """UPDATE job SET state = 'failed', finished_at = now(), error = $2
                WHERE id = $1 AND state IN ('queued', 'running') RETURNING *""",
            job_id,
            error[:2000],
        )

    async def get(self, job_id: uuid.UUID) -> asyncpg.Record | None:
        return await self.conn.fetchrow("SELECT * FROM job WHERE id = $1", job_id)

    async def open_job(self, kind: str, subject: str) -> asyncpg.Record | None:
        """The queued or running job of this kind on this subject, if any."""
        return await self.conn.fetchrow(
            """SELECT * FROM job WHERE kind = $1 AND subject = $2 AND state IN ('queued', 'running')
                ORDER BY requested_at DESC LIMIT 1""",
            kind,
            subject,
        )

    async def newest_first(
        self,
        *,
        kind: str | None,
        state: str | None,
        subject: str | None = None,
        before: tuple[datetime, uuid.UUID] | None,
        limit: int,
    ) -> list[asyncpg.Record]:
        """Newest first, before the keyset cursor (requested_at, id)."""
        before_at, before_id = before or (None, None)
        return await self.conn.fetch(
            """SELECT * FROM job
                WHERE ($1::text IS NULL OR kind = $1) AND ($2::text IS NULL OR state = $2)
                  AND ($3::text IS NULL OR subject = $3)
                  AND ($4::timestamptz IS NULL OR (requested_at, id) < ($4, $5::uuid))
                ORDER BY requested_at DESC, id DESC LIMIT $6""",
            kind,
            state,
            subject,
            before_at,
            before_id,
            limit,
        )


class MemoryJobStore:
    """JobStore's behaviour in memory, for fast handler tests (no database)."""

    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, dict[str, Any]] = {}

    async def start(
        self,
        *,
        kind: str,
        requested_by: str,
        subject: str = "",
        total: int | None = None,
        running: bool = False,
        detail: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        job_id = uuid.uuid4()
        self.rows[job_id] = {
            "id": job_id,
            "kind": kind,
            "state": "running" if running else "queued",
            "done": 0,
            "total": total,
            "subject": subject,
            "detail": dict(detail or {}),
            "cursor": None,
            "requested_by": requested_by,
            "error": None,
        }
        return self.rows[job_id]

    async def advance(
        self,
        job_id: uuid.UUID,
        *,
        by: int = 0,
        cursor: Any = None,
        total: int | None = None,
        counts: Mapping[str, int] | None = None,
    ) -> bool:
        job = self.rows[job_id]
        if job["state"] != "running":
            return False
        job["done"] += by
        job["cursor"] = job["cursor"] if cursor is None else json.dumps(cursor)
        job["total"] = job["total"] if total is None else total
        for key, value in (counts or {}).items():
            job["detail"][key] = job["detail"].get(key, 0) + value
        return True

    async def finish(self, job_id: uuid.UUID) -> dict[str, Any] | None:
        job = self.rows[job_id]
        if job["state"] not in OPEN_STATES:
            return None
        job.update(state="done", total=job["done"] if job["total"] is None else job["total"])
        return job

    async def fail(self, job_id: uuid.UUID, error: str) -> dict[str, Any] | None:
        job = self.rows.get(job_id)
        if job is None or job["state"] not in OPEN_STATES:
            return None
        job.update(state="failed", error=error)
        return job

    async def get(self, job_id: uuid.UUID) -> dict[str, Any] | None:
        return self.rows.get(job_id)


async def jobs_page(
    store: JobStore,
    *,
    kind: str | None,
    state: str | None,
    subject: str | None = None,
    cursor: str | None,
    limit: int,
) -> tuple[list[asyncpg.Record], str | None]:
    """One cursor page of jobs, newest first."""
    before = decode_cursor(cursor, datetime, uuid.UUID) if cursor else None
    rows = await store.newest_first(kind=kind, state=state, subject=subject, before=before, limit=limit + 1)
    shown = page(rows, limit, lambda r: (r["requested_at"], r["id"]))
    return shown["items"], shown["next_cursor"]


async def job_or_not_found(store: JobStore, job_id: uuid.UUID) -> asyncpg.Record:
    """The job, or a 404 problem."""
    row = await store.get(job_id)
    if row is None:
        raise NotFound("No such job.")
    return row


class JobRead(BaseModel):
    """A long job as staff follow it: how far it has come (``done`` of ``total``; ``total`` null while
    not known yet) and how it ended."""

    id: str
    kind: str
    state: JobState
    done: int
    total: int | None
    progress: float | None = Field(description="done / total, 0..1; null while the total is not known")
    subject: str
    detail: dict[str, Any]
    requested_by: str
    requested_at: str
    started_at: str | None
    finished_at: str | None
    error: str | None


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def job_read(row: Mapping[str, Any]) -> JobRead:
    total = row["total"]
    return JobRead(
        id=str(row["id"]),
        kind=row["kind"],
        state=row["state"],
        done=row["done"],
        total=total,
        progress=(min(1.0, row["done"] / total) if total else (1.0 if row["state"] == "done" else None)),
        subject=row["subject"],
        detail=json.loads(row["detail"]) if isinstance(row["detail"], str) else dict(row["detail"]),
        requested_by=row["requested_by"],
        requested_at=row["requested_at"].isoformat(),
        started_at=_iso(row["started_at"]),
        finished_at=_iso(row["finished_at"]),
        error=row["error"],
    )


class JobStarted(BaseModel):
    """What a command that starts a job answers besides its own body: follow ``job_id`` (``Location``)."""

    job_id: str
