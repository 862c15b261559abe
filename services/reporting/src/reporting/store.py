"""Reporting's SQL: complaints and their cases, the projections of targets (who wrote each post, which
accounts exist) and of reporters (registration, credit), breaches, and the outbox rows that announce them.
``Store`` is the port the handlers use; ``PgStore`` its asyncpg adapter."""

from __future__ import annotations

import json
import uuid
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import asyncpg
from kit.outbox import OutboxRow
from kit.statistics import CategoryStatistics
from kit.unit import Database as KitDatabase
from kit.unit import Unit

from reporting.domain import (
    POST_KIND_TARGETS,
    Case,
    CaseState,
    Complaint,
    ComplaintReason,
    ComplaintStatus,
    Evidence,
    KnownTarget,
    Outcome,
    Reporter,
    TargetType,
    VictimProof,
    reason,
)


@dataclass(frozen=True, slots=True)
class NewComplaint:
    complainant_id: uuid.UUID
    target_type: str
    target_id: uuid.UUID
    author_id: uuid.UUID
    reason: ComplaintReason
    detail: str
    evidence: Evidence
    victim_proof: VictimProof | None
    weight: float
    receipt_number: str
    case_id: uuid.UUID
    filed_at: datetime
    idempotency_key: str | None


@dataclass(frozen=True, slots=True)
class CaseFilter:
    state: CaseState | None = None
    category: str | None = None
    coordinated: bool | None = None
    overdue: bool | None = None
    after: tuple[datetime, uuid.UUID] | None = None
    limit: int = 50


class Store(Protocol):
    """What the handlers need of reporting's tables, inside one transaction."""

    async def record_post_author(self, post_id: uuid.UUID, author_id: uuid.UUID, kind: str | None) -> None: ...
    async def post_author(self, post_id: uuid.UUID) -> uuid.UUID | None: ...
    async def known_target(self, target_type: TargetType, target_id: uuid.UUID) -> KnownTarget | None: ...
    async def note_account(
        self,
        account_id: uuid.UUID,
        *,
        registered_at: datetime | None = None,
        credit_score: int | None = None,
        version: int | None = None,
        public: bool = False,
    ) -> None: ...
    async def lock(self, what: str) -> None: ...
    async def filed_since(self, complainant_id: uuid.UUID, since: datetime) -> tuple[int, datetime | None]: ...
    async def dismissed_since(self, complainant_id: uuid.UUID, since: datetime) -> int: ...
    async def next_receipt(self) -> int: ...
    async def insert_complaint(self, new: NewComplaint) -> Complaint: ...
    async def complaint_by_key(self, complainant_id: uuid.UUID, key: str | None) -> Complaint | None: ...
    async def complaint(self, complaint_id: uuid.UUID, *, for_update: bool = False) -> Complaint | None: ...
    async def complaints_of(
        self, complainant_id: uuid.UUID, after: tuple[datetime, uuid.UUID] | None, limit: int
    ) -> list[Complaint]: ...
    async def open_case_of(self, target_type: str, target_id: uuid.UUID) -> Case | None: ...
    async def case(self, case_id: uuid.UUID, *, for_update: bool = False) -> Case | None: ...
    async def insert_case(self, case: Case) -> None: ...
    async def update_case(self, case: Case) -> None: ...
    async def reporter_in_case(self, case_id: uuid.UUID, complainant_id: uuid.UUID) -> bool: ...
    async def reporters_since(self, case_id: uuid.UUID, since: datetime) -> list[Reporter]: ...
    async def close_case(self, case_id: uuid.UUID, outcome: Outcome, decision_id: uuid.UUID | None) -> Case: ...
    async def decide_complaints_of(self, case_id: uuid.UUID, outcome: Outcome) -> list[Complaint]: ...
    async def record_breach(self, case: Case) -> None: ...
    async def cases_to_escalate(self, limit: int) -> list[Case]: ...
    async def breach_due(self, limit: int) -> list[Case]: ...
    async def cases(self, query: CaseFilter) -> list[Case]: ...
    async def complaints_in_case(self, case_id: uuid.UUID, limit: int) -> list[Complaint]: ...
    async def statistics(self, since: datetime, until: datetime) -> list[CategoryStatistics]: ...
    async def announce(self, row: OutboxRow) -> None: ...
    async def announce_all(self, rows: list[OutboxRow]) -> None: ...


class Database(Protocol):
    """Where the handlers open their transactions."""

    def transaction(self) -> AbstractAsyncContextManager[Store]: ...


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _complaint(row: asyncpg.Record) -> Complaint:
    evidence = _json(row["evidence"]) or {}
    proof = _json(row["victim_proof"])
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
        receipt_number=row["receipt_number"],
        case_id=row["case_id"],
        evidence=Evidence(tuple(evidence.get("media_ids", ())), tuple(evidence.get("urls", ()))),
        victim_proof=VictimProof(proof["relationship"], proof["statement"], tuple(proof["media_ids"]))
        if proof
        else None,
        weight=row["weight"],
        action=row["action"],
    )


def _case(row: asyncpg.Record) -> Case:
    return Case(
        id=row["id"],
        target_type=row["target_type"],
        target_id=row["target_id"],
        author_id=row["author_id"],
        category=row["category"],
        categories=tuple(row["categories"]),
        complaint_count=row["complaint_count"],
        weight=row["weight"],
        coordinated=row["coordinated"],
        priority=row["priority"],
        victim_proof=row["victim_proof"],
        opened_at=row["opened_at"],
        deadline=row["deadline"],
        escalate_at=row["escalate_at"],
        version=row["version"],
        state=CaseState(row["state"]),
        escalated_at=row["escalated_at"],
        breached_at=row["breached_at"],
        upheld=row["upheld"],
        action=row["action"],
        note=row["note"],
        decided_by=row["decided_by"],
        decided_at=row["decided_at"],
    )


class PgStore(Unit):
    # --- targets and reporters ----------------------------------------------------------------------

    async def record_post_author(self, post_id: uuid.UUID, author_id: uuid.UUID, kind: str | None) -> None:
        """A post announced (again: content re-announces a post that waits): its author and kind, once."""
        await self.conn.execute(
            """INSERT INTO post_author (post_id, author_id, kind) VALUES ($1, $2, $3)
               ON CONFLICT (post_id) DO UPDATE SET kind = coalesce(post_author.kind, excluded.kind)""",
            post_id,
            author_id,
            kind,
        )

    async def post_author(self, post_id: uuid.UUID) -> uuid.UUID | None:
        return await self.conn.fetchval("SELECT author_id FROM post_author WHERE post_id = $1", post_id)

    async def known_target(self, target_type: TargetType, target_id: uuid.UUID) -> KnownTarget | None:
        if target_type is TargetType.ACCOUNT:
            found = await self.conn.fetchval("SELECT true FROM account WHERE account_id = $1", target_id)
            return KnownTarget(target_id, TargetType.ACCOUNT) if found else None
        row = await self.conn.fetchrow("SELECT author_id, kind FROM post_author WHERE post_id = $1", target_id)
        if row is None:
            return None
        if row["kind"] is None:
            return KnownTarget(row["author_id"], None)
        return KnownTarget(row["author_id"], POST_KIND_TARGETS.get(row["kind"], TargetType.ACCOUNT))

    async def note_account(
        self,
        account_id: uuid.UUID,
        *,
        registered_at: datetime | None = None,
        credit_score: int | None = None,
        version: int | None = None,
        public: bool = False,
    ) -> None:
        """What identity said of an account; a credit only from a newer standing (its version)."""
        await self.conn.execute(
            """INSERT INTO account (account_id, registered_at, credit_score, standing_version, public)
               VALUES ($1, $2, $3, coalesce($4, 0), $5)
               ON CONFLICT (account_id) DO UPDATE SET
                   registered_at = coalesce(account.registered_at, excluded.registered_at),
                   public = account.public OR excluded.public,
                   credit_score = CASE WHEN $4::bigint IS NOT NULL AND $4 > account.standing_version
                                       THEN excluded.credit_score ELSE account.credit_score END,
                   standing_version = greatest(account.standing_version, coalesce($4, 0))""",
            account_id,
            registered_at,
            credit_score,
            version,
            public,
        )

    # --- filing ---------------------------------------------------------------------------------------

    async def lock(self, what: str) -> None:
        """Serialise the transactions about one thing (a complainant's quota, a target's case)."""
        await self.conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 14))", what)

    async def filed_since(self, complainant_id: uuid.UUID, since: datetime) -> tuple[int, datetime | None]:
        row = await self.conn.fetchrow(
            "SELECT count(*) AS n, min(filed_at) AS oldest FROM complaint WHERE complainant_id = $1 AND filed_at > $2",
            complainant_id,
            since,
        )
        return row["n"], row["oldest"]

    async def dismissed_since(self, complainant_id: uuid.UUID, since: datetime) -> int:
        return await self.conn.fetchval(
            "SELECT count(*) FROM complaint WHERE complainant_id = $1 AND upheld = false AND decided_at > $2",
            complainant_id,
            since,
        )

    async def next_receipt(self) -> int:
        return await self.conn.fetchval("SELECT nextval('complaint_receipt')")

    async def insert_complaint(self, new: NewComplaint) -> Complaint:
        row = await self.conn.fetchrow(
            """INSERT INTO complaint (id, complainant_id, target_type, target_id, author_id, reason, detail,
                                      idempotency_key, receipt_number, case_id, evidence, victim_proof, weight,
                                      filed_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12::jsonb, $13, $14) RETURNING *""",
            uuid.uuid4(),
            new.complainant_id,
            new.target_type,
            new.target_id,
            new.author_id,
            new.reason.value,
            new.detail,
            new.idempotency_key,
            new.receipt_number,
            new.case_id,
            json.dumps({"media_ids": list(new.evidence.media_ids), "urls": list(new.evidence.urls)}),
            json.dumps(
                {
                    "relationship": new.victim_proof.relationship,
                    "statement": new.victim_proof.statement,
                    "media_ids": list(new.victim_proof.media_ids),
                }
            )
            if new.victim_proof
            else None,
            new.weight,
            new.filed_at,
        )
        return _complaint(row)

    async def complaint_by_key(self, complainant_id: uuid.UUID, key: str | None) -> Complaint | None:
        if key is None:
            return None
        row = await self.conn.fetchrow(
            "SELECT * FROM complaint WHERE complainant_id = $1 AND idempotency_key = $2", complainant_id, key
        )
        return _complaint(row) if row else None

    async def complaint(self, complaint_id: uuid.UUID, *, for_update: bool = False) -> Complaint | None:
        lock = " FOR UPDATE" if for_update else ""
        row = await self.conn.fetchrow(f"SELECT * FROM complaint WHERE id = $1{lock}", complaint_id)  # noqa: S608 - fixed clause
        return _complaint(row) if row else None

    async def complaints_of(
        self, complainant_id: uuid.UUID, after: tuple[datetime, uuid.UUID] | None, limit: int
    ) -> list[Complaint]:
        """The complainant's complaints, newest first (keyset on filed_at, id)."""
        rows = await self.conn.fetch(
            """SELECT * FROM complaint
                WHERE complainant_id = $1 AND ($2::timestamptz IS NULL OR (filed_at, id) < ($2, $3))
                ORDER BY filed_at DESC, id DESC LIMIT $4""",
            complainant_id,
            after[0] if after else None,
            after[1] if after else None,
            limit,
        )
        return [_complaint(r) for r in rows]

    # --- cases ------------------------------------------------------------------------------------------

    async def open_case_of(self, target_type: str, target_id: uuid.UUID) -> Case | None:
        row = await self.conn.fetchrow(
            """SELECT * FROM complaint_case WHERE target_type = $1 AND target_id = $2 AND state = 'open'
               FOR UPDATE""",
            target_type,
            target_id,
        )
        return _case(row) if row else None

    async def case(self, case_id: uuid.UUID, *, for_update: bool = False) -> Case | None:
        lock = " FOR UPDATE" if for_update else ""
        row = await self.conn.fetchrow(f"SELECT * FROM complaint_case WHERE id = $1{lock}", case_id)  # noqa: S608 - fixed clause
        return _case(row) if row else None

    async def insert_case(self, case: Case) -> None:
        await self.conn.execute(
            """INSERT INTO complaint_case (id, target_type, target_id, author_id, category, categories,
                                           complaint_count, weight, coordinated, priority, victim_proof, opened_at,
                                           deadline, escalate_at, version)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)""",
            case.id,
            case.target_type,
            case.target_id,
            case.author_id,
            case.category,
            list(case.categories),
            case.complaint_count,
            case.weight,
            case.coordinated,
            case.priority,
            case.victim_proof,
            case.opened_at,
            case.deadline,
            case.escalate_at,
            case.version,
        )

    async def update_case(self, case: Case) -> None:
        await self.conn.execute(
            """UPDATE complaint_case SET category = $2, categories = $3, complaint_count = $4, weight = $5,
                      coordinated = $6, priority = $7, victim_proof = $8, deadline = $9, escalate_at = $10,
                      escalated_at = $11, version = $12, author_id = coalesce(author_id, $13)
                WHERE id = $1""",
            case.id,
            case.category,
            list(case.categories),
            case.complaint_count,
            case.weight,
            case.coordinated,
            case.priority,
            case.victim_proof,
            case.deadline,
            case.escalate_at,
            case.escalated_at,
            case.version,
            case.author_id,
        )

    async def reporter_in_case(self, case_id: uuid.UUID, complainant_id: uuid.UUID) -> bool:
        return bool(
            await self.conn.fetchval(
                "SELECT true FROM complaint WHERE case_id = $1 AND complainant_id = $2 LIMIT 1", case_id, complainant_id
            )
        )

    async def reporters_since(self, case_id: uuid.UUID, since: datetime) -> list[Reporter]:
        """The case's reporters of the burst window, with what identity said of them."""
        rows = await self.conn.fetch(
            """SELECT DISTINCT ON (c.complainant_id) c.complainant_id, c.filed_at, a.registered_at, a.credit_score
                 FROM complaint c LEFT JOIN account a ON a.account_id = c.complainant_id
                WHERE c.case_id = $1 AND c.filed_at >= $2
                ORDER BY c.complainant_id, c.filed_at""",
            case_id,
            since,
        )
        return [Reporter(r["complainant_id"], r["filed_at"], r["registered_at"], r["credit_score"]) for r in rows]

    async def close_case(self, case_id: uuid.UUID, outcome: Outcome, decision_id: uuid.UUID | None) -> Case:
        row = await self.conn.fetchrow(
            """UPDATE complaint_case SET state = 'closed', upheld = $2, action = $3, note = $4, decided_by = $5,
                      decided_at = coalesce($6, now()), decision_id = $7,
                      author_id = coalesce(author_id, $8)
                WHERE id = $1 RETURNING *""",
            case_id,
            outcome.upheld,
            outcome.action,
            outcome.note,
            outcome.decided_by,
            outcome.decided_at,
            decision_id,
            outcome.account_id,
        )
        return _case(row)

    async def decide_complaints_of(self, case_id: uuid.UUID, outcome: Outcome) -> list[Complaint]:
        """Every undecided complaint of the case gets the case's outcome (MB-14)."""
        rows = await self.conn.fetch(
            """UPDATE complaint SET status = $2, upheld = $3, account_id = $4, outcome_note = $5, decided_by = $6,
                      decided_at = coalesce($7, now()), action = $8
                WHERE case_id = $1 AND decided_at IS NULL RETURNING *""",
            case_id,
            outcome.status.value,
            outcome.upheld,
            outcome.account_id,
            outcome.note,
            outcome.decided_by,
            outcome.decided_at,
            outcome.action,
        )
        return [_complaint(r) for r in rows]

    async def record_breach(self, case: Case) -> None:
        """PA-15.2: the case's deadline passed unhandled (once per case)."""
        await self.conn.execute(
            """INSERT INTO complaint_case_breach (case_id, category, deadline) VALUES ($1, $2, $3)
               ON CONFLICT (case_id) DO NOTHING""",
            case.id,
            case.category,
            case.deadline,
        )
        await self.conn.execute(
            "UPDATE complaint_case SET breached_at = coalesce(breached_at, now()) WHERE id = $1", case.id
        )

    async def cases_to_escalate(self, limit: int) -> list[Case]:
        """Open cases past their escalation point, claimed by this transaction (others skip them)."""
        rows = await self.conn.fetch(
            """SELECT * FROM complaint_case
                WHERE state = 'open' AND escalated_at IS NULL AND escalate_at <= now()
                ORDER BY escalate_at LIMIT $1 FOR UPDATE SKIP LOCKED""",
            limit,
        )
        return [_case(r) for r in rows]

    async def breach_due(self, limit: int) -> list[Case]:
        rows = await self.conn.fetch(
            """SELECT * FROM complaint_case
                WHERE state = 'open' AND breached_at IS NULL AND deadline <= now()
                ORDER BY deadline LIMIT $1 FOR UPDATE SKIP LOCKED""",
            limit,
        )
        return [_case(r) for r in rows]

    # --- staff reads ------------------------------------------------------------------------------------

    async def cases(self, query: CaseFilter) -> list[Case]:
        """Cases by deadline (the most urgent first), keyset on (deadline, id)."""
        rows = await self.conn.fetch(
            """SELECT * FROM complaint_case
                WHERE ($1::text IS NULL OR state = $1)
                  AND ($2::text IS NULL OR $2 = ANY (categories))
                  AND ($3::boolean IS NULL OR coordinated = $3)
                  AND ($4::boolean IS NULL OR ((state = 'open' AND deadline <= now()) = $4))
                  AND ($5::timestamptz IS NULL OR (deadline, id) > ($5, $6))
                ORDER BY deadline, id LIMIT $7""",
            query.state.value if query.state else None,
            query.category,
            query.coordinated,
            query.overdue,
            query.after[0] if query.after else None,
            query.after[1] if query.after else None,
            query.limit,
        )
        return [_case(r) for r in rows]

    async def complaints_in_case(self, case_id: uuid.UUID, limit: int) -> list[Complaint]:
        rows = await self.conn.fetch(
            "SELECT * FROM complaint WHERE case_id = $1 ORDER BY filed_at, id LIMIT $2", case_id, limit
        )
        return [_complaint(r) for r in rows]

    async def statistics(self, since: datetime, until: datetime) -> list[CategoryStatistics]:
        """PA-15.2: per leading category, the cases opened in [since, until): complaints, handled, handling
        time (median, p90, seconds), breaches, upheld and dismissed."""
        rows = await self.conn.fetch(
            """SELECT k.category,
                      count(*) AS cases,
                      coalesce(sum(k.complaint_count), 0) AS complaints,
                      count(*) FILTER (WHERE k.state = 'closed') AS handled,
                      percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM k.decided_at - k.opened_at))
                          FILTER (WHERE k.state = 'closed') AS median_handling_s,
                      percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM k.decided_at - k.opened_at))
                          FILTER (WHERE k.state = 'closed') AS p90_handling_s,
                      count(*) FILTER (WHERE k.breached_at IS NOT NULL OR k.decided_at > k.deadline
                                       OR (k.state = 'open' AND k.deadline <= now())) AS breaches,
                      count(*) FILTER (WHERE k.upheld) AS upheld,
                      count(*) FILTER (WHERE k.upheld = false) AS dismissed
                 FROM complaint_case k
                WHERE k.opened_at >= $1 AND k.opened_at < $2
                GROUP BY k.category ORDER BY k.category""",
            since,
            until,
        )
        return [CategoryStatistics.of_row(r) for r in rows]


class PgDatabase(KitDatabase[PgStore]):
    def __init__(self, pool: asyncpg.Pool) -> None:
        super().__init__(pool, PgStore)
