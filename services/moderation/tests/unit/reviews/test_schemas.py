"""Staff decisions carry a legal basis of requirement IDs (MB-12.2): a takedown, a restore or a queue
item's decision naming anything else is refused as bad input before any decision is made."""

from __future__ import annotations

import pytest
from moderation.reviews.schemas import ItemDecisionCreate, RestorationCreate, TakedownCreate
from pydantic import ValidationError

CATEGORY = "bj10.rumour_disturbing_order"


@pytest.mark.requirement("MB-12.2")
def test_a_staff_decisions_legal_basis_is_requirement_ids() -> None:
    assert TakedownCreate(category=CATEGORY, reason="造谣传谣", legal_basis=["BJ-7(5)", "MB-12.2"]).legal_basis == [
        "BJ-7(5)",
        "MB-12.2",
    ]
    assert RestorationCreate(reason="mistaken").legal_basis == []  # the handler adds its own
    for model, body in [
        (TakedownCreate, {"category": CATEGORY, "reason": "造谣传谣"}),
        (RestorationCreate, {"reason": "mistaken"}),
        (ItemDecisionCreate, {"reason": "upheld", "upheld": True, "action": "stop"}),
    ]:
        with pytest.raises(ValidationError, match="not requirement IDs"):
            model.model_validate({**body, "legal_basis": ["because I said so"]})


@pytest.mark.requirement("MB-14")
def test_a_complaint_cases_verdict_is_a_json_boolean_not_a_string_read_as_one() -> None:
    assert ItemDecisionCreate.model_validate({"reason": "upheld", "upheld": False, "action": "none"}).upheld is False
    for loose in ("yes", "false", 1):
        with pytest.raises(ValidationError):
            ItemDecisionCreate.model_validate({"reason": "upheld", "upheld": loose, "action": "stop"})
