"""HTTP bodies of the notifications API, and the view of a stored notification."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from kit.inputs import RequestModel
from pydantic import BaseModel, Field

from content.notifications.domain import NotificationKind
from content.posts.schemas import PostRead


class StatementOfReasons(BaseModel):
    """Why: the BJ-10 category, the requirements that justify it, and the reason (MB-12.2)."""

    category: str | None = None
    legal_basis: list[str] = Field(default_factory=list)
    reason: str | None = None


class RefutationNotice(BaseModel):
    """MB-11: the refutation of the rumour a post spreads."""

    rumour_id: str
    text: str
    url: str
    authority: str


class StandingNotice(BaseModel):
    """PA-13.1, PA-6.2: the account's standing after the change (see GET /v1/accounts/me/credit)."""

    cause: str
    credit_score: int
    credit_level: str
    limits: list[str] = Field(default_factory=list)
    suspended_until: datetime | None = None
    closed: bool = False


class ComplaintOutcomeNotice(BaseModel):
    """MB-14: the outcome of your complaint (see GET /v1/complaints/{complaint_id})."""

    complaint_id: str
    case_id: str | None = None
    target_type: str
    target_id: str
    outcome: str = Field(description="upheld or dismissed")
    action: str = Field(description="What was done: stop, label, sanction, none")


class NotificationRead(BaseModel):
    id: str
    kind: NotificationKind
    created_at: datetime
    read_at: datetime | None = None
    actor_id: str | None = Field(
        default=None, description="Who followed, reposted, commented or replied; the account that pushed an article"
    )
    post_id: str | None = Field(default=None, description="The post, repost, comment or article it is about")
    post: PostRead | None = Field(
        default=None, description="That item as you may see it now; absent when you may not (a stopped post)"
    )
    reasons: StatementOfReasons | None = Field(
        default=None, description="Held, stopped, labelled, sanctions, an expired verification: why"
    )
    refutation: RefutationNotice | None = None
    standing: StandingNotice | None = None
    expired_at: datetime | None = Field(default=None, description="When your real-name verification expired")
    complaint: ComplaintOutcomeNotice | None = None


class NotificationsMark(RequestModel):
    """Either `ids`, or `up_to`: one of your notifications, marked read with every older one."""

    ids: list[uuid.UUID] | None = Field(default=None, min_length=1, max_length=500)
    up_to: uuid.UUID | None = None


class MarkedRead(BaseModel):
    marked: int = Field(description="How many were unread and are read now")
    unread: int = Field(description="How many unread notifications the list shows")


class UnreadCount(BaseModel):
    unread: int = Field(description="How many unread notifications the list shows")


def notification_read(row: Mapping[str, Any], post: PostRead | None) -> NotificationRead:
    details = row["details"]
    if isinstance(details, str):
        details = json.loads(details)
    has_reasons = row["category"] is not None or row["reason"] is not None or bool(row["legal_basis"])
    return NotificationRead(
        id=str(row["id"]),
        kind=row["kind"],
        created_at=row["created_at"],
        read_at=row["read_at"],
        actor_id=str(row["actor_id"]) if row["actor_id"] else None,
        post_id=str(row["post_id"]) if row["post_id"] else None,
        post=post,
        reasons=StatementOfReasons(category=row["category"], legal_basis=list(row["legal_basis"]), reason=row["reason"])
        if has_reasons
        else None,
        refutation=RefutationNotice(**details["refutation"]) if "refutation" in details else None,
        standing=StandingNotice(**details["standing"]) if "standing" in details else None,
        expired_at=details.get("expired_at"),
        complaint=ComplaintOutcomeNotice(**details["complaint"]) if "complaint" in details else None,
    )
