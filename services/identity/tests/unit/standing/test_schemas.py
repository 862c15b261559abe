"""identity/standing/schemas.py: the standing view as the holder and staff read it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from identity.standing.domain import DEFAULT, CreditPolicy, standing
from identity.standing.schemas import StandingRead


def test_standing_reads_with_its_sanctions_and_ledger() -> None:
    now = datetime.now(UTC)
    sanction = {
        "id": uuid.uuid4(),
        "kind": "suspend_updates",
        "features": [],
        "reason": "third stop",
        "legal_basis": ["PA-13.1"],
        "starts_at": now,
        "ends_at": now + timedelta(days=30),
    }
    view = standing(
        CreditPolicy(),
        deltas=[-10],
        subject_deltas=[-10],
        subject_accounts=1,
        sanctions=[sanction],
        account={
            "closed_at": None,
            "standing_version": 1,
            "followers": 0,
            "reads": 0,
            "verified_type": None,
            "subject_type": None,
        },
        rules_version=1,
        rules=DEFAULT,
    )
    entry = {
        "id": 7,
        "delta": -10,
        "cause": "stop_transmission",
        "legal_basis": ["PA-13.1"],
        "reverses": None,
        "created_by": "system:moderation",
        "created_at": now,
    }
    read = StandingRead.of(view, [entry]).model_dump(mode="json")
    assert read["credit_score"] == 110 and read["suspended_until"] == sanction["ends_at"].isoformat()
    assert read["sanctions"][0]["kind"] == "suspend_updates" and read["ledger"][0]["id"] == 7
