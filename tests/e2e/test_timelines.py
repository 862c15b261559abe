"""Home and account timelines end to end through Traefik (MB-2): a follow backfills, a published post
fans out into the follower's home timeline, comments never do, pages follow one another without repeats,
an unfollow takes effect at once, and an account's own timeline shows its posts and reposts newest
first. Follows go through the social core's `PUT/DELETE /v1/accounts/{id}/follow`."""

from __future__ import annotations

import httpx
import pytest
from devstack.testing import poll
from journeys import Flow, User, every_page


def home(gateway: httpx.Client, user: User, **params: object) -> list[str]:
    return [item["id"] for item in every_page(gateway, "/v1/timelines/home", user.auth, **params)]


def published(gateway: httpx.Client, post_id: str) -> bool:
    return gateway.get(f"/v1/posts/{post_id}").status_code == 200


@pytest.mark.requirement("MB-2")
def test_a_follow_backfills_posts_fan_out_and_an_unfollow_acts_at_once(flow: Flow, gateway: httpx.Client) -> None:
    author, reader = flow.verified_user(), flow.register()  # reading needs no real name (MB-7.1)
    earlier = flow.post(author, "关注之前发的")["id"]
    poll(lambda: published(gateway, earlier), what="the earlier post published")

    followed = gateway.put(f"/v1/accounts/{author.id}/follow", headers=reader.auth)
    assert followed.status_code in (200, 201), followed.text
    poll(lambda: home(gateway, reader) == [earlier], what="the earlier post backfilled into the home timeline")

    later = flow.post(author, "关注之后发的")["id"]
    poll(lambda: home(gateway, reader) == [later, earlier], what="the new post fanned out, newest first")
    comment = gateway.post(f"/v1/posts/{later}/comments", headers=author.auth, json={"text": "补充一句"})
    assert comment.status_code == 201, comment.text
    poll(lambda: published(gateway, comment.json()["id"]), what="the comment published")
    # A comment stays under its thread; one item a page still pages through without a repeat.
    assert home(gateway, reader, limit=1) == [later, earlier]

    # The author's own timeline, to anyone; their home timeline holds their own posts too.
    assert [i["id"] for i in every_page(gateway, f"/v1/accounts/{author.id}/posts", {})] == [later, earlier]
    assert home(gateway, author)[:2] == [later, earlier]

    unfollowed = gateway.delete(f"/v1/accounts/{author.id}/follow", headers=reader.auth)
    assert unfollowed.status_code in (200, 204), unfollowed.text
    assert home(gateway, reader) == []  # at once: no event to wait for


@pytest.mark.requirement("MB-12.2")
def test_a_post_is_on_its_authors_timelines_at_once_and_on_everyones_once_published(
    flow: Flow, gateway: httpx.Client
) -> None:
    author = flow.verified_user()
    post = flow.post(author, "刚发的，还在审核")["id"]
    # The author sees their own under review (pending) or already published; others wait for moderation.
    mine = gateway.get(f"/v1/accounts/{author.id}/posts", headers=author.auth).json()["items"]
    assert [i["id"] for i in mine] == [post] and mine[0]["status"] in ("pending", "published")
    assert post in home(gateway, author)
    poll(lambda: published(gateway, post), what="published")
    assert [i["id"] for i in gateway.get(f"/v1/accounts/{author.id}/posts").json()["items"]] == [post]


def test_a_cursor_the_api_did_not_give_out_is_a_422(flow: Flow, gateway: httpx.Client) -> None:
    reader = flow.register()
    answer = gateway.get("/v1/timelines/home", headers=reader.auth, params={"cursor": "bm90IG91cnM"})
    assert answer.status_code == 422 and answer.json()["type"].endswith("invalid-cursor")
    assert gateway.get("/v1/timelines/home").status_code == 401
