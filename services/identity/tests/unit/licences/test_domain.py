"""The news licence registry's rules, free of I/O (MB-4, PA-8)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from identity.licences.domain import (
    EvidenceTooLarge,
    InvalidDates,
    UnknownLicence,
    beijing_today,
    check_dates,
    check_evidence_size,
    check_news_qualifications,
    in_force,
)


def licence(**fields: object) -> dict:
    return {
        "number": "10120170001",
        "valid_from": date(2026, 1, 1),
        "valid_until": date(2026, 11, 30),
        "revoked_at": None,
        **fields,
    }


@pytest.mark.requirement("PA-8")
def test_a_licence_is_in_force_to_the_end_of_its_last_beijing_day() -> None:
    # 15:59 UTC on the 30th is 23:59 in Beijing: the last day; 16:00 UTC is the 1st of December there.
    assert beijing_today(datetime(2026, 11, 30, 15, 59, tzinfo=UTC)) == date(2026, 11, 30)
    assert beijing_today(datetime(2026, 11, 30, 16, 0, tzinfo=UTC)) == date(2026, 12, 1)
    assert in_force(licence(), date(2026, 11, 30))
    assert not in_force(licence(), date(2026, 12, 1))
    assert not in_force(licence(), date(2025, 12, 31))
    assert not in_force(licence(revoked_at=datetime(2026, 6, 1, tzinfo=UTC)), date(2026, 6, 2))


@pytest.mark.requirement("PA-8")
def test_a_registration_cites_only_a_licence_of_its_subject_in_force() -> None:
    held = [licence(), licence(number="999", valid_until=date(2026, 1, 2))]
    today = date(2026, 6, 1)
    check_news_qualifications([{"kind": "news_licence", "number": "1012 0170 001"}], held, today)
    check_news_qualifications([{"kind": "icp_licence", "number": "anything"}], held, today)
    for number in ("999", "123"):
        with pytest.raises(UnknownLicence) as refused:
            check_news_qualifications([{"kind": "news_licence", "number": number}], held, today)
        assert refused.value.requirement == "PA-8"


def test_dates_and_evidence_are_bounded() -> None:
    with pytest.raises(InvalidDates):
        check_dates(date(2026, 2, 1), date(2026, 1, 31))
    check_dates(date(2026, 1, 31), date(2026, 1, 31))
    check_evidence_size([100, 200], 300)
    with pytest.raises(EvidenceTooLarge):
        check_evidence_size([100, 201], 300)
