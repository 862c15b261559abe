"""Security assessments: which may be filed, where they are filed, and when they are in force (MB-13,
PA-12.1). No I/O."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from contracts.features import GatedFeature
from kit.problems import Conflict, DomainError, InvalidInput, NotFound

from regulator_gateway.filings.domain import FilingKind, NewFiling
from regulator_gateway.offices.domain import check_jurisdiction

LEGAL_BASIS = ["MB-13", "PA-12.1"]


class Level(StrEnum):
    NATIONAL = "national"  # filed with the national office
    PROVINCIAL = "provincial"  # filed with the office of one province


class Status(StrEnum):
    FILED = "filed"  # awaiting the office's acknowledgement: the gate stays closed
    ACKNOWLEDGED = "acknowledged"  # in force: the gate of this version may open
    WITHDRAWN = "withdrawn"  # out of force for good (a new assessment may be filed)


@dataclass(frozen=True, slots=True)
class NewAssessment:
    id: uuid.UUID
    feature: str
    version: int
    level: Level
    province_code: str | None  # None iff national
    summary: str
    document: bytes
    document_sha256: str
    filed_by: uuid.UUID


@dataclass(frozen=True, slots=True)
class Assessment:
    id: uuid.UUID
    feature: str
    version: int
    level: str
    province_code: str | None
    summary: str
    document_sha256: str
    document_bytes: int
    filed_by: uuid.UUID
    filed_at: datetime
    filing_id: uuid.UUID
    status: str
    acknowledged_at: datetime | None = None
    receipt_number: str | None = None
    withdrawn_at: datetime | None = None
    withdrawn_by: uuid.UUID | None = None
    withdraw_reason: str | None = None


@dataclass(frozen=True, slots=True)
class AssessmentQuery:
    feature: str | None
    status: Status | None
    after: tuple[datetime, uuid.UUID] | None
    limit: int


class UnknownFeature(InvalidInput):
    type = "unknown-feature"
    title = "Unknown gated feature"


class InvalidLevel(InvalidInput):
    type = "invalid-level"
    title = "Invalid level of filing"


class DocumentTooLarge(DomainError):
    status = 413
    type = "document-too-large"
    title = "Document too large"


class AlreadyFiled(Conflict):
    type = "already-filed"
    title = "Already filed"


class AlreadyWithdrawn(Conflict):
    type = "already-withdrawn"
    title = "Already withdrawn"


class AssessmentNotFound(NotFound):
    pass


def gated_feature(key: str, version: int) -> GatedFeature:
    """MB-13: only a gated feature of the contract, at its current version or a later one (the next
    version may be assessed before it ships, so its gate opens on deploy)."""
    feature = GatedFeature.of(key)
    if feature is None:
        known = ", ".join(f.key for f in GatedFeature)
        raise UnknownFeature(f"No gated feature {key!r}; the gated features are {known}.", requirement="MB-13")
    if version < feature.version:
        raise UnknownFeature(
            f"{key} is at version {feature.version}; version {version} is no longer offered.",
            requirement="MB-13",
            current_version=feature.version,
        )
    return feature


def jurisdiction(level: Level, province_code: str | None) -> str | None:
    """PA-12.1: a national filing names no province; a provincial one names its province (GB/T 2260)."""
    if level is Level.NATIONAL:
        if province_code is not None:
            raise InvalidLevel("A national filing names no province_code.", requirement="PA-12.1")
        return None
    if province_code is None:
        raise InvalidLevel("A provincial filing names its province_code, such as 110000.", requirement="PA-12.1")
    try:
        return check_jurisdiction(province_code)
    except InvalidInput as exc:
        raise InvalidLevel(exc.detail, requirement="PA-12.1") from None


def new_assessment(
    *,
    feature: str,
    version: int,
    level: Level,
    province_code: str | None,
    summary: str,
    document: bytes,
    filed_by: uuid.UUID,
    max_document_bytes: int,
) -> NewAssessment:
    """A new assessment as filed by the chief editor (MB-13, PA-12.1), checked."""
    gated_feature(feature, version)
    province = jurisdiction(level, province_code)
    if not document:
        raise InvalidInput("The assessment report (document) is empty.", requirement="PA-12.1")
    if len(document) > max_document_bytes:
        raise DocumentTooLarge(
            f"The document is {len(document)} bytes; at most {max_document_bytes} are accepted.",
            requirement="PA-12.1",
            max_bytes=max_document_bytes,
        )
    return NewAssessment(
        id=uuid.uuid4(),
        feature=feature,
        version=version,
        level=level,
        province_code=province,
        summary=summary,
        document=document,
        document_sha256=hashlib.sha256(document).hexdigest(),
        filed_by=filed_by,
    )


def filing_of(assessment: NewAssessment) -> NewFiling:
    """PA-12.1: the filing of an assessment, with the office of its level (the national office, or the
    province's): what was assessed and a digest of the report, no personal data."""
    feature = GatedFeature.of(assessment.feature)
    return NewFiling(
        event_id=f"assessment:{assessment.id}",
        kind=FilingKind.SECURITY_ASSESSMENT,
        account_id=None,
        province_code=assessment.province_code,
        legal_basis=list(LEGAL_BASIS),
        details={
            "assessment_id": str(assessment.id),
            "feature": assessment.feature,
            "title": feature.value.title if feature else assessment.feature,
            "version": assessment.version,
            "level": assessment.level.value,
            "summary": assessment.summary,
            "document_sha256": assessment.document_sha256,
            "document_bytes": len(assessment.document),
        },
    )


def found(assessment: Assessment | None) -> Assessment:
    if assessment is None:
        raise AssessmentNotFound("No such assessment.")
    return assessment


def check_withdrawable(assessment: Assessment) -> None:
    if assessment.status == Status.WITHDRAWN:
        raise AlreadyWithdrawn(
            "This assessment was withdrawn already.",
            requirement="MB-13",
            withdrawn_at=assessment.withdrawn_at.isoformat() if assessment.withdrawn_at else None,
        )
