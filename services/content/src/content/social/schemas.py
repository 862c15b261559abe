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
