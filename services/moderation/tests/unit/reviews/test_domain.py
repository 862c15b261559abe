"""The review queue's rules, pure (MB-6.1, PA-5.1, MB-14, MB-12.2)."""

from __future__ import annotations

import uuid

import pytest
from kit.problems import Conflict, Forbidden, InvalidInput, NotFound
from moderation.reviews import domain
from moderation.reviews.domain import CaseAction, ItemState, Staff

R, OTHER, C = Staff("staff:r"), Staff("staff:o"), Staff("staff:c", chief_editor=True)


def item(**fields) -> dict:
    return {"state": "open", "assignee": None, "resolved_by": None, "target_type": "post", "category": ""} | fields


@pytest.mark.requirement("MB-6.1")
def test_claims() -> None:
    move = domain.claim(item(), R)
    assert (move.state, move.assignee, move.action) == (ItemState.ASSIGNED, "staff:r", "claimed")
    assert domain.claim(item(state="assigned", assignee="staff:r"), R) is None
    with pytest.raises(Conflict):
        domain.claim(item(state="assigned", assignee="staff:r"), OTHER)
    with pytest.raises(Forbidden):
        domain.claim(item(state="escalated"), R)
    assert domain.claim(item(state="escalated"), C).state == ItemState.ESCALATED
    with pytest.raises(Conflict):
        domain.claim(item(state="closed", resolved_by="staff:x"), R)
    with pytest.raises(Conflict):
        domain.release(item(state="assigned", assignee="staff:r"), OTHER)
    assert domain.release(item(state="assigned", assignee="staff:r"), R).state == ItemState.OPEN


@pytest.mark.requirement("MB-6.1")
@pytest.mark.requirement("PA-5.1")
def test_an_escalated_item_is_decided_by_the_chief_editor_finally() -> None:
    escalated = item(state="escalated")
    with pytest.raises(Forbidden) as refused:
        domain.check_may_decide(escalated, R)
    assert refused.value.requirement == "MB-6.1"
    assert domain.check_may_decide(escalated, C) is True
    assert domain.check_may_decide(item(), C) is False
    with pytest.raises(Conflict):
        domain.check_may_decide(item(), R)  # not claimed
    assert domain.check_may_decide(item(), R, needs_claim=False) is False
    with pytest.raises(Conflict):
        domain.check_may_decide(item(state="assigned", assignee="staff:o"), R)
    with pytest.raises(Conflict):
        domain.escalate(escalated, R, "again")


@pytest.mark.requirement("MB-14")
def test_case_verdicts() -> None:
    assert domain.case_verdict(
        item(), upheld=False, action=None, reason="no", category=None, legal_basis=[]
    ).action == (CaseAction.NONE)
    with pytest.raises(InvalidInput):
        domain.case_verdict(item(), upheld=True, action=None, reason="x", category=None, legal_basis=[])
    with pytest.raises(InvalidInput):
        domain.case_verdict(item(), upheld=False, action="stop", reason="x", category="c", legal_basis=[])
    with pytest.raises(InvalidInput):
        domain.case_verdict(
            item(target_type="account"), upheld=True, action="stop", reason="x", category="c", legal_basis=[]
        )
    with pytest.raises(InvalidInput):
        domain.case_verdict(item(), upheld=True, action="stop", reason="x", category=None, legal_basis=[])
    verdict = domain.case_verdict(item(), upheld=True, action="stop", reason="x", category="c", legal_basis=["MB-14"])
    assert verdict.stops and verdict.acted
    # MB-14 is cited by every case decision (the CaseDecided event, the takedown it makes), once.
    assert verdict.legal_basis == ("MB-14",)
    dismissed = domain.case_verdict(item(), upheld=False, action=None, reason="no", category=None, legal_basis=[])
    assert dismissed.legal_basis == ("MB-14",)
    cited = domain.case_verdict(item(), upheld=True, action="none", reason="x", category=None, legal_basis=["BJ-7(5)"])
    assert cited.legal_basis == ("BJ-7(5)", "MB-14")


def decision(outcome: str, stage: str, final: bool = False) -> dict:
    return {"id": uuid.uuid4(), "outcome": outcome, "stage": stage, "final": final}


@pytest.mark.requirement("MB-12.2")
def test_a_posts_standing_among_its_decisions() -> None:
    with pytest.raises(NotFound):
        domain.post_standing([])
    published = [decision("approve", "publication")]
    assert domain.post_standing(published).stop is None
    stopped = [*published, decision("stop_transmission", "takedown")]
    assert domain.post_standing(stopped).stop is stopped[-1]
    with pytest.raises(Conflict):
        domain.check_may_take_down(domain.post_standing(stopped), R)
    restored = [*stopped, decision("approve", "restore")]
    assert domain.post_standing(restored).stop is None
    with pytest.raises(Conflict):
        domain.check_may_restore(domain.post_standing(restored), R)
    final_stop = [*published, decision("stop_transmission", "review", final=True)]
    with pytest.raises(Forbidden):
        domain.check_may_restore(domain.post_standing(final_stop), Staff("staff:s", senior=True))
    assert domain.check_may_restore(domain.post_standing(final_stop), C) is final_stop[-1]
    held = [decision("hold_for_review", "publication")]
    with pytest.raises(Conflict):
        domain.check_may_take_down(domain.post_standing(held), R)
    final_approval = [*published, decision("approve", "review", final=True)]
    with pytest.raises(Forbidden):
        domain.check_may_take_down(domain.post_standing(final_approval), R)


@pytest.mark.requirement("MB-6.1")
@pytest.mark.requirement("MB-12.2")
@pytest.mark.requirement("MB-11")
def test_a_held_posts_decision_names_its_outcome_a_stops_category_and_a_labels_rumour() -> None:
    assert domain.check_held_decision("approve", category=None, rumour_id=None) == "approve"
    assert domain.check_held_decision("label", category=None, rumour_id=uuid.uuid4()) == "label"
    for outcome, category, rumour, rule in [
        (None, None, None, "MB-6.1"),
        ("stop_transmission", None, None, "MB-12.2"),
        ("label", None, None, "MB-11"),
    ]:
        with pytest.raises(InvalidInput) as refused:
            domain.check_held_decision(outcome, category=category, rumour_id=rumour)
        assert refused.value.requirement == rule
