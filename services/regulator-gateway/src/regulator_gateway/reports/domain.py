"""Reports and their acknowledgement: rules without I/O (MB-12.2, MB-16.1)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from kit.problems import Conflict, NotFound

from regulator_gateway.offices.domain import Office


@dataclass(frozen=True, slots=True)
class StoppedPost:
    """A stop-transmission decision (MB-12.2): what its report is about."""

    decision_id: uuid.UUID
    post_id: uuid.UUID
    account_id: uuid.UUID
    category: str  # a BJ-10 category code, as moderation decided it
    legal_basis: list[str]
    reason: str
    decided_at: datetime
    content_sha256: str


@dataclass(frozen=True, slots=True)
class Amendment:
    """A new version of a stop's report (MB-12.2): the stopped content was restored by staff."""

    id: uuid.UUID
    decision_id: uuid.UUID  # the stop's decision: the report's
    amending_decision_id: uuid.UUID
    kind: str  # "restore"
    reason: str
    legal_basis: list[str]
    decided_by: str
    decided_at: datetime
    recorded_at: datetime | None = None


# What a report's amendments make of it: restored content withdraws the stop's report.
STATUS_AFTER = {"restore": "withdrawn"}


@dataclass(frozen=True, slots=True)
class Report:
    id: uuid.UUID
    decision_id: uuid.UUID
    post_id: uuid.UUID
    account_id: uuid.UUID
    category: str
    legal_basis: list[str]
    reason: str
    decided_at: datetime
    content_sha256: str
    province_code: str | None  # None until the author's province of registration is known
    filed_at: datetime
    acknowledged_at: datetime | None = None
    acknowledged_by: uuid.UUID | None = None
    ack_reference: str | None = None
    amendments: tuple[Amendment, ...] = ()

    @property
    def status(self) -> str:
        """ "filed", or what its latest amendment made of it ("withdrawn" after a restore)."""
        return STATUS_AFTER[self.amendments[-1].kind] if self.amendments else "filed"

    @property
    def version(self) -> int:
        """1 as filed; one more per amendment (the earlier versions are kept)."""
        return 1 + len(self.amendments)


@dataclass(frozen=True, slots=True)
class Jurisdiction:
    """Where an account registered (identity's RealNameVerified): the office its reports go to."""

    account_id: uuid.UUID
    province_code: str


@dataclass(frozen=True, slots=True)
class ReportQuery:
    """Which reports an office lists: its jurisdiction's, oldest first, after a cursor."""

    province_code: str | None  # None: every province (the national office)
    acknowledged: bool | None
    after: tuple[datetime, uuid.UUID] | None
    limit: int


class ReportNotFound(NotFound):
    pass


class AlreadyAcknowledged(Conflict):
    type = "already-acknowledged"
    title = "Already acknowledged"


def query_for(
    office: Office, *, acknowledged: bool | None, after: tuple[datetime, uuid.UUID] | None, limit: int
) -> ReportQuery:
    # MB-16.1: the national office sees every report, a provincial office its own province's.
    return ReportQuery(None if office.national else office.jurisdiction, acknowledged, after, limit)


def visible_to(office: Office, report: Report | None) -> Report:
    """MB-16.1: a report outside the office's jurisdiction is not found, as one that does not exist."""
    if report is None or not office.may_see(report.province_code):
        raise ReportNotFound("No such report in your jurisdiction.")
    return report


def needs_acknowledgement(office: Office, report: Report, reference: str | None) -> bool:
    """Whether to record this acknowledgement; the same one again is harmless, another is refused."""
    if report.acknowledged_at is None:
        return True
    if report.acknowledged_by == office.id and report.ack_reference == reference:
        return False
    raise AlreadyAcknowledged(
        "This report was already acknowledged.", acknowledged_at=report.acknowledged_at.isoformat()
    )
