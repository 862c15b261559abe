"""Credit, levels and the sanctions ladder (MB-9, MB-15, PA-6.2, PA-13.1), free of I/O. All of it is
configuration (`CreditPolicy`, from the environment as JSON), not code.

The default follows Weibo's published credit rule: an account starts at 120 points; limits step in
below 110 / 90 / 80 / 70 / 60; at 0 it may not post; a week in good standing restores a point, up to
the start. A stop of transmission costs points and climbs the sanctions ladder by how many the
account had in the look-back window: a warning, then feature restrictions, then a suspension of
updates, then closure and the blacklisting of the subject behind it (PA-13.2).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, Field


class Limit(StrEnum):
    NO_TRENDING = "no_trending"  # not recommended or shown in trending lists
    POSTS_REVIEWED = "posts_reviewed"  # every post held for review (moderation reads the level)
    NO_REPOSTS = "no_reposts"
    NO_COMMENTS = "no_comments"
    NO_POSTING = "no_posting"


class CreditLevel(BaseModel):
    name: str
    min_score: int
    limits: list[Limit] = Field(default_factory=list)


class SanctionKind(StrEnum):
    WARNING = "warning"  # warning and rectification
    RESTRICT = "restrict_features"
    SUSPEND = "suspend_updates"
    CLOSE = "close"


class LadderStep(BaseModel):
    """The sanction for an account's n-th stop of transmission within the look-back window."""

    at_count: int = Field(ge=1)
    kind: SanctionKind
    days: float | None = None  # None: until lifted (closure is permanent)
    features: list[Limit] = Field(default_factory=list)


class CreditPolicy(BaseModel):
    start: int = 120
    levels: list[CreditLevel] = Field(
        default_factory=lambda: [
            CreditLevel(name="A", min_score=110),
            CreditLevel(name="B", min_score=90, limits=[Limit.NO_TRENDING]),
            CreditLevel(name="C", min_score=80, limits=[Limit.NO_TRENDING, Limit.POSTS_REVIEWED]),
            CreditLevel(name="D", min_score=70, limits=[Limit.NO_TRENDING, Limit.POSTS_REVIEWED, Limit.NO_REPOSTS]),
            CreditLevel(
                name="E",
                min_score=60,
                limits=[Limit.NO_TRENDING, Limit.POSTS_REVIEWED, Limit.NO_REPOSTS, Limit.NO_COMMENTS],
            ),
            CreditLevel(
                name="low_credit",
                min_score=1,
                limits=[Limit.NO_TRENDING, Limit.POSTS_REVIEWED, Limit.NO_REPOSTS, Limit.NO_COMMENTS],
            ),
            CreditLevel(name="banned", min_score=-(10**6), limits=[Limit.NO_POSTING]),
        ]
    )
    # Points per cause; a stop of transmission is the moderation decision (MB-12.2).
    penalties: dict[str, int] = Field(
        default_factory=lambda: {"stop_transmission": -10, "rumour": -5, "complaint_upheld": -2}
    )
    restore_points: int = 1
    restore_after_days: float = 7.0
    ladder_window_days: float = 90.0
    ladder: list[LadderStep] = Field(
        default_factory=lambda: [
            LadderStep(at_count=1, kind=SanctionKind.WARNING),
            LadderStep(at_count=2, kind=SanctionKind.RESTRICT, days=7, features=[Limit.NO_REPOSTS, Limit.NO_COMMENTS]),
            LadderStep(at_count=3, kind=SanctionKind.SUSPEND, days=30),
            LadderStep(at_count=4, kind=SanctionKind.CLOSE),
        ]
    )

    def score(self, deltas: list[int]) -> int:
        """The score after these ledger entries: never above the start, never below zero."""
        score = self.start
        for delta in deltas:
            score = max(0, min(self.start, score + delta))
        return score

    def level(self, score: int) -> CreditLevel:
        for level in sorted(self.levels, key=lambda lv: -lv.min_score):
            if score >= level.min_score:
                return level
        return self.levels[-1]

    def step_for(self, stops_in_window: int) -> LadderStep:
        """The ladder step for the n-th stop (the last step repeats beyond the ladder's end)."""
        steps = sorted(self.ladder, key=lambda s: s.at_count)
        chosen = steps[0]
        for step in steps:
            if stops_in_window >= step.at_count:
                chosen = step
        return chosen

    def ends_at(self, step: LadderStep, now: datetime) -> datetime | None:
        return now + timedelta(days=step.days) if step.days is not None else None
