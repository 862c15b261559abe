"""asyncpg SQL for content's own tables: the only module that speaks SQL. A `PostStore` works on one
connection (in the caller's transaction where there is one); `Database` hands one out."""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg
from kit.outbox import OUTBOX_COLUMNS, OutboxRow
from kit.unit import Database as KitDatabase
from kit.unit import Unit

from content.domain import Cancellation, Decision, NewPost, Standing, StandingChanged

_LABEL_COLUMNS = ("rumour_id", "refutation_text", "refutation_url", "authority", "legal_basis", "labelled_at")


class PostStore(Unit):
    async def insert_post_announced(
        self, post: NewPost, *, idempotency_key: str | None, request_sha256: str | None, announcement: OutboxRow
    ) -> asyncpg.Record | None:
        """Insert a pending post and its announcement in one statement (one round trip, one implicit
        transaction). None, and no announcement, when the author already sent this idempotency key or
        is barred from publishing at the post's moment (the bar content's domain set, see
        ``note_standing``)."""
        return await self.conn.fetchrow(
            f"""WITH inserted AS (
                    INSERT INTO post (id, author_id, text, status, idempotency_key, request_sha256, created_at,
                                      announced_at, author_province_code, author_registered_at)
                    SELECT $1, $2, $3, 'pending', $4, $5, $6, $6, $7, $8
                     WHERE NOT EXISTS (SELECT 1 FROM author_standing
                                        WHERE account_id = $2 AND publishing_barred_until > $6)
                    ON CONFLICT DO NOTHING RETURNING *),
                announced AS (
                    INSERT INTO outbox_event {OUTBOX_COLUMNS}
                    SELECT {OutboxRow.placeholders(9)} FROM inserted)
                SELECT * FROM inserted""",  # noqa: S608 - fixed SQL, values are parameters
            post.id,
            post.author_id,
            post.text,
            idempotency_key,
            request_sha256,
            post.created_at,
            post.province_code,
            post.registered_at,
            *announcement.params(),
        )

    async def post_by_idempotency_key(self, author_id: uuid.UUID, key: str) -> asyncpg.Record | None:
        return await self.conn.fetchrow(
            "SELECT * FROM post WHERE author_id = $1 AND idempotency_key = $2", author_id, key
        )

    async def post_by_id(self, post_id: uuid.UUID, *, for_update: bool = False) -> asyncpg.Record | None:
        lock = " FOR UPDATE" if for_update else ""
        return await self.conn.fetchrow(f"SELECT * FROM post WHERE id = $1{lock}", post_id)  # noqa: S608

    async def stop_record(self, post_id: uuid.UUID) -> asyncpg.Record | None:
        return await self.conn.fetchrow("SELECT * FROM transmission_stop WHERE post_id = $1", post_id)

    async def post_with_label(self, post_id: uuid.UUID) -> tuple[asyncpg.Record | None, dict | None]:
        """A post and its rumour label (MB-11), if it has one, in one round trip (the read path)."""
        row = await self.conn.fetchrow(
            """SELECT p.*, l.rumour_id AS label_rumour_id, l.refutation_text AS label_refutation_text,
                      l.refutation_url AS label_refutation_url, l.authority AS label_authority,
                      l.legal_basis AS label_legal_basis, l.labelled_at AS label_labelled_at
                 FROM post p LEFT JOIN post_label l ON l.post_id = p.id
                WHERE p.id = $1""",
            post_id,
        )
        if row is None or row["label_rumour_id"] is None:
            return row, None
        return row, {name: row[f"label_{name}"] for name in _LABEL_COLUMNS}

    async def publish_if_pending(self, decisions: list[Decision]) -> None:
        """Publish the posts still waiting for their decision or a reviewer, in one pipelined round
        trip; a published, stopped (or unknown) post is left alone."""
        await self.conn.executemany(
            """UPDATE post SET status = 'published', decided_at = now(), decision_id = $2
               WHERE id = $1 AND status IN ('pending', 'held')""",
            [(d.post_id, d.decision_id) for d in decisions],
        )

    async def hold_if_pending(self, decision: Decision) -> None:
        await self.conn.execute(
            "UPDATE post SET status = 'held', decision_id = $2 WHERE id = $1 AND status = 'pending'",
            decision.post_id,
            decision.decision_id,
        )

    async def attach_label(self, decision: Decision) -> None:
        """The first refutation attached to a published post stays."""
        refutation = decision.refutation
        assert refutation is not None
        await self.conn.execute(
            """INSERT INTO post_label (post_id, decision_id, rumour_id, refutation_text, refutation_url, authority,
                                       legal_basis)
               SELECT $1, $2, $3, $4, $5, $6, $7 FROM post WHERE id = $1 AND status = 'published'
               ON CONFLICT (post_id) DO NOTHING""",
            decision.post_id,
            decision.decision_id,
            refutation.rumour_id,
            refutation.text,
            refutation.url,
            refutation.authority,
            list(decision.legal_basis),
        )

    async def stop_transmission(self, post: asyncpg.Record, decision: Decision, snapshot_sha256: str) -> None:
        await self.conn.execute(
            "UPDATE post SET status = 'stopped', decided_at = now(), decision_id = $2 WHERE id = $1",
            post["id"],
            decision.decision_id,
        )
        await self.conn.execute(
            """INSERT INTO transmission_stop (post_id, decision_id, category, legal_basis, reason, snapshot_text,
                                              snapshot_sha256, decided_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (post_id) DO NOTHING""",
            post["id"],
            decision.decision_id,
            decision.category,
            list(decision.legal_basis),
            decision.reason,
            post["text"],
            snapshot_sha256,
            decision.decided_at,
        )

    async def claim_waiting_posts(self, *, older_than_s: float, limit: int) -> list[NewPost]:
        """Pending posts whose last announcement is older than the threshold, marked re-announced."""
        rows = await self.conn.fetch(
            """UPDATE post SET announced_at = now(), announcements = announcements + 1
                WHERE id IN (SELECT id FROM post
                              WHERE status = 'pending' AND announced_at < now() - make_interval(secs => $1)
                              ORDER BY announced_at LIMIT $2 FOR UPDATE SKIP LOCKED)
            RETURNING *""",
            older_than_s,
            limit,
        )
        return [
            NewPost(
                id=r["id"],
                author_id=r["author_id"],
                text=r["text"],
                created_at=r["created_at"],
                province_code=r["author_province_code"],
                registered_at=r["author_registered_at"],
                announcement=r["announcements"],
            )
            for r in rows
        ]

    async def author_standing(self, author_id: uuid.UUID) -> Standing | None:
        """What identity said of the author (standing, cancellation); None when it said nothing yet."""
        row = await self.conn.fetchrow(
            """SELECT s.closed, s.suspended_until, s.limits, s.credit_level, c.cancelled_at
                 FROM (SELECT $1::uuid AS id) a
                 LEFT JOIN author_standing s ON s.account_id = a.id
                 LEFT JOIN cancelled_author c ON c.account_id = a.id
                WHERE s.account_id IS NOT NULL OR c.account_id IS NOT NULL""",
            author_id,
        )
        if row is None:
            return None
        return Standing(
            closed=bool(row["closed"]),
            suspended_until=row["suspended_until"],
            limits=tuple(row["limits"] or ()),
            credit_level=row["credit_level"] or "",
            cancelled_at=row["cancelled_at"],
        )

    async def note_standing(self, standing: StandingChanged, *, barred_until: datetime | None) -> None:
        """Hold the author's latest standing and the publishing bar it means; an older or repeated
        version changes nothing, and a cancelled account's standing is final."""
        await self.conn.execute(
            """INSERT INTO author_standing (account_id, version, credit_level, limits, suspended_until, closed,
                                            publishing_barred_until)
               VALUES ($1, $2, $3, $4, $5, $6, $7)
               ON CONFLICT (account_id) DO UPDATE SET version = EXCLUDED.version,
                      credit_level = EXCLUDED.credit_level, limits = EXCLUDED.limits,
                      suspended_until = EXCLUDED.suspended_until, closed = EXCLUDED.closed,
                      publishing_barred_until = EXCLUDED.publishing_barred_until, updated_at = now()
                WHERE author_standing.version < EXCLUDED.version
                  AND NOT EXISTS (SELECT 1 FROM cancelled_author c WHERE c.account_id = EXCLUDED.account_id)""",
            standing.account_id,
            standing.version,
            standing.credit_level,
            list(standing.limits),
            standing.suspended_until,
            standing.closed,
            barred_until,
        )

    async def withdraw_author(self, cancellation: Cancellation, *, barred_until: datetime | None) -> None:
        await self.conn.execute(
            """INSERT INTO cancelled_author (account_id, cancelled_at, purge_after) VALUES ($1, $2, $3)
               ON CONFLICT DO NOTHING""",
            cancellation.account_id,
            cancellation.cancelled_at,
            cancellation.purge_after,
        )
        await self.conn.execute(
            """INSERT INTO author_standing (account_id, version, credit_level, limits, closed, publishing_barred_until)
               VALUES ($1, 0, '', '{}', false, $2)
               ON CONFLICT (account_id) DO UPDATE SET publishing_barred_until = EXCLUDED.publishing_barred_until,
                      updated_at = now()""",
            cancellation.account_id,
            barred_until,
        )
        await self.conn.execute(
            """UPDATE post SET status = 'withdrawn', purge_after = $2
                WHERE author_id = $1 AND status IN ('pending', 'held', 'published')""",
            cancellation.account_id,
            cancellation.purge_after,
        )

    async def purge_withdrawn(self) -> int:
        """Delete withdrawn posts past their retention (their labels with them)."""
        ids = [
            r["id"]
            for r in await self.conn.fetch(
                """SELECT id FROM post WHERE status = 'withdrawn' AND purge_after <= now()
                   LIMIT 1000 FOR UPDATE SKIP LOCKED"""
            )
        ]
        if ids:
            await self.conn.execute("DELETE FROM post_label WHERE post_id = ANY($1::uuid[])", ids)
            await self.conn.execute("DELETE FROM post WHERE id = ANY($1::uuid[])", ids)
        return len(ids)


class Database(KitDatabase[PostStore]):
    """Content's database port (kit.unit): the post store on one connection, in a transaction or not."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        super().__init__(pool, PostStore)
