"""asyncpg SQL for moderation's policy: lexicon releases, routing rules, rumours, emergency modes,
authors' standing."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from pathlib import Path

import asyncpg

from moderation.engine.lexicon import read_tsv

SEED = "system:seed"
_RELEASE_LOCK = 7_100_001  # pg_advisory_xact_lock key: one release at a time


async def versions(conn: asyncpg.Pool | asyncpg.Connection) -> dict[str, str]:
    """One version string per part of the policy; a part is rebuilt when its string changes."""
    row = await conn.fetchrow(
        """SELECT (SELECT coalesce(max(release), 0) FROM policy_release) AS lexicon,
                  (SELECT coalesce(max(seq), 0) FROM rumour) AS rumours,
                  (SELECT coalesce(max(seq), 0) || '.' || count(ended_at) FROM emergency_mode) AS emergencies"""
    )
    return {"lexicon": str(row["lexicon"]), "rumours": str(row["rumours"]), "emergencies": row["emergencies"]}


async def seed_if_empty(pool: asyncpg.Pool, lexicon_path: Path, routing: dict) -> None:
    """A new database starts from the sample lexicon and the configured routing rules (release 1),
    recorded as a change like any other."""
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", _RELEASE_LOCK)
        if await conn.fetchval("SELECT count(*) FROM policy_release"):
            return
        rows = read_tsv(lexicon_path)
        change_id = uuid.uuid4()
        await conn.execute(
            """INSERT INTO policy_change (id, kind, changes, reason, proposed_by, status, decided_by, decided_at,
                                          decision_note, release)
               VALUES ($1, 'lexicon', $2, $3, $4, 'approved', $4, now(), 'seed', 1)""",
            change_id,
            json.dumps(
                {"add": [dict(zip(("term", "category", "action", "legal_basis"), r, strict=True)) for r in rows]}
            ),
            f"initial lexicon from {lexicon_path.name}",
            SEED,
        )
        await conn.executemany(
            "INSERT INTO lexicon_entry (term, category, action, legal_basis, added_in) VALUES ($1, $2, $3, $4, 1)",
            rows,
        )
        await conn.execute(
            "INSERT INTO policy_release (release, change_id, routing, released_by) VALUES (1, $1, $2, $3)",
            change_id,
            json.dumps(routing),
            SEED,
        )


async def live_entries(conn: asyncpg.Pool | asyncpg.Connection) -> list[tuple]:
    rows = await conn.fetch(
        "SELECT id, term, category, action, legal_basis FROM lexicon_entry WHERE removed_in IS NULL ORDER BY id"
    )
    return [tuple(r) for r in rows]


async def routing(conn: asyncpg.Pool | asyncpg.Connection) -> dict:
    raw = await conn.fetchval("SELECT routing FROM policy_release ORDER BY release DESC LIMIT 1")
    return json.loads(raw) if raw else {}


async def release_info(conn: asyncpg.Pool | asyncpg.Connection) -> asyncpg.Record | None:
    return await conn.fetchrow(
        """SELECT r.release, r.released_by, r.released_at, r.routing, r.change_id,
                  (SELECT count(*) FROM lexicon_entry WHERE removed_in IS NULL) AS entries
             FROM policy_release r ORDER BY release DESC LIMIT 1"""
    )


async def entries_page(
    conn: asyncpg.Pool | asyncpg.Connection, *, category: str | None, after: int, limit: int
) -> list[asyncpg.Record]:
    return await conn.fetch(
        """SELECT * FROM lexicon_entry WHERE removed_in IS NULL AND ($1::text IS NULL OR category = $1) AND id > $2
           ORDER BY id LIMIT $3""",
        category,
        after,
        limit,
    )


# --- policy changes (MB-6.1) -----------------------------------------------------------------


async def insert_change(
    conn: asyncpg.Pool | asyncpg.Connection, *, kind: str, changes: dict, reason: str, proposed_by: str
) -> asyncpg.Record:
    return await conn.fetchrow(
        """INSERT INTO policy_change (id, kind, changes, reason, proposed_by) VALUES ($1, $2, $3, $4, $5)
           RETURNING *""",
        uuid.uuid4(),
        kind,
        json.dumps(changes),
        reason,
        proposed_by,
    )


async def change(conn: asyncpg.Pool | asyncpg.Connection, change_id: uuid.UUID, *, for_update: bool = False):
    lock = " FOR UPDATE" if for_update else ""
    return await conn.fetchrow(f"SELECT * FROM policy_change WHERE id = $1{lock}", change_id)  # noqa: S608


async def changes(conn: asyncpg.Pool | asyncpg.Connection, status: str | None, limit: int) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT * FROM policy_change WHERE ($1::text IS NULL OR status = $1) ORDER BY proposed_at DESC LIMIT $2",
        status,
        limit,
    )


async def live_entry_ids(conn: asyncpg.Connection, ids: list[int]) -> set[int]:
    rows = await conn.fetch("SELECT id FROM lexicon_entry WHERE id = ANY($1::bigint[]) AND removed_in IS NULL", ids)
    return {r["id"] for r in rows}


async def release(conn: asyncpg.Connection, change_row: asyncpg.Record, *, approved_by: str, note: str) -> int:
    """Apply an approved change as the next release, in the caller's transaction; its number."""
    await conn.execute("SELECT pg_advisory_xact_lock($1)", _RELEASE_LOCK)
    number = await conn.fetchval("SELECT coalesce(max(release), 0) + 1 FROM policy_release")
    body = json.loads(change_row["changes"])
    routing_now = await routing(conn)
    if change_row["kind"] == "lexicon":
        await conn.execute(
            "UPDATE lexicon_entry SET removed_in = $1 WHERE id = ANY($2::bigint[]) AND removed_in IS NULL",
            number,
            body.get("remove", []),
        )
        await conn.executemany(
            "INSERT INTO lexicon_entry (term, category, action, legal_basis, added_in) VALUES ($1, $2, $3, $4, $5)",
            [(e["term"], e["category"], e["action"], e["legal_basis"], number) for e in body.get("add", [])],
        )
    else:
        routing_now = {**routing_now, **body["routing"]}
    await conn.execute(
        "INSERT INTO policy_release (release, change_id, routing, released_by) VALUES ($1, $2, $3, $4)",
        number,
        change_row["id"],
        json.dumps(routing_now),
        approved_by,
    )
    await conn.execute(
        """UPDATE policy_change SET status = 'approved', decided_by = $2, decided_at = now(), decision_note = $3,
                  release = $4 WHERE id = $1""",
        change_row["id"],
        approved_by,
        note,
        number,
    )
    return number


async def reject(conn: asyncpg.Connection, change_id: uuid.UUID, *, rejected_by: str, note: str) -> None:
    await conn.execute(
        """UPDATE policy_change SET status = 'rejected', decided_by = $2, decided_at = now(), decision_note = $3
            WHERE id = $1""",
        change_id,
        rejected_by,
        note,
    )


# --- rumours (MB-11) --------------------------------------------------------------------------


async def all_rumours(conn: asyncpg.Pool | asyncpg.Connection) -> list[asyncpg.Record]:
    return await conn.fetch("SELECT * FROM rumour ORDER BY seq")


async def insert_rumour(conn: asyncpg.Connection, **fields: object) -> asyncpg.Record:
    columns = ", ".join(fields)
    placeholders = ", ".join(f"${i}" for i in range(1, len(fields) + 1))
    return await conn.fetchrow(
        f"INSERT INTO rumour ({columns}) VALUES ({placeholders}) RETURNING *",  # noqa: S608 - fixed names
        *fields.values(),
    )


async def rumour(conn: asyncpg.Pool | asyncpg.Connection, rumour_id: uuid.UUID) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT * FROM rumour WHERE id = $1", rumour_id)


async def claim_rumour_scan(conn: asyncpg.Connection, *, stale_after_s: float) -> asyncpg.Record | None:
    """The next rumour whose retro-scan is pending, or running but abandoned (its process died)."""
    return await conn.fetchrow(
        """UPDATE rumour SET scan_status = 'running', scan_heartbeat_at = now()
            WHERE id = (SELECT id FROM rumour
                         WHERE scan_status = 'pending'
                            OR (scan_status = 'running' AND scan_heartbeat_at < now() - make_interval(secs => $1))
                         ORDER BY registered_at LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING *""",
        stale_after_s,
    )


async def trace_source(
    conn: asyncpg.Connection, rumour_id: uuid.UUID, post_id: uuid.UUID, author_id: uuid.UUID, created_at: datetime
) -> None:
    """MB-11: keep the earliest post found spreading the rumour as its traced source."""
    await conn.execute(
        """UPDATE rumour SET source_post_id = $2, source_author_id = $3, source_created_at = $4
            WHERE id = $1 AND (source_created_at IS NULL OR source_created_at > $4)""",
        rumour_id,
        post_id,
        author_id,
        created_at,
    )


# --- emergency modes (MB-6.1) ------------------------------------------------------------------


async def active_emergencies(conn: asyncpg.Pool | asyncpg.Connection) -> list[asyncpg.Record]:
    return await conn.fetch("SELECT * FROM emergency_mode WHERE ended_at IS NULL ORDER BY started_at")


async def start_emergency(conn: asyncpg.Connection, *, scope: str, value: str, reason: str, by: str):
    return await conn.fetchrow(
        """INSERT INTO emergency_mode (id, scope, value, reason, started_by) VALUES ($1, $2, $3, $4, $5)
           RETURNING *""",
        uuid.uuid4(),
        scope,
        value,
        reason,
        by,
    )


async def end_emergency(conn: asyncpg.Connection, emergency_id: uuid.UUID, *, by: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        """UPDATE emergency_mode SET ended_by = $2, ended_at = now() WHERE id = $1 AND ended_at IS NULL
           RETURNING *""",
        emergency_id,
        by,
    )


# --- authors' standing (MB-9) ------------------------------------------------------------------


async def standings(conn: asyncpg.Connection, author_ids: list[uuid.UUID]) -> dict[uuid.UUID, asyncpg.Record]:
    rows = await conn.fetch("SELECT * FROM author_standing WHERE account_id = ANY($1::uuid[])", author_ids)
    return {r["account_id"]: r for r in rows}


async def note_standing(conn: asyncpg.Connection, account_id: uuid.UUID, **fields: object) -> None:
    columns = list(fields)
    sets = ", ".join(f"{c} = coalesce(EXCLUDED.{c}, author_standing.{c})" for c in columns)
    await conn.execute(
        f"""INSERT INTO author_standing (account_id, {", ".join(columns)}) VALUES ($1, {
            ", ".join(f"${i}" for i in range(2, len(columns) + 2))
        })
            ON CONFLICT (account_id) DO UPDATE SET {sets}, updated_at = now()""",  # noqa: S608 - fixed names
        account_id,
        *fields.values(),
    )
