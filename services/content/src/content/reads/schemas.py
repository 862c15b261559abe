"""HTTP views of article reads (MB-9, CM)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ArticleReadsRead(BaseModel):
    article_id: str
    account_id: str
    reads: int = Field(description="Counted (weighted) reads: what the article shows")
    flagged_reads: int = Field(description="Reads discounted to weight 0 (CM)")
    flagged_by_reason: dict[str, int] = Field(
        description="Discounted reads still on record, by reason: bulk_registration, new_account, reader_daily_cap"
    )
