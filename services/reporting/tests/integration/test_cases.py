"""Complaint cases on a real PostgreSQL (a fresh database per test, no broker: events are fed to their
handlers): filing groups complaints into one case per target, moderation's CaseDecided gives the outcome to
every complaint of the case once, deadlines escalate and breach (MB-14, PA-15.2, PA-6.2, BJ-13)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest
from contracts import reporting
from contracts.categories import Bj10Category
from devstack.testing import Infra
from kit.db import apply_migrations
from qinglang.reporting.v1 import complaint_pb2
from reporting import domain, events, handlers
from reporting.domain import (
    BurstRule,
    CaseRules,
    CaseState,
    ComplaintQuotaReached,
    OtherReason,
    TargetType,
    UnknownTarget,
    VictimProof,
    VictimProofMissing,
)
from reporting.main import MIGRATIONS
from reporting.store import CaseFilter, PgDatabase, PgStore

RULES = CaseRules(
    deadline_hours={"bj10": 24, "infringement": 72, "spam": 168, "default": 72},
    escalate_fraction=0.75,
    burst=BurstRule(complaints=3, minutes=10, new_account_days=7, low_credit_below=100),
)
POLICY = handlers.FilingPolicy(rules=RULES, limit=4, window=timedelta(hours=1))


@pytest.fixture
async def pool(infra: Infra) -> AsyncIterator[asyncpg.Pool]:
    url = infra.fresh_database()
    apply_migrations(url, MIGRATIONS)
    pool = await asyncpg.create_pool(url, min_size=1, max_size=4)
    try:
        yield pool
    finally:
        await pool.close()


@pytest.fixture
def db(pool: asyncpg.Pool) -> PgDatabase:
    return PgDatabase(pool)


async def _post(db: PgDatabase, kind: str = "post") -> tuple[uuid.UUID, uuid.UUID]:
    post, author = uuid.uuid4(), uuid.uuid4()
    async with db.transaction() as store:
        await handlers.record_post_author(store, events.Authorship(post, author, kind))
    return post, author


async def _account(db: PgDatabase, *, days_old: float = 365, credit: int = 120) -> uuid.UUID:
    account = uuid.uuid4()
    async with db.transaction() as store:
        registered = datetime.now(UTC) - timedelta(days=days_old)
        await handlers.note_account(store, events.AccountFact(account, registered_at=registered))
        await handlers.note_account(store, events.AccountFact(account, credit_score=credit, version=1))
    return account


def _file(complainant: uuid.UUID, target: uuid.UUID, reason=Bj10Category.RUMOUR_DISTURBING_ORDER, **kw):
    return handlers.FileComplaint(
        complainant=complainant,
        target_type=kw.pop("target_type", TargetType.POST),
        target_id=target,
        reason=reason,
        detail="",
        idempotency_key=kw.pop("key", None),
        **kw,
    )


async def _announced(pool: asyncpg.Pool, ce_type: str) -> list[bytes]:
    return [
        r["payload"]
        for r in await pool.fetch("SELECT payload FROM outbox_event WHERE ce_type = $1 ORDER BY id", ce_type)
    ]


@pytest.mark.requirement("MB-14")
@pytest.mark.requirement("PA-15.2")
async def test_complaints_about_one_target_join_one_case_announced_with_a_rising_version(db, pool) -> None:
    post, author = await _post(db)
    first = await handlers.file_complaint(db, _file(await _account(db), post), POLICY)
    second = await handlers.file_complaint(db, _file(await _account(db), post, OtherReason.SPAM), POLICY)
    assert first.complaint.case_id == second.complaint.case_id and first.complaint.receipt_number
    assert first.complaint.receipt_number != second.complaint.receipt_number
    assert second.case.complaint_count == 2 and second.case.category == Bj10Category.RUMOUR_DISTURBING_ORDER
    # BJ-10's window (24 h) is the strictest of the case's categories.
    assert second.case.deadline - second.case.opened_at == timedelta(hours=24)
    opened = await _announced(pool, reporting.CASE_OPENED.name)
    changed = await _announced(pool, reporting.CASE_CHANGED.name)
    assert [complaint_pb2.ComplaintCase.FromString(p).version for p in opened + changed] == [1, 2]
    assert complaint_pb2.ComplaintCase.FromString(changed[0]).author_id == str(author)


@pytest.mark.requirement("MB-14")
async def test_unknown_targets_infringement_without_proof_and_the_abuse_limit_are_refused(db) -> None:
    post, _ = await _post(db, "comment")
    reporter = await _account(db)
    with pytest.raises(UnknownTarget):  # a comment is not a post... nor an article
        await handlers.file_complaint(db, _file(reporter, post, target_type=TargetType.ARTICLE), POLICY)
    with pytest.raises(UnknownTarget):
        await handlers.file_complaint(db, _file(reporter, uuid.uuid4(), target_type=TargetType.ACCOUNT), POLICY)
    with pytest.raises(VictimProofMissing):
        await handlers.file_complaint(
            db, _file(reporter, post, OtherReason.INFRINGEMENT_PRIVACY, target_type=TargetType.COMMENT), POLICY
        )
    proof = VictimProof("self", "这是我的照片", ("m-1",))
    filed = await handlers.file_complaint(
        db,
        _file(reporter, post, OtherReason.INFRINGEMENT_PRIVACY, target_type=TargetType.COMMENT, victim_proof=proof),
        POLICY,
    )
    assert filed.case.victim_proof and filed.complaint.victim_proof == proof
    for _ in range(3):
        await handlers.file_complaint(db, _file(reporter, post, target_type=TargetType.COMMENT), POLICY)
    with pytest.raises(ComplaintQuotaReached) as refused:  # 4 per hour
        await handlers.file_complaint(db, _file(reporter, post, target_type=TargetType.COMMENT), POLICY)
    assert refused.value.requirement == "MB-14" and refused.value.retry_after_s > 0


@pytest.mark.requirement("MB-14")
@pytest.mark.requirement("PA-6.2")
async def test_case_decided_gives_every_complaint_its_outcome_once_and_resolves_the_case_once(db, pool) -> None:
    post, author = await _post(db)
    reporters = [await _account(db) for _ in range(2)]
    filed = [await handlers.file_complaint(db, _file(r, post), POLICY) for r in reporters]
    case_id = filed[0].complaint.case_id
    decision = events.CaseDecision(
        case_id=case_id,
        upheld=True,
        action="stop",
        decision_id=uuid.uuid4(),
        note="谣言属实",
        decided_by="staff:1",
        decided_at=datetime.now(UTC),
    )
    for _ in range(2):  # a redelivery changes nothing
        async with pool.acquire() as conn, conn.transaction():
            await handlers.decide_case(PgStore(conn), decision)
    resolved = [
        complaint_pb2.ComplaintResolved.FromString(p) for p in await _announced(pool, reporting.COMPLAINT_RESOLVED.name)
    ]
    assert sorted(r.complainant_id for r in resolved) == sorted(str(r) for r in reporters)
    assert {(r.case_id, r.action, r.upheld, r.account_id, r.target_type) for r in resolved} == {
        (str(case_id), "stop", True, str(author), "post")
    }
    [case] = [
        complaint_pb2.ComplaintCaseResolved.FromString(p) for p in await _announced(pool, reporting.CASE_RESOLVED.name)
    ]
    assert (case.case_id, case.account_id, case.upheld) == (str(case_id), str(author), True)
    complaint, shown_case = await handlers.complaint_of(db, filed[0].complaint.id, reporters[0])
    assert complaint.status == "upheld" and complaint.action == "stop"
    assert [s.step for s in domain.history(complaint, shown_case)] == ["received", "grouped", "decided"]
    # A complaint after the case closed opens a new case.
    again = await handlers.file_complaint(db, _file(reporters[0], post), POLICY)
    assert again.complaint.case_id != case_id and again.case.version == 1


@pytest.mark.requirement("MB-14")
async def test_a_burst_of_new_accounts_marks_the_case_coordinated_and_dismissals_lower_a_reporters_weight(
    db, pool
) -> None:
    post, _ = await _post(db)
    for _ in range(3):
        last = await handlers.file_complaint(db, _file(await _account(db, days_old=1), post), POLICY)
    assert last.case.coordinated
    # A reporter whose complaint was dismissed weighs half as much in their next case.
    other, _ = await _post(db)
    reporter = await _account(db)
    first = await handlers.file_complaint(db, _file(reporter, other), POLICY)
    async with pool.acquire() as conn, conn.transaction():
        await handlers.decide_case(
            PgStore(conn),
            events.CaseDecision(first.complaint.case_id, False, "none", None, "不成立", "staff:1", datetime.now(UTC)),
        )
    third, _ = await _post(db)
    later = await handlers.file_complaint(db, _file(reporter, third), POLICY)
    assert later.complaint.weight == 0.5 and later.case.weight == 0.5


@pytest.mark.requirement("PA-15.2")
async def test_an_unhandled_case_is_escalated_and_its_breach_recorded(db, pool) -> None:
    post, _ = await _post(db)
    filed = await handlers.file_complaint(db, _file(await _account(db), post), POLICY)
    await pool.execute(
        "UPDATE complaint_case SET escalate_at = now() - interval '1 hour', deadline = now() - interval '1 minute'"
    )
    assert await handlers.escalate_due(db, 10) == 1 and await handlers.escalate_due(db, 10) == 0
    assert await handlers.record_breaches(db, 10) == 1 and await handlers.record_breaches(db, 10) == 0
    changed = [complaint_pb2.ComplaintCase.FromString(p) for p in await _announced(pool, reporting.CASE_CHANGED.name)]
    assert changed[-1].escalated and changed[-1].priority == 3 and changed[-1].version == 2
    assert await pool.fetchval("SELECT count(*) FROM complaint_case_breach WHERE case_id = $1", filed.case.id) == 1
    stats = await handlers.statistics(db, datetime.now(UTC) - timedelta(days=1), datetime.now(UTC) + timedelta(days=1))
    assert [(s.category, s.cases, s.breaches, s.handled) for s in stats] == [
        (Bj10Category.RUMOUR_DISTURBING_ORDER.value, 1, 1, 0)
    ]


@pytest.mark.requirement("MB-14")
@pytest.mark.requirement("PA-15.2")
async def test_a_complainants_complaints_and_the_staffs_cases_are_read_page_by_page(db) -> None:
    reporter = await _account(db)
    posts = [(await _post(db))[0] for _ in range(3)]
    filed = [await handlers.file_complaint(db, _file(reporter, p), POLICY) for p in posts]
    seen, cursor = [], None
    while True:
        page, cursor = await handlers.complaints_of(db, reporter, cursor=cursor, limit=2)
        seen += [c.id for c in page]
        if cursor is None:
            break
    assert seen == [f.complaint.id for f in reversed(filed)]  # newest first, each once
    cases, cursor = [], None
    while True:
        page, cursor = await handlers.list_cases(db, CaseFilter(state=CaseState.OPEN, limit=2), cursor=cursor)
        cases += [c.id for c in page]
        if cursor is None:
            break
    assert sorted(cases) == sorted(f.case.id for f in filed)
