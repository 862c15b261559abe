"""HTTP bodies of reposts, comments, likes, comment management and feature restrictions. Posts in lists
are content.posts' `PostRead` views."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from kit.inputs import Bool, RequestModel, Text, VisibleText
from pydantic import BaseModel, Field

from content.interactions.domain import CommentPolicy, CommentSettings, Feature
from content.posts.domain import Category


class RepostCreate(RequestModel):
    text: Text = Field(default="", max_length=100_000, description="The repost's own text: optional, may be empty")
    category: Category | None = Field(
        default=None, description="`news` with text of your own needs a news licence in scope (MB-4, PA-8)"
    )


class CommentCreate(RequestModel):
    text: VisibleText = Field(min_length=1, max_length=100_000, description="The comment's text")


class CommentSettingsUpdate(RequestModel):
    """The settings as they should be; a field left out or null is not set (the level below decides:
    a post's account, then the default)."""

    closed: Bool | None = Field(default=None, description="No new comments")
    followers_only: Bool | None = Field(default=None, description="Only the owner's followers may comment")
    approval: Bool | None = Field(
        default=None, description="Hold every new comment for approval (精选); default on for organisation accounts"
    )

    def settings(self) -> CommentSettings:
        return CommentSettings(closed=self.closed, followers_only=self.followers_only, approval=self.approval)


class CommentPolicyRead(BaseModel):
    closed: bool
    followers_only: bool
    approval: bool


class CommentSettingsRead(BaseModel):
    """As set (null: not set) and in force (MB-10.2, PA-12)."""

    closed: bool | None
    followers_only: bool | None
    approval: bool | None
    in_force: CommentPolicyRead
    organisation: bool = Field(description="A verified organisation account (approval and delegation by default)")


def settings_read(settings: CommentSettings, policy: CommentPolicy, *, organisation: bool) -> CommentSettingsRead:
    return CommentSettingsRead(
        closed=settings.closed,
        followers_only=settings.followers_only,
        approval=settings.approval,
        in_force=CommentPolicyRead(
            closed=policy.closed, followers_only=policy.followers_only, approval=policy.approval
        ),
        organisation=organisation,
    )


class DelegateRead(BaseModel):
    account_id: str
    named_at: datetime


def delegate_read(row: Mapping[str, Any]) -> DelegateRead:
    return DelegateRead(account_id=str(row["delegate_id"]), named_at=row["named_at"])


class FeatureRestrictionCreate(RequestModel):
    account_id: uuid.UUID
    features: list[Feature] = Field(min_length=1, max_length=3, description="comments, reposts, likes")
    reason: VisibleText = Field(max_length=2000, description="The statement of reasons shown to the account")
    until: datetime | None = Field(default=None, description="When it ends; null: until lifted")
    legal_basis: list[Text] = Field(
        default_factory=lambda: ["PA-12.2"], min_length=1, max_length=20, description="Requirement IDs"
    )


class FeatureRestrictionLift(RequestModel):
    reason: VisibleText = Field(max_length=2000)


class FeatureRestrictionRead(BaseModel):
    id: str
    account_id: str
    features: list[str]
    reason: str
    legal_basis: list[str]
    until: datetime | None
    created_by: str
    created_at: datetime
    lifted_at: datetime | None = None
    lifted_by: str | None = None
    lift_reason: str | None = None


def restriction_read(row: Mapping[str, Any]) -> FeatureRestrictionRead:
    return FeatureRestrictionRead(
        id=str(row["id"]),
        account_id=str(row["account_id"]),
        features=list(row["features"]),
        reason=row["reason"],
        legal_basis=list(row["legal_basis"]),
        until=row["until"],
        created_by=row["created_by"],
        created_at=row["created_at"],
        lifted_at=row["lifted_at"],
        lifted_by=row["lifted_by"],
        lift_reason=row["lift_reason"],
    )


class LimitRead(BaseModel):
    limit: str
    requirement: str = Field(description="PA-6.2: the credit level's; PA-13.1: a sanction's")


class RestrictionsRead(BaseModel):
    """What limits the account's features (PA-6.2, PA-13.1, PA-12.2)."""

    credit_level: str | None
    limits: list[LimitRead]
    suspended_until: datetime | None
    feature_restrictions: list[FeatureRestrictionRead]
