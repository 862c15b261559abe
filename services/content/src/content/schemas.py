"""HTTP bodies of content's API, and the views of stored rows as those bodies."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from kit.inputs import RequestModel, VisibleText
from pydantic import BaseModel, Field

from content.domain import PostStatus


class PostCreate(RequestModel):
    text: VisibleText = Field(min_length=1, max_length=100_000, description="The post's text; see the length limit")


class RefutationLabel(BaseModel):
    """The refutation of a rumour this post spreads (MB-11), shown with it."""

    rumour_id: str
    refutation_text: str
    refutation_url: str
    authority: str
    legal_basis: list[str]
    labelled_at: datetime


class PostRead(BaseModel):
    id: str
    author_id: str
    text: str
    status: PostStatus
    created_at: datetime
    decided_at: datetime | None = None
    label: RefutationLabel | None = None


def post_read(post: Mapping[str, Any], label: Mapping[str, Any] | None = None) -> PostRead:
    return PostRead(
        id=str(post["id"]),
        author_id=str(post["author_id"]),
        text=post["text"],
        status=post["status"],
        created_at=post["created_at"],
        decided_at=post["decided_at"],
        label=RefutationLabel(
            rumour_id=str(label["rumour_id"]),
            refutation_text=label["refutation_text"],
            refutation_url=label["refutation_url"],
            authority=label["authority"],
            legal_basis=list(label["legal_basis"]),
            labelled_at=label["labelled_at"],
        )
        if label
        else None,
    )
