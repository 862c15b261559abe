"""Reporting's HTTP models: a complaint's reason is one of moderation's BJ-10 codes (or the platform's
own); the codes reporting used to spell its own way are read as moderation's for one release."""

from __future__ import annotations

import uuid

import pytest
from contracts.categories import Bj10Category
from pydantic import ValidationError
from reporting.domain import ComplaintReason, OtherReason
from reporting.schemas import ComplaintCreate


@pytest.mark.requirement("MB-14")
@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("bj10.rumour", Bj10Category.RUMOUR_DISTURBING_ORDER),
        ("bj10.constitution", Bj10Category.AGAINST_CONSTITUTION),
        ("bj10.religion_cult_superstition", Bj10Category.RELIGION_CULTS_SUPERSTITION),
        ("bj10.rumour_disturbing_order", Bj10Category.RUMOUR_DISTURBING_ORDER),
        ("spam", OtherReason.SPAM),
    ],
)
def test_a_reason_is_read_in_moderations_codes(sent: str, stored: ComplaintReason) -> None:
    assert ComplaintCreate(target_id=uuid.uuid4(), reason=sent).reason is stored


def test_an_unknown_reason_is_refused_naming_the_valid_ones() -> None:
    with pytest.raises(ValidationError) as refused:
        ComplaintCreate(target_id=uuid.uuid4(), reason="bj10.nonsense")
    assert "bj10.rumour_disturbing_order" in str(refused.value)
