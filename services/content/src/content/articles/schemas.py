"""HTTP bodies of the articles API (issue 13 §2) and views of stored rows."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from kit.inputs import Bool, Int32, RequestModel, Text, VisibleText
from pydantic import BaseModel, Field

from content.articles.domain import ArticleFormat, Category


class DraftWrite(RequestModel):
    title: VisibleText = Field(min_length=1, max_length=1000, description="The title (see ARTICLE_TITLE_MAX_CHARS)")
    format: ArticleFormat = Field(default=ArticleFormat.MARKDOWN, description="markdown, or html (sanitised)")
    body: VisibleText = Field(min_length=1, max_length=400_000, description="The body in `format`")
    cover_media_id: uuid.UUID | None = Field(default=None, description="A medium of the account's (POST /v1/media)")
    category: Category = Field(default=Category.OTHER, description="`news` needs a news licence (MB-4, PA-8)")
    original: Bool = Field(default=True, description="原创声明: declared original work")
    source: Text | None = Field(default=None, max_length=300, description="Where it comes from, when not original")
    author_name: Text | None = Field(default=None, max_length=64, description="The byline")


class DraftUpdate(DraftWrite):
    version: Int32 = Field(ge=1, description="The version read; another one is refused (409 draft-changed)")


class DraftRead(BaseModel):
    id: str
    account_id: str
    title: str
    format: ArticleFormat
    body: str
    cover_media_id: str | None = None
    category: str
    original: bool
    source: str | None = None
    author_name: str | None = None
    editor_id: str | None = None
    updated_at: datetime
    version: int


class Publication(RequestModel):
    push: Bool = Field(default=False, description="Push it to every subscriber's home timeline (MB-9: grade)")


class CorrectionCreate(RequestModel):
    title: VisibleText | None = Field(default=None, max_length=1000, description="A new title; absent keeps it")
    body: VisibleText = Field(min_length=1, max_length=400_000, description="The corrected body, same format")
    correction_note: VisibleText = Field(min_length=1, max_length=500, description="What was corrected (PA-11)")


class AccountBadge(BaseModel):
    """The public account as shown with its articles: its name and kind label (分类加注标识, PA-7.1)."""

    id: str
    name: str | None = None
    kind: str | None = None
    label: str | None = None


class ArticleCounts(BaseModel):
    comments: int = 0
    likes: int = 0
    reads: int = 0


class ArticleRead(BaseModel):
    id: str
    account: AccountBadge
    title: str
    format: ArticleFormat
    body_html: str
    cover_media_id: str | None = None
    category: str
    original: bool
    source: str | None = None
    author_name: str | None = None
    editor_id: str | None = None
    status: str = Field(description="The head's status: pending or held (the account only), published")
    pushed: bool
    revision: int = Field(description="The revision on show (1: as first published)")
    created_at: datetime
    published_at: datetime | None = None
    corrected_at: datetime | None = None
    counts: ArticleCounts = Field(default_factory=ArticleCounts)


class ArticleSummary(BaseModel):
    id: str
    account_id: str
    title: str
    category: str
    status: str
    pushed: bool
    created_at: datetime
    corrected_at: datetime | None = None


class CorrectionRead(BaseModel):
    article_id: str
    revision: int
    post_id: str = Field(description="The correction's post: moderated like any post (pending until decided)")
    status: str


class RevisionRead(BaseModel):
    revision: int
    title: str
    body_html: str
    correction_note: str | None = None
    created_at: datetime
    shown_at: datetime | None = None


def draft_read(row: Mapping[str, Any]) -> DraftRead:
    return DraftRead(
        id=str(row["id"]),
        account_id=str(row["account_id"]),
        title=row["title"],
        format=row["format"],
        body=row["body_source"],
        cover_media_id=str(row["cover_media_id"]) if row["cover_media_id"] else None,
        category=row["category"],
        original=row["original"],
        source=row["source"],
        author_name=row["author_name"],
        editor_id=str(row["editor_id"]) if row["editor_id"] else None,
        updated_at=row["updated_at"],
        version=row["version"],
    )


def article_read(row: Mapping[str, Any]) -> ArticleRead:
    return ArticleRead(
        id=str(row["id"]),
        account=AccountBadge(
            id=str(row["account_id"]), name=row["pa_name"], kind=row["pa_kind"], label=row["pa_label"]
        ),
        title=row["shown_title"],
        format=row["format"],
        body_html=row["shown_body_html"],
        cover_media_id=str(row["cover_media_id"]) if row["cover_media_id"] else None,
        category=row["category"],
        original=row["original"],
        source=row["source"],
        author_name=row["author_name"],
        editor_id=str(row["editor_id"]) if row["editor_id"] else None,
        status=row["status"],
        pushed=row["pushed"],
        revision=row["shown_revision"],
        created_at=row["created_at"],
        published_at=row["decided_at"],
        corrected_at=row["corrected_at"],
        counts=ArticleCounts(comments=row["comments"] or 0, likes=row["likes"] or 0, reads=row["reads"] or 0),
    )


def article_summary(row: Mapping[str, Any]) -> ArticleSummary:
    return ArticleSummary(
        id=str(row["id"]),
        account_id=str(row["account_id"]),
        title=row["shown_title"],
        category=row["category"],
        status=row["status"],
        pushed=row["pushed"],
        created_at=row["created_at"],
        corrected_at=row["corrected_at"],
    )


def revision_read(row: Mapping[str, Any]) -> RevisionRead:
    return RevisionRead(
        revision=row["revision"],
        title=row["title"],
        body_html=row["body_html"],
        correction_note=row["correction_note"],
        created_at=row["created_at"],
        shown_at=row["shown_at"],
    )
