"""The trending list (热搜) through the gateway, the first feature gated by security assessment (MB-13,
PA-12.1): closed until the regulator acknowledges its assessment; terms of posts by enough distinct accounts;
coordinated bursts discounted (CM); staff removals with a recorded reason; an entry gone as soon as its posts
stop being public (MB-12.2); searches alone make no entry. The stack runs with TRENDING_MIN_AUTHORS=3 and a
1 s interval (devstack)."""

from __future__ import annotations

import uuid

import httpx
import pytest
from devstack.testing import poll
from journeys import Flow, User


def trending_terms(gw: httpx.Client) -> list[str]:
    answer = gw.get("/v1/trending")
    assert answer.status_code == 200, answer.text
    return [e["term"] for e in answer.json()["items"]]


def term(prefix: str = "话题") -> str:
    return prefix + uuid.uuid4().hex[:6]


def post_all(flow: Flow, users: list[User], texts: list[str]) -> list[str]:
    return [flow.post(u, t)["id"] for u, t in zip(users, texts, strict=True)]


@pytest.fixture
def gate_open(flow: Flow) -> None:
    """The trending gate opened through the regulator's acknowledgement of its assessment (S5's journey)."""
    gw = flow.gw
    if gw.get("/v1/trending").status_code != 200:
        flow.open_gate("trending")
        poll(lambda: gw.get("/v1/trending").status_code == 200, what="content opened the trending gate")


@pytest.mark.requirement("MB-13")
def test_the_list_is_refused_naming_mb13_until_its_assessment_is_acknowledged(flow: Flow) -> None:
    gw = flow.gw
    flow.close_gate("trending")  # whatever an earlier test of the session's stack opened
    poll(lambda: gw.get("/v1/trending").status_code == 403, what="content closed the trending gate")
    closed = gw.get("/v1/trending")
    problem = closed.json()
    assert problem["type"].endswith("/feature-not-assessed") and problem["requirement"] == "MB-13"
    assert problem["legal_basis"] == ["MB-13", "PA-12.1"]
    assert gw.get("/v1/trending/任意/posts").status_code == 403
    flow.open_gate("trending")
    poll(lambda: gw.get("/v1/trending").status_code == 200, what="content opened the trending gate")
    assert gw.get("/v1/trending/任意/posts").status_code == 200


@pytest.mark.requirement("MB-13")
def test_a_term_from_enough_accounts_appears_and_lists_its_posts(flow: Flow, gate_open: None) -> None:
    gw = flow.gw
    topic = term()
    users = [flow.verified_user() for _ in range(3)]
    ids = post_all(flow, users, [f"今天聊聊 #{topic}# 第{i}条" for i in range(3)])
    poll(lambda: topic in trending_terms(gw), what="the term on the list")
    posts = gw.get(f"/v1/trending/{topic}/posts")
    assert posts.status_code == 200, posts.text
    assert {p["id"] for p in posts.json()["items"]} == set(ids)

    few = term()
    post_all(flow, users[:2], [f"#{few}# 只有两人"] * 2)  # below TRENDING_MIN_AUTHORS
    staff = flow.staff("reviewer")
    poll(
        lambda: (
            {e["term"] for e in gw.get("/v1/content/staff/trending", headers=staff.auth).json()["items"]} >= {topic}
        ),
        what="a computation after the posts",
    )
    assert few not in trending_terms(gw)


@pytest.mark.requirement("CM")
def test_an_identical_text_burst_does_not_outrank_an_organic_term(flow: Flow, gate_open: None) -> None:
    gw = flow.gw
    burst, organic = term("水军"), term("热议")
    bots = [flow.verified_user() for _ in range(8)]
    people = [flow.verified_user() for _ in range(7)]
    post_all(flow, bots, [f"#{burst}# 一模一样的文字"] * len(bots))
    post_all(flow, people, [f"#{organic}# 我的看法 {i}" for i in range(len(people))])

    staff = flow.staff("operator")

    def counted() -> dict | None:
        """The staff view once a computation has counted every post of both terms (an earlier one may have
        seen the whole burst and only part of the organic term)."""
        listed = gw.get("/v1/content/staff/trending", headers=staff.auth).json()["items"]
        entries = {e["term"]: e for e in listed if e["term"] in (burst, organic)}
        whole = len(entries) == 2 and (entries[burst]["authors"], entries[organic]["authors"]) == (8, 7)
        return entries if whole else None

    entries = poll(counted, what="both terms counted whole")

    def both() -> list[str] | None:
        listed = [t for t in trending_terms(gw) if t in (burst, organic)]
        return listed if len(listed) == 2 else None

    assert poll(both, what="both terms listed") == [organic, burst]
    assert "burst_discounted" in entries[burst]["flags"]
    assert entries[burst]["authors"] == 8 and entries[burst]["score"] < entries[organic]["score"]


@pytest.mark.requirement("CM")
def test_staff_remove_an_entry_with_a_recorded_reason(flow: Flow, gate_open: None) -> None:
    gw = flow.gw
    topic = term("炒作")
    post_all(flow, [flow.verified_user() for _ in range(3)], [f"#{topic}# 快看"] * 3)
    poll(lambda: topic in trending_terms(gw), what="the term on the list")
    operator = flow.staff("operator")
    removals = "/v1/content/staff/trending/removals"
    no_reason = gw.post(removals, headers=operator.auth, json={"term": topic, "legal_basis": ["CM"]})
    assert no_reason.status_code == 422, no_reason.text
    removed = gw.post(
        removals, headers=operator.auth, json={"term": topic, "reason": "恶意炒作", "legal_basis": ["CM", "MB-12.2"]}
    )
    assert removed.status_code == 201, removed.text
    assert topic not in trending_terms(gw)  # at once, not at the next computation
    assert gw.get(f"/v1/trending/{topic}/posts").status_code == 404
    record = gw.get(removals, headers=flow.staff("auditor").auth).json()["items"]
    [mine] = [r for r in record if r["id"] == removed.json()["id"]]
    assert (mine["reason"], mine["removed_by"].startswith("staff:"), mine["lifted_at"]) == ("恶意炒作", True, None)
    lifted = gw.post(f"{removals}/{mine['id']}/lift", headers=operator.auth, json={"reason": "已核实"})
    assert lifted.status_code == 200 and lifted.json()["lift_reason"] == "已核实"
    assert gw.post(f"{removals}/{mine['id']}/lift", headers=operator.auth, json={"reason": "again"}).status_code == 409
    poll(lambda: topic in trending_terms(gw), what="the term back after the lift")


@pytest.mark.requirement("MB-12.2")
def test_an_entry_leaves_the_list_as_soon_as_its_posts_are_not_public(flow: Flow, gate_open: None) -> None:
    gw = flow.gw
    topic = term("谣言")
    users = [flow.verified_user() for _ in range(3)]
    ids = post_all(flow, users, [f"#{topic}# 听说了吗"] * 3)
    poll(lambda: topic in trending_terms(gw), what="the term on the list")
    assert gw.delete(f"/v1/posts/{ids[0]}", headers=users[0].auth).status_code == 204
    assert topic not in trending_terms(gw)  # two authors left: off the list when content commits


@pytest.mark.requirement("MB-13")
def test_searches_alone_create_no_entry(flow: Flow, gate_open: None) -> None:
    gw = flow.gw
    topic = term("只搜")
    for searcher in [flow.register() for _ in range(5)]:
        assert gw.get("/v1/search/posts", params={"q": topic}, headers=searcher.auth).status_code == 200
    control = term()
    post_all(flow, [flow.verified_user() for _ in range(3)], [f"#{control}# 对照"] * 3)
    poll(lambda: control in trending_terms(gw), what="a computation after the searches")
    staff = flow.staff("reviewer")
    computed = {e["term"] for e in gw.get("/v1/content/staff/trending", headers=staff.auth).json()["items"]}
    assert topic not in computed and topic not in trending_terms(gw)


PROHIBITED = "网络赌博，私聊"  # a sample-lexicon stop term: each stop costs 10 credit points (MB-12.2, PA-13)


def no_trending_account(flow: Flow) -> User:
    """A verified account brought under the credit limit ``no_trending`` the way it happens: two stops of
    transmission take its credit from 120 to 100, level B (identity's CreditPolicy), whose limits include
    no_trending; the second stop's sanction adds no_reposts. Returns once content enforces that sanction,
    which arrives with the same standing (so content knows the level's no_trending too)."""
    user = flow.verified_user()
    for stops in (1, 2):
        post = flow.post(user, f"{PROHIBITED} {uuid.uuid4().hex[:6]}")
        poll(lambda p=post: flow.gw.get(f"/v1/posts/{p['id']}").status_code == 451, what="the stop of transmission")
        poll(
            lambda n=stops: (
                sum(
                    e["cause"] == "stop_transmission"
                    for e in flow.gw.get("/v1/accounts/me/credit", headers=user.auth).json()["ledger"]
                )
                == n
            ),
            what=f"stop {stops} in the credit ledger",
        )
    credit = flow.gw.get("/v1/accounts/me/credit", headers=user.auth).json()
    assert credit["credit_level"] == "B" and {"no_trending", "no_reposts"} <= set(credit["limits"]), credit
    other = flow.post(flow.verified_user(), "今天天气很好")
    poll(lambda: flow.gw.get(f"/v1/posts/{other['id']}").status_code == 200, what="a post to repost published")

    def repost_refused() -> bool:
        answer = flow.gw.post(f"/v1/posts/{other['id']}/reposts", headers=user.auth, json={})
        return answer.status_code == 403 and answer.json()["type"].endswith("/feature-limited")

    poll(repost_refused, what="content enforcing the account's new standing")
    return user


@pytest.mark.requirement("CM")
@pytest.mark.requirement("PA-13.1")
def test_posts_of_a_no_trending_account_add_nothing_to_the_list(flow: Flow, gate_open: None) -> None:
    gw = flow.gw
    limited = no_trending_account(flow)
    topic, control = term("低信用"), term("对照")
    people = [flow.verified_user() for _ in range(3)]
    # The term from the limited account and two others: two authors that count, under TRENDING_MIN_AUTHORS.
    ids = post_all(flow, [limited, *people[:2]], [f"#{topic}# 我的看法 {i}" for i in range(3)])
    poll(lambda: all(gw.get(f"/v1/posts/{i}").status_code == 200 for i in ids), what="the three posts public")
    # The control term published after them: once it is listed, a computation has seen all three.
    post_all(flow, people, [f"#{control}# 对照 {i}" for i in range(3)])
    poll(lambda: control in trending_terms(gw), what="a computation after the posts")
    assert topic not in trending_terms(gw)
    staff = flow.staff("reviewer")
    assert topic not in {e["term"] for e in gw.get("/v1/content/staff/trending", headers=staff.auth).json()["items"]}
    # The same term from a third account that counts trends, the limited account weighed 0.
    flow.post(people[2], f"#{topic}# 第三个人")
    poll(lambda: topic in trending_terms(gw), what="the term listed from three accounts that count")
    [entry] = [
        e for e in gw.get("/v1/content/staff/trending", headers=staff.auth).json()["items"] if e["term"] == topic
    ]
    assert entry["authors"] == 3 and "accounts_discounted" in entry["flags"], entry
    assert ids[0] not in entry["backing_post_ids"] and set(ids[1:]) <= set(entry["backing_post_ids"])
