"""Follows and blocks through the gateway (MB-2): follow, lists and counts, blocks refused naming MB-2,
and the follower counts reaching identity's grades (MB-9) and moderation's high-reach routing (MB-6.1)."""

from __future__ import annotations

import uuid

import httpx
import pytest
from devstack.testing import poll
from journeys import Flow, Staff, User, every_page


def relationship(gw: httpx.Client, account: User, viewer: User | None = None) -> dict:
    answer = gw.get(f"/v1/accounts/{account.id}/follow", headers=viewer.auth if viewer else {})
    assert answer.status_code == 200, answer.text
    return answer.json()


def follow(gw: httpx.Client, follower: User, followee: User) -> httpx.Response:
    return gw.put(f"/v1/accounts/{followee.id}/follow", headers=follower.auth)


@pytest.mark.requirement("MB-2")
def test_follow_unfollow_lists_and_counts(flow: Flow) -> None:
    gw = flow.gw
    star = flow.verified_user()
    alice, carol = flow.register(), flow.register()  # following needs no real name (MB-7.1: reading is open)

    first = follow(gw, alice, star)
    assert first.status_code == 201, first.text
    assert (first.json()["followers"], first.json()["followed_by_me"]) == (1, True)
    assert follow(gw, alice, star).status_code == 200  # idempotent
    assert follow(gw, carol, star).status_code == 201
    assert relationship(gw, star) == {
        "account_id": star.id,
        "followers": 2,
        "following": 0,
        "followed_by_me": False,
        "follows_me": False,
        "blocked_by_me": False,
    }
    assert relationship(gw, alice, star)["follows_me"] is True
    assert relationship(gw, alice)["following"] == 1

    followers = every_page(gw, f"/v1/accounts/{star.id}/followers", {}, limit=1)  # newest first, page by page
    assert [f["account_id"] for f in followers] == [carol.id, alice.id]
    assert [f["account_id"] for f in every_page(gw, f"/v1/accounts/{alice.id}/following", {})] == [star.id]

    myself = follow(gw, alice, alice)
    assert myself.status_code == 422 and myself.json()["type"].endswith("/cannot-follow-yourself")
    assert gw.put(f"/v1/accounts/{star.id}/follow").status_code == 401
    assert gw.put("/v1/accounts/not-an-id/follow", headers=alice.auth).status_code == 422
    bad_cursor = gw.get(f"/v1/accounts/{star.id}/followers", params={"cursor": "garbage"})
    assert bad_cursor.status_code == 422

    for _ in range(2):  # idempotent
        assert gw.delete(f"/v1/accounts/{star.id}/follow", headers=alice.auth).status_code == 204
    assert relationship(gw, star, alice)["followers"] == 1 and not relationship(gw, star, alice)["followed_by_me"]


@pytest.mark.requirement("MB-2")
def test_a_block_removes_follows_both_ways_and_refuses_a_follow_naming_mb_2(flow: Flow) -> None:
    gw = flow.gw
    bob, alice = flow.register(), flow.register()
    assert follow(gw, alice, bob).status_code == 201 and follow(gw, bob, alice).status_code == 201

    blocked = gw.put(f"/v1/accounts/{alice.id}/block", headers=bob.auth)
    assert blocked.status_code == 201, blocked.text
    shown = blocked.json()
    assert (shown["followers"], shown["following"], shown["blocked_by_me"]) == (0, 0, True)
    assert (shown["followed_by_me"], shown["follows_me"]) == (False, False)
    assert gw.put(f"/v1/accounts/{alice.id}/block", headers=bob.auth).status_code == 200
    refused = follow(gw, alice, bob)
    assert refused.status_code == 403 and refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["type"].endswith("/blocked") and refused.json()["requirement"] == "MB-2"
    blocking = follow(gw, bob, alice)
    assert blocking.status_code == 409 and blocking.json()["requirement"] == "MB-2"
    assert [b["account_id"] for b in every_page(gw, "/v1/accounts/me/blocks", bob.auth)] == [alice.id]
    assert gw.get("/v1/accounts/me/blocks").status_code == 401
    assert gw.put(f"/v1/accounts/{bob.id}/block", headers=bob.auth).status_code == 422

    assert gw.delete(f"/v1/accounts/{alice.id}/block", headers=bob.auth).status_code == 204
    assert every_page(gw, "/v1/accounts/me/blocks", bob.auth) == []
    assert follow(gw, alice, bob).status_code == 201


@pytest.mark.requirement("MB-9")
def test_the_follower_count_reaches_identity_and_changes_the_grade(flow: Flow) -> None:
    gw = flow.gw
    star, fans = flow.verified_user(), [flow.register(), flow.register()]
    chief = flow.staff("chief_editor")
    before = gw.get("/v1/identity/grading-rules").json()["rules"]["rules"]
    followed = {"grade": 8, "name": "followed (test)", "min_followers": 2}
    published = gw.post("/v1/identity/grading-rules", headers=chief.auth, json={"rules": [*before, followed]})
    assert published.status_code == 201, published.text
    try:
        credit = gw.get("/v1/accounts/me/credit", headers=star.auth).json()
        assert credit["followers"] == 0 and credit["grade"] != 8
        for fan in fans:
            assert follow(gw, fan, star).status_code == 201
        regraded = poll(
            lambda: (c := gw.get("/v1/accounts/me/credit", headers=star.auth).json())["grade"] == 8 and c,
            what="the follower count regrading the account in identity",
        )
        assert regraded["followers"] == 2
        assert gw.delete(f"/v1/accounts/{star.id}/follow", headers=fans[0].auth).status_code == 204
        poll(
            lambda: gw.get("/v1/accounts/me/credit", headers=star.auth).json()["grade"] == credit["grade"],
            what="one follower fewer, the grade back",
        )
    finally:
        restored = gw.post("/v1/identity/grading-rules", headers=chief.auth, json={"rules": before})
        assert restored.status_code == 201


def _route_high_reach_from(gw: httpx.Client, reviewer: Staff, chief: Staff, followers: int) -> None:
    """Routing rules under which an author with this many followers is held for review (MB-6.1)."""
    proposed = gw.post(
        "/v1/moderation/policy-changes",
        headers=reviewer.auth,
        json={"kind": "routing", "reason": "test", "routing": {"high_reach_followers": followers}},
    )
    assert proposed.status_code == 201, proposed.text
    decided = gw.post(
        f"/v1/moderation/policy-changes/{proposed.json()['id']}/decision",
        headers=chief.auth,
        json={"approve": True, "note": "checked against the regulations"},
    )
    assert decided.status_code == 200, decided.text


def _settled(gw: httpx.Client, author: User, text: str) -> tuple[str, str]:
    """A new post by the author, once decided: its status as the author sees it, and the rule."""
    created = gw.post("/v1/posts", headers=author.auth, json={"text": text})
    assert created.status_code == 201, created.text
    post = created.json()["id"]
    status = poll(
        lambda: (s := gw.get(f"/v1/posts/{post}", headers=author.auth).json()["status"]) != "pending" and s,
        what=f"a decision on {post}",
    )
    return status, gw.get(f"/v1/moderation/posts/{post}/decision", headers=author.auth).json()["rule"]


@pytest.mark.requirement("MB-6.1")
@pytest.mark.requirement("MB-9")
def test_the_follower_count_reaches_moderations_high_reach_routing(flow: Flow) -> None:
    gw = flow.gw
    star, fans = flow.verified_user(), [flow.register(), flow.register()]
    reviewer, chief = flow.staff("reviewer"), flow.staff("chief_editor")
    default = gw.get("/v1/moderation/lexicon").json()["routing"]["high_reach_followers"]
    for fan in fans:
        assert follow(gw, fan, star).status_code == 201
    _route_high_reach_from(gw, reviewer, chief, 2)
    try:
        # Until moderation holds both the count and the released rule, the star's posts are published.
        held = poll(
            lambda: (d := _settled(gw, star, f"大家好 {uuid.uuid4().hex[:6]}"))[0] == "held" and d,
            interval_s=0.2,
            what="a post of an author with two followers held as high reach",
        )
        assert held == ("held", "standing.high_reach")
    finally:
        _route_high_reach_from(gw, reviewer, chief, default)
    poll(
        lambda: _settled(gw, star, f"恢复 {uuid.uuid4().hex[:6]}")[0] == "published",
        interval_s=0.2,
        what="the default routing back",
    )
