"""Feature gates (MB-13, PA-12.1), free of I/O: which state of a feature's security assessment content
keeps, and whether a gate is open for the version the code offers.

The regulator gateway announces each acknowledgement (again while it is in force) and each withdrawal.
Events may arrive late, twice, or out of order: ``next_gate`` keeps the newer state only. A withdrawal is
final for its assessment; a later, different assessment of the same version opens the gate again."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime

from contracts.features import GatedFeature
from kit.problems import Forbidden


@dataclass(frozen=True, slots=True)
class Gate:
    """What content knows of one (feature, version): the assessment that decides it."""

    feature: str
    version: int
    assessment_id: uuid.UUID
    acknowledged_at: datetime | None = None
    withdrawn_at: datetime | None = None
    receipt_number: str = ""
    level: str = ""
    province_code: str = ""
    withdraw_reason: str = ""
    legal_basis: tuple[str, ...] = ()

    @property
    def is_open(self) -> bool:
        return self.acknowledged_at is not None and self.withdrawn_at is None

    @property
    def latest(self) -> datetime:
        """The moment of the newest fact this row holds."""
        moments = [m for m in (self.acknowledged_at, self.withdrawn_at) if m is not None]
        return max(moments)


@dataclass(frozen=True, slots=True)
class AssessmentAcknowledged:
    assessment_id: uuid.UUID
    feature: str
    version: int
    level: str
    province_code: str
    receipt_number: str
    acknowledged_at: datetime
    legal_basis: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AssessmentWithdrawn:
    assessment_id: uuid.UUID
    feature: str
    version: int
    reason: str
    withdrawn_at: datetime
    legal_basis: tuple[str, ...] = ()


def next_gate(current: Gate | None, fact: AssessmentAcknowledged | AssessmentWithdrawn) -> Gate | None:
    """The gate after the fact, or None when the fact changes nothing (a repeat, or older news)."""
    if isinstance(fact, AssessmentAcknowledged):
        return _acknowledged(current, fact)
    return _withdrawn(current, fact)


def _acknowledged(current: Gate | None, fact: AssessmentAcknowledged) -> Gate | None:
    fresh = Gate(
        feature=fact.feature,
        version=fact.version,
        assessment_id=fact.assessment_id,
        acknowledged_at=fact.acknowledged_at,
        receipt_number=fact.receipt_number,
        level=fact.level,
        province_code=fact.province_code,
        legal_basis=fact.legal_basis,
    )
    if current is None:
        return fresh
    if current.assessment_id == fact.assessment_id:
        # The same assessment announced again: a withdrawal of it is final; a first acknowledgement
        # after its withdrawal arrived (out of order) is recorded but leaves the gate closed.
        if current.acknowledged_at is None:
            return replace(
                current,
                acknowledged_at=fact.acknowledged_at,
                receipt_number=fact.receipt_number,
                level=fact.level,
                province_code=fact.province_code,
            )
        return None
    # Another assessment of the same version: it decides only if it is newer than all this row knows.
    return fresh if fact.acknowledged_at > current.latest else None


def _withdrawn(current: Gate | None, fact: AssessmentWithdrawn) -> Gate | None:
    if current is None:
        # Remembered, so a late acknowledgement of the same assessment cannot open the gate.
        return Gate(
            feature=fact.feature,
            version=fact.version,
            assessment_id=fact.assessment_id,
            withdrawn_at=fact.withdrawn_at,
            withdraw_reason=fact.reason,
            legal_basis=fact.legal_basis,
        )
    if current.assessment_id != fact.assessment_id:
        if fact.withdrawn_at > current.latest:
            # Newer than all this row knows: the assessment in force now is withdrawn.
            return Gate(
                feature=fact.feature,
                version=fact.version,
                assessment_id=fact.assessment_id,
                withdrawn_at=fact.withdrawn_at,
                withdraw_reason=fact.reason,
                legal_basis=fact.legal_basis,
            )
        return None  # an older assessment's withdrawal: the one in force stays
    if current.withdrawn_at is not None:
        return None
    return replace(current, withdrawn_at=fact.withdrawn_at, withdraw_reason=fact.reason)


# --- the refusal --------------------------------------------------------------------------------


class FeatureNotAssessed(Forbidden):
    type = "feature-not-assessed"
    title = "Feature not security-assessed"


def check_open(feature: GatedFeature, gate: Gate | None) -> None:
    """MB-13, PA-12.1: a gated feature is offered only once the security assessment of the version this
    code offers is acknowledged by the regulator, and not withdrawn. A new version needs its own."""
    if gate is not None and gate.version == feature.version and gate.is_open:
        return
    if gate is not None and gate.withdrawn_at is not None:
        why = "its security assessment was withdrawn"
    else:
        why = "no security assessment of it has been acknowledged by the regulator yet"
    raise FeatureNotAssessed(
        f"The feature '{feature.key}' (version {feature.version}) is switched off: {why}.",
        requirement="MB-13",
        legal_basis=list(feature.value.legal_basis),
        feature=feature.key,
        version=feature.version,
    )
