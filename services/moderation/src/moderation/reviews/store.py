"""asyncpg SQL for the review queue (MB-6.1): held posts and their resolution."""

from __future__ import annotations

import json
import uuid
from datetime import datetime

import asyncpg

from moderation.reviews.domain import CaseFacts

# The queue's deadline key: an item without a deadline comes after every one with one.
QUEUE_KEY = "coalesce(r.deadline, '9999-12-31 00:00:00+00'::timestamptz)"


class ReviewStore:
    """Held posts waiting for a reviewer, and who resolved them."""

    def __init__(self, conn: asyncpg.Connection | asyncpg.Pool) -> None:
        self.conn = conn

    async def insert_review_items(self, rows: list[tuple]) -> None:
        """(decision_id, post_id, author_id, text, created_at) of posts held for review (MB-6.1): queue items
        of kind held_post, their priority from the risk and their category from the held decision (stored
        in the same transaction)."""
        if rows:
            await self.conn.executemany(
                """INSERT INTO review_item (id, decision_id, post_id, author_id, text, created_at, target_id,
                                            category, priority)
                   SELECT gen_random_uuid(), $1, $2, $3, $4, $5, $2, d.category,
                          CASE d.risk WHEN 'high' THEN 2 WHEN 'medium' THEN 1 ELSE 0 END
                     FROM decision d WHERE d.id = $1
                   ON CONFLICT DO NOTHING""",
                rows,
            )

    async def open_review_items(self, *, after: tuple[datetime, uuid.UUID] | None, limit: int) -> list[asyncpg.Record]:
        """Held posts waiting for a reviewer, oldest first, after the keyset cursor (held_at, decision_id)."""
        after_at, after_id = after or (None, None)
        return await self.conn.fetch(
            """SELECT r.*, d.rule, d.reason, d.risk, d.suggestion, d.category, d.matches, d.rumour_hits
                 FROM review_item r JOIN decision d ON d.id = r.decision_id
                WHERE r.resolved_at IS NULL AND r.kind = 'held_post'
                  AND ($1::timestamptz IS NULL OR (r.held_at, r.decision_id) > ($1, $2::uuid))
                ORDER BY r.held_at, r.decision_id LIMIT $3""",
            after_at,
            after_id,
            limit,
        )

    async def review_item_for_update(self, decision_id: uuid.UUID) -> asyncpg.Record | None:
        return await self.conn.fetchrow("SELECT * FROM review_item WHERE decision_id = $1 FOR UPDATE", decision_id)

    async def item(self, item_id: uuid.UUID, *, for_update: bool = False) -> asyncpg.Record | None:
        lock = " FOR UPDATE" if for_update else ""
        return await self.conn.fetchrow(f"SELECT * FROM review_item WHERE id = $1{lock}", item_id)  # noqa: S608

    async def move(self, item_id: uuid.UUID, *, state: str, assignee: str | None, escalation_reason: str | None):
        await self.conn.execute(
            """UPDATE review_item SET state = $2, assignee = $3,
                      escalation_reason = coalesce($4, escalation_reason) WHERE id = $1""",
            item_id,
            state,
            assignee,
            escalation_reason,
        )

    async def record_action(
        self, item_id: uuid.UUID, action: str, *, actor: str, text: str = "", detail: dict | None = None
    ) -> None:
        """MB-6.1: every staff action on an item is kept (who, when, why)."""
        await self.conn.execute(
            "INSERT INTO review_action (item_id, action, actor, text, detail) VALUES ($1, $2, $3, $4, $5)",
            item_id,
            action,
            actor,
            text,
            json.dumps(detail or {}),
        )

    async def actions(self, item_id: uuid.UUID) -> list[asyncpg.Record]:
        return await self.conn.fetch("SELECT * FROM review_action WHERE item_id = $1 ORDER BY id", item_id)

    async def close_item(
        self,
        item_id: uuid.UUID,
        *,
        by: str,
        resolution: uuid.UUID | None,
        acted: bool,
        final: bool,
        upheld: bool | None = None,
        action: str | None = None,
        note: str | None = None,
    ) -> None:
        await self.conn.execute(
            """UPDATE review_item SET state = 'closed', resolved_by = $2, resolved_at = now(), resolution = $3,
                      acted = $4, final = $5, upheld = $6, action = $7, decision_note = $8
                WHERE id = $1""",
            item_id,
            by,
            resolution,
            acted,
            final,
            upheld,
            action,
            note,
        )

    async def items(
        self,
        *,
        states: list[str],
        kind: str | None,
        assignee: str | None,
        category: str | None,
        min_priority: int | None,
        after: tuple[int, datetime, datetime, uuid.UUID] | None,
        limit: int,
        case_id: uuid.UUID | None = None,
    ) -> list[asyncpg.Record]:
        """Queue items by priority (highest first), then the nearest deadline, then age; keyset on
        (-priority, deadline or the end of time, opened, id)."""
        neg, deadline, held_at, item_id = after or (None, None, None, None)
        return await self.conn.fetch(
            f"""SELECT r.*, {QUEUE_KEY} AS queue_deadline FROM review_item r
                WHERE r.state = ANY($1::text[])
                  AND ($2::text IS NULL OR r.kind = $2)
                  AND ($3::text IS NULL OR r.assignee = $3)
                  AND ($4::text IS NULL OR r.category = $4)
                  AND ($5::int IS NULL OR r.priority >= $5)
                  AND ($6::int IS NULL OR (-r.priority, {QUEUE_KEY}, r.held_at, r.id) > ($6, $7, $8, $9::uuid))
                  AND ($11::uuid IS NULL OR r.case_id = $11)
                ORDER BY r.priority DESC, {QUEUE_KEY}, r.held_at, r.id LIMIT $10""",  # noqa: S608 - fixed SQL
            states,
            kind,
            assignee,
            category,
            min_priority,
            neg,
            deadline,
            held_at,
            item_id,
            limit,
            case_id,
        )

    async def upsert_case(self, facts: CaseFacts) -> asyncpg.Record | None:
        """MB-14: a complaint case becomes (or updates) its item; only a newer version changes the facts, and
        never the state (a case changed after its item closed does not reopen it). The new row, if new."""
        return await self.conn.fetchrow(
            """INSERT INTO review_item (id, kind, case_id, case_version, target_type, target_kind, target_id,
                                        author_id, category, priority, deadline, held_at, case_facts)
               VALUES (gen_random_uuid(), 'complaint_case', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
               ON CONFLICT (case_id) WHERE case_id IS NOT NULL DO UPDATE
                  SET case_version = excluded.case_version, category = excluded.category,
                      priority = excluded.priority, deadline = excluded.deadline, case_facts = excluded.case_facts,
                      author_id = excluded.author_id
                WHERE review_item.case_version < excluded.case_version
               RETURNING id, (xmax = 0) AS inserted""",
            facts.case_id,
            facts.version,
            facts.moderation_target,
            facts.target_type,
            facts.target_id,
            facts.author_id,
            facts.category,
            facts.priority,
            facts.deadline,
            facts.opened_at,
            json.dumps(facts.as_json()),
        )

    async def statistics(self, *, since: datetime | None, until: datetime | None) -> dict:
        """Counts by state and kind (items opened in the period), and of the items closed in it: handling time
        (opened to closed) average and p90, and the share that acted."""
        counts = await self.conn.fetch(
            """SELECT kind, state, count(*) AS n FROM review_item
                WHERE ($1::timestamptz IS NULL OR held_at >= $1) AND ($2::timestamptz IS NULL OR held_at < $2)
                GROUP BY kind, state ORDER BY kind, state""",
            since,
            until,
        )
        handled = await self.conn.fetchrow(
            """SELECT count(*) AS decided, count(*) FILTER (WHERE acted) AS acted,
                      avg(extract(epoch FROM resolved_at - held_at)) AS avg_s,
                      percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - held_at)) AS p90_s
                 FROM review_item
                WHERE state = 'closed'
                  AND ($1::timestamptz IS NULL OR resolved_at >= $1)
                  AND ($2::timestamptz IS NULL OR resolved_at < $2)""",
            since,
            until,
        )
        return {"counts": [dict(r) for r in counts], **dict(handled)}
