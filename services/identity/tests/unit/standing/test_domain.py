"""identity/standing/domain.py: credit, the sanctions ladder and grades (MB-9, MB-15, PA-13.1)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from identity.standing.domain import DEFAULT, CreditPolicy, Limit, SanctionKind, good_standing_due, standing

NOW = datetime(2026, 6, 1, tzinfo=UTC)


@pytest.mark.requirement("PA-13.1")
def test_the_ladder_climbs_with_the_stops_in_the_window() -> None:
    policy = CreditPolicy()
    assert [policy.step_for(n).kind for n in (1, 2, 3, 4, 9)] == [
        SanctionKind.WARNING,
        SanctionKind.RESTRICT,
        SanctionKind.SUSPEND,
        SanctionKind.CLOSE,
        SanctionKind.CLOSE,
    ]


@pytest.mark.requirement("MB-9")
def test_standing_joins_level_limits_sanctions_and_grade() -> None:
    policy = CreditPolicy()
    until = NOW + timedelta(days=30)
    view = standing(
        policy,
        deltas=[-10, -10, -10],
        subject_deltas=[-10, -10, -10, -2],
        subject_accounts=2,
        sanctions=[{"features": ["no_comments"], "kind": "suspend_updates", "ends_at": until}],
        account={
            "closed_at": None,
            "standing_version": 3,
            "followers": 0,
            "reads": 0,
            "verified_type": None,
            "subject_type": "individual",
        },
        rules_version=1,
        rules=DEFAULT,
    )
    assert (view["credit_score"], view["credit_level"], view["subject_credit_score"]) == (90, "B", 88)
    assert Limit.NO_COMMENTS in view["limits"] and view["suspended_until"] == until
    # PA-13.1: which limits the sanctions impose, announced so refusals name the right requirement
    assert Limit.NO_COMMENTS in view["sanction_limits"] and Limit.NO_TRENDING not in view["sanction_limits"]
    assert view["grade"] == 1


@pytest.mark.requirement("MB-15")
def test_a_week_without_entries_restores_a_point_up_to_the_start() -> None:
    policy = CreditPolicy()
    assert good_standing_due(policy, NOW - timedelta(days=8), 100, NOW)
    assert not good_standing_due(policy, NOW - timedelta(days=6), 100, NOW)
    assert not good_standing_due(policy, NOW - timedelta(days=8), policy.start, NOW)
