"""HTTP bodies of the posts API, and the views of stored rows as those bodies. Every path that shows a
post (post page, timelines, repost and comment lists, search, notifications) shows it as a `PostView`
built here from one hydrated row (content.posts.store._VIEWS)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import pydantic_core
from kit.inputs import RequestModel, VisibleText
from pydantic import BaseModel, Field, TypeAdapter

from content.posts.domain import Category, PostKind, PostStatus


class PostCreate(RequestModel):
    text: VisibleText = Field(min_length=1, max_length=100_000, description="The post's text; see the length limit")
    media_ids: list[uuid.UUID] = Field(
        default_factory=list, max_length=9, description="Media uploaded with POST /v1/media, in display order"
    )
    category: Category | None = Field(
        default=None, description="The category; `news` needs a valid news licence in scope (MB-4, PA-8)"
    )


class RefutationLabel(BaseModel):
    """The refutation of a rumour this post spreads (MB-11), shown with it wherever it appears."""

    rumour_id: str
    refutation_text: str
    refutation_url: str
    authority: str
    legal_basis: list[str]
    labelled_at: datetime


class MediaView(BaseModel):
    media_id: str
    content_type: str
    size: int
    sha256: str
    url: str


class Counts(BaseModel):
    """What anyone may see of the reactions: published items of authors in good standing only."""

    reposts: int = 0
    comments: int = 0
    likes: int = 0


class Unavailable(BaseModel):
    """What stands in for a post that may not be shown where it is referenced (a repost's original): a
    stop of transmission shows its legal basis (MB-12.2), anything else only that it is unavailable."""

    id: str
    status: int = Field(description="451: transmission stopped; 410: deleted; 404: not available")
    type: str
    requirement: str | None = None
    legal_basis: list[str] = Field(default_factory=list)
    category: str | None = None


class PostRead(BaseModel):
    id: str
    author_id: str
    kind: PostKind = PostKind.POST
    text: str
    status: PostStatus
    created_at: datetime
    decided_at: datetime | None = None
    parent_id: str | None = None
    root_id: str | None = None
    owner_state: str = Field(
        default="shown",
        description="A comment under the thread owner's management (MB-10.2): shown, awaiting approval, or hidden "
        "(only its author and the thread's managers see the last two)",
    )
    label: RefutationLabel | None = None
    media: list[MediaView] = Field(default_factory=list)
    counts: Counts = Field(default_factory=Counts)
    liked: bool = False
    original: PostRead | Unavailable | None = Field(
        default=None, description="A repost's original post, or what stands in for it"
    )


def _label(row: Mapping[str, Any]) -> RefutationLabel | None:
    if row.get("label_rumour_id") is None or row["status"] != PostStatus.PUBLISHED:
        return None
    return RefutationLabel(
        rumour_id=str(row["label_rumour_id"]),
        refutation_text=row["label_refutation_text"],
        refutation_url=row["label_refutation_url"],
        authority=row["label_authority"],
        legal_basis=list(row["label_legal_basis"]),
        labelled_at=row["label_labelled_at"],
    )


def _media(row: Mapping[str, Any], media_url: str) -> list[MediaView]:
    items = row.get("media")
    if isinstance(items, str):
        items = json.loads(items)
    return [
        MediaView(
            media_id=str(m["media_id"]),
            content_type=m["content_type"],
            size=m["size"],
            sha256=m["sha256"],
            url=f"{media_url}/{m['media_id']}",
        )
        for m in items or ()
    ]


def post_view(
    row: Mapping[str, Any], original: dict[str, Any] | Unavailable | None = None, media_url: str = "/v1/media"
) -> dict[str, Any]:
    """A stored post as shown, as the plain data of a `PostRead`: a hydrated row (store.views_sql) carries
    its counts, like, media and label. Validated into `PostRead`s by post_read or post_reads."""
    return {
        "id": str(row["id"]),
        "author_id": str(row["author_id"]),
        "kind": row.get("kind") or PostKind.POST,
        "text": row["text"],
        "status": row["status"],
        "created_at": row["created_at"],
        "decided_at": row["decided_at"],
        "parent_id": str(row["parent_id"]) if row.get("parent_id") else None,
        "root_id": str(row["root_id"]) if row.get("root_id") else None,
        "owner_state": row.get("owner_state") or "shown",
        "label": _label(row),
        "media": _media(row, media_url),
        "counts": {
            "reposts": row.get("reposts") or 0,
            "comments": row.get("comments") or 0,
            "likes": row.get("likes") or 0,
        },
        "liked": bool(row.get("liked")),
        "original": original,
    }


_POST_READS = TypeAdapter(list[PostRead])


def post_reads(views: list[dict[str, Any]]) -> list[PostRead]:
    """Views (post_view) as `PostRead`s, validated in one call (a page's worth at once is cheaper than one
    model at a time)."""
    return _POST_READS.validate_python(views)


def page_json(views: list[dict[str, Any]], next_cursor: str | None) -> bytes:
    """A page of views (post_view) as the JSON body of a `Page[PostRead]`, serialised once and not validated
    again: post_view builds a PostRead's data exactly (tests/unit/posts/test_schemas.py holds the two to the
    same bytes). The hot read paths answer with it instead of validating and serialising models."""
    return pydantic_core.to_json({"items": views, "next_cursor": next_cursor})


def post_read(row: Mapping[str, Any], media_url: str = "/v1/media") -> PostRead:
    """A stored post as shown (a post on its own; a page of them goes through post_reads)."""
    return PostRead.model_validate(post_view(row, None, media_url))


def unavailable(post_id: uuid.UUID, row: Mapping[str, Any] | None) -> Unavailable:
    """MB-12.2: what a repost shows in place of an original it may not show."""
    if row is not None and row["status"] == PostStatus.STOPPED:
        return Unavailable(
            id=str(post_id),
            status=451,
            type="unavailable-for-legal-reasons",
            requirement="MB-12.2",
            legal_basis=list(row["stop_legal_basis"] or ()),
            category=row["stop_category"],
        )
    if row is not None and row["status"] == PostStatus.DELETED:
        return Unavailable(id=str(post_id), status=410, type="post-deleted")
    return Unavailable(id=str(post_id), status=404, type="not-found")
