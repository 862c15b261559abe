from __future__ import annotations

from pathlib import Path

from kit.settings import KitSettings
from pydantic import Field

SAMPLE_LEXICON = Path(__file__).parent / "data" / "lexicon.tsv"


class ModerationSettings(KitSettings):
    service_name: str = "moderation"
    lexicon_path: Path = SAMPLE_LEXICON
    # New posts are on the user-visible path: a short fetch wait keeps decision latency low.
    post_fetch_max_wait_ms: int = Field(default=10, ge=1)
    # A stop-transmission the regulator gateway has not confirmed is announced again after this long.
    report_confirm_after_s: float = Field(default=30.0, gt=0)
    reconcile_interval_s: float = Field(default=5.0, gt=0)
