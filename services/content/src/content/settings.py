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
