"""Feature gates (MB-13, PA-12.1): the regulator gateway's acknowledgements and withdrawals of security
assessments, applied in the consumer's transaction (newer state only); and the check a gated route makes."""

from __future__ import annotations

import logging

from contracts.features import GatedFeature

from content.database import Database, Stores
from content.gates.domain import AssessmentAcknowledged, AssessmentWithdrawn, check_open, next_gate

log = logging.getLogger(__name__)


async def note_assessment(stores: Stores, fact: AssessmentAcknowledged | AssessmentWithdrawn) -> None:
    """Apply an acknowledgement or a withdrawal to its gate; a repeat or older news changes nothing."""
    current = await stores.gates.gate(fact.feature, fact.version, lock=True)
    after = next_gate(current, fact)
    if after is None:
        return
    await stores.gates.save(after)
    log.info(
        "feature gate %s",
        "opened" if after.is_open else "closed",
        extra={"feature": after.feature, "version": after.version, "assessment_id": str(after.assessment_id)},
    )


async def require_open(db: Database, feature: GatedFeature) -> None:
    """403 feature-not-assessed (MB-13) unless the code's version of the feature is acknowledged."""
    check_open(feature, await db.reader().gates.gate(feature.key, feature.version))
