"""Accounts registered in bulk (CM, BJ-9.2, BJ-7(7)), on a stack of its own (the shared platform registers
every account from the gateway's one address, so it sets no cohort threshold): the BULK_COHORT_MIN-th
registration from one network within the window flags every account of the window, then each later one;
nothing is refused, and the address never leaves identity. Content discounts the cohort's reads (CM).

The same stack counts the grade's daily posts as `make up` does (the shared platform does not: its tests post
hundreds from one account), so the post quota is proven here too (MB-9)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator

import httpx
import psycopg
import pytest
from aiokafka import AIOKafkaConsumer
from contracts import identity
from devstack.stack import StackInfo
from devstack.testing import make_stack, poll
from journeys import Flow, Staff, assert_quota_refusal
from qinglang.identity.v1 import account_pb2


@pytest.fixture(scope="module")
def cohort_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flow, StackInfo]]:
    stack = make_stack(tmp_path_factory.mktemp("cohorts"), external_ok=False)
    stack.config.service_env["identity"] = {**stack.config.service_env["identity"], "BULK_COHORT_MIN": "5"}
    stack.config.service_env["content"] = {**stack.config.service_env["content"], "POST_QUOTA_ENFORCED": "true"}
    try:
        info = stack.up()
        with httpx.Client(base_url=info.gateway_url, timeout=15) as gw:
            yield Flow(gw, info), info
    finally:
        stack.down()


async def cohort_events(
    kafka: str, accounts: int, timeout_s: float = 30
) -> list[account_pb2.RegistrationCohortFlagged]:
    """Every RegistrationCohortFlagged announced, in order, once they name ``accounts`` accounts in all."""
    consumer = AIOKafkaConsumer(
        identity.ACCOUNT_TOPIC.name,
        bootstrap_servers=kafka,
        group_id=f"test-{uuid.uuid4()}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    found: list[account_pb2.RegistrationCohortFlagged] = []
    try:
        async with asyncio.timeout(timeout_s):
            while sum(len(f.account_ids) for f in found) < accounts:
                for records in (await consumer.getmany(timeout_ms=500)).values():
                    for record in records:
                        if dict(record.headers).get("ce_type") == identity.REGISTRATION_COHORT_FLAGGED.name.encode():
                            found.append(account_pb2.RegistrationCohortFlagged.FromString(record.value))
    finally:
        await consumer.stop()
    return found


@pytest.mark.requirement("CM")
@pytest.mark.requirement("BJ-9.2")
def test_a_bulk_cohort_is_flagged_from_its_fifth_registration_and_later_ones_join(
    cohort_stack: tuple[Flow, StackInfo],
) -> None:
    flow, info = cohort_stack
    users = [flow.register() for _ in range(6)]  # all from the gateway's one address; none refused
    events = asyncio.run(cohort_events(info.kafka_bootstrap_servers, accounts=6))
    opened, joined = events[0], events[1:]
    assert list(opened.account_ids) == [u.id for u in users[:5]] and opened.cohort_size == 5
    assert [list(e.account_ids) for e in joined] == [[users[5].id]]
    assert joined[0].cohort_id == opened.cohort_id and joined[0].cohort_size == 6
    assert "CM" in opened.legal_basis and "127.0.0" not in str(events)


@pytest.mark.requirement("CM")
@pytest.mark.requirement("MB-9")
def test_reads_from_a_bulk_cohort_are_flagged_and_not_counted(cohort_stack: tuple[Flow, StackInfo]) -> None:
    flow, _info = cohort_stack
    account = flow.public_account()
    draft = flow.gw.post("/v1/articles/drafts", headers=account.auth, json={"title": "读书笔记", "body": "好书。"})
    assert draft.status_code == 201, draft.text
    published = flow.gw.post(f"/v1/articles/drafts/{draft.json()['id']}/publication", headers=account.auth, json={})
    assert published.status_code == 201, published.text
    article = published.json()["id"]
    poll(lambda: flow.gw.get(f"/v1/articles/{article}").status_code == 200, what="the article published")
    readers = [flow.register() for _ in range(3)]  # the window's cohort is open: each is flagged as it joins
    for reader in readers:
        assert flow.gw.post(f"/v1/articles/{article}/reads", headers=reader.auth).status_code == 204
    operator = flow.staff("operator")
    counted = poll(
        lambda: (
            (v := flow.gw.get(f"/v1/content/staff/articles/{article}/reads", headers=operator.auth).json())[
                "flagged_reads"
            ]
            == 3
            and v
        ),
        what="the cohort's reads discounted",
    )
    assert counted["reads"] == 0 and counted["flagged_by_reason"] == {"bulk_registration": 3}
    assert flow.gw.get(f"/v1/articles/{article}").json()["counts"]["reads"] == 0


@pytest.mark.requirement("MB-9")
def test_the_grades_daily_posts_are_counted_and_refused_over_the_quota(cohort_stack: tuple[Flow, StackInfo]) -> None:
    flow, info = cohort_stack
    chief = flow.staff("chief_editor")
    before = flow.gw.get("/v1/identity/grading-rules").json()["rules"]["rules"]
    rules = [{"grade": 1, "name": "ordinary", "min_credit": 60, "privileges": {"daily_posts": 2}}]
    assert flow.gw.post("/v1/identity/grading-rules", headers=chief.auth, json={"rules": rules}).status_code == 201
    try:
        user = flow.verified_user()
        poll(
            lambda: flow.gw.get("/v1/accounts/me/credit", headers=user.auth).json()["privileges"]["daily_posts"] == 2,
            what="the user graded by the new rules",
        )
        # Content hears the grade by event (grade-1 defaults until then): post until the refusal.
        answers: list[int] = []
        poll(
            lambda: (
                answers.append(flow.gw.post("/v1/posts", headers=user.auth, json={"text": "今天"}).status_code)
                or answers[-1] == 403
            ),
            what="the quota reached",
        )
        accepted = answers.count(201)
        assert accepted >= 2 and set(answers) == {201, 403}, answers
        assert_quota_refusal(flow.gw.post("/v1/posts", headers=user.auth, json={"text": "明天"}))
        # Every accepted post was counted, the refusals took nothing (MB-9: posts, reposts and comments).
        with psycopg.connect(info.database_urls["content"]) as conn:
            [(used,)] = conn.execute(
                "SELECT used FROM publish_quota_use WHERE account_id = %s AND what = 'post'", (user.id,)
            ).fetchall()
        assert used == accepted
    finally:
        flow.gw.post("/v1/identity/grading-rules", headers=chief.auth, json={"rules": before})


def flags_naming(info: StackInfo, account_id: str) -> list[account_pb2.RegistrationCohortFlagged]:
    """The RegistrationCohortFlagged identity wrote naming the account (its outbox is written with the
    registration, so this is final once the registration answered)."""
    with psycopg.connect(info.database_urls["identity"]) as conn:
        rows = conn.execute(
            "SELECT payload FROM outbox_event WHERE ce_type = %s ORDER BY id",
            (identity.REGISTRATION_COHORT_FLAGGED.name,),
        ).fetchall()
    messages = [account_pb2.RegistrationCohortFlagged.FromString(bytes(p)) for (p,) in rows]
    return [m for m in messages if account_id in m.account_ids]


def flagged_in_content(info: StackInfo, account_id: str) -> bool:
    """Whether content holds the reader flagged (its reader_flag): what a beacon is weighed by."""
    with psycopg.connect(info.database_urls["content"]) as conn:
        return conn.execute("SELECT 1 FROM reader_flag WHERE account_id = %s", (account_id,)).fetchone() is not None


def one_article(flow: Flow) -> str:
    account = flow.public_account()
    draft = flow.gw.post("/v1/articles/drafts", headers=account.auth, json={"title": "校园周报", "body": "开学了。"})
    assert draft.status_code == 201, draft.text
    published = flow.gw.post(f"/v1/articles/drafts/{draft.json()['id']}/publication", headers=account.auth, json={})
    assert published.status_code == 201, published.text
    article = published.json()["id"]
    poll(lambda: flow.gw.get(f"/v1/articles/{article}").status_code == 200, what="the article published")
    return article


def reads_of(flow: Flow, staff: Staff, article: str) -> dict:
    """The article's counts as staff see them (none until the aggregator counted a read: 404)."""
    answer = flow.gw.get(f"/v1/content/staff/articles/{article}/reads", headers=staff.auth)
    if answer.status_code == 404:
        return {"reads": 0, "flagged_reads": 0}
    assert answer.status_code == 200, answer.text
    return answer.json()


# Last in the module: after the clearance, every registration of this stack joins a cleared cohort unflagged.
@pytest.mark.requirement("CM")
@pytest.mark.requirement("BJ-9.2")
def test_staff_clear_a_cohort_and_its_members_reads_count_again(cohort_stack: tuple[Flow, StackInfo]) -> None:
    flow, info = cohort_stack
    before, after = one_article(flow), one_article(flow)
    reader = flow.register()  # joins the window's cohort: flagged
    [flag] = flags_naming(info, reader.id)
    cohort_id = flag.cohort_id
    poll(lambda: flagged_in_content(info, reader.id), what="content holding the reader flagged")
    assert flow.gw.post(f"/v1/articles/{before}/reads", headers=reader.auth).status_code == 204
    operator = flow.staff("operator")
    poll(lambda: reads_of(flow, operator, before)["flagged_reads"] == 1, what="the flagged read counted as flagged")

    path = "/v1/identity/staff/registration-cohorts"
    listed = flow.gw.get(path, headers=operator.auth, params={"status": "flagged"})
    assert listed.status_code == 200, listed.text
    [cohort] = [c for c in listed.json()["items"] if c["id"] == cohort_id]
    assert cohort["status"] == "flagged" and cohort["size"] >= 5 and cohort["cleared_at"] is None
    assert "127.0.0" not in listed.text  # never the network
    reason = {"reason": "一所大学的校园网出口（NAT），不是批量注册"}
    reviewer = flow.staff("reviewer")
    refused = flow.gw.post(f"{path}/{cohort_id}/clearance", headers=reviewer.auth, json=reason)
    assert refused.status_code == 403 and refused.json()["requirement"] == "CM"
    senior = flow.staff("senior_reviewer")
    assert flow.gw.post(f"{path}/{uuid.uuid4()}/clearance", headers=senior.auth, json=reason).status_code == 404
    cleared = flow.gw.post(f"{path}/{cohort_id}/clearance", headers=senior.auth, json=reason)
    assert cleared.status_code == 200, cleared.text
    assert cleared.json()["status"] == "cleared" and cleared.json()["clearance_reason"] == reason["reason"]
    assert cleared.json()["cleared_by"] and cleared.json()["cleared_at"]
    again = flow.gw.post(f"{path}/{cohort_id}/clearance", headers=senior.auth, json=reason)
    assert again.status_code == 409 and again.json()["type"].endswith("/cohort-already-cleared")
    shown = flow.gw.get(path, headers=operator.auth, params={"status": "cleared"}).json()["items"]
    assert cohort_id in [c["id"] for c in shown]

    # Content removes the members' flags: the reader's reads from now on count; the flagged one stays flagged.
    poll(lambda: not flagged_in_content(info, reader.id), what="content clearing the reader's flag")
    assert flow.gw.post(f"/v1/articles/{after}/reads", headers=reader.auth).status_code == 204
    counted = poll(lambda: (v := reads_of(flow, operator, after))["reads"] == 1 and v, what="the read counted")
    assert counted["flagged_reads"] == 0
    assert (reads_of(flow, operator, before)["reads"], reads_of(flow, operator, before)["flagged_reads"]) == (0, 1)

    # A later member joins the cleared cohort and is not flagged.
    later = flow.register()
    assert flags_naming(info, later.id) == []
    grown = [c for c in flow.gw.get(path, headers=operator.auth).json()["items"] if c["id"] == cohort_id]
    assert grown[0]["size"] == cleared.json()["size"] + 1
