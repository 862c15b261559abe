from __future__ import annotations

from pathlib import Path

from kit.settings import KitSettings
from pydantic import Field

SAMPLE_LEXICON = Path(__file__).parent / "data" / "lexicon.tsv"


class ModerationSettings(KitSettings):
    service_name: str = "moderation"
    # The lexicon a new database starts with (release 1); every later change is approved in the admin API.
    lexicon_seed_path: Path = SAMPLE_LEXICON
    # Routing rules a new database starts with (MB-9); later changes are approved like lexicon changes.
    routing_review_below_credit: int = 90
    routing_new_account_hours: float = Field(default=24.0, ge=0)
    routing_high_reach_followers: int = Field(default=1_000_000, ge=1)
    # Rumour matching (MB-11): MinHash LSH over character shingles of the folded text.
    rumour_jaccard: float = Field(default=0.5, gt=0, le=1)
    rumour_containment: float = Field(default=0.7, gt=0, le=1)
    rumour_lsh_threshold: float = Field(default=0.3, gt=0, le=1)
    rumour_shingle_chars: int = Field(default=2, ge=1, le=8)
    rumour_num_perm: int = Field(default=128, ge=16, le=1024)
    # Retro-scan of published posts when a rumour is registered: rows per step and idle poll.
    retro_scan_chunk: int = Field(default=20_000, ge=100)
    retro_scan_poll_s: float = Field(default=1.0, gt=0)
    retro_scan_stale_after_s: float = Field(default=60.0, gt=0)
    # The lexicon as TSV (MB-12): the export reads this many entries per query; an import takes parts of at
    # most this many bytes (the gateway's body limit is 1 MiB) and this many parts.
    lexicon_export_chunk: int = Field(default=5_000, ge=100)
    lexicon_import_part_max_bytes: int = Field(default=1_048_576, ge=1024)
    lexicon_import_max_parts: int = Field(default=256, ge=1, le=100_000)
    # The measured recall and false positives of each proposed lexicon change and release (issue 16, MB-6.1):
    # clean sentences per corpus source (None: all, ~219,000 in all), stop/review entries whose variants are
    # generated (a seeded sample beyond), the worker's idle poll and the takeover of an abandoned evaluation.
    lexicon_eval_corpus_limit: int | None = Field(default=None, ge=1)
    lexicon_eval_max_entries: int = Field(default=2_000, ge=1)
    lexicon_eval_poll_s: float = Field(default=1.0, gt=0)
    lexicon_eval_stale_after_s: float = Field(default=600.0, gt=0)
    # Each process re-reads the policy versions this often, in case a policy event was lost.
    policy_refresh_interval_s: float = Field(default=10.0, gt=0)
    # New posts are on the user-visible path: a short fetch wait keeps decision latency low.
    post_fetch_max_wait_ms: int = Field(default=10, ge=1)
    # A stop-transmission the regulator gateway has not confirmed is announced again after this long.
    report_confirm_after_s: float = Field(default=30.0, gt=0)
    reconcile_interval_s: float = Field(default=5.0, gt=0)
