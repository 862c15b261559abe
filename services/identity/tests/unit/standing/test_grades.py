"""Grades that bite (MB-9, PA-7.2): the privileges of a grade are data in the grading rules."""

from __future__ import annotations

import pytest
from identity.standing.domain import (
    DEFAULT,
    NO_GRADE_PRIVILEGES,
    GradeRule,
    GradingRules,
    ReviewMode,
    grading_changed,
)


def account(**facts: object) -> dict:
    return {"credit": 120, "followers": 0, "reads": 0, "subject_type": "individual", "verified_type": None, **facts}


@pytest.mark.requirement("MB-9")
def test_no_matching_rule_is_grade_zero_held_with_no_articles() -> None:
    grade, privileges = DEFAULT.graded(account(credit=10))
    assert grade == 0 and privileges == NO_GRADE_PRIVILEGES
    assert (
        privileges.review is ReviewMode.HOLD and privileges.daily_articles == 0 and not privileges.push_to_subscribers
    )


@pytest.mark.requirement("MB-9")
def test_the_default_rules_give_grade_one_a_daily_push_and_high_reach_a_hold() -> None:
    grade, privileges = DEFAULT.graded(account(credit=70))
    assert grade == 1 and privileges.push_to_subscribers and privileges.daily_pushes == 1
    assert privileges.daily_articles == 1 and privileges.review is ReviewMode.PUBLISH_THEN_CHECK
    assert DEFAULT.graded(account(credit=115))[1].daily_articles == 5
    reach, held = DEFAULT.graded(account(credit=115, verified_type="enterprise", followers=200_000))
    assert reach == 4 and held.review is ReviewMode.HOLD


@pytest.mark.requirement("PA-7.2")
def test_rules_may_name_the_kind_of_account_public_account_and_category() -> None:
    rules = GradingRules(
        rules=[
            GradeRule(grade=1, name="ordinary"),
            GradeRule(
                grade=3,
                name="news media",
                account_kinds=["public"],
                public_account_kinds=["media"],
                content_categories=["news"],
                privileges={"daily_articles": 10},
            ),
        ]
    )
    assert rules.grade_of(account()) == 1
    media = account(account_kind="public", public_account_kind="media", content_category="news")
    assert rules.graded(media)[0] == 3 and rules.graded(media)[1].daily_articles == 10
    assert rules.grade_of({**media, "content_category": "culture"}) == 1


@pytest.mark.requirement("MB-9")
@pytest.mark.requirement("PA-7.2")
def test_a_change_of_privileges_alone_is_announced_like_a_change_of_grade() -> None:
    facts = account(credit=70)
    last = DEFAULT.graded(facts)  # grade 1: one article a day
    more = DEFAULT.model_copy(deep=True)
    more.rules[0].privileges.daily_articles = 3
    renamed = DEFAULT.model_copy(deep=True)
    renamed.rules[0].name = "ordinary, renamed"
    assert not grading_changed(last, DEFAULT.graded(facts))
    assert not grading_changed(last, renamed.graded(facts))  # the same grade and privileges: nothing new
    assert more.graded(facts)[0] == last[0] and grading_changed(last, more.graded(facts))  # the quota alone
    assert grading_changed(last, DEFAULT.graded(account(credit=115)))  # grade 2
    assert grading_changed((None, None), last)  # never graded
    assert grading_changed((1, None), last)  # graded by rules not recorded: the privileges are unknown
