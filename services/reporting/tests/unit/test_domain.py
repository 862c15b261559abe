"""Reporting's rules (MB-14 / PA-6.2): who an upheld complaint is against, decided once, followed by
its complainant only; the reasons in moderation's codes."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from contracts.categories import Bj10Category
from reporting.domain import (
    AuthorNotKnown,
    Complaint,
    ComplaintDecided,
    ComplaintNotFound,
    ComplaintStatus,
    NotTheAuthor,
    OtherReason,
    UnknownPost,
    check_known_post,
    decide,
    normalise_reason,
    reason,
    responsible_account,
    visible_to,
)


@pytest.mark.requirement("MB-14")
def test_an_upheld_complaint_is_against_the_author_and_a_dismissed_one_against_no_one() -> None:
    author = uuid.uuid4()
    assert responsible_account(upheld=True, author_id=author, named=None) == author
    assert responsible_account(upheld=True, author_id=author, named=author) == author
    assert responsible_account(upheld=False, author_id=author, named=None) is None


@pytest.mark.requirement("MB-14")
def test_naming_another_account_is_refused() -> None:
    with pytest.raises(NotTheAuthor) as refused:
        responsible_account(upheld=True, author_id=uuid.uuid4(), named=uuid.uuid4())
    assert refused.value.requirement == "MB-14"


@pytest.mark.requirement("MB-14")
def test_a_complaint_is_decided_once() -> None:
    author = uuid.uuid4()
    filed = _complaint(author)
    outcome = decide(filed, author_id=author, upheld=True, named=None, note="spreads a rumour", by="staff:r")
    assert outcome.account_id == author and outcome.status == ComplaintStatus.UPHELD
    decided = replace(filed, decided_at=datetime.now(UTC), upheld=True)
    with pytest.raises(ComplaintDecided):
        decide(decided, author_id=author, upheld=False, named=None, note="again", by="staff:r")
    with pytest.raises(ComplaintNotFound):
        decide(None, author_id=author, upheld=False, named=None, note="none", by="staff:r")
    with pytest.raises(AuthorNotKnown):
        decide(replace(filed, author_id=None), author_id=None, upheld=True, named=None, note="who", by="staff:r")


@pytest.mark.requirement("MB-14")
def test_only_the_complainant_follows_a_complaint() -> None:
    filed = _complaint(uuid.uuid4())
    assert visible_to(filed, filed.complainant_id) is filed
    with pytest.raises(ComplaintNotFound):
        visible_to(filed, uuid.uuid4())
    with pytest.raises(ComplaintNotFound):
        visible_to(None, filed.complainant_id)


@pytest.mark.requirement("MB-14")
def test_a_complaint_about_a_post_never_announced_is_refused() -> None:
    with pytest.raises(UnknownPost):
        check_known_post(None)


@pytest.mark.requirement("MB-12")
def test_a_stored_reason_reads_as_the_contracts_category_or_reportings_own() -> None:
    assert reason("bj10.rumour_disturbing_order") is Bj10Category.RUMOUR_DISTURBING_ORDER
    assert reason("impersonation") is OtherReason.IMPERSONATION
    with pytest.raises(ValueError):
        reason("bj10.rumour")  # migration 0004 left none stored


def test_former_reason_codes_are_read_as_moderations() -> None:
    assert normalise_reason("bj10.rumour") == Bj10Category.RUMOUR_DISTURBING_ORDER
    assert normalise_reason("bj10.constitution") == Bj10Category.AGAINST_CONSTITUTION
    assert normalise_reason("bj10.religion_cult_superstition") == Bj10Category.RELIGION_CULTS_SUPERSTITION
    assert normalise_reason("spam") == "spam" and normalise_reason(3) == 3


def _complaint(author: uuid.UUID | None) -> Complaint:
    return Complaint(
        id=uuid.uuid4(),
        complainant_id=uuid.uuid4(),
        target_type="post",
        target_id=uuid.uuid4(),
        author_id=author,
        reason=Bj10Category.RUMOUR_DISTURBING_ORDER,
        detail="",
        status=ComplaintStatus.RECEIVED,
        filed_at=datetime.now(UTC),
    )


# --- issue 14: deadlines, priority, screening (MB-14, PA-15.2) ------------------------------------------

HOURS = {"bj10": 24.0, "infringement": 72.0, "spam": 168.0, "default": 72.0}


@pytest.mark.requirement("PA-15.2")
def test_a_categorys_window_is_its_own_else_its_familys_else_the_default() -> None:
    from reporting.domain import deadline_hours

    assert deadline_hours("bj10.state_security", HOURS) == 24.0
    assert deadline_hours("infringement.privacy", HOURS) == 72.0
    assert deadline_hours("spam", HOURS) == 168.0
    assert deadline_hours("impersonation", HOURS) == 72.0
    assert deadline_hours("bj10.state_security", {**HOURS, "bj10.state_security": 2.0}) == 2.0


@pytest.mark.requirement("MB-14")
def test_a_reporters_weight_halves_with_each_recently_dismissed_complaint_down_to_a_floor() -> None:
    from reporting.domain import reporter_weight

    assert [reporter_weight(n) for n in (0, 1, 2)] == [1.0, 0.5, 0.25]
    assert reporter_weight(10) == 0.1


@pytest.mark.requirement("MB-14")
def test_a_burst_is_coordinated_only_when_most_reporters_are_new_or_low_credit() -> None:
    from datetime import timedelta

    from reporting.domain import BurstRule, Reporter, coordinated

    now, rule = datetime.now(UTC), BurstRule(complaints=3, minutes=10, new_account_days=7, low_credit_below=100)
    old, new = now - timedelta(days=400), now - timedelta(days=1)

    def reporters(*kinds: str) -> list[Reporter]:
        return [Reporter(uuid.uuid4(), now, new if k == "new" else old, 50 if k == "low" else 120) for k in kinds]

    assert coordinated(reporters("new", "low", "old"), now, rule)
    assert not coordinated(reporters("new", "old", "old"), now, rule)
    assert not coordinated(reporters("new", "new"), now, rule)  # not a burst: too few
    late = [Reporter(uuid.uuid4(), now - timedelta(minutes=30), new, 120) for _ in range(3)]
    assert not coordinated(late, now, rule)  # outside the window


@pytest.mark.requirement("PA-15.2")
def test_priority_follows_the_window_and_the_weight_and_an_escalated_case_is_urgent() -> None:
    from reporting.domain import priority

    assert (priority(24, 1), priority(72, 1), priority(168, 1), priority(500, 1)) == (3, 2, 1, 0)
    assert (priority(72, 6), priority(72, 0.2), priority(500, 0.2)) == (3, 1, 0)
    assert priority(500, 0.2, escalated=True) == 3


@pytest.mark.requirement("MB-14")
def test_an_infringement_needs_the_victims_proof() -> None:
    from reporting.domain import OtherReason, VictimProof, VictimProofMissing, check_victim_proof

    with pytest.raises(VictimProofMissing) as refused:
        check_victim_proof(OtherReason.INFRINGEMENT_DEFAMATION, None)
    assert refused.value.requirement == "MB-14"
    check_victim_proof(OtherReason.INFRINGEMENT_DEFAMATION, VictimProof("agent", "代理", ("m",)))
    check_victim_proof(OtherReason.SPAM, None)
