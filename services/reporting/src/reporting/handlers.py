"""Reporting's commands and the events it consumes: one function each, owning its transaction (rows and
the outbox rows that announce them commit together)."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

import asyncpg
from kit.cloudevents import Event
from kit.pagination import decode_cursor, page
from kit.statistics import CategoryStatistics

from reporting import domain, events
from reporting.domain import (
    Case,
    CaseNotFound,
    CaseRules,
    Complaint,
    ComplaintReason,
    Evidence,
    TargetType,
    VictimProof,
)
from reporting.store import CaseFilter, Database, NewComplaint, PgStore, Store

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class FilingPolicy:
    """The rules of filing: the case rules, the abuse limit and the screening window (settings)."""

    rules: CaseRules
    limit: int = 20
    window: timedelta = timedelta(hours=1)
    screening: timedelta = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class FileComplaint:
    complainant: uuid.UUID
    target_type: TargetType
    target_id: uuid.UUID
    reason: ComplaintReason
    detail: str
    idempotency_key: str | None
    evidence: Evidence = field(default_factory=Evidence)
    victim_proof: VictimProof | None = None


@dataclass(frozen=True, slots=True)
class Filed:
    complaint: Complaint
    case: Case | None
    new: bool


@dataclass(frozen=True, slots=True)
class DecideComplaint:
    complaint_id: uuid.UUID
    upheld: bool
    named: uuid.UUID | None  # the account a reviewer names, if any: must be the target's author
    note: str
    by: str


# --- what reporting learns from others ------------------------------------------------------------------


async def on_post_created(conn: asyncpg.Connection, event: Event) -> None:
    """content.post.v1: remember who wrote the post and what it is (complaints are checked against it)."""
    await record_post_author(PgStore(conn), events.authorship(event))


async def record_post_author(store: Store, authorship: events.Authorship) -> None:
    await store.record_post_author(authorship.post_id, authorship.author_id, authorship.kind)


async def note_account(store: Store, fact: events.AccountFact) -> None:
    """identity.account.v1: an account exists (a target of complaints); its registration and credit (the
    screening of malicious reports reads them)."""
    await store.note_account(
        fact.account_id,
        registered_at=fact.registered_at,
        credit_score=fact.credit_score,
        version=fact.version,
        public=fact.public,
    )


# --- filing (MB-14) -----------------------------------------------------------------------------------------


async def file_complaint(db: Database, cmd: FileComplaint, policy: FilingPolicy) -> Filed:
    """MB-14: a complaint about a known target, within the filer's abuse limit, joins the target's open case
    (or opens one) and is answered at once with its receipt; the case is announced (opened or changed)."""
    now = datetime.now(UTC)
    async with db.transaction() as store:
        await store.lock(f"complainant:{cmd.complainant}")
        existing = await store.complaint_by_key(cmd.complainant, cmd.idempotency_key)
        if existing is not None:  # the same idempotency key again: the first complaint stands
            return Filed(existing, await store.case(existing.case_id) if existing.case_id else None, False)
        domain.check_victim_proof(cmd.reason, cmd.victim_proof)
        author = domain.check_target(cmd.target_type, await store.known_target(cmd.target_type, cmd.target_id))
        filed, oldest = await store.filed_since(cmd.complainant, now - policy.window)
        domain.check_filing_quota(filed, limit=policy.limit, oldest_recent=oldest, now=now, window=policy.window)
        weight = domain.reporter_weight(await store.dismissed_since(cmd.complainant, now - policy.screening))

        await store.lock(f"target:{cmd.target_type}:{cmd.target_id}")
        case = await store.open_case_of(cmd.target_type.value, cmd.target_id)
        opened = case is None
        if case is None:
            case = domain.open_case(
                case_id=uuid.uuid4(),
                target_type=cmd.target_type.value,
                target_id=cmd.target_id,
                author_id=author,
                category=cmd.reason.value,
                weight=weight,
                victim_proof=cmd.victim_proof is not None,
                now=now,
                rules=policy.rules,
            )
            await store.insert_case(case)
            added = weight
        else:
            added = 0.0 if await store.reporter_in_case(case.id, cmd.complainant) else weight
        complaint = await store.insert_complaint(
            NewComplaint(
                complainant_id=cmd.complainant,
                target_type=cmd.target_type.value,
                target_id=cmd.target_id,
                author_id=author,
                reason=cmd.reason,
                detail=cmd.detail,
                evidence=cmd.evidence,
                victim_proof=cmd.victim_proof,
                weight=weight,
                receipt_number=domain.receipt_number(now, await store.next_receipt()),
                case_id=case.id,
                filed_at=now,
                idempotency_key=cmd.idempotency_key,
            )
        )
        if not opened:
            burst = policy.rules.burst
            reporters = await store.reporters_since(case.id, now - timedelta(minutes=burst.minutes))
            case = domain.join_case(
                replace(case, author_id=case.author_id or author),
                category=cmd.reason.value,
                added_weight=added,
                victim_proof=cmd.victim_proof is not None,
                coordinated_now=domain.coordinated(reporters, now, burst),
                rules=policy.rules,
            )
            await store.update_case(case)
        await store.announce_all([events.complaint_filed(complaint), events.case_announced(case, opened=opened)])
        return Filed(complaint, case, True)


async def complaint_of(db: Database, complaint_id: uuid.UUID, complainant: uuid.UUID) -> tuple[Complaint, Case | None]:
    """A complaint as its complainant follows it, with its case (MB-14); anyone else's is not found."""
    async with db.transaction() as store:
        complaint = domain.visible_to(await store.complaint(complaint_id), complainant)
        return complaint, await store.case(complaint.case_id) if complaint.case_id else None


async def complaints_of(
    db: Database, complainant: uuid.UUID, *, cursor: str | None, limit: int
) -> tuple[list[Complaint], str | None]:
    """The complainant's complaints, newest first, one cursor page (MB-14)."""
    after = decode_cursor(cursor, datetime, uuid.UUID) if cursor else None
    async with db.transaction() as store:
        found = await store.complaints_of(complainant, after, limit + 1)
    listed = page(found, limit, lambda c: (c.filed_at, c.id))
    return listed["items"], listed["next_cursor"]


# --- outcomes (MB-14, PA-6.2) --------------------------------------------------------------------------------


async def _close(store: Store, case: Case, outcome: domain.Outcome, decision_id: uuid.UUID | None) -> Case:
    """The case's outcome on the case and every complaint of it; each complaint's outcome announced (its
    complainant is told), the case's once (the account responsible loses credit once, PA-6.2); a deadline
    passed unhandled recorded as a breach (PA-15.2)."""
    closed = await store.close_case(case.id, outcome, decision_id)
    decided = await store.decide_complaints_of(case.id, replace(outcome, decided_at=closed.decided_at))
    if closed.decided_at is not None and domain.breached(closed, closed.decided_at):
        await store.record_breach(closed)
    await store.announce_all([*(events.complaint_resolved(c) for c in decided), events.case_resolved(closed)])
    return closed


async def decide_complaint(db: Database, cmd: DecideComplaint) -> Complaint:
    """MB-14 / PA-6.2: a reviewer's outcome of a complaint decides its whole case, once: upheld against the
    target's author (who loses credit once for the case), or dismissed."""
    async with db.transaction() as store:
        complaint = await store.complaint(cmd.complaint_id, for_update=True)
        author = None
        if complaint is not None:
            author = complaint.author_id or await store.post_author(complaint.target_id)
        outcome = domain.decide(
            complaint, author_id=author, upheld=cmd.upheld, named=cmd.named, note=cmd.note, by=cmd.by
        )
        assert complaint is not None and complaint.case_id is not None  # every undecided complaint has a case
        case = await store.case(complaint.case_id, for_update=True)
        assert case is not None
        await _close(store, replace(case, author_id=case.author_id or author), outcome, None)
        decided = await store.complaint(cmd.complaint_id)
        assert decided is not None
        return decided


async def on_case_decided(conn: asyncpg.Connection, event: Event) -> None:
    """moderation.review.v1: a reviewer decided the case's review item (MB-14, MB-6.1)."""
    await decide_case(PgStore(conn), events.case_decided(event.message))


async def decide_case(store: Store, decision: events.CaseDecision) -> Case | None:
    """MB-14 / PA-6.2: moderation's decision of a case, given to the case and every complaint of it, once
    (a redelivery, or a case decided already, changes nothing)."""
    case = await store.case(decision.case_id, for_update=True)
    if case is None:
        log.warning("a decision of a case reporting does not know", extra={"case_id": str(decision.case_id)})
        return None
    if case.author_id is None:
        case = replace(case, author_id=await store.post_author(case.target_id))
    outcome = domain.case_outcome(
        case,
        upheld=decision.upheld,
        action=decision.action,
        note=decision.note,
        by=decision.decided_by,
        at=decision.decided_at,
    )
    if outcome is None:
        return case
    return await _close(store, case, outcome, decision.decision_id)


# --- deadlines (MB-14, PA-15.2) --------------------------------------------------------------------------------


async def escalate_due(db: Database, limit: int) -> int:
    """Cases unhandled at their escalation point are escalated and announced again; how many."""
    async with db.transaction() as store:
        due = await store.cases_to_escalate(limit)
        now = datetime.now(UTC)
        escalated = [domain.escalate(c, now) for c in due]
        for case in escalated:
            await store.update_case(case)
        if escalated:
            await store.announce_all([events.case_announced(c, opened=False) for c in escalated])
        return len(due)


async def record_breaches(db: Database, limit: int) -> int:
    """PA-15.2: a breach recorded for each case whose deadline passed unhandled; how many."""
    async with db.transaction() as store:
        due = await store.breach_due(limit)
        for case in due:
            await store.record_breach(case)
        return len(due)


# --- staff reads ------------------------------------------------------------------------------------------------


async def list_cases(db: Database, query: CaseFilter, *, cursor: str | None) -> tuple[list[Case], str | None]:
    """Cases, the nearest deadline first, one cursor page of ``query.limit`` (MB-14, PA-15.2)."""
    after = decode_cursor(cursor, datetime, uuid.UUID) if cursor else None
    async with db.transaction() as store:
        found = await store.cases(replace(query, after=after, limit=query.limit + 1))
    listed = page(found, query.limit, lambda c: (c.deadline, c.id))
    return listed["items"], listed["next_cursor"]


async def case_detail(db: Database, case_id: uuid.UUID, limit: int) -> tuple[Case, list[Complaint]]:
    """MB-14: a case with its complaints (reporters by account id only, their weights, evidence, proof)."""
    async with db.transaction() as store:
        case = await store.case(case_id)
        if case is None:
            raise CaseNotFound("No such complaint case.")
        return case, await store.complaints_in_case(case_id, limit)


async def statistics(db: Database, since: datetime, until: datetime) -> list[CategoryStatistics]:
    """PA-15.2: handling per category for the cases opened in the period."""
    async with db.transaction() as store:
        return await store.statistics(since, until)
