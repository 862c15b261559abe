"""The rules of withdrawing a rumour and raising it to a stop (MB-11, MB-12.2, MB-6.1): pure."""

from __future__ import annotations

import pytest
from kit.problems import Conflict
from moderation.engine.decide import Outcome
from moderation.engine.rumours import Rumour, RumourAction
from moderation.policy.domain import (
    check_may_escalate,
    check_may_withdraw,
    escalation_verdict,
    withdrawal_verdict,
)

RUMOUR = Rumour("r1", "假消息", "辟谣", "https://example.gov.cn/p", "某局", RumourAction.LABEL, ("MB-11", "BJ-7(5)"))
LABEL = {"content_sha256": "abc", "lexicon_version": "r1-x", "rules_version": "v1"}


@pytest.mark.requirement("MB-11")
def test_a_withdrawal_approves_the_labelled_post_with_its_reason() -> None:
    verdict = withdrawal_verdict(LABEL, RUMOUR, reason="corrected", rumour_version="9")
    assert verdict.outcome is Outcome.APPROVE and verdict.rule == "rumour.withdrawn"
    assert verdict.refutation is None  # no refutation travels: content drops the label
    assert verdict.rumour_id == "r1" and verdict.content_sha256 == "abc" and verdict.rumour_version == "9"
    assert "corrected" in verdict.reason and "MB-11" in verdict.legal_basis


@pytest.mark.requirement("MB-12.2")
def test_an_escalation_stops_with_the_category_and_every_basis() -> None:
    verdict = escalation_verdict(
        LABEL,
        RUMOUR,
        category="bj10.rumour_disturbing_order",
        legal_basis=["BJ-7(5)"],
        reason="panic",
        rumour_version="9",
    )
    assert verdict.outcome is Outcome.STOP_TRANSMISSION and verdict.rule == "rumour.escalated"
    assert verdict.category == "bj10.rumour_disturbing_order"
    assert verdict.legal_basis == ["BJ-7(5)", "MB-11", "BJ-10", "MB-12.2"]  # each once, as named first


@pytest.mark.requirement("MB-11")
def test_a_rumour_is_withdrawn_once_and_raised_once_and_never_once_withdrawn() -> None:
    live = {"withdrawn_at": None, "action": "label"}
    check_may_withdraw(live)
    check_may_escalate(live)
    with pytest.raises(Conflict):
        check_may_withdraw({**live, "withdrawn_at": "2026-01-01"})
    with pytest.raises(Conflict):
        check_may_escalate({**live, "withdrawn_at": "2026-01-01"})
    with pytest.raises(Conflict):
        check_may_escalate({**live, "action": "stop"})
