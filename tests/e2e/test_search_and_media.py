"""Search and media end to end through Traefik: upload, a post carrying the medium, the medium served;
the post stopped, the medium refused (MB-12.2); search finds a published post, never a held or a
stopped one."""

from __future__ import annotations

import hashlib
import uuid

import httpx
import pytest
from devstack.stack import MEDIA_MAX_BYTES
from devstack.testing import poll
from journeys import Flow

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
PROHIBITED = "网络赌博"  # the sample lexicon stops it (MB-12, BJ-10)
HELD = "内部消息称"  # the sample lexicon holds it for review (MB-6.1)


def status_of(gw: httpx.Client, post_id: str, author_auth: dict[str, str]) -> int | str:
    r = gw.get(f"/v1/posts/{post_id}", headers=author_auth)
    return r.json()["status"] if r.status_code == 200 else r.status_code


def searched(gw: httpx.Client, q: str, headers: dict[str, str] | None = None) -> list[str]:
    r = gw.get("/v1/search/posts", params={"q": q}, headers=headers or {})
    assert r.status_code == 200, r.text
    return [item["id"] for item in r.json()["items"]]


@pytest.mark.requirement("MB-2")
@pytest.mark.requirement("MB-12.2")
def test_a_medium_is_served_with_its_post_and_refused_once_the_post_is_stopped(
    gateway: httpx.Client, flow: Flow
) -> None:
    alice, bob = flow.verified_user(), flow.verified_user()
    uploaded = gateway.post("/v1/media", headers={**alice.auth, "Content-Type": "image/png"}, content=PNG)
    assert uploaded.status_code == 201, uploaded.text
    medium = uploaded.json()
    assert (medium["content_type"], medium["size"]) == ("image/png", len(PNG))
    assert medium["sha256"] == hashlib.sha256(PNG).hexdigest()
    url = f"/v1/media/{medium['media_id']}"
    assert gateway.get(url, headers=bob.auth).status_code == 404  # on no post yet: the uploader's alone
    assert gateway.get(url, headers=alice.auth).content == PNG

    clean = gateway.post(
        "/v1/posts", headers=alice.auth, json={"text": "公园的花开了", "media_ids": [medium["media_id"]]}
    )
    assert clean.status_code == 201, clean.text
    poll(lambda: status_of(gateway, clean.json()["id"], alice.auth) == "published", what="the post published")
    shown = gateway.get(f"/v1/posts/{clean.json()['id']}").json()
    assert [m["media_id"] for m in shown["media"]] == [medium["media_id"]]
    served = gateway.get(url, headers=bob.auth)
    assert served.status_code == 200 and served.content == PNG
    assert served.headers["content-type"] == "image/png" and served.headers["x-content-type-options"] == "nosniff"

    # The same medium on a post that moderation stops; the clean post still carries it.
    second = gateway.post("/v1/media", headers={**alice.auth, "Content-Type": "image/png"}, content=PNG)
    stopped = gateway.post(
        "/v1/posts",
        headers=alice.auth,
        json={"text": f"{PROHIBITED}注册就送", "media_ids": [second.json()["media_id"]]},
    )
    assert stopped.status_code == 201, stopped.text
    poll(lambda: status_of(gateway, stopped.json()["id"], alice.auth) == 451, what="the post stopped")
    refused = gateway.get(f"/v1/media/{second.json()['media_id']}", headers=alice.auth)
    assert refused.status_code == 451, refused.text
    assert refused.json()["requirement"] == "MB-12.2" and "MB-12.2" in refused.json()["legal_basis"]
    assert gateway.get(f"/v1/media/{second.json()['media_id']}").status_code == 451
    assert gateway.get(url).status_code == 200  # the other medium's post is not stopped


def test_uploads_are_checked_and_the_gateway_takes_large_media(gateway: httpx.Client, flow: Flow) -> None:
    alice = flow.verified_user()
    large = PNG + b"\x00" * (2 * 2**20)  # over the 1 MiB every other route takes
    uploaded = gateway.post("/v1/media", headers={**alice.auth, "Content-Type": "image/png"}, content=large)
    assert uploaded.status_code == 201, uploaded.text
    assert uploaded.json()["size"] == len(large)
    mismatch = gateway.post("/v1/media", headers={**alice.auth, "Content-Type": "image/jpeg"}, content=PNG)
    assert (mismatch.status_code, mismatch.json()["type"].rsplit("/", 1)[1]) == (422, "media-type-mismatch")
    html = gateway.post("/v1/media", headers={**alice.auth, "Content-Type": "text/html"}, content=b"<html>")
    assert html.status_code == 415
    too_large = gateway.post(
        "/v1/media", headers={**alice.auth, "Content-Type": "image/png"}, content=PNG + b"\x00" * MEDIA_MAX_BYTES
    )
    assert too_large.status_code == 413
    anonymous = gateway.post("/v1/media", headers={"Content-Type": "image/png"}, content=PNG)
    assert anonymous.status_code == 401


@pytest.mark.requirement("MB-12.2")
def test_search_finds_a_published_post_and_never_a_held_or_stopped_one(gateway: httpx.Client, flow: Flow) -> None:
    alice, bob = flow.verified_user(), flow.verified_user()
    word = "检索" + "".join(chr(0x4E00 + int(c, 16) * 37) for c in uuid.uuid4().hex[:4])  # a word no other test wrote
    published = flow.post(alice, f"今天{word}天气很好")
    held = flow.post(alice, f"{HELD}{word}要涨价")
    stopped = flow.post(alice, f"{PROHIBITED}{word}")
    poll(lambda: status_of(gateway, published["id"], alice.auth) == "published", what="published")
    poll(lambda: status_of(gateway, held["id"], alice.auth) == "held", what="held")
    poll(lambda: status_of(gateway, stopped["id"], alice.auth) == 451, what="stopped")

    assert searched(gateway, word, bob.auth) == [published["id"]]
    assert searched(gateway, word) == [published["id"]]
    assert searched(gateway, word, alice.auth) == [held["id"], published["id"]]  # the author sees their held post
    short = gateway.get("/v1/search/posts", params={"q": "天"})
    assert short.status_code == 422 and short.json()["type"].endswith("search-query-too-short")
    long = gateway.get("/v1/search/posts", params={"q": "天" * 101})
    assert long.status_code == 422
