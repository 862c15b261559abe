"""Subscriptions and inflation-proof reads through the gateway (MB-2, MB-9, CM, MB-12.2): subscribing is
following a public account; the subscriber list is for its operators; a read counts once per reader per
Beijing day and the account's own reads not at all; a beacon for a stopped article is refused (451)."""

from __future__ import annotations

import uuid

import httpx
import pytest
from devstack.testing import poll
from journeys import Flow, PublicAccount, User, every_page

PROHIBITED_TEXT = "欢迎来到在線賭場，注册就送188元"  # the lexicon stops it (MB-12.2)


def publish_article(flow: Flow, account: PublicAccount, body: str = "今天天气很好。", *, status: int = 200) -> str:
    """An article of the account (its draft, its publication), once moderation's decision gives ``status``."""
    gw = flow.gw

    def drafted() -> httpx.Response | None:  # content learns of the approval from identity's event
        answer = gw.post("/v1/articles/drafts", headers=account.auth, json={"title": "标题", "body": body})
        return answer if answer.status_code == 201 else None

    draft = poll(drafted, what="content knows the public account")
    published = gw.post(f"/v1/articles/drafts/{draft.json()['id']}/publication", headers=account.auth, json={})
    assert published.status_code == 201, published.text
    article_id = published.json()["id"]
    poll(lambda: gw.get(f"/v1/articles/{article_id}").status_code == status, what=f"moderation's decision ({status})")
    return article_id


def reads_of(gw: httpx.Client, article_id: str) -> int:
    answer = gw.get(f"/v1/articles/{article_id}")
    assert answer.status_code == 200, answer.text
    return answer.json()["counts"]["reads"]


def beacon(gw: httpx.Client, article_id: str, who: User | PublicAccount) -> httpx.Response:
    return gw.post(f"/v1/articles/{article_id}/reads", headers=who.auth)


@pytest.mark.requirement("MB-2")
def test_subscribe_and_unsubscribe_move_the_count_and_subscribers_are_for_operators(flow: Flow) -> None:
    gw = flow.gw
    account = flow.public_account()
    fan, stranger = flow.register(), flow.register()  # subscribing needs no real name (MB-7.1)
    path = f"/v1/public-accounts/{account.id}/subscription"

    first = poll(lambda: (r := gw.put(path, headers=fan.auth)).status_code != 404 and r, what="content knows it")
    assert first.status_code == 201, first.text
    assert (first.json()["subscribers"], first.json()["subscribed"]) == (1, True)
    assert gw.put(path, headers=fan.auth).status_code == 200  # idempotent
    assert gw.get(path).json() == {"public_account_id": account.id, "subscribers": 1, "subscribed": False}
    mine = every_page(gw, "/v1/accounts/me/subscriptions", fan.auth)
    assert [(s["public_account_id"], s["name"]) for s in mine] == [(account.id, account.name)]

    subscribers = f"/v1/public-accounts/{account.id}/subscribers"
    assert [s["account_id"] for s in every_page(gw, subscribers, account.auth)] == [fan.id]
    refused = gw.get(subscribers, headers=stranger.auth)
    assert refused.status_code == 403 and refused.json()["type"].endswith("/not-a-manager"), refused.text
    assert refused.json()["requirement"] == "PA-7.1"
    owners_own = gw.get(subscribers, headers=account.owner.auth)  # the owner's personal token is not acting
    assert owners_own.status_code == 403

    not_public = gw.put(f"/v1/public-accounts/{stranger.id}/subscription", headers=fan.auth)
    assert not_public.status_code == 404 and not_public.json()["type"].endswith("/no-such-public-account")
    for _ in range(2):
        assert gw.delete(path, headers=fan.auth).status_code == 204
    assert gw.get(path, headers=fan.auth).json()["subscribers"] == 0
    assert every_page(gw, "/v1/accounts/me/subscriptions", fan.auth) == []


@pytest.mark.requirement("MB-9")
def test_ten_beacons_from_one_reader_count_once_and_own_reads_not_at_all(flow: Flow) -> None:
    gw = flow.gw
    account = flow.public_account()
    article_id = publish_article(flow, account)
    reader, other = flow.register(), flow.register()
    for _ in range(10):
        assert beacon(gw, article_id, reader).status_code == 204
    assert beacon(gw, article_id, other).status_code == 204
    for _ in range(3):  # the account's own reads: acting, and the owner's personal token
        assert beacon(gw, article_id, account).status_code == 204
        assert beacon(gw, article_id, account.owner).status_code == 204
    poll(lambda: reads_of(gw, article_id) == 2, what="the aggregator counted the two readers")
    auditor = flow.staff("auditor")
    staff_view = gw.get(f"/v1/content/staff/articles/{article_id}/reads", headers=auditor.auth)
    assert staff_view.status_code == 200, staff_view.text
    assert (staff_view.json()["reads"], staff_view.json()["flagged_reads"]) == (2, 0)
    assert reads_of(gw, article_id) == 2  # nothing more arrives
    assert gw.post(f"/v1/articles/{article_id}/reads").status_code == 401
    staff_beacon = gw.post(f"/v1/articles/{article_id}/reads", headers=auditor.auth)
    assert staff_beacon.status_code == 403


@pytest.mark.requirement("MB-12.2")
def test_a_beacon_for_a_stopped_or_unknown_article_is_refused(flow: Flow) -> None:
    gw = flow.gw
    account = flow.public_account()
    article_id = publish_article(flow, account)
    reader = flow.register()
    unknown = beacon(gw, str(uuid.uuid4()), reader)
    assert unknown.status_code == 404, unknown.text
    withdrawn = gw.delete(f"/v1/articles/{article_id}", headers=account.auth)
    assert withdrawn.status_code == 204, withdrawn.text
    gone = beacon(gw, article_id, reader)
    assert gone.status_code == 410, gone.text
    stopped_id = publish_article(flow, flow.public_account(), PROHIBITED_TEXT, status=451)
    stopped = beacon(gw, stopped_id, reader)
    assert stopped.status_code == 451, stopped.text
    assert stopped.json()["requirement"] == "MB-12.2" and stopped.json()["legal_basis"]
    auditor = flow.staff("auditor")
    never = gw.get(f"/v1/content/staff/articles/{stopped_id}/reads", headers=auditor.auth)
    assert never.status_code == 404  # nothing was counted


@pytest.mark.requirement("MB-9")
def test_reads_reach_identity_and_regrade_the_account(flow: Flow) -> None:
    gw = flow.gw
    account = flow.public_account()
    article_id = publish_article(flow, account)
    chief, reviewer = flow.staff("chief_editor"), flow.staff("reviewer")
    standing = f"/v1/identity/staff/accounts/{account.id}/standing"
    before = gw.get("/v1/identity/grading-rules").json()["rules"]["rules"]
    read = {"grade": 7, "name": "read (test)", "min_reads": 2, "account_kinds": ["public"]}
    published = gw.post("/v1/identity/grading-rules", headers=chief.auth, json={"rules": [*before, read]})
    assert published.status_code == 201, published.text
    try:
        assert gw.get(standing, headers=reviewer.auth).json()["grade"] != 7
        for reader in (flow.register(), flow.register()):
            assert beacon(gw, article_id, reader).status_code == 204
        poll(
            lambda: gw.get(standing, headers=reviewer.auth).json()["grade"] == 7,
            what="ReadCountChanged regrading the public account in identity",
        )
    finally:
        restored = gw.post("/v1/identity/grading-rules", headers=chief.auth, json={"rules": before})
        assert restored.status_code == 201
