"""asyncpg SQL for moderation's policy: lexicon releases, routing rules, policy changes, rumours and
emergency modes."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from pathlib import Path

import asyncpg

from moderation.engine.decide import Emergency, EmergencyScope
from moderation.engine.lexicon import read_tsv
from moderation.engine.rumours import Rumour, RumourAction

SEED = "system:seed"
_RELEASE_LOCK = 7_100_001  # pg_advisory_xact_lock key: one release at a time


def rumour_from_row(row: asyncpg.Record) -> Rumour:
    return Rumour(
        id=str(row["id"]),
        canonical_text=row["canonical_text"],
        refutation_text=row["refutation_text"],
        refutation_url=row["refutation_url"],
        authority=row["authority"],
        action=RumourAction(row["action"]),
        legal_basis=tuple(row["legal_basis"]),
    )


def emergency_from_row(row: asyncpg.Record) -> Emergency:
    return Emergency(str(row["id"]), EmergencyScope(row["scope"]), row["value"])


class PolicyStore:
    """Lexicon releases, routing rules, policy changes, rumours and emergency modes."""

    def __init__(self, conn: asyncpg.Connection | asyncpg.Pool) -> None:
        self.conn = conn

    async def versions(self) -> dict[str, str]:
        """One version string per part of the policy; a part is rebuilt when its string changes."""
        row = await self.conn.fetchrow(
            """SELECT (SELECT coalesce(max(release), 0) FROM policy_release) AS lexicon,
                      (SELECT coalesce(max(revision), 0) FROM rumour) AS rumours,
                      (SELECT coalesce(max(seq), 0) || '.' || count(ended_at) FROM emergency_mode) AS emergencies"""
        )
        return {"lexicon": str(row["lexicon"]), "rumours": str(row["rumours"]), "emergencies": row["emergencies"]}

    async def seed_if_empty(self, lexicon_path: Path, routing: dict) -> None:
        """A new database starts from the sample lexicon and the configured routing rules (release 1),
        recorded as a change like any other."""
        # in the caller's transaction (pg_advisory_xact_lock)
        await self.conn.execute("SELECT pg_advisory_xact_lock($1)", _RELEASE_LOCK)
        if await self.conn.fetchval("SELECT count(*) FROM policy_release"):
            return
        rows = read_tsv(lexicon_path)
        change_id = uuid.uuid4()
        await self.conn.execute(
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
        await self.conn.executemany(
            "INSERT INTO lexicon_entry (term, category, action, legal_basis, added_in) VALUES ($1, $2, $3, $4, 1)",
            rows,
        )
        await self.conn.execute(
            "INSERT INTO policy_release (release, change_id, routing, released_by) VALUES (1, $1, $2, $3)",
            change_id,
            json.dumps(routing),
            SEED,
        )

    async def live_entries(self) -> list[tuple]:
        rows = await self.conn.fetch(
            "SELECT id, term, category, action, legal_basis FROM lexicon_entry WHERE removed_in IS NULL ORDER BY id"
        )
        return [tuple(r) for r in rows]

    async def routing(self) -> dict:
        raw = await self.conn.fetchval("SELECT routing FROM policy_release ORDER BY release DESC LIMIT 1")
        return json.loads(raw) if raw else {}

    async def release_info(self) -> asyncpg.Record | None:
        return await self.conn.fetchrow(
            """SELECT r.release, r.released_by, r.released_at, r.routing, r.change_id,
                      (SELECT count(*) FROM lexicon_entry WHERE removed_in IS NULL) AS entries
                 FROM policy_release r ORDER BY release DESC LIMIT 1"""
        )

    async def entries_page(self, *, category: str | None, after: int, limit: int) -> list[asyncpg.Record]:
        return await self.conn.fetch(
            """SELECT * FROM lexicon_entry WHERE removed_in IS NULL AND ($1::text IS NULL OR category = $1) AND id > $2
               ORDER BY id LIMIT $3""",
            category,
            after,
            limit,
        )

    async def insert_change(self, *, kind: str, changes: dict, reason: str, proposed_by: str) -> asyncpg.Record:
        return await self.conn.fetchrow(
            """INSERT INTO policy_change (id, kind, changes, reason, proposed_by) VALUES ($1, $2, $3, $4, $5)
               RETURNING *""",
            uuid.uuid4(),
            kind,
            json.dumps(changes),
            reason,
            proposed_by,
        )

    async def insert_change_json(
        self, *, kind: str, changes_json: str, reason: str, proposed_by: str
    ) -> asyncpg.Record:
        """As insert_change, the changes serialised already (a big import: serialised off the event loop)."""
        return await self.conn.fetchrow(
            """INSERT INTO policy_change (id, kind, changes, reason, proposed_by) VALUES ($1, $2, $3, $4, $5)
               RETURNING id, kind, reason, proposed_by, proposed_at, status""",
            uuid.uuid4(),
            kind,
            changes_json,
            reason,
            proposed_by,
        )

    async def change(self, change_id: uuid.UUID, *, for_update: bool = False):
        lock = " FOR UPDATE" if for_update else ""
        return await self.conn.fetchrow(f"SELECT * FROM policy_change WHERE id = $1{lock}", change_id)  # noqa: S608

    async def changes(
        self, status: str | None, *, before: tuple[datetime, uuid.UUID] | None, limit: int, preview: int
    ) -> list[asyncpg.Record]:
        """Newest first, before the keyset cursor (proposed_at, id). Each change's entries cut to the first
        `preview` added and removed, with their counts: an imported lexicon is megabytes of JSON, read whole
        only by the change's own page."""
        before_at, before_id = before or (None, None)
        return await self.conn.fetch(
            """SELECT id, kind, reason, proposed_by, proposed_at, status, decided_by, decided_at, decision_note,
                      release,
                      jsonb_build_object(
                          'add', COALESCE((SELECT jsonb_agg(e) FROM (SELECT e FROM jsonb_array_elements(
                                      changes -> 'add') e LIMIT $5) s), '[]'::jsonb),
                          'remove', COALESCE((SELECT jsonb_agg(e) FROM (SELECT e FROM jsonb_array_elements(
                                      changes -> 'remove') e LIMIT $5) s), '[]'::jsonb),
                          'routing', changes -> 'routing') AS changes,
                      COALESCE(jsonb_array_length(changes -> 'add'), 0) AS add_count,
                      COALESCE(jsonb_array_length(changes -> 'remove'), 0) AS remove_count
                 FROM policy_change
                WHERE ($1::text IS NULL OR status = $1)
                  AND ($2::timestamptz IS NULL OR (proposed_at, id) < ($2, $3::uuid))
                ORDER BY proposed_at DESC, id DESC LIMIT $4""",
            status,
            before_at,
            before_id,
            limit,
            preview,
        )

    async def live_entry_ids(self, ids: list[int]) -> set[int]:
        rows = await self.conn.fetch(
            "SELECT id FROM lexicon_entry WHERE id = ANY($1::bigint[]) AND removed_in IS NULL", ids
        )
        return {r["id"] for r in rows}

    async def release(
        self, change_row: asyncpg.Record, *, approved_by: str, note: str, body: dict | None = None
    ) -> int:
        """Apply an approved change (its `changes`, decoded as `body` when the caller did) as the next
        release, in the caller's transaction; its number."""
        await self.conn.execute("SELECT pg_advisory_xact_lock($1)", _RELEASE_LOCK)
        number = await self.conn.fetchval("SELECT coalesce(max(release), 0) + 1 FROM policy_release")
        body = json.loads(change_row["changes"]) if body is None else body
        routing_now = await self.routing()
        if change_row["kind"] == "lexicon":
            await self.conn.execute(
                "UPDATE lexicon_entry SET removed_in = $1 WHERE id = ANY($2::bigint[]) AND removed_in IS NULL",
                number,
                body.get("remove", []),
            )
            await self.conn.executemany(
                "INSERT INTO lexicon_entry (term, category, action, legal_basis, added_in) VALUES ($1, $2, $3, $4, $5)",
                [(e["term"], e["category"], e["action"], e["legal_basis"], number) for e in body.get("add", [])],
            )
        else:
            routing_now = {**routing_now, **body["routing"]}
        await self.conn.execute(
            "INSERT INTO policy_release (release, change_id, routing, released_by) VALUES ($1, $2, $3, $4)",
            number,
            change_row["id"],
            json.dumps(routing_now),
            approved_by,
        )
        await self.conn.execute(
            """UPDATE policy_change SET status = 'approved', decided_by = $2, decided_at = now(), decision_note = $3,
                      release = $4 WHERE id = $1""",
            change_row["id"],
            approved_by,
            note,
            number,
        )
        return number

    async def reject(self, change_id: uuid.UUID, *, rejected_by: str, note: str) -> None:
        await self.conn.execute(
            """UPDATE policy_change SET status = 'rejected', decided_by = $2, decided_at = now(), decision_note = $3
                WHERE id = $1""",
            change_id,
            rejected_by,
            note,
        )

    async def rumours_page(self, *, after: int, limit: int) -> list[asyncpg.Record]:
        """In order of registration, after the cursor (seq)."""
        return await self.conn.fetch("SELECT * FROM rumour WHERE seq > $1 ORDER BY seq LIMIT $2", after, limit)

    async def all_rumours(self) -> list[asyncpg.Record]:
        """The rumours posts are matched against: all but the withdrawn (MB-11)."""
        return await self.conn.fetch("SELECT * FROM rumour WHERE withdrawn_at IS NULL ORDER BY seq")

    async def insert_rumour(self, **fields: object) -> asyncpg.Record:
        columns = ", ".join(fields)
        placeholders = ", ".join(f"${i}" for i in range(1, len(fields) + 1))
        return await self.conn.fetchrow(
            f"INSERT INTO rumour ({columns}) VALUES ({placeholders}) RETURNING *",  # noqa: S608 - fixed names
            *fields.values(),
        )

    async def rumour(self, rumour_id: uuid.UUID, *, for_update: bool = False) -> asyncpg.Record | None:
        lock = " FOR UPDATE" if for_update else ""
        return await self.conn.fetchrow(f"SELECT * FROM rumour WHERE id = $1{lock}", rumour_id)  # noqa: S608

    async def set_scan_job(self, rumour_id: uuid.UUID, job_id: uuid.UUID) -> None:
        await self.conn.execute("UPDATE rumour SET scan_job_id = $2 WHERE id = $1", rumour_id, job_id)

    async def unjobbed_scans(self) -> list[asyncpg.Record]:
        """Retro-scans left by a build before jobs (pending or running, no job): given one."""
        return await self.conn.fetch(
            "SELECT * FROM rumour WHERE scan_status <> 'done' AND scan_job_id IS NULL FOR UPDATE SKIP LOCKED"
        )

    async def withdraw_rumour(self, rumour_id: uuid.UUID, *, by: str, reason: str, job_id: uuid.UUID):
        """MB-11: it matches no more posts; a retro-scan still running stops (its job is superseded)."""
        return await self.conn.fetchrow(
            """UPDATE rumour SET withdrawn_at = now(), withdrawn_by = $2, withdrawal_reason = $3, scan_job_id = $4,
                      revision = nextval('rumour_revision'),
                      scan_status = 'done', scan_finished_at = coalesce(scan_finished_at, now())
                WHERE id = $1 RETURNING *""",
            rumour_id,
            by,
            reason,
            job_id,
        )

    async def escalate_rumour(
        self,
        rumour_id: uuid.UUID,
        *,
        by: str,
        reason: str,
        category: str,
        legal_basis: list[str],
        job_id: uuid.UUID,
    ) -> asyncpg.Record:
        """MB-11, MB-12.2: its action becomes stop; its retro-scan (finished or not) continues in the new job."""
        return await self.conn.fetchrow(
            """UPDATE rumour SET action = 'stop', escalated_at = now(), escalated_by = $2, escalation_reason = $3,
                      escalation_category = $4, legal_basis = $5, scan_job_id = $6,
                      revision = nextval('rumour_revision'),
                      scan_status = CASE WHEN scan_status = 'done' THEN 'done' ELSE 'pending' END
                WHERE id = $1 RETURNING *""",
            rumour_id,
            by,
            reason,
            category,
            legal_basis,
            job_id,
        )

    async def start_scan(self, rumour_id: uuid.UUID) -> None:
        await self.conn.execute(
            """UPDATE rumour SET scan_status = 'running', scan_heartbeat_at = now()
                WHERE id = $1 AND scan_status <> 'done'""",
            rumour_id,
        )

    async def trace_source(
        self, rumour_id: uuid.UUID, post_id: uuid.UUID, author_id: uuid.UUID, created_at: datetime
    ) -> None:
        """MB-11: keep the earliest post found spreading the rumour as its traced source."""
        await self.conn.execute(
            """UPDATE rumour SET source_post_id = $2, source_author_id = $3, source_created_at = $4
                WHERE id = $1 AND (source_created_at IS NULL OR source_created_at > $4)""",
            rumour_id,
            post_id,
            author_id,
            created_at,
        )

    async def emergencies_page(self, *, after: int, limit: int) -> list[asyncpg.Record]:
        """Emergency modes in force, in the order they started, after the cursor (seq)."""
        return await self.conn.fetch(
            "SELECT * FROM emergency_mode WHERE ended_at IS NULL AND seq > $1 ORDER BY seq LIMIT $2", after, limit
        )

    async def active_emergencies(self) -> list[asyncpg.Record]:
        return await self.conn.fetch("SELECT * FROM emergency_mode WHERE ended_at IS NULL ORDER BY started_at")

    async def start_emergency(self, *, scope: str, value: str, reason: str, by: str):
        return await self.conn.fetchrow(
            """INSERT INTO emergency_mode (id, scope, value, reason, started_by) VALUES ($1, $2, $3, $4, $5)
               RETURNING *""",
            uuid.uuid4(),
            scope,
            value,
            reason,
            by,
        )

    async def end_emergency(self, emergency_id: uuid.UUID, *, by: str) -> asyncpg.Record | None:
        return await self.conn.fetchrow(
            """UPDATE emergency_mode SET ended_by = $2, ended_at = now() WHERE id = $1 AND ended_at IS NULL
               RETURNING *""",
            emergency_id,
            by,
        )

    async def advance_scan(
        self, rumour_id: uuid.UUID, *, after_at: datetime, after_post: uuid.UUID, scanned: int, matched: int
    ) -> None:
        """MB-11: the retro-scan's cursor moves in the same transaction as the decisions it made."""
        await self.conn.execute(
            """UPDATE rumour SET scan_after_at = $2, scan_after_post = $3, scan_heartbeat_at = now(),
                      scanned_posts = scanned_posts + $4, matched_posts = matched_posts + $5
                WHERE id = $1""",
            rumour_id,
            after_at,
            after_post,
            scanned,
            matched,
        )

    async def finish_scan(self, rumour_id: uuid.UUID) -> asyncpg.Record:
        return await self.conn.fetchrow(
            "UPDATE rumour SET scan_status = 'done', scan_finished_at = now() WHERE id = $1 RETURNING *", rumour_id
        )

    # --- lexicon imports (MB-12, BJ-10) ---

    async def insert_import(self, *, reason: str, mode: str, by: str) -> asyncpg.Record:
        return await self.conn.fetchrow(
            """INSERT INTO lexicon_import (id, reason, mode, requested_by) VALUES ($1, $2, $3, $4)
               RETURNING *, 0 AS parts, 0::bigint AS bytes""",
            uuid.uuid4(),
            reason,
            mode,
            by,
        )

    async def lexicon_import(self, import_id: uuid.UUID, *, for_update: bool = False) -> asyncpg.Record | None:
        """The import, with how many parts and bytes it holds."""
        lock = " FOR UPDATE OF i" if for_update else ""
        return await self.conn.fetchrow(
            f"""SELECT i.*, (SELECT count(*) FROM lexicon_import_part p WHERE p.import_id = i.id) AS parts,
                       (SELECT coalesce(sum(length(p.body)), 0) FROM lexicon_import_part p
                         WHERE p.import_id = i.id)::bigint AS bytes
                  FROM lexicon_import i WHERE i.id = $1{lock}""",  # noqa: S608 - fixed SQL
            import_id,
        )

    async def import_for_part(self, import_id: uuid.UUID) -> asyncpg.Record | None:
        """The import, locked against its completion while a part is stored (FOR SHARE: parts in parallel)."""
        return await self.conn.fetchrow("SELECT * FROM lexicon_import WHERE id = $1 FOR SHARE", import_id)

    async def put_part(self, import_id: uuid.UUID, n: int, body: bytes) -> None:
        """Part `n`, stored or replaced (a PUT repeated is the same part)."""
        await self.conn.execute(
            """INSERT INTO lexicon_import_part (import_id, n, body) VALUES ($1, $2, $3)
               ON CONFLICT (import_id, n) DO UPDATE SET body = excluded.body, received_at = now()""",
            import_id,
            n,
            body,
        )

    async def import_parts(self, import_id: uuid.UUID) -> list[asyncpg.Record]:
        return await self.conn.fetch(
            "SELECT n, body FROM lexicon_import_part WHERE import_id = $1 ORDER BY n", import_id
        )

    async def complete_import(self, import_id: uuid.UUID, change_id: uuid.UUID) -> None:
        """Completed: the change holds what the file said; the parts go."""
        await self.conn.execute(
            "UPDATE lexicon_import SET completed_at = now(), change_id = $2 WHERE id = $1", import_id, change_id
        )
        await self.conn.execute("DELETE FROM lexicon_import_part WHERE import_id = $1", import_id)

    async def live_entries_full(self) -> list[asyncpg.Record]:
        return await self.conn.fetch(
            "SELECT id, term, category, action, legal_basis FROM lexicon_entry WHERE removed_in IS NULL"
        )

    async def export_entries(self, *, after: int, limit: int) -> list[asyncpg.Record]:
        """Live entries by id, after `after`: the export reads them in chunks."""
        return await self.conn.fetch(
            """SELECT id, term, category, action, legal_basis, added_in FROM lexicon_entry
                WHERE removed_in IS NULL AND id > $1 ORDER BY id LIMIT $2""",
            after,
            limit,
        )

    # --- lexicon evaluations (MB-6.1, MB-12: issue 16) ---------------------------------------------

    async def lexicon_release(self) -> int:
        return await self.conn.fetchval("SELECT coalesce(max(release), 0) FROM policy_release")

    async def entries_at(self, release: int) -> list[tuple]:
        """The lexicon of a release: the entries added by it or before, not removed by it or before."""
        rows = await self.conn.fetch(
            """SELECT id, term, category, action, legal_basis FROM lexicon_entry
                WHERE added_in <= $1 AND (removed_in IS NULL OR removed_in > $1) ORDER BY id""",
            release,
        )
        return [tuple(r) for r in rows]

    async def insert_evaluation(
        self, change_id: uuid.UUID, stage: str, *, basis_release: int, job_id: uuid.UUID, release: int | None = None
    ) -> None:
        await self.conn.execute(
            """INSERT INTO lexicon_evaluation (change_id, stage, basis_release, release, job_id)
               VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING""",
            change_id,
            stage,
            basis_release,
            release,
            job_id,
        )

    async def copy_evaluation(self, change_id: uuid.UUID, *, release: int, lexicon_version: str | None) -> bool:
        """A release's figures are its change's when the change was evaluated on the release before it (the same
        entries): copied, under the release's own lexicon version."""
        status = await self.conn.execute(
            """INSERT INTO lexicon_evaluation (change_id, stage, basis_release, release, status, lexicon_version,
                                               figures, job_id, finished_at)
               SELECT change_id, 'released', $2, $2, 'done', coalesce($3, lexicon_version),
                      figures || jsonb_build_object('lexicon_version', coalesce($3, lexicon_version),
                                                    'evaluated_as_proposed', true), job_id, finished_at
                 FROM lexicon_evaluation
                WHERE change_id = $1 AND stage = 'proposed' AND status = 'done' AND basis_release = $2 - 1
               ON CONFLICT DO NOTHING""",
            change_id,
            release,
            lexicon_version,
        )
        return status.endswith(" 1")

    async def evaluation(self, change_id: uuid.UUID, stage: str) -> asyncpg.Record | None:
        return await self.conn.fetchrow(
            "SELECT * FROM lexicon_evaluation WHERE change_id = $1 AND stage = $2", change_id, stage
        )

    async def evaluations(self, change_id: uuid.UUID) -> list[asyncpg.Record]:
        return await self.conn.fetch("SELECT * FROM lexicon_evaluation WHERE change_id = $1", change_id)

    async def evaluation_summaries(self, change_ids: list[uuid.UUID]) -> list[asyncpg.Record]:
        """The headline figures of changes' evaluations (a list of changes shows them; the samples stay out)."""
        return await self.conn.fetch(
            """SELECT change_id, stage, basis_release, release, status, lexicon_version, error, job_id, requested_at,
                      finished_at, figures - 'recall' - 'false_positives' AS figures,
                      figures #> '{recall,by_technique}' AS by_technique,
                      figures #> '{recall,techniques_below_goal}' AS techniques_below_goal
                 FROM lexicon_evaluation WHERE change_id = ANY($1::uuid[])""",
            change_ids,
        )

    async def set_evaluation_basis(self, change_id: uuid.UUID, stage: str, basis_release: int) -> None:
        await self.conn.execute(
            "UPDATE lexicon_evaluation SET basis_release = $3 WHERE change_id = $1 AND stage = $2",
            change_id,
            stage,
            basis_release,
        )

    async def finish_evaluation(
        self,
        change_id: uuid.UUID,
        stage: str,
        *,
        lexicon_version: str | None,
        figures_json: str | None,
        error: str | None = None,
    ) -> None:
        await self.conn.execute(
            """UPDATE lexicon_evaluation SET status = CASE WHEN $5::text IS NULL THEN 'done' ELSE 'failed' END,
                      lexicon_version = $3, figures = $4::jsonb, error = $5, finished_at = now()
                WHERE change_id = $1 AND stage = $2""",
            change_id,
            stage,
            lexicon_version,
            figures_json,
            error,
        )

    async def unevaluated(self) -> list[asyncpg.Record]:
        """Proposed lexicon changes without an evaluation, and lexicon releases without one (a database from
        before evaluations, the seed release, a release whose change was evaluated on an older release)."""
        return await self.conn.fetch(
            """SELECT c.id AS change_id, 'proposed' AS stage, NULL::integer AS release
                 FROM policy_change c
                WHERE c.kind = 'lexicon' AND c.status = 'proposed'
                  AND NOT EXISTS (SELECT 1 FROM lexicon_evaluation e WHERE e.change_id = c.id AND e.stage = 'proposed')
               UNION ALL
               SELECT r.change_id, 'released', r.release
                 FROM policy_release r JOIN policy_change c ON c.id = r.change_id
                WHERE c.kind = 'lexicon'
                  AND NOT EXISTS (SELECT 1 FROM lexicon_evaluation e WHERE e.change_id = r.change_id
                                                                       AND e.stage = 'released')
                LIMIT 100"""
        )

    async def name_release_version(self, release: int, lexicon_version: str) -> None:
        """The released lexicon's own version (Lexicon.version of the release, as every process holds it)."""
        await self.conn.execute(
            """UPDATE lexicon_evaluation SET lexicon_version = $2,
                      figures = figures || jsonb_build_object('lexicon_version', $2::text)
                WHERE release = $1 AND status = 'done'""",
            release,
            lexicon_version,
        )
