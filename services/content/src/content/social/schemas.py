"""HTTP views of the social graph (MB-2), and the rows they are built from."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class RelationshipRead(BaseModel):
    """An account's counts and how the caller stands to it (the *_me fields false when anonymous)."""

    account_id: str
    followers: int
    following: int
    followed_by_me: bool = Field(description="The caller follows this account")
    follows_me: bool = Field(description="This account follows the caller")
    blocked_by_me: bool = Field(description="The caller blocks this account")


class FollowRead(BaseModel):
    account_id: str
    followed_at: datetime


class BlockRead(BaseModel):
    account_id: str
    blocked_at: datetime


def relationship_read(account_id: uuid.UUID, row: Mapping[str, Any]) -> RelationshipRead:
    return RelationshipRead(
        account_id=str(account_id),
        followers=row["followers"],
        following=row["following"],
        followed_by_me=row["followed_by_me"],
        follows_me=row["follows_me"],
        blocked_by_me=row["blocked_by_me"],
    )


def follow_read(row: Mapping[str, Any]) -> FollowRead:
    return FollowRead(account_id=str(row["account_id"]), followed_at=row["at"])


def block_read(row: Mapping[str, Any]) -> BlockRead:
    return BlockRead(account_id=str(row["account_id"]), blocked_at=row["at"])


# --- subscriptions (S4, issue 13) ---------------------------------------------------------------------


class SubscriptionRead(BaseModel):
    """A public account's subscriber count (its followers) and whether the caller subscribes to it."""

    public_account_id: str
    subscribers: int
    subscribed: bool = Field(description="The caller subscribes (false when anonymous)")


class SubscribedRead(BaseModel):
    """A public account the caller subscribes to."""

    public_account_id: str
    name: str
    label: str = Field(description="Its kind label (分类加注标识, PA-7.1)")
    subscribed_at: datetime


def subscription_read(account_id: uuid.UUID, row: Mapping[str, Any]) -> SubscriptionRead:
    return SubscriptionRead(
        public_account_id=str(account_id), subscribers=row["followers"], subscribed=row["followed_by_me"]
    )


def subscribed_read(row: Mapping[str, Any]) -> SubscribedRead:
    return SubscribedRead(
        public_account_id=str(row["account_id"]), name=row["name"], label=row["label"], subscribed_at=row["at"]
    )
