"""identity/sanctions/domain.py: the ladder by role, the terms of a manual sanction, the appeal window and
who may decide an appeal (PA-13.1, PA-13.2, PA-6.2, MB-6.1)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from identity.sanctions.domain import (
    AppealWindowClosed,
    ManualKind,
    SanctionNotYours,
    check_appealable_entry,
    check_may_decide,
    check_may_impose,
    check_may_lift,
    check_open,
    check_within_window,
    imposer,
    in_force,
    terms,
)
from identity.standing.domain import Limit, SanctionKind
from kit.problems import Conflict, InvalidInput

NOW = datetime(2026, 6, 1, tzinfo=UTC)
WINDOW = timedelta(days=20)


@pytest.mark.requirement("PA-13.1")
@pytest.mark.requirement("MB-6.1")
@pytest.mark.parametrize(
    ("kind", "admitted"),
    [
        (ManualKind.WARNING, {"reviewer", "senior_reviewer", "chief_editor"}),
        (ManualKind.FEATURE_RESTRICTION, {"senior_reviewer", "chief_editor"}),
        (ManualKind.SUSPENSION, {"senior_reviewer", "chief_editor"}),
        (ManualKind.CLOSURE, {"chief_editor"}),
        (ManualKind.BLACKLIST, {"chief_editor"}),
    ],
)
def test_the_ladder_by_role(kind: ManualKind, admitted: set[str]) -> None:
    for role in ("reviewer", "senior_reviewer", "chief_editor", "operator", "auditor"):
        if role in admitted:
            check_may_impose(kind, [role])
        else:
            with pytest.raises(SanctionNotYours) as refused:
                check_may_impose(kind, [role])
            expected = "MB-6.1" if kind in (ManualKind.CLOSURE, ManualKind.BLACKLIST) else "PA-13.1"
            assert refused.value.requirement == expected


@pytest.mark.requirement("MB-6.1")
def test_a_closure_or_a_blacklisting_is_lifted_by_the_chief_editor_only() -> None:
    for kind in (SanctionKind.CLOSE, SanctionKind.BLACKLIST):
        check_may_lift(kind, ["chief_editor"])
        with pytest.raises(SanctionNotYours):
            check_may_lift(kind, ["senior_reviewer"])
    for kind in (SanctionKind.WARNING, SanctionKind.RESTRICT, SanctionKind.SUSPEND):
        check_may_lift(kind, ["senior_reviewer"])
        with pytest.raises(SanctionNotYours):
            check_may_lift(kind, ["reviewer"])


@pytest.mark.requirement("PA-13.1")
def test_terms_need_a_bounded_duration_and_features_where_they_belong() -> None:
    stored, features, ends = terms(
        ManualKind.FEATURE_RESTRICTION, duration_days=7, features=[Limit.NO_COMMENTS, Limit.NO_COMMENTS], now=NOW
    )
    assert (stored, features, ends) == (SanctionKind.RESTRICT, [Limit.NO_COMMENTS], NOW + timedelta(days=7))
    assert terms(ManualKind.SUSPENSION, duration_days=30, features=[], now=NOW)[2] == NOW + timedelta(days=30)
    assert terms(ManualKind.WARNING, duration_days=None, features=[], now=NOW) == (SanctionKind.WARNING, [], None)
    assert terms(ManualKind.BLACKLIST, duration_days=None, features=[], now=NOW)[0] is SanctionKind.BLACKLIST
    refused = [
        (ManualKind.SUSPENSION, None, []),  # no duration
        (ManualKind.FEATURE_RESTRICTION, 7, []),  # no features
        (ManualKind.FEATURE_RESTRICTION, None, [Limit.NO_REPOSTS]),
        (ManualKind.WARNING, 3, []),  # a warning has no duration
        (ManualKind.CLOSURE, None, [Limit.NO_POSTING]),  # only a restriction names features
        (ManualKind.SUSPENSION, 366, []),  # bounded
        (ManualKind.SUSPENSION, 0, []),
    ]
    for kind, days, features in refused:
        with pytest.raises(InvalidInput) as problem:
            terms(kind, duration_days=days, features=features, now=NOW)
        assert problem.value.requirement == "PA-13.1", (kind, days, features)


@pytest.mark.requirement("PA-13.1")
def test_in_force_until_lifted_or_ended() -> None:
    assert in_force({"lifted_at": None, "ends_at": None}, NOW)
    assert in_force({"lifted_at": None, "ends_at": NOW + timedelta(seconds=1)}, NOW)
    assert not in_force({"lifted_at": None, "ends_at": NOW}, NOW)
    assert not in_force({"lifted_at": NOW, "ends_at": None}, NOW)


@pytest.mark.requirement("PA-6.2")
def test_the_appeal_window() -> None:
    check_within_window(NOW - WINDOW, WINDOW, NOW)  # the last moment
    with pytest.raises(AppealWindowClosed) as closed:
        check_within_window(NOW - WINDOW - timedelta(seconds=1), WINDOW, NOW)
    assert closed.value.requirement == "PA-6.2" and closed.value.status == 409


@pytest.mark.requirement("PA-6.2")
def test_only_a_penalty_is_appealed() -> None:
    check_appealable_entry({"delta": -10, "reverses": None})
    for entry in ({"delta": 1, "reverses": None}, {"delta": 10, "reverses": 3}, {"delta": -2, "reverses": 4}):
        with pytest.raises(Conflict):
            check_appealable_entry(entry)


@pytest.mark.requirement("PA-6.2")
@pytest.mark.requirement("MB-6.1")
def test_an_appeal_is_decided_by_someone_other_than_the_imposer() -> None:
    assert imposer("system:moderation") is None and imposer("staff:abc") == "staff:abc"
    check_may_decide(None, "staff:abc")  # an automatic sanction has no imposer
    check_may_decide("staff:abc", "staff:def")
    with pytest.raises(SanctionNotYours) as refused:
        check_may_decide("staff:abc", "staff:abc")
    assert refused.value.requirement == "PA-6.2" and refused.value.status == 403
    check_open("open")
    with pytest.raises(Conflict):
        check_open("upheld")
