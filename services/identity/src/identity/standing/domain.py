"""An account's standing, free of I/O (MB-9, MB-15, PA-6.2, PA-13): credit, levels and the sanctions
ladder, and graded management. All of it is configuration or data (`CreditPolicy` from the
environment as JSON; `GradingRules` versioned, published by the chief editor), not code.

Credit: the default follows Weibo's published credit rule: an account starts at 120 points; limits step
in below 110 / 90 / 80 / 70 / 60; at 0 it may not post; a week in good standing restores a point, up to
the start. A stop of transmission costs points and climbs the sanctions ladder by how many the
account had in the look-back window: a warning, then feature restrictions, then a suspension of
updates, then closure and the blacklisting of the subject behind it (PA-13.2).

Grades (MB-9, PA-6.2, PA-7.2): an account's grade from its subject type, verified status, followers,
reads and credit; the highest grade whose every condition holds is the account's.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from kit.inputs import Bool, Int, RequestModel, Text, VisibleText
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
    BLACKLIST = "blacklist"  # a closure with the subject blacklisted (PA-13.2; a manual one, issue 14)


# PA-13 (issue 15): the sanctions the regulator of the account's province is told of, and told again of when
# lifted; warnings and feature restrictions stay the platform's own record.
REPORTED_SANCTIONS = frozenset({SanctionKind.SUSPEND, SanctionKind.CLOSE, SanctionKind.BLACKLIST})


def report_version_due(kind: str, lifted: bool) -> int:
    """The version of a sanction's report the regulator gateway must hold: 0 for one it is not told of, 1 as
    imposed, 2 once lifted (the amendment)."""
    if SanctionKind(kind) not in REPORTED_SANCTIONS:
        return 0
    return 2 if lifted else 1


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


class ReviewMode(StrEnum):
    """How strictly a grade's publications are reviewed (MB-9, PA-7.2, MB-6.1)."""

    PUBLISH_THEN_CHECK = "publish_then_check"
    HOLD = "hold"


class GradeFeature(StrEnum):
    """Features a grade may open (MB-9): comments on a public account's articles, a place on the trending list."""

    ARTICLE_COMMENTS = "article_comments"
    TRENDING_LISTED = "trending_listed"


class GradePrivileges(RequestModel):
    """What a grade allows (MB-9, PA-7.2): data in the filed grading rules, announced with every standing.
    The defaults are grade 1's: publish then check, 200 posts, 1 article and 1 push (the daily mass send)
    a day, pushing to subscribers, comments on articles, and a say in the trending list (an account whose
    grade lacks `trending_listed` weighs 0 there, as one under the `no_trending` limit does)."""

    review: ReviewMode = ReviewMode.PUBLISH_THEN_CHECK
    daily_posts: Int = Field(default=200, ge=0, le=1_000_000)
    daily_articles: Int = Field(default=1, ge=0, le=1_000_000)
    daily_pushes: Int = Field(default=1, ge=0, le=1_000_000)
    push_to_subscribers: Bool = True
    features: list[GradeFeature] = Field(
        default_factory=lambda: [GradeFeature.ARTICLE_COMMENTS, GradeFeature.TRENDING_LISTED], max_length=10
    )


# No rule matches (MB-9): grade 0 is held for review, 20 posts a day, no articles, no push, no features.
NO_GRADE_PRIVILEGES = GradePrivileges(
    review=ReviewMode.HOLD, daily_posts=20, daily_articles=0, daily_pushes=0, push_to_subscribers=False, features=[]
)


class GradeRule(RequestModel):
    grade: Int = Field(ge=0, le=100)
    name: VisibleText = Field(max_length=200)
    min_credit: Int = 0
    min_followers: Int = 0
    min_reads: Int = 0
    subject_types: list[Text] = Field(default_factory=list, max_length=20)  # empty: any
    verified_types: list[Text] = Field(default_factory=list, max_length=20)  # empty: verified or not
    requires_verified: Bool = False
    # Issue 13 (PA-7.2): the kind of account (user, public), of public account (media, government, ...) and
    # its content category (news, ...); empty: any.
    account_kinds: list[Text] = Field(default_factory=list, max_length=2)
    public_account_kinds: list[Text] = Field(default_factory=list, max_length=10)
    content_categories: list[Text] = Field(default_factory=list, max_length=10)
    privileges: GradePrivileges = Field(default_factory=GradePrivileges)

    def holds_for(self, account: Mapping[str, Any]) -> bool:
        def among(allowed: list[str], value: Any) -> bool:
            return not allowed or value in allowed

        return (
            account["credit"] >= self.min_credit
            and account["followers"] >= self.min_followers
            and account["reads"] >= self.min_reads
            and among(self.subject_types, account.get("subject_type"))
            and (not self.requires_verified or account.get("verified_type") is not None)
            and among(self.verified_types, account.get("verified_type"))
            and among(self.account_kinds, account.get("account_kind") or "user")
            and among(self.public_account_kinds, account.get("public_account_kind"))
            and among(self.content_categories, account.get("content_category"))
        )


class GradingRules(RequestModel):
    rules: list[GradeRule] = Field(min_length=1, max_length=100)

    def graded(self, account: Mapping[str, Any]) -> tuple[int, GradePrivileges]:
        """The highest grade whose every condition holds, with its privileges (the first rule of that grade);
        none: grade 0 with NO_GRADE_PRIVILEGES."""
        best: GradeRule | None = None
        for rule in self.rules:
            if rule.holds_for(account) and (best is None or rule.grade > best.grade):
                best = rule
        return (best.grade, best.privileges) if best else (0, NO_GRADE_PRIVILEGES)

    def grade_of(self, account: Mapping[str, Any]) -> int:
        return self.graded(account)[0]


_MORE_ARTICLES = GradePrivileges(daily_articles=5)

DEFAULT = GradingRules(
    rules=[
        GradeRule(grade=1, name="ordinary", min_credit=60),
        GradeRule(grade=2, name="trusted", min_credit=110, privileges=_MORE_ARTICLES),
        GradeRule(grade=3, name="verified", min_credit=90, requires_verified=True, privileges=_MORE_ARTICLES),
        GradeRule(
            grade=4,
            name="high reach",
            min_credit=110,
            requires_verified=True,
            min_followers=100_000,
            # Duty of care grows with reach (CM): held for review before it is shown.
            privileges=GradePrivileges(review=ReviewMode.HOLD, daily_articles=5),
        ),
        GradeRule(
            grade=5,
            name="institutional",
            min_credit=90,
            verified_types=["government", "media", "public_institution"],
            privileges=_MORE_ARTICLES,
        ),
    ]
)


def grading_changed(last: tuple[int | None, GradePrivileges | None], now: tuple[int, GradePrivileges]) -> bool:
    """MB-9, PA-7.2: whether an account's standing must be announced again after a regrading. ``last``: the
    grade last announced and the privileges that came with it (those of the rules it was last graded by;
    None when unknown: never graded); ``now``: the grade and privileges under the rules in force. New rules
    may change a grade's privileges (review, quotas, push, features) while the grade stays: content and
    moderation must learn them too."""
    grade, privileges = last
    return grade != now[0] or privileges is None or privileges != now[1]


# The causes of credit entries; a stop of transmission is moderation's decision (MB-12.2).
STOP_CAUSES = ("stop_transmission", "rumour")
SANCTION_BASIS = ["PA-13.1", "BJ-7(8)"]


def stop_cause(category_is_rumour: bool) -> str:
    return "rumour" if category_is_rumour else "stop_transmission"


def standing(
    policy: CreditPolicy,
    *,
    deltas: list[int],
    subject_deltas: list[int],
    subject_accounts: int,
    sanctions: list[Mapping[str, Any]],
    account: Mapping[str, Any],
    rules_version: int,
    rules: GradingRules,
) -> dict[str, Any]:
    """Score, level and the limits in force, sanctions, grade: for the holder and for the event.
    ``sanctions``: the ones in force; ``account``: closed_at, standing_version, followers, reads,
    verified_type, subject_type."""
    score = policy.score(deltas)
    level = policy.level(score)
    grade, privileges = rules.graded({**dict(account), "credit": score})
    limits = set(level.limits)
    sanction_limits: set[Limit] = set()
    suspended_until = None
    for sanction in sanctions:
        sanction_limits.update(Limit(f) for f in sanction["features"])
        if sanction["kind"] == SanctionKind.SUSPEND:
            suspended_until = max(filter(None, [suspended_until, sanction["ends_at"]]), default=None)
    return {
        "credit_score": score,
        "credit_level": level.name,
        "limits": sorted(limits | sanction_limits),
        "sanction_limits": sorted(sanction_limits),
        "subject_credit_score": policy.score(subject_deltas),
        "subject_accounts": subject_accounts,
        "suspended_until": suspended_until,
        "closed": account["closed_at"] is not None,
        "version": account["standing_version"],
        "followers": account["followers"],
        "grade": grade,
        "privileges": privileges,
        "grading_rules_version": rules_version,
        "sanctions": sanctions,
        "account_kind": account.get("account_kind") or "user",
    }


def good_standing_due(policy: CreditPolicy, last_entry_at: datetime, score: int, now: datetime) -> bool:
    """MB-15, PA-6.2: a week (by default) without a new entry restores a point, up to the start."""
    return last_entry_at <= now - timedelta(days=policy.restore_after_days) and score < policy.start


class JobKind(StrEnum):
    """Identity's long jobs (kit.jobs)."""

    # MB-9: the regrading of every account when new grading rules are published.
    REGRADE = "grading.regrade"


REGRADING_JOB = JobKind.REGRADE
