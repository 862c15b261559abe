"""The views of posts: the data post_view builds is exactly a PostRead's, so a hot read path may serialise a
page of it once (page_json) and send the very bytes the typed Page[PostRead] would."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import pytest
from content.posts.handlers import shown
from content.posts.schemas import PostRead, page_json, post_reads
from kit.pagination import Page

NOW = datetime(2026, 11, 29, 12, 30, 15, 123456, tzinfo=UTC)


def row(**fields) -> dict:
    """A hydrated row as content.posts.store.views_sql gives it."""
    return {
        "original": False,
        "id": uuid.uuid4(),
        "author_id": uuid.uuid4(),
        "kind": "post",
        "text": "今天天气很好",
        "status": "published",
        "created_at": NOW,
        "decided_at": NOW.replace(microsecond=0),
        "parent_id": None,
        "root_id": None,
        "owner_state": "shown",
        "visible": True,
        "label_rumour_id": None,
        "stop_legal_basis": None,
        "stop_category": None,
        "stop_decided_at": None,
        "reposts": 2,
        "comments": 1,
        "likes": 7,
        "liked": True,
        "media": None,
        **fields,
    }


def rows() -> list[dict]:
    labelled = row(
        label_rumour_id=uuid.uuid4(),
        label_refutation_text="辟谣：此说法不实",
        label_refutation_url="https://example.org/refutation",
        label_authority="某市网信办",
        label_legal_basis=["MB-11"],
        label_labelled_at=NOW,
        media=json.dumps(
            [{"media_id": str(uuid.uuid4()), "content_type": "image/png", "size": 3, "sha256": "a", "storage_key": "k"}]
        ),
    )
    original = row(original=True, kind="post")
    stopped = row(original=True, status="stopped", visible=False, stop_legal_basis=["MB-12.2"], stop_category="rumour")
    repost = row(kind="repost", parent_id=original["id"], root_id=original["id"], text="")
    repost_of_stopped = row(kind="repost", parent_id=stopped["id"], root_id=stopped["id"], text="转发")
    repost_of_gone = row(kind="repost", parent_id=uuid.uuid4(), root_id=uuid.uuid4(), text="转发")
    hidden = row(visible=False)
    return [labelled, repost, repost_of_stopped, repost_of_gone, hidden, original, stopped]


@pytest.mark.requirement("MB-12.2")
def test_a_page_serialised_once_is_the_typed_page() -> None:
    views = shown(rows())
    typed = Page[PostRead](items=post_reads(views), next_cursor="abc").model_dump_json().encode()
    assert page_json(views, "abc") == typed


@pytest.mark.requirement("MB-12.2")
def test_the_views_show_what_the_viewer_may_see_with_originals_or_placeholders() -> None:
    page = json.loads(page_json(shown(rows()), None))
    items = page["items"]
    assert len(items) == 4  # the hidden row is left out, originals only inside their reposts
    assert items[0]["label"]["legal_basis"] == ["MB-11"] and items[0]["media"][0]["url"].startswith("/v1/media/")
    assert items[1]["original"]["kind"] == "post" and items[1]["original"]["counts"]["likes"] == 7
    assert items[2]["original"] == {
        "id": items[2]["root_id"],
        "status": 451,
        "type": "unavailable-for-legal-reasons",
        "requirement": "MB-12.2",
        "legal_basis": ["MB-12.2"],
        "category": "rumour",
    }
    assert items[3]["original"]["status"] == 404
    assert page["next_cursor"] is None
