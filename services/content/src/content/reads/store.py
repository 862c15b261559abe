"""SQL of article reads (MB-9, PA-7.2, CM). A beacon is one statement: the visibility probe and the
insert (no counter row touched). The aggregator's rounds are serialised by a transaction-scoped advisory
lock, so counts only move there, by exact deltas."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import asyncpg
from kit.unit import Unit

from content.posts.store import visible_sql
from content.reads.domain import ClaimedRead, CountDelta, ReadCount, ReadFlag

# One aggregator round at a time across processes (its key: any fixed number of content's own).
_AGGREGATOR_LOCK = 0x13_4EAD5

_BEACON = f"""
WITH a AS (
    SELECT p.id, p.author_id, p.status, {visible_sql("p", "$2::uuid")} AS visible,
           ts.legal_basis AS stop_legal_basis, ts.category AS stop_category, ts.decided_at AS stop_decided_at,
           (SELECT pa.owner_account_id FROM public_account pa WHERE pa.account_id = p.author_id) AS owner_id
      FROM post p LEFT JOIN transmission_stop ts ON ts.post_id = p.id AND ts.restored_at IS NULL
     WHERE p.id = $1 AND p.kind = 'article'),
flagged AS (SELECT EXISTS (SELECT 1 FROM reader_flag f WHERE f.account_id = $2) AS bulk),
inserted AS (
    INSERT INTO article_read (article_id, day, reader_id, account_id, read_at, weight, flag)
    SELECT a.id, $3, $2, a.author_id, $4,
           CASE WHEN flagged.bulk THEN 0 ELSE $5 END,
           CASE WHEN flagged.bulk THEN 'bulk_registration' ELSE $6 END
      FROM a, flagged
     WHERE a.visible AND a.author_id <> $2 AND a.owner_id IS DISTINCT FROM $2 AND $7
    ON CONFLICT DO NOTHING RETURNING 1)
SELECT a.*, EXISTS (SELECT 1 FROM inserted) AS recorded FROM a"""  # noqa: S608 - fixed SQL


class ReadStore(Unit):
    async def record(
        self,
        *,
        article_id: uuid.UUID,
        reader_id: uuid.UUID,
        day: date,
        at: datetime,
        weight: int,
        flag: ReadFlag | None,
        countable: bool,
    ) -> asyncpg.Record | None:
        """Probe the article's visibility to the reader and, when visible, countable and not the
        account's own, store the read once per (article, Beijing day, reader). The article row (with
        ``visible`` and ``recorded``), or None when there is no such article."""
        return await self.conn.fetchrow(
            _BEACON, article_id, reader_id, day, at, weight, str(flag) if flag else None, countable
        )

    # --- the aggregator (in its transaction) ---------------------------------------------------------

    async def lock_aggregator(self) -> None:
        await self.conn.execute("SELECT pg_advisory_xact_lock($1)", _AGGREGATOR_LOCK)

    async def reweight_flagged(self, since: date) -> list[ClaimedRead]:
        """Readers newly flagged as registered in bulk: their reads since ``since`` weigh 0 from now on
        (the retroactive discount). The counted reads that changed (their counts move by -1/+1)."""
        rows = await self.conn.fetch(
            """WITH new AS (
                   UPDATE reader_flag SET reweighted_at = now() WHERE reweighted_at IS NULL RETURNING account_id)
               UPDATE article_read r SET weight = 0, flag = 'bulk_registration'
                 FROM new WHERE r.reader_id = new.account_id AND r.day >= $1 AND r.weight > 0
             RETURNING r.article_id, r.day, r.reader_id, r.account_id, r.counted""",
            since,
        )
        return [
            ClaimedRead(r["article_id"], r["day"], r["reader_id"], r["account_id"], 0, ReadFlag.BULK_REGISTRATION)
            for r in rows
            if r["counted"]
        ]

    async def claim_uncounted(self, limit: int) -> list[ClaimedRead]:
        rows = await self.conn.fetch(
            """SELECT r.article_id, r.day, r.reader_id, r.account_id, r.weight, r.flag,
                      EXISTS (SELECT 1 FROM reader_flag f WHERE f.account_id = r.reader_id) AS reader_flagged
                 FROM article_read r WHERE NOT r.counted
                ORDER BY r.read_at LIMIT $1 FOR UPDATE SKIP LOCKED""",
            limit,
        )
        return [
            ClaimedRead(
                r["article_id"],
                r["day"],
                r["reader_id"],
                r["account_id"],
                r["weight"],
                ReadFlag(r["flag"]) if r["flag"] else None,
                r["reader_flagged"],
            )
            for r in rows
        ]

    async def counted_today(self, keys: list[tuple[uuid.UUID, date]]) -> dict[tuple[uuid.UUID, date], int]:
        rows = await self.conn.fetch(
            """SELECT d.reader_id, d.day, d.counted FROM reader_day d
                 JOIN unnest($1::uuid[], $2::date[]) AS k(reader_id, day) USING (reader_id, day)""",
            [k[0] for k in keys],
            [k[1] for k in keys],
        )
        return {(r["reader_id"], r["day"]): r["counted"] for r in rows}

    async def mark_counted(self, reads: list[ClaimedRead]) -> None:
        """The claimed reads, counted with their final weights; each reader's day count moves."""
        await self.conn.execute(
            """UPDATE article_read r SET counted = true, weight = u.weight, flag = u.flag
                 FROM unnest($1::uuid[], $2::date[], $3::uuid[], $4::smallint[], $5::text[])
                      AS u(article_id, day, reader_id, weight, flag)
                WHERE r.article_id = u.article_id AND r.day = u.day AND r.reader_id = u.reader_id""",
            [r.article_id for r in reads],
            [r.day for r in reads],
            [r.reader_id for r in reads],
            [r.weight for r in reads],
            [str(r.flag) if r.flag else None for r in reads],
        )
        per_day: dict[tuple[uuid.UUID, date], int] = {}
        for r in reads:
            if r.weight:
                per_day[(r.reader_id, r.day)] = per_day.get((r.reader_id, r.day), 0) + 1
        keys = sorted(per_day)
        await self.conn.execute(
            """INSERT INTO reader_day (reader_id, day, counted)
               SELECT * FROM unnest($1::uuid[], $2::date[], $3::int[])
               ON CONFLICT (reader_id, day) DO UPDATE SET counted = reader_day.counted + EXCLUDED.counted""",
            [k[0] for k in keys],
            [k[1] for k in keys],
            [per_day[k] for k in keys],
        )

    async def add_to_articles(self, deltas: dict[uuid.UUID, tuple[uuid.UUID, CountDelta]]) -> None:
        """article -> (its account, delta); in the order of article ids (the lock order)."""
        ids = sorted(deltas)
        await self.conn.execute(
            """INSERT INTO article_read_count (article_id, account_id, reads, flagged_reads)
               SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::bigint[])
               ON CONFLICT (article_id) DO UPDATE
                  SET reads = article_read_count.reads + EXCLUDED.reads,
                      flagged_reads = article_read_count.flagged_reads + EXCLUDED.flagged_reads""",
            ids,
            [deltas[i][0] for i in ids],
            [deltas[i][1].reads for i in ids],
            [deltas[i][1].flagged_reads for i in ids],
        )

    async def add_to_accounts(self, deltas: dict[uuid.UUID, CountDelta]) -> None:
        ids = sorted(deltas)
        await self.conn.execute(
            """INSERT INTO read_count_account (account_id, reads, flagged_reads)
               SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::bigint[])
               ON CONFLICT (account_id) DO UPDATE
                  SET reads = read_count_account.reads + EXCLUDED.reads,
                      flagged_reads = read_count_account.flagged_reads + EXCLUDED.flagged_reads,
                      changed_at = now()""",
            ids,
            [deltas[i].reads for i in ids],
            [deltas[i].flagged_reads for i in ids],
        )

    async def claim_announcements(self, *, every_s: float, limit: int) -> list[ReadCount]:
        """Accounts whose count changed since announced, last announced at least ``every_s`` ago: their
        version moves on and they are marked announced."""
        rows = await self.conn.fetch(
            """UPDATE read_count_account c SET version = c.version + 1, announced_at = now()
                WHERE c.account_id IN (
                      SELECT account_id FROM read_count_account
                       WHERE (announced_at IS NULL OR announced_at < changed_at)
                         AND (announced_at IS NULL OR announced_at <= now() - make_interval(secs => $1))
                       ORDER BY changed_at LIMIT $2 FOR UPDATE SKIP LOCKED)
            RETURNING c.account_id, c.reads, c.flagged_reads, c.version, c.changed_at""",
            every_s,
            limit,
        )
        return [ReadCount(r["account_id"], r["reads"], r["flagged_reads"], r["version"], r["changed_at"]) for r in rows]

    async def claim_reannouncements(self, *, limit: int) -> list[ReadCount]:
        """After a broker loss: every count announced before goes again, the most recently announced
        first (same version: identity takes newer versions only, so a repeat changes nothing)."""
        rows = await self.conn.fetch(
            """SELECT account_id, reads, flagged_reads, version, changed_at FROM read_count_account
                WHERE announced_at IS NOT NULL ORDER BY announced_at DESC LIMIT $1""",
            limit,
        )
        return [ReadCount(r["account_id"], r["reads"], r["flagged_reads"], r["version"], r["changed_at"]) for r in rows]

    async def flag_readers(self, cohort_id: uuid.UUID, account_ids: list[uuid.UUID], flagged_at: datetime) -> None:
        """CM, BJ-9.2: readers in a bulk registration cohort (a flag, once; the aggregator re-weights)."""
        await self.conn.execute(
            """INSERT INTO reader_flag (account_id, cohort_id, flagged_at)
               SELECT a, $2, $3 FROM unnest($1::uuid[]) AS a ORDER BY a ON CONFLICT DO NOTHING""",
            account_ids,
            cohort_id,
            flagged_at,
        )

    async def unflag_readers(self, cohort_id: uuid.UUID, account_ids: list[uuid.UUID]) -> None:
        """CM, BJ-9.2: the cohort was cleared: its readers' flags go (their stored reads keep their weights)."""
        await self.conn.execute(
            "DELETE FROM reader_flag WHERE cohort_id = $1 AND account_id = ANY($2::uuid[])", cohort_id, account_ids
        )

    async def purge(self, before: date) -> int:
        """MB-16.2: reader ids older than the retention go; the counts stay."""
        deleted = await self.conn.fetchval(
            "WITH d AS (DELETE FROM article_read WHERE day < $1 AND counted RETURNING 1) SELECT count(*) FROM d",
            before,
        )
        await self.conn.execute("DELETE FROM reader_day WHERE day < $1", before)
        return deleted

    async def counts(self, article_id: uuid.UUID) -> asyncpg.Record | None:
        return await self.conn.fetchrow("SELECT * FROM article_read_count WHERE article_id = $1", article_id)

    async def flagged_by_reason(self, article_id: uuid.UUID) -> dict[str, int]:
        rows = await self.conn.fetch(
            """SELECT flag, count(*) AS n FROM article_read
                WHERE article_id = $1 AND counted AND flag IS NOT NULL GROUP BY flag ORDER BY flag""",
            article_id,
        )
        return {r["flag"]: r["n"] for r in rows}

    async def account_counts(self, account_id: uuid.UUID) -> asyncpg.Record | None:
        return await self.conn.fetchrow("SELECT * FROM read_count_account WHERE account_id = $1", account_id)
