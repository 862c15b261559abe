from __future__ import annotations

from pathlib import Path
from typing import Literal

from kit.settings import KitSettings
from pydantic import Field, SecretStr, model_validator


class ContentSettings(KitSettings):
    service_name: str = "content"
    post_max_chars: int = Field(default=2000, ge=1)
    # MB-16.2: a deleted post is kept as a record at least six months before it is purged.
    deleted_retention_days: float = Field(default=184, ge=184)
    # The reconciler announces a post again when it has waited this long for a decision.
    reannounce_after_s: float = Field(default=30.0, gt=0)
    reconcile_interval_s: float = Field(default=5.0, gt=0)
    # MB-12.2: a stop's sealed snapshot is announced again when the regulator gateway has not said it holds it
    # as the report's evidence within this long (at once after a broker loss).
    evidence_reannounce_after_s: float = Field(default=60.0, gt=0)
    # PA-9.2: how often withdrawn posts past their retention are deleted.
    purge_interval_s: float = Field(default=3600.0, gt=0)
    # Decisions are on the user-visible path: a short fetch wait keeps latency low.
    decision_fetch_max_wait_ms: int = Field(default=10, ge=1)

    # --- media (MB-2), content.media --------------------------------------------------------------
    # The largest medium taken, in bytes. The gateway's media route takes bodies this large (devstack
    # passes one value to both: tools/devstack MEDIA_MAX_BYTES; deploy/gateway/dynamic.yml).
    media_max_bytes: int = Field(default=20 * 2**20, ge=1)
    # Abuse limits: what one account may upload in a (Beijing) day.
    media_uploads_per_day: int = Field(default=200, ge=1)
    media_bytes_per_day: int = Field(default=2 * 2**30, ge=1)
    # Where the bytes live: "local" files under media_dir (development), or an S3-compatible bucket.
    media_storage: Literal["local", "s3"] = "local"
    media_dir: Path = Path(".run/media")
    media_s3_bucket: str = ""
    media_s3_endpoint: str = Field(default="", description="empty: AWS; else the S3-compatible server's URL")
    media_s3_region: str = "us-east-1"
    media_s3_access_key_id: str = ""
    media_s3_secret_access_key: SecretStr | None = None
    media_s3_allow_http: bool = False
    media_s3_virtual_hosted_style: bool = False

    @model_validator(mode="after")
    def _media_storage_usable(self) -> ContentSettings:
        if self.media_storage == "s3" and not self.media_s3_bucket:
            raise ValueError("media_storage=s3 needs MEDIA_S3_BUCKET")
        if self.is_production and self.media_storage == "local":
            # Every replica must serve every medium: production keeps them in an object store.
            raise ValueError("production keeps media in an S3-compatible store (MEDIA_STORAGE=s3)")
        return self

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

    # --- S4 (issue 13): article reads (MB-9, PA-7.2, CM), content.reads ---------------------------------
    # A reader whose account (the token's `reg`) is younger than this reads with weight 0 (flag new_account).
    read_min_account_age_h: float = Field(default=24, ge=0)
    # Weighted reads counted per reader per Beijing day; beyond, weight 0 (flag reader_daily_cap).
    reads_counted_per_reader_per_day: int = Field(default=300, ge=1)
    # How often the aggregator adds uncounted reads to the counts, and how many it claims at a time.
    read_aggregate_interval_s: float = Field(default=2.0, gt=0)
    read_aggregate_batch: int = Field(default=5000, ge=1)
    # At most this often per account a changed read count is announced (ReadCountChanged) to identity.
    read_announce_interval_s: float = Field(default=60.0, gt=0)
    # A reader flagged as registered in bulk has their reads of this many days re-weighted to 0.
    read_reflag_days: int = Field(default=7, ge=0)
    # MB-16.2: reader ids are user log data, kept at least six months; then the rows go (counts stay).
    reads_retention_days: float = Field(default=184, ge=184)

    # --- S4 (issue 13): the trending list (热搜, MB-13, CM, MB-12.2), content.trending -------------------
    trending_interval_s: float = Field(default=60.0, gt=0)
    trending_window_min: float = Field(default=60.0, gt=0)
    trending_size: int = Field(default=50, ge=1, le=500)
    trending_min_authors: int = Field(default=5, ge=1)
    trending_min_account_age_h: float = Field(default=72, ge=0)
    trending_burst_keep: int = Field(default=5, ge=0)
    trending_burst_seconds: float = Field(default=120.0, gt=0)
    trending_burst_share: float = Field(default=0.5, gt=0, le=1)
    trending_burst_weight: float = Field(default=0.1, ge=0, le=1)
    trending_signal_retention_h: float = Field(default=48.0, gt=0)
    # --- articles (issue 13 §2, §4), content.articles --------------------------------------------------
    # PA-11: an article's title, and its length in moderation characters (text, alt/title values, links).
    article_title_max_chars: int = Field(default=64, ge=1)
    article_max_chars: int = Field(default=20_000, ge=1)
    article_drafts_per_account: int = Field(default=100, ge=1)
    # MB-9: count the grade's daily posts (posts, reposts, comments) and refuse over them (403 `quota-reached`).
    post_quota_enforced: bool = True
    # PA-12.2: pinned comments per thread.
    comment_pins_per_thread: int = Field(default=3, ge=0)
