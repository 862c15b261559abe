"""MB-12.2, the heart of the social core: a stop reaches every read path at once. A post already in a
thousand home timelines, reposted and commented on, is stopped by a rumour registered later (MB-11's
retro-scan, action "stop"); from then on no path serves it: not its page, not one of the thousand home
timelines, not its author's timeline, not the repost (which shows a 451 placeholder naming the legal
basis), not its comment list, not search, not a count. Read paths check visibility when they read, so
the bound is the commit of the stop in content; `make bench` measures it (cascade.stop_p99_ms)."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from devstack.testing import poll
from journeys import Flow, User, every_page, register_rumour

FOLLOWERS = 1000


def home_ids(gateway: httpx.Client, user: User, limit: int = 50) -> list[str]:
    answer = gateway.get("/v1/timelines/home", headers=user.auth, params={"limit": limit})
    assert answer.status_code == 200, answer.text
    return [item["id"] for item in answer.json()["items"]]


def follow(gateway: httpx.Client, follower: User, followee: User) -> None:
    answer = gateway.put(f"/v1/accounts/{followee.id}/follow", headers=follower.auth)
    assert answer.status_code in (200, 201), answer.text


def published(gateway: httpx.Client, post_id: str, user: User) -> bool:
    answer = gateway.get(f"/v1/posts/{post_id}", headers=user.auth)
    return answer.status_code == 200 and answer.json()["status"] == "published"


@pytest.mark.requirement("MB-12.2")
@pytest.mark.requirement("MB-11")
def test_a_stop_leaves_a_thousand_timelines_the_repost_the_comments_search_and_counts(
    flow: Flow, gateway: httpx.Client
) -> None:
    author, reposter, commenter = flow.verified_user(), flow.verified_user(), flow.verified_user()
    chief = flow.staff("chief_editor")

    def follower(_: int) -> User:
        user = flow.register()  # following needs no real name: reading the microblog is open (MB-7.1)
        follow(gateway, user, author)
        return user

    with ThreadPoolExecutor(max_workers=8) as pool:
        followers = list(pool.map(follower, range(FOLLOWERS)))
    follow(gateway, reposter, author)
    counts = gateway.get(f"/v1/accounts/{author.id}/follow").json()
    assert counts["followers"] == FOLLOWERS + 1

    marker = uuid.uuid4().hex[:8]
    text = f"网传某水库大坝出现裂缝即将溃坝，下游居民连夜撤离{marker}"
    post = flow.post(author, text)["id"]
    poll(lambda: published(gateway, post, author), what="the post published")
    # Fanned out into every follower's home timeline.
    with ThreadPoolExecutor(max_workers=8) as pool:
        poll(
            lambda: all(pool.map(lambda u: post in home_ids(gateway, u, 5), followers)),
            timeout_s=60,
            what="the post in a thousand home timelines",
        )

    repost = gateway.post(f"/v1/posts/{post}/reposts", headers=reposter.auth, json={"text": "转发"})
    assert repost.status_code == 201, repost.text
    repost_id = repost.json()["id"]
    comment = gateway.post(f"/v1/posts/{post}/comments", headers=commenter.auth, json={"text": "真的吗"})
    assert comment.status_code == 201, comment.text
    poll(lambda: published(gateway, repost_id, reposter), what="the repost published")
    poll(lambda: published(gateway, comment.json()["id"], commenter), what="the comment published")
    assert poll(
        lambda: (c := gateway.get(f"/v1/posts/{post}").json()["counts"])["reposts"] == 1 and c["comments"] == 1 and c,
        what="the counts",
    )
    assert poll(
        lambda: any(i["id"] == post for i in gateway.get("/v1/search/posts", params={"q": marker}).json()["items"]),
        what="the post found by search",
    )

    # The rumour is refuted and declared illegal: the retro-scan stops the published post.
    registered = register_rumour(gateway, chief, text, "经核实，该水库运行正常，大坝无裂缝。", "市水利局", "stop")
    assert registered.status_code == 201, registered.text
    stopped = poll(lambda: (a := gateway.get(f"/v1/posts/{post}")).status_code == 451 and a.json(), what="the stop")
    assert "MB-12.2" in stopped["legal_basis"]

    # Every path, now: nothing serves it.
    with ThreadPoolExecutor(max_workers=8) as pool:
        leaks = [
            u.id
            for u, ids in zip(followers, pool.map(lambda u: home_ids(gateway, u), followers), strict=True)
            if post in ids
        ]
    assert leaks == [], f"{len(leaks)} home timelines still serve the stopped post"
    assert post not in home_ids(gateway, reposter)
    assert post not in [i["id"] for i in every_page(gateway, f"/v1/accounts/{author.id}/posts", {})]
    assert post not in [i["id"] for i in every_page(gateway, f"/v1/accounts/{author.id}/posts", author.auth)]
    shown = gateway.get(f"/v1/posts/{repost_id}").json()
    assert shown["original"]["status"] == 451 and "MB-12.2" in shown["original"]["legal_basis"]
    assert "text" not in shown["original"]
    in_reposter_home = [i for i in every_page(gateway, "/v1/timelines/home", reposter.auth) if i["id"] == repost_id]
    assert in_reposter_home and in_reposter_home[0]["original"]["status"] == 451
    assert gateway.get(f"/v1/posts/{post}/comments").status_code == 451
    assert gateway.get(f"/v1/posts/{post}/reposts").status_code == 451
    assert post not in [i["id"] for i in gateway.get("/v1/search/posts", params={"q": marker}).json()["items"]]
    # The author is told why, with the statement of reasons (MB-12.2).
    told = poll(
        lambda: [
            n
            for n in every_page(gateway, "/v1/notifications", author.auth)
            if n.get("post_id") == post and n["kind"] == "stopped"
        ],
        what="the author's notification of the stop",
    )
    assert "MB-12.2" in told[0]["reasons"]["legal_basis"]


ARTICLE_SUBSCRIBERS = 200


@pytest.mark.requirement("MB-12.2")
@pytest.mark.requirement("PA-11")
def test_a_stop_leaves_a_pushed_articles_subscribers_timelines_comments_search_reads_and_list(
    flow: Flow, gateway: httpx.Client
) -> None:
    """The same for a public account's article (issue 13): pushed into 200 subscribers' home timelines,
    commented on (approved by the operator), read and found; stopped by a rumour registered later, it is on
    none of those paths, and a read beacon counts nothing more."""
    account = flow.public_account()
    chief = flow.staff("chief_editor")
    flow.open_gate("public_account_comments")

    def subscriber(_: int) -> User:
        user = flow.register()  # subscribing needs no real name (MB-7.1)
        answer = gateway.put(f"/v1/public-accounts/{account.id}/subscription", headers=user.auth)
        assert answer.status_code in (200, 201), answer.text
        return user

    with ThreadPoolExecutor(max_workers=8) as pool:
        subscribers = list(pool.map(subscriber, range(ARTICLE_SUBSCRIBERS)))

    marker = uuid.uuid4().hex[:8]
    text = f"网传某化工厂发生爆炸有毒气体正在扩散请立即撤离{marker}"
    draft = gateway.post("/v1/articles/drafts", headers=account.auth, json={"title": "紧急通知", "body": text})
    assert draft.status_code == 201, draft.text
    published = gateway.post(
        f"/v1/articles/drafts/{draft.json()['id']}/publication", headers=account.auth, json={"push": True}
    )
    assert published.status_code == 201, published.text
    article = published.json()["id"]
    poll(lambda: gateway.get(f"/v1/articles/{article}").status_code == 200, what="the article published")
    with ThreadPoolExecutor(max_workers=8) as pool:
        poll(
            lambda: all(pool.map(lambda u: article in home_ids(gateway, u, 5), subscribers)),
            timeout_s=60,
            what="the pushed article in 200 home timelines",
        )

    commenter = flow.verified_user()
    comment = poll(
        lambda: (
            (
                c := gateway.post(f"/v1/posts/{article}/comments", headers=commenter.auth, json={"text": "真的吗"})
            ).status_code
            == 201
            and c.json()["id"]
        ),
        what="the comments gate open",
    )
    approved = lambda: gateway.put(f"/v1/posts/{article}/comments/{comment}/approval", headers=account.auth)  # noqa: E731
    poll(lambda: approved().status_code == 204, what="the comment published, then approved by the operator")
    poll(
        lambda: [c["id"] for c in gateway.get(f"/v1/posts/{article}/comments").json()["items"]] == [comment],
        what="the approved comment shown",
    )
    for reader in subscribers[:3]:
        assert gateway.post(f"/v1/articles/{article}/reads", headers=reader.auth).status_code == 204
    poll(lambda: gateway.get(f"/v1/articles/{article}").json()["counts"]["reads"] == 3, what="three reads counted")
    poll(
        lambda: any(i["id"] == article for i in gateway.get("/v1/search/posts", params={"q": marker}).json()["items"]),
        what="the article found by search",
    )
    listed = f"/v1/public-accounts/{account.id}/articles"
    assert article in [a["id"] for a in every_page(gateway, listed, {})]

    registered = register_rumour(gateway, chief, text, "经核实，该厂运行正常，未发生爆炸。", "市应急管理局", "stop")
    assert registered.status_code == 201, registered.text
    stopped = poll(
        lambda: (a := gateway.get(f"/v1/articles/{article}")).status_code == 451 and a.json(), what="the stop"
    )
    assert "MB-12.2" in stopped["legal_basis"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        leaks = [
            u.id
            for u, ids in zip(subscribers, pool.map(lambda u: home_ids(gateway, u), subscribers), strict=True)
            if article in ids
        ]
    assert leaks == [], f"{len(leaks)} home timelines still serve the stopped article"
    assert gateway.get(f"/v1/posts/{article}/comments").status_code == 451
    assert article not in [i["id"] for i in gateway.get("/v1/search/posts", params={"q": marker}).json()["items"]]
    assert article not in [a["id"] for a in every_page(gateway, listed, {})]
    assert article not in [a["id"] for a in every_page(gateway, listed, account.auth)]
    beacon = gateway.post(f"/v1/articles/{article}/reads", headers=subscribers[5].auth)
    assert beacon.status_code == 451, beacon.text
