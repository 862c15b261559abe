"""SQL of the user-log archive (MB-16.2): the chain's records, the daily anchors, purges and the record of
the regulators' queries. Appends are serialised by one transaction-level advisory lock (one chain)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import date
from typing import Protocol

import asyncpg
from kit.unit import Unit

from regulator_gateway.archive.domain import GENESIS, Anchor, ChainHead, DayTally, LogQuery, Record, RecordedQuery

_LOCK = "SELECT pg_advisory_xact_lock(hashtextextended('qinglang.user_log_archive', 0))"
_RECORD_COLUMNS = (
    "seq",
    "day",
    "recorded_at",
    "record_id",
    "source",
    "kind",
    "occurred_at",
    "account_id",
    "actor_id",
    "sealed_address",
    "address_hash",
    "client_id",
    "subject_type",
    "subject_id",
    "succeeded",
    "detail",
    "legal_basis",
    "prev_hash",
    "hash",
)
_SELECT = ", ".join(_RECORD_COLUMNS)
_ANCHOR_COLUMNS = "day, first_seq, last_seq, count, head_hash, prev_anchor_hash, signed_at, key_id, signature"


def _record(r: asyncpg.Record) -> Record:
    return Record(
        seq=r["seq"],
        day=r["day"],
        recorded_at=r["recorded_at"],
        record_id=r["record_id"],
        source=r["source"],
        kind=r["kind"],
        occurred_at=r["occurred_at"],
        account_id=r["account_id"],
        actor_id=r["actor_id"],
        sealed_address=bytes(r["sealed_address"]),
        address_hash=bytes(r["address_hash"]) if r["address_hash"] is not None else None,
        client_id=r["client_id"],
        subject_type=r["subject_type"],
        subject_id=r["subject_id"],
        succeeded=r["succeeded"],
        detail=r["detail"],
        legal_basis=tuple(r["legal_basis"]),
        prev_hash=bytes(r["prev_hash"]),
        hash=bytes(r["hash"]),
    )


def _row(record: Record) -> tuple:
    return tuple(getattr(record, c) if c != "legal_basis" else list(record.legal_basis) for c in _RECORD_COLUMNS)


def _anchor(r: asyncpg.Record) -> Anchor:
    return Anchor(
        day=r["day"],
        first_seq=r["first_seq"],
        last_seq=r["last_seq"],
        count=r["count"],
        head_hash=bytes(r["head_hash"]),
        prev_anchor_hash=bytes(r["prev_anchor_hash"]),
        signed_at=r["signed_at"],
        key_id=r["key_id"],
        signature=bytes(r["signature"]),
    )


class ArchiveStore(Protocol):
    async def lock(self) -> None: ...
    async def head(self, record_ids: Sequence[uuid.UUID] = ()) -> tuple[ChainHead, set[uuid.UUID]]: ...
    async def insert(self, records: Sequence[Record]) -> None: ...
    async def first_record_day(self) -> date | None: ...
    async def last_anchor(self) -> Anchor | None: ...
    async def day_tally(self, day: date) -> DayTally: ...
    async def insert_anchor(self, anchor: Anchor) -> None: ...
    async def anchor_before(self, day: date) -> Anchor | None: ...
    async def anchors(self, after: date | None, until: date) -> list[Anchor]: ...
    def records_from(self, seq: int, until: date) -> AsyncIterator[Record]: ...
    async def last_purged_day(self) -> date | None: ...
    async def purgeable_days(self, before: date) -> list[date]: ...
    async def purge_day(self, day: date, legal_basis: Sequence[str]) -> int: ...
    async def query(self, query: LogQuery) -> list[Record]: ...
    async def record_query(self, office_id: uuid.UUID, query: LogQuery, rows: int) -> None: ...
    async def queries(self, office_id: uuid.UUID, before_id: int | None, limit: int) -> list[RecordedQuery]: ...


class PgArchiveStore(Unit):
    async def lock(self) -> None:
        """One chain: appends, anchors and purges take turns (held until the transaction ends)."""
        await self.conn.execute(_LOCK)

    async def head(self, record_ids: Sequence[uuid.UUID] = ()) -> tuple[ChainHead, set[uuid.UUID]]:
        """The chain's last record (after a purge of everything: the last anchor's head) and last closed day,
        and which of ``record_ids`` are archived already: one round trip, under the lock."""
        row = await self.conn.fetchrow(
            """SELECT (SELECT array_agg(record_id) FROM user_log_record WHERE record_id = ANY($1::uuid[])) AS archived,
                      r.seq, r.hash, r.day, a.day AS anchored_day, a.last_seq, a.head_hash
                 FROM (SELECT 1) AS one
                 LEFT JOIN LATERAL (SELECT seq, hash, day FROM user_log_record ORDER BY seq DESC LIMIT 1) r ON true
                 LEFT JOIN LATERAL (SELECT day, last_seq, head_hash FROM user_log_anchor ORDER BY day DESC LIMIT 1) a
                        ON true""",
            list(record_ids),
        )
        archived = set(row["archived"] or ())
        anchored = row["anchored_day"]
        if row["seq"] is not None and (anchored is None or row["seq"] >= row["last_seq"]):
            return ChainHead(row["seq"], bytes(row["hash"]), row["day"], anchored), archived
        if anchored is not None:
            return ChainHead(row["last_seq"], bytes(row["head_hash"]), anchored, anchored), archived
        return ChainHead(0, GENESIS, None, None), archived

    async def insert(self, records: Sequence[Record]) -> None:
        await self.conn.copy_records_to_table(
            "user_log_record", records=[_row(r) for r in records], columns=list(_RECORD_COLUMNS)
        )

    async def first_record_day(self) -> date | None:
        return await self.conn.fetchval("SELECT day FROM user_log_record ORDER BY seq LIMIT 1")

    async def last_anchor(self) -> Anchor | None:
        row = await self.conn.fetchrow(f"SELECT {_ANCHOR_COLUMNS} FROM user_log_anchor ORDER BY day DESC LIMIT 1")  # noqa: S608 - fixed columns
        return _anchor(row) if row else None

    async def day_tally(self, day: date) -> DayTally:
        row = await self.conn.fetchrow(
            """SELECT min(seq) AS first_seq, max(seq) AS last_seq, count(*) AS count,
                      (SELECT hash FROM user_log_record WHERE day = $1 ORDER BY seq DESC LIMIT 1) AS head_hash
                 FROM user_log_record WHERE day = $1""",
            day,
        )
        head = bytes(row["head_hash"]) if row["head_hash"] is not None else None
        return DayTally(day, row["first_seq"], row["last_seq"], row["count"], head)

    async def insert_anchor(self, anchor: Anchor) -> None:
        await self.conn.execute(
            f"INSERT INTO user_log_anchor ({_ANCHOR_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",  # noqa: S608 - fixed columns
            anchor.day,
            anchor.first_seq,
            anchor.last_seq,
            anchor.count,
            anchor.head_hash,
            anchor.prev_anchor_hash,
            anchor.signed_at,
            anchor.key_id,
            anchor.signature,
        )

    async def anchor_before(self, day: date) -> Anchor | None:
        row = await self.conn.fetchrow(
            f"SELECT {_ANCHOR_COLUMNS} FROM user_log_anchor WHERE day < $1 ORDER BY day DESC LIMIT 1",  # noqa: S608 - fixed columns
            day,
        )
        return _anchor(row) if row else None

    async def anchors(self, after: date | None, until: date) -> list[Anchor]:
        rows = await self.conn.fetch(
            f"""SELECT {_ANCHOR_COLUMNS} FROM user_log_anchor
                 WHERE ($1::date IS NULL OR day > $1) AND day <= $2 ORDER BY day""",  # noqa: S608 - fixed columns
            after,
            until,
        )
        return [_anchor(r) for r in rows]

    async def records_from(self, seq: int, until: date) -> AsyncIterator[Record]:
        """The chain from ``seq`` through the day ``until``, in seq order, streamed (a cursor: needs a
        transaction; a million records never sit in memory)."""
        async for row in self.conn.cursor(
            f"SELECT {_SELECT} FROM user_log_record WHERE seq >= $1 AND day <= $2 ORDER BY seq",  # noqa: S608 - fixed columns
            seq,
            until,
            prefetch=5000,
        ):
            yield _record(row)

    async def last_purged_day(self) -> date | None:
        return await self.conn.fetchval("SELECT max(day) FROM user_log_purge")

    async def purgeable_days(self, before: date) -> list[date]:
        """Anchored days before ``before`` that still hold records."""
        rows = await self.conn.fetch(
            """SELECT a.day FROM user_log_anchor a
                WHERE a.day < $1 AND EXISTS (SELECT 1 FROM user_log_record r WHERE r.day = a.day)
                ORDER BY a.day""",
            before,
        )
        return [r["day"] for r in rows]

    async def purge_day(self, day: date, legal_basis: Sequence[str]) -> int:
        """MB-16.2: a whole day's records go (through the one function the append-only trigger lets delete);
        the purge is recorded, the day's anchor stays."""
        gone = await self.conn.fetchval("SELECT user_log_purge_day($1)", day)
        await self.conn.execute(
            """INSERT INTO user_log_purge (day, records, legal_basis) VALUES ($1, $2, $3)
               ON CONFLICT (day) DO UPDATE SET records = user_log_purge.records + excluded.records,
                   purged_at = now()""",
            day,
            gone,
            list(legal_basis),
        )
        return gone

    async def query(self, query: LogQuery) -> list[Record]:
        """MB-16.2: records by account, address (lookup hash) and time of occurrence, in the province's
        jurisdiction (None: every record), keyset pages in seq order."""
        rows = await self.conn.fetch(
            f"""SELECT {_SELECT} FROM user_log_record r
                 WHERE ($1::text IS NULL OR EXISTS (SELECT 1 FROM account_jurisdiction j
                                                     WHERE j.account_id = r.account_id AND j.province_code = $1))
                   AND ($2::uuid IS NULL OR r.account_id = $2)
                   AND ($3::bytea IS NULL OR r.address_hash = $3)
                   AND ($4::timestamptz IS NULL OR r.occurred_at >= $4)
                   AND ($5::timestamptz IS NULL OR r.occurred_at < $5)
                   AND ($6::bigint IS NULL OR r.seq > $6)
                 ORDER BY r.seq LIMIT $7""",  # noqa: S608 - fixed columns
            query.province,
            query.account_id,
            query.address_hash,
            query.since,
            query.until,
            query.after_seq,
            query.limit,
        )
        return [_record(r) for r in rows]

    async def record_query(self, office_id: uuid.UUID, query: LogQuery, rows: int) -> None:
        await self.conn.execute(
            """INSERT INTO log_query (office_id, account_id, address_hash, since, until, after_seq, rows)
               VALUES ($1, $2, $3, $4, $5, $6, $7)""",
            office_id,
            query.account_id,
            query.address_hash,
            query.since,
            query.until,
            query.after_seq,
            rows,
        )

    async def queries(self, office_id: uuid.UUID, before_id: int | None, limit: int) -> list[RecordedQuery]:
        """The office's own queries, newest first."""
        rows = await self.conn.fetch(
            """SELECT id, account_id, address_hash, since, until, after_seq, rows, at FROM log_query
                WHERE office_id = $1 AND ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $3""",
            office_id,
            before_id,
            limit,
        )
        return [
            RecordedQuery(
                id=r["id"],
                account_id=r["account_id"],
                address_hash=bytes(r["address_hash"]) if r["address_hash"] is not None else None,
                since=r["since"],
                until=r["until"],
                after_seq=r["after_seq"],
                rows=r["rows"],
                at=r["at"],
            )
            for r in rows
        ]
