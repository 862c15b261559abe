from __future__ import annotations

from datetime import datetime

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
