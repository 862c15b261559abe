"""What identity and content tell moderation about an author (MB-9): each fact names only what it knows."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class AuthorFacts:
    account_id: uuid.UUID
    registered_at: datetime | None = None  # aware, UTC
    province_code: str | None = None
    credit: int | None = None
    grade: int | None = None
    review_mode: str | None = None  # the grade's review privilege (MB-9, PA-7.2): publish_then_check or hold

    def known(self) -> dict[str, object]:
        """The facts this event states (the others stay as they were)."""
        return {
            name: value
            for name, value in (
                ("registered_at", self.registered_at),
                ("province_code", self.province_code),
                ("credit", self.credit),
                ("grade", self.grade),
                ("review_mode", self.review_mode),
            )
            if value is not None
        }


@dataclass(frozen=True, slots=True)
class FollowerCount:
    """What content counts of an author's followers (MB-9, MB-6.1: high-reach routing), ordered by
    its version: an older one is stale."""

    account_id: uuid.UUID
    followers: int
    version: int
