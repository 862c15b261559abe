"""A large public account's pushed articles (MB-9, 群发), on a stack of its own with FANOUT_MAX_FOLLOWERS=2 (the
shared platform's 10,000 is out of a test's reach): an account with that many subscribers is not fanned out,
its posts are merged into home timelines when they are read, and so are the articles it pushed (an unpushed
one stays on its own list: services/content/tests/integration/test_articles.py). Every subscriber is told of
the pushed article (`article_pushed`)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from devstack.testing import make_stack, poll
from journeys import Flow, User

FANOUT_MAX_FOLLOWERS = 2


@pytest.fixture(scope="module")
def large_flow(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flow]:
    stack = make_stack(tmp_path_factory.mktemp("large"), external_ok=False)
    stack.config.service_env["content"] = {
        **stack.config.service_env["content"],
        "FANOUT_MAX_FOLLOWERS": str(FANOUT_MAX_FOLLOWERS),
    }
    try:
        info = stack.up()
        with httpx.Client(base_url=info.gateway_url, timeout=15) as gw:
            yield Flow(gw, info)
    finally:
        stack.down()


def home_ids(gw: httpx.Client, user: User) -> list[str]:
    answer = gw.get("/v1/timelines/home", headers=user.auth)
    assert answer.status_code == 200, answer.text
    return [item["id"] for item in answer.json()["items"]]


@pytest.mark.requirement("MB-9")
@pytest.mark.requirement("MB-2")
def test_a_large_accounts_pushed_article_reaches_every_subscribers_home_timeline(large_flow: Flow) -> None:
    flow, gw = large_flow, large_flow.gw
    account = flow.public_account()
    readers = [flow.register() for _ in range(FANOUT_MAX_FOLLOWERS)]  # subscribing needs no real name (MB-7.1)
    for reader in readers:
        poll(
            lambda r=reader: (
                gw.put(f"/v1/public-accounts/{account.id}/subscription", headers=r.auth).status_code in (200, 201)
            ),
            what="subscribed (content learned the account)",
        )
    subscribers = gw.get(f"/v1/public-accounts/{account.id}/subscription", headers=readers[0].auth).json()
    assert subscribers["subscribers"] == FANOUT_MAX_FOLLOWERS  # a large account: merged at read time

    draft = gw.post("/v1/articles/drafts", headers=account.auth, json={"title": "青朗早报", "body": "今天天气很好。"})
    assert draft.status_code == 201, draft.text
    answer = gw.post(f"/v1/articles/drafts/{draft.json()['id']}/publication", headers=account.auth, json={"push": True})
    assert answer.status_code == 201, answer.text
    pushed = answer.json()["id"]
    poll(lambda: gw.get(f"/v1/articles/{pushed}").status_code == 200, what="the pushed article published")
    for reader in readers:
        assert pushed in home_ids(gw, reader)  # merged when read: no fan-out to wait for
        notice = poll(
            lambda r=reader: next(
                (
                    n
                    for n in gw.get("/v1/notifications", headers=r.auth).json()["items"]
                    if n["kind"] == "article_pushed" and n["post_id"] == pushed
                ),
                None,
            ),
            what="the article_pushed notification",
        )
        assert notice["actor_id"] == account.id
