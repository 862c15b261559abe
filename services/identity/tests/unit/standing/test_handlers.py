"""identity/standing/handlers.py against the in-memory database (conftest.py): moderation's stops and
reporting's complaints applied to an account's standing."""

from __future__ import annotations

import uuid

import pytest
from contracts import identity as contract
from contracts.categories import Bj10Category
from identity import events
from identity.accounts import handlers as accounts
from identity.standing import handlers
from identity.standing.domain import GradeRule, GradingRules
from qinglang.identity.v1 import standing_pb2


async def _account(ports) -> uuid.UUID:
    account = await accounts.register(
        ports, username="author", password="a long enough password", mobile="+8613800138000", address="x"
    )
    return account["id"]


def _stop(author: uuid.UUID, n: int, category: str = Bj10Category.STATE_SECURITY) -> events.TransmissionStopped:
    return events.TransmissionStopped(f"decision-{n}", author, category, ["MB-12.2"])


@pytest.mark.requirement("PA-13.1")
async def test_each_stop_costs_credit_once_and_climbs_the_ladder(ports, db) -> None:
    author = await _account(ports)
    async with db.transaction() as tx:
        await handlers.apply_stop(tx, ports.credit, 3600, _stop(author, 1))
        await handlers.apply_stop(tx, ports.credit, 3600, _stop(author, 1))  # the same decision again
    assert [e["delta"] for e in db.state.entries] == [-10]
    assert [s["kind"] for s in db.state.sanctions] == ["warning"]
    assert db.state.announced[-1].ce_type == contract.STANDING_CHANGED.name
    async with db.transaction() as tx:
        await handlers.apply_stop(tx, ports.credit, 3600, _stop(author, 2))
        await handlers.apply_stop(tx, ports.credit, 3600, _stop(author, 3))
    assert [s["kind"] for s in db.state.sanctions] == ["warning", "restrict_features", "suspend_updates"]
    # PA-13.1: a suspension ends every session of the account at once.
    assert [(r["claim"], r["value"]) for r in db.state.revocations] == [("sub", str(author))]


@pytest.mark.requirement("PA-13.1")
async def test_a_rumour_costs_the_rumour_penalty(ports, db) -> None:
    author = await _account(ports)
    async with db.transaction() as tx:
        await handlers.apply_stop(tx, ports.credit, 3600, _stop(author, 1, Bj10Category.RUMOUR_DISTURBING_ORDER))
    assert [(e["cause"], e["delta"]) for e in db.state.entries] == [("rumour", -5)]


async def test_a_stop_of_someone_else_s_post_changes_nothing(ports, db) -> None:
    async with db.transaction() as tx:
        await handlers.apply_stop(tx, ports.credit, 3600, _stop(uuid.uuid4(), 1))
    assert db.state.entries == [] and db.state.announced == []


@pytest.mark.requirement("PA-6.2")
async def test_an_upheld_complaint_case_costs_credit_once(ports, db) -> None:
    author = await _account(ports)
    upheld = events.CaseResolved("case-1", author, True, ["MB-14"], "staff:1")
    async with db.transaction() as tx:
        await handlers.apply_complaint(tx, ports.credit, upheld)
        await handlers.apply_complaint(tx, ports.credit, upheld)
        await handlers.apply_complaint(tx, ports.credit, events.CaseResolved("case-2", author, False, [], ""))
    assert [(e["cause"], e["delta"], e["legal_basis"]) for e in db.state.entries] == [
        ("complaint_upheld", -2, ["MB-14", "PA-6.2"])
    ]


@pytest.mark.requirement("MB-9")
async def test_the_follower_count_is_taken_when_newer_and_a_grade_it_changes_is_announced(ports, db) -> None:
    db.state.grading_rules = GradingRules(
        rules=[GradeRule(grade=1, name="ordinary"), GradeRule(grade=7, name="followed", min_followers=2)]
    )
    author = await _account(ports)

    async def count(followers: int, version: int) -> None:
        async with db.transaction() as tx:
            changed = events.FollowerCountChanged(author, followers, version)
            await handlers.apply_follower_count(tx, ports.credit, changed)

    def grades() -> list[tuple[int, int]]:
        changed = [
            standing_pb2.AccountStandingChanged.FromString(r.payload)
            for r in db.state.announced
            if r.ce_type == contract.STANDING_CHANGED.name
        ]
        return [(m.grade, m.version) for m in changed]

    await count(2, 1)
    assert db.state.accounts[author]["followers"] == 2 and grades() == [(7, 1)]
    await count(0, 1)  # the same version again
    await count(0, 0)  # an older one, late
    assert db.state.accounts[author]["followers"] == 2 and grades() == [(7, 1)]
    await count(1, 3)
    assert grades() == [(7, 1), (1, 2)]
    changed = standing_pb2.AccountStandingChanged.FromString(db.state.announced[-1].payload)
    assert (changed.cause, list(changed.legal_basis)) == ("followers", ["MB-9"])
    await count(0, 4)  # the grade stays: only the count is taken
    assert db.state.accounts[author]["followers"] == 0 and grades() == [(7, 1), (1, 2)]


async def test_a_follower_count_of_an_account_identity_does_not_know_changes_nothing(ports, db) -> None:
    async with db.transaction() as tx:
        await handlers.apply_follower_count(tx, ports.credit, events.FollowerCountChanged(uuid.uuid4(), 5, 1))
    assert db.state.announced == []


@pytest.mark.requirement("MB-9")
@pytest.mark.requirement("PA-7.2")
async def test_reads_are_taken_when_newer_and_a_grade_they_change_is_announced_with_its_privileges(ports, db) -> None:
    db.state.grading_rules = GradingRules(
        rules=[
            GradeRule(grade=1, name="ordinary"),
            GradeRule(grade=6, name="read", min_reads=100, privileges={"daily_articles": 8, "review": "hold"}),
        ]
    )
    author = await _account(ports)

    async def reads(count: int, version: int) -> None:
        async with db.transaction() as tx:
            await handlers.apply_read_count(tx, ports.credit, events.ReadCountChanged(author, count, 3, version))

    def announced() -> list[standing_pb2.AccountStandingChanged]:
        return [
            standing_pb2.AccountStandingChanged.FromString(r.payload)
            for r in db.state.announced
            if r.ce_type == contract.STANDING_CHANGED.name
        ]

    await reads(50, 1)  # the first grade identity announces for the account
    await reads(60, 2)  # the grade stays: nothing more announced
    assert [m.grade for m in announced()] == [1] and db.state.accounts[author]["reads"] == 60
    await reads(150, 3)
    await reads(10, 1)  # late
    assert db.state.accounts[author]["reads"] == 150
    changed = announced()[-1]
    assert [m.grade for m in announced()] == [1, 6]
    assert (changed.grade, changed.cause, changed.account_kind) == (6, "reads", "user")
    assert (changed.privileges.review, changed.privileges.daily_articles) == ("hold", 8)


@pytest.mark.requirement("MB-9")
@pytest.mark.requirement("PA-7.2")
async def test_new_rules_announce_an_account_whose_privileges_change_though_its_grade_stays(ports, db) -> None:
    db.state.grading_rules = GradingRules(rules=[GradeRule(grade=1, name="ordinary")])
    author = await _account(ports)
    async with db.transaction() as tx:
        await handlers.announce_standing(tx, ports.credit, author, cause="test", basis=["MB-9"])
    first = len(db.state.announced)

    def standings() -> list[standing_pb2.AccountStandingChanged]:
        return [
            standing_pb2.AccountStandingChanged.FromString(r.payload)
            for r in db.state.announced[first:]
            if r.ce_type == contract.STANDING_CHANGED.name
        ]

    renamed = db.state.grading_rules.model_copy(deep=True)
    renamed.rules[0].name = "ordinary, renamed"
    published = await handlers.publish_grading_rules(ports, renamed, by="staff:chief")
    assert published["regraded_accounts"] == 0 and standings() == []  # grade and privileges as they were
    assert db.state.accounts[author]["grade_rules"] == published["version"] == 2  # only the rules noted

    quota = renamed.model_copy(deep=True)
    quota.rules[0].privileges.daily_articles = 4
    published = await handlers.publish_grading_rules(ports, quota, by="staff:chief")
    assert published["regraded_accounts"] == 1
    [changed] = standings()
    assert (changed.grade, changed.cause, changed.grading_rules_version) == (1, "grading_rules", 3)
    assert changed.privileges.daily_articles == 4
    # MB-9: the regrading is a job, done with every account counted (one here) and the one regraded noted.
    job = db.state.jobs.rows[uuid.UUID(published["job_id"])]
    assert (job["kind"], job["state"], job["done"], job["total"]) == ("grading.regrade", "done", 1, 1)
    assert job["detail"] == {"regraded": 1} and job["subject"] == "grading-rules:3"
