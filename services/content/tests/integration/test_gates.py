"""Feature gates on a real PostgreSQL (MB-13, PA-12.1): the regulator gateway's facts applied by the
consumer's handler open and close a gate; a gated route refuses until then."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from content.gates import handlers
from content.gates.domain import AssessmentAcknowledged, AssessmentWithdrawn, FeatureNotAssessed
from contracts.features import GatedFeature

FEATURE = GatedFeature.TRENDING
T0 = datetime(2026, 3, 1, tzinfo=UTC)


async def note(db, fact) -> None:
    async with db.transaction() as stores:
        await handlers.note_assessment(stores, fact)


@pytest.mark.requirement("MB-13")
async def test_a_gate_opens_on_acknowledgement_and_closes_on_withdrawal(db) -> None:
    with pytest.raises(FeatureNotAssessed):
        await handlers.require_open(db, FEATURE)
    assessment = uuid.uuid4()
    ack = AssessmentAcknowledged(assessment, FEATURE.key, FEATURE.version, "national", "", "R-1", T0, ("MB-13",))
    await note(db, ack)
    await handlers.require_open(db, FEATURE)
    await handlers.require_open(db, FEATURE)  # no state kept per request
    await note(db, AssessmentWithdrawn(assessment, FEATURE.key, FEATURE.version, "changed", T0 + timedelta(hours=1)))
    await note(db, ack)  # re-announced late: stays withdrawn
    with pytest.raises(FeatureNotAssessed, match="withdrawn"):
        await handlers.require_open(db, FEATURE)
    # Only the trending gate moved: comments on public accounts stay closed.
    with pytest.raises(FeatureNotAssessed):
        await handlers.require_open(db, GatedFeature.PUBLIC_ACCOUNT_COMMENTS)
    gates = await db.reader().gates.gates()
    assert [(g.feature, g.version, g.assessment_id, g.is_open) for g in gates] == [
        (FEATURE.key, FEATURE.version, assessment, False)
    ]
