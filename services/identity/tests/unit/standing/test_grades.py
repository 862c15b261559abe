"""Grades that bite (MB-9, PA-7.2): the privileges of a grade are data in the grading rules."""

from __future__ import annotations

import pytest
from identity.standing.domain import DEFAULT, NO_GRADE_PRIVILEGES, GradeRule, GradingRules, ReviewMode


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
