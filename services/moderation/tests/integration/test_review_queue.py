"""Issue 14 on a real PostgreSQL (MB-6.1, MB-14, PA-5.1, MB-12.2): reporting's complaint cases become review
items (newest version kept, a closed item not reopened), claims and escalation decide who may decide, an
upheld stop is a takedown announced with the case's outcome, and takedown / restore of a post."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest
from contracts.moderation import CASE_DECIDED, DECISION_LABELLED, DECISION_RESTORED, TRANSMISSION_STOPPED
from devstack.testing import Infra
from kit.db import apply_migrations
from kit.problems import Conflict, Forbidden, InvalidInput
from moderation.database import Database
from moderation.decisions import handlers as decisions
from moderation.decisions.domain import NewPost
from moderation.engine.decide import Policy
from moderation.engine.lexicon import Lexicon, read_tsv
from moderation.engine.rumours import RumourIndex
from moderation.main import MIGRATIONS
from moderation.reviews import handlers
from moderation.reviews.domain import CaseFacts, Staff
from moderation.settings import SAMPLE_LEXICON
from qinglang.moderation.v1 import review_pb2

REVIEWER, OTHER = Staff("staff:r1"), Staff("staff:r2")
SENIOR = Staff("staff:s1", senior=True)
CHIEF = Staff("staff:c1", chief_editor=True)


class Holder:
    def __init__(self, policy: Policy) -> None:
        self.policy, self.folder = policy, policy.lexicon.folder

    async def current(self, pool: object) -> Policy:
        return self.policy


@pytest.fixture(scope="module")
def policy() -> Policy:
    lexicon = Lexicon.from_rows((f"sample-{i}", *row) for i, row in enumerate(read_tsv(SAMPLE_LEXICON)))
    return Policy(lexicon, RumourIndex([], "0", folder=lexicon.folder))


@pytest.fixture
async def db(infra: Infra) -> AsyncIterator[Database]:
    url = infra.fresh_database()
    apply_migrations(url, MIGRATIONS)
    pool = await asyncpg.create_pool(url, min_size=1, max_size=4)
    try:
        yield Database(pool)
    finally:
        await pool.close()


async def published(db: Database, policy: Policy, text: str = "今天天气很好") -> uuid.UUID:
    post = NewPost(uuid.uuid4(), uuid.uuid4(), text, datetime.now(UTC), registered_at=datetime(2020, 1, 1, tzinfo=UTC))
    async with db.transaction() as stores:
        await decisions.decide_posts(stores, policy, policy.lexicon.folder, [post])
    return post.post_id


def case(target_id: uuid.UUID, version: int, *, case_id: uuid.UUID | None = None, **fields) -> CaseFacts:
    now = datetime.now(UTC)
    values = {
        "case_id": case_id or uuid.uuid4(),
        "target_type": "post",
        "target_id": target_id,
        "author_id": uuid.uuid4(),
        "category": "bj10.rumour_disturbing_order",
        "categories": ("bj10.rumour_disturbing_order",),
        "complaint_count": version,
        "weight": 1.0 * version,
        "coordinated": False,
        "priority": 1,
        "opened_at": now,
        "deadline": now + timedelta(hours=24),
        "escalated": False,
        "version": version,
        "legal_basis": ("MB-14",),
        "victim_proof": False,
    }
    return CaseFacts(**(values | fields))


async def feed(db: Database, facts: CaseFacts) -> None:
    async with db.transaction() as stores:
        await handlers.note_case(stores, facts)


async def item_of(db: Database, case_id: uuid.UUID) -> asyncpg.Record:
    return await db.pool.fetchrow("SELECT * FROM review_item WHERE case_id = $1", case_id)


async def outbox(db: Database, ce_type: str) -> list[asyncpg.Record]:
    return await db.pool.fetch("SELECT * FROM outbox_event WHERE ce_type = $1 ORDER BY id", ce_type)


@pytest.mark.requirement("MB-14")
async def test_a_case_becomes_one_item_and_only_newer_versions_change_it(db: Database, policy: Policy) -> None:
    post_id = await published(db, policy)
    first = case(post_id, 1)
    await feed(db, first)
    await feed(db, case(post_id, 3, case_id=first.case_id, priority=3, coordinated=True))
    await feed(db, case(post_id, 2, case_id=first.case_id, priority=0))  # late: changes nothing
    await feed(db, case(post_id, 3, case_id=first.case_id, priority=0))  # repeated: changes nothing
    item = await item_of(db, first.case_id)
    assert (item["kind"], item["state"], item["priority"], item["case_version"]) == ("complaint_case", "open", 3, 3)
    assert item["target_type"] == "post" and item["target_id"] == post_id
    view = await handlers.item_view(db, item["id"])
    assert [a["action"] for a in view["actions"]] == ["opened"]
    assert [d["stage"] for d in view["decisions"]] == ["publication"]
    listed, _ = await handlers.list_items(
        db, state=None, kind="complaint_case", assignee=None, category=None, min_priority=3, cursor=None, limit=50
    )
    assert item["id"] in [r["id"] for r in listed]
    by_case, _ = await handlers.list_items(
        db,
        state=None,
        kind=None,
        assignee=None,
        category=None,
        min_priority=None,
        cursor=None,
        limit=50,
        case_id=first.case_id,
    )
    assert [r["id"] for r in by_case] == [item["id"]]


@pytest.mark.requirement("MB-14")
@pytest.mark.requirement("MB-12.2")
@pytest.mark.requirement("MB-6.1")
async def test_an_upheld_stop_is_a_takedown_and_the_case_is_announced(db: Database, policy: Policy) -> None:
    holder = Holder(policy)
    post_id = await published(db, policy)
    facts = case(post_id, 1)
    await feed(db, facts)
    item = await item_of(db, facts.case_id)
    decide = {
        "outcome": None,
        "upheld": True,
        "action": "stop",
        "reason": "a rumour, upheld",
        "category": "bj10.rumour_disturbing_order",
        "legal_basis": [],
        "rumour_id": None,
    }
    with pytest.raises(Conflict):  # deciding needs the claim
        await handlers.decide_item(db, holder, item["id"], REVIEWER, **decide)
    await handlers.claim(db, item["id"], REVIEWER)
    await handlers.claim(db, item["id"], REVIEWER)  # again: harmless
    with pytest.raises(Conflict):
        await handlers.claim(db, item["id"], OTHER)
    with pytest.raises(Conflict):
        await handlers.decide_item(db, holder, item["id"], OTHER, **decide)
    with pytest.raises(InvalidInput):
        await handlers.decide_item(db, holder, item["id"], REVIEWER, **(decide | {"category": None}))
    await handlers.note(db, item["id"], REVIEWER, "checked the source")
    closed = await handlers.decide_item(db, holder, item["id"], REVIEWER, **decide)
    assert (closed["state"], closed["upheld"], closed["action"], closed["final"]) == ("closed", True, "stop", False)
    stop = await db.pool.fetchrow("SELECT * FROM decision WHERE id = $1", closed["resolution"])
    assert (stop["outcome"], stop["stage"], stop["decided_by"]) == ("stop_transmission", "takedown", "staff:r1")
    assert "MB-14" in stop["legal_basis"] and "MB-12.2" in stop["legal_basis"]
    assert [r["ce_subject"] for r in await outbox(db, TRANSMISSION_STOPPED.name)] == [str(post_id)]
    [announced] = await outbox(db, CASE_DECIDED.name)
    message = review_pb2.CaseDecided.FromString(announced["payload"])
    assert (message.case_id, message.upheld, message.action, message.decision_id) == (
        str(facts.case_id),
        True,
        "stop",
        str(stop["id"]),
    )
    # A change after the item closed does not reopen it; a newer case about the target is a new item.
    await feed(db, case(post_id, 2, case_id=facts.case_id))
    assert (await item_of(db, facts.case_id))["state"] == "closed"
    later = case(post_id, 1)
    await feed(db, later)
    assert (await item_of(db, later.case_id))["state"] == "open"
    history = [a["action"] for a in (await handlers.item_view(db, item["id"]))["actions"]]
    assert history == ["opened", "claimed", "noted", "decided"]


@pytest.mark.requirement("MB-14")
@pytest.mark.requirement("MB-11")
async def test_an_upheld_label_attaches_the_rumours_refutation_to_the_published_post(
    db: Database, policy: Policy
) -> None:
    holder = Holder(policy)
    post_id = await published(db, policy)
    async with db.transaction() as stores:
        rumour = await stores.policy.insert_rumour(
            id=uuid.uuid4(),
            canonical_text="明天全市停课",
            refutation_text="经核实，该消息不实。",
            refutation_url="https://example.gov.cn/piyao/1",
            authority="市教育局",
            action="label",
            legal_basis=["BJ-7(5)"],
            reason="refuted",
            registered_by="staff:c1",
        )
    facts = case(post_id, 1)
    await feed(db, facts)
    item = await item_of(db, facts.case_id)
    await handlers.claim(db, item["id"], REVIEWER)
    decide = {"outcome": None, "upheld": True, "action": "label", "reason": "a rumour, refuted", "category": None}
    with pytest.raises(InvalidInput):  # a label names its rumour (MB-11)
        await handlers.decide_item(db, holder, item["id"], REVIEWER, **decide, legal_basis=[], rumour_id=None)
    with pytest.raises(InvalidInput):  # and a rumour that exists
        await handlers.decide_item(db, holder, item["id"], REVIEWER, **decide, legal_basis=[], rumour_id=uuid.uuid4())
    closed = await handlers.decide_item(
        db, holder, item["id"], REVIEWER, **decide, legal_basis=[], rumour_id=rumour["id"]
    )
    assert (closed["state"], closed["upheld"], closed["action"]) == ("closed", True, "label")
    label = await db.pool.fetchrow("SELECT * FROM decision WHERE id = $1", closed["resolution"])
    assert (label["outcome"], label["stage"], label["rumour_id"], label["decided_by"]) == (
        "label",
        "review",
        rumour["id"],
        "staff:r1",
    )
    assert {"MB-11", "MB-14", "BJ-7(5)"} <= set(label["legal_basis"])
    assert [r["ce_subject"] for r in await outbox(db, DECISION_LABELLED.name)] == [str(post_id)]
    [announced] = await outbox(db, CASE_DECIDED.name)
    assert review_pb2.CaseDecided.FromString(announced["payload"]).decision_id == str(label["id"])

    # An account is not labelled: its case is upheld with a sanction (identity's API) or nothing.
    account = case(uuid.uuid4(), 1, target_type="account")
    await feed(db, account)
    account_item = await item_of(db, account.case_id)
    await handlers.claim(db, account_item["id"], REVIEWER)
    with pytest.raises(InvalidInput):
        await handlers.decide_item(
            db, holder, account_item["id"], REVIEWER, **decide, legal_basis=[], rumour_id=rumour["id"]
        )


@pytest.mark.requirement("MB-6.1")
@pytest.mark.requirement("PA-5.1")
async def test_an_escalated_item_is_the_chief_editors_and_final(db: Database, policy: Policy) -> None:
    holder = Holder(policy)
    post_id = await published(db, policy)
    facts = case(post_id, 1)
    await feed(db, facts)
    item = await item_of(db, facts.case_id)
    await handlers.claim(db, item["id"], REVIEWER)
    escalated = await handlers.escalate(db, item["id"], REVIEWER, "a public figure: the chief editor decides")
    assert (escalated["state"], escalated["assignee"]) == ("escalated", None)
    with pytest.raises(Conflict):
        await handlers.escalate(db, item["id"], REVIEWER, "again")
    with pytest.raises(Forbidden):
        await handlers.claim(db, item["id"], REVIEWER)
    decide = {
        "outcome": None,
        "upheld": True,
        "action": "stop",
        "reason": "final",
        "category": "bj10.rumour_disturbing_order",
        "legal_basis": ["BJ-7(5)"],
        "rumour_id": None,
    }
    for staff in (REVIEWER, SENIOR):
        with pytest.raises(Forbidden) as refused:
            await handlers.decide_item(db, holder, item["id"], staff, **decide)
        assert refused.value.requirement == "MB-6.1"
    closed = await handlers.decide_item(db, holder, item["id"], CHIEF, **decide)
    assert closed["final"] is True
    stop = await db.pool.fetchrow("SELECT * FROM decision WHERE id = $1", closed["resolution"])
    assert stop["final"] is True
    # The chief editor's final stop is restored by the chief editor only.
    with pytest.raises(Forbidden):
        await handlers.restore(db, post_id, SENIOR, reason="mistaken", legal_basis=[])
    restored = await handlers.restore(db, post_id, CHIEF, reason="mistaken", legal_basis=["MB-12.2"])
    assert (restored["stage"], restored["outcome"], restored["supersedes"]) == ("restore", "approve", stop["id"])


@pytest.mark.requirement("MB-12.2")
async def test_takedown_and_restore_of_a_post(db: Database, policy: Policy) -> None:
    post_id = await published(db, policy)
    with pytest.raises(Conflict):
        await handlers.restore(db, post_id, SENIOR, reason="nothing stopped", legal_basis=[])
    stop = await handlers.take_down(
        db, post_id, REVIEWER, category="bj10.rumour_disturbing_order", reason="spreading a rumour", legal_basis=[]
    )
    assert (stop["stage"], stop["outcome"], stop["decided_by"]) == ("takedown", "stop_transmission", "staff:r1")
    with pytest.raises(Conflict):
        await handlers.take_down(
            db, post_id, REVIEWER, category="bj10.rumour_disturbing_order", reason="x", legal_basis=[]
        )
    restored = await handlers.restore(db, post_id, SENIOR, reason="the rumour was true", legal_basis=[])
    assert restored["supersedes"] == stop["id"]
    [announced] = await outbox(db, DECISION_RESTORED.name)
    assert announced["ce_subject"] == str(post_id)
    with pytest.raises(Conflict):
        await handlers.restore(db, post_id, SENIOR, reason="twice", legal_basis=[])
    again = await handlers.take_down(
        db, post_id, REVIEWER, category="bj10.rumour_disturbing_order", reason="stopped again", legal_basis=[]
    )
    assert again["supersedes"] == restored["id"]
    from kit.problems import NotFound

    with pytest.raises(NotFound):
        await handlers.take_down(
            db, uuid.uuid4(), REVIEWER, category="bj10.rumour_disturbing_order", reason="x", legal_basis=[]
        )
    stats = await handlers.statistics(db, since=None, until=None)
    assert stats["decided"] == 0
