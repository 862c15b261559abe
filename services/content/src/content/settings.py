from __future__ import annotations

from kit.settings import KitSettings
from pydantic import Field


class ContentSettings(KitSettings):
    service_name: str = "content"
    post_max_chars: int = Field(default=2000, ge=1)
    # MB-16.2: a deleted post is kept as a record at least six months before it is purged.
    deleted_retention_days: float = Field(default=184, ge=184)
    # The reconciler announces a post again when it has waited this long for a decision.
    reannounce_after_s: float = Field(default=30.0, gt=0)
    reconcile_interval_s: float = Field(default=5.0, gt=0)
    # PA-9.2: how often withdrawn posts past their retention are deleted.
    purge_interval_s: float = Field(default=3600.0, gt=0)
    # Decisions are on the user-visible path: a short fetch wait keeps latency low.
    decision_fetch_max_wait_ms: int = Field(default=10, ge=1)
    # MB-2 timelines: an account with at least this many followers is not fanned out on write; its posts
    # are merged into its followers' home timelines when they are read (FANOUT_MAX_FOLLOWERS).
    fanout_max_followers: int = Field(default=10_000, ge=1)
    # A new follow brings this many of the followee's recent posts into the follower's home timeline.
    timeline_backfill: int = Field(default=20, ge=0)
    # A home timeline keeps this many fanned-out entries (it reaches back that far, like Twitter's 800);
    # a periodic pass drops older ones, a batch of owners per transaction.
    timeline_max_entries: int = Field(default=800, ge=1)
    timeline_trim_interval_s: float = Field(default=600.0, gt=0)
    timeline_trim_batch: int = Field(default=200, ge=1)
