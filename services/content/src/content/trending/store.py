"""SQL of the trending list (MB-13, CM, MB-12.2): signals, snapshots, staff removals. The read filters
each entry, in the same statement and before its LIMIT, to those still backed by TRENDING_MIN_AUTHORS
posts that anyone may see: a stop, deletion or suspension takes an entry off the list when it commits."""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg
from kit.unit import Unit

from content.posts.store import public_sql
from content.trending.domain import NO_TRENDING_LIMIT, TRENDING_LISTED_FEATURE, Entry, Signal, Source

_ACTIVE_REMOVAL = "r.lifted_at IS NULL AND (r.until IS NULL OR r.until > now())"


class TrendingStore(Unit):
    async def published_texts(self, post_ids: list[uuid.UUID]) -> list[asyncpg.Record]:
        """Published posts and reposts among these (comments and articles make no terms)."""
        return await self.conn.fetch(
            """SELECT id, author_id, kind, text, created_at, author_registered_at FROM post
                WHERE id = ANY($1::uuid[]) AND kind IN ('post', 'repost') AND status = 'published'""",
            post_ids,
        )

    async def add_signals(self, signals: list[tuple]) -> None:
        """(term, display, source, account_id, post_id, text_sha256, bucket, registered_at, verified)
        rows; one per term, source, account, post and bucket (a repeat changes nothing)."""
        if not signals:
            return
        columns = list(zip(*signals, strict=True))
        await self.conn.execute(
            """INSERT INTO trend_signal (term, display, source, account_id, post_id, text_sha256, bucket,
                                         registered_at, verified)
               SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::uuid[], $5::uuid[], $6::text[],
                                    $7::timestamptz[], $8::timestamptz[], $9::boolean[])
               ON CONFLICT DO NOTHING""",
            *[list(c) for c in columns],
        )

    async def signals(self, *, since: datetime, registered_before: datetime) -> list[Signal]:
        """The window's signals, posts only while anyone may see them, each marked when its account
        weighs 0 (CM: unverified, too new, in a bulk cohort, or with the no_trending limit; MB-9: a grade
        whose privileges, once announced, lack the trending_listed feature)."""
        rows = await self.conn.fetch(
            f"""SELECT s.term, s.display, s.source, s.account_id, s.post_id, s.text_sha256, s.at,
                       (NOT s.verified OR coalesce(s.registered_at > $2, false)
                        OR EXISTS (SELECT 1 FROM reader_flag f WHERE f.account_id = s.account_id)
                        OR EXISTS (SELECT 1 FROM author_standing a
                                    WHERE a.account_id = s.account_id
                                      AND ($3 = ANY(a.limits)
                                           OR (a.privileges ? 'features'
                                               AND NOT a.privileges -> 'features' ? $4)))) AS discounted
                  FROM trend_signal s LEFT JOIN post p ON p.id = s.post_id
                 WHERE s.at > $1 AND (s.post_id IS NULL OR {public_sql("p")})""",  # noqa: S608 - fixed SQL
            since,
            registered_before,
            NO_TRENDING_LIMIT,
            TRENDING_LISTED_FEATURE,
        )
        return [
            Signal(
                term=r["term"],
                display=r["display"],
                source=Source(r["source"]),
                account_id=r["account_id"],
                at=r["at"],
                post_id=r["post_id"],
                text_sha256=r["text_sha256"],
                discounted=r["discounted"],
            )
            for r in rows
        ]

    async def removed_terms(self) -> set[str]:
        rows = await self.conn.fetch(f"SELECT DISTINCT term FROM trending_removal r WHERE {_ACTIVE_REMOVAL}")  # noqa: S608
        return {r["term"] for r in rows}

    async def save_snapshot(self, entries: list[Entry]) -> int:
        snapshot_id = await self.conn.fetchval("INSERT INTO trending_snapshot DEFAULT VALUES RETURNING id")
        await self.conn.executemany(
            """INSERT INTO trending_entry (snapshot_id, rank, term, display, score, authors, backing_post_ids, flags)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""",
            [
                (snapshot_id, rank, e.term, e.display, e.score, e.authors, list(e.backing_post_ids), list(e.flags))
                for rank, e in enumerate(entries, start=1)
            ],
        )
        return snapshot_id

    async def purge(self, *, signals_before: datetime, snapshots_before: datetime) -> None:
        await self.conn.execute("DELETE FROM trend_signal WHERE at < $1", signals_before)
        # The newest snapshot stays whatever its age (what is shown).
        await self.conn.execute(
            """DELETE FROM trending_snapshot WHERE computed_at < $1
                 AND id < (SELECT max(id) FROM trending_snapshot)""",
            snapshots_before,
        )

    async def trending(self, *, min_authors: int, limit: int) -> list[asyncpg.Record]:
        """The newest snapshot, minus active removals, minus entries no longer backed by ``min_authors``
        authors of posts anyone may see (MB-12.2), in rank order."""
        return await self.conn.fetch(
            f"""SELECT e.term, e.display, e.score, e.flags, s.computed_at FROM trending_entry e
                  JOIN trending_snapshot s ON s.id = e.snapshot_id
                 WHERE e.snapshot_id = (SELECT max(id) FROM trending_snapshot)
                   AND NOT EXISTS (SELECT 1 FROM trending_removal r WHERE r.term = e.term AND {_ACTIVE_REMOVAL})
                   AND (SELECT count(DISTINCT p.author_id) FROM post p
                         WHERE p.id = ANY(e.backing_post_ids) AND {public_sql("p")}) >= $1
                 ORDER BY e.rank LIMIT $2""",  # noqa: S608 - fixed SQL
            min_authors,
            limit,
        )

    async def staff_view(self) -> list[asyncpg.Record]:
        """The newest snapshot as computed, each entry with whether it is removed now."""
        return await self.conn.fetch(
            f"""SELECT e.*, s.computed_at,
                       EXISTS (SELECT 1 FROM trending_removal r WHERE r.term = e.term AND {_ACTIVE_REMOVAL}) AS removed
                  FROM trending_entry e JOIN trending_snapshot s ON s.id = e.snapshot_id
                 WHERE e.snapshot_id = (SELECT max(id) FROM trending_snapshot) ORDER BY e.rank"""  # noqa: S608
        )

    async def is_removed(self, term: str) -> bool:
        return await self.conn.fetchval(
            f"SELECT EXISTS (SELECT 1 FROM trending_removal r WHERE r.term = $1 AND {_ACTIVE_REMOVAL})",  # noqa: S608
            term,
        )

    async def add_removal(
        self, *, term: str, reason: str, legal_basis: list[str], removed_by: str, until: datetime | None
    ) -> asyncpg.Record:
        return await self.conn.fetchrow(
            """INSERT INTO trending_removal (id, term, reason, legal_basis, removed_by, until)
               VALUES ($1, $2, $3, $4, $5, $6) RETURNING *""",
            uuid.uuid4(),
            term,
            reason,
            legal_basis,
            removed_by,
            until,
        )

    async def removal(self, removal_id: uuid.UUID, *, lock: bool = False) -> asyncpg.Record | None:
        sql = "SELECT * FROM trending_removal WHERE id = $1"
        return await self.conn.fetchrow(sql + " FOR UPDATE" if lock else sql, removal_id)

    async def lift_removal(self, removal_id: uuid.UUID, *, lifted_by: str, reason: str) -> asyncpg.Record:
        return await self.conn.fetchrow(
            """UPDATE trending_removal SET lifted_at = now(), lifted_by = $2, lift_reason = $3
                WHERE id = $1 RETURNING *""",
            removal_id,
            lifted_by,
            reason,
        )

    async def removals(self, after: tuple[datetime, uuid.UUID] | None, limit: int) -> list[asyncpg.Record]:
        at, last = after if after is not None else (None, None)
        return await self.conn.fetch(
            """SELECT * FROM trending_removal
                WHERE ($1::timestamptz IS NULL OR removed_at < $1 OR (removed_at = $1 AND id > $2))
                ORDER BY removed_at DESC, id LIMIT $3""",
            at,
            last,
            limit,
        )
