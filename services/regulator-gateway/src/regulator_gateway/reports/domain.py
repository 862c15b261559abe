"""Reports and their acknowledgement: rules without I/O (MB-12.2, MB-16.1)."""

from __future__ import annotations

import re
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from kit.problems import Conflict, InvalidInput, NotFound

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
    # The stop's stage (issue 15): moderation's stage of the decision (publication, review, retro_scan, takedown).
    stage: str | None = None


class ReportKind(StrEnum):
    """What a report tells the office of (issue 15)."""

    STOP = "stop"  # a stop of transmission (MB-12.2)
    SANCTION = "sanction"  # a suspension, closure or blacklisting (PA-13.1, PA-13.2)
    REFERRAL = "referral"  # a suspected crime referred to public security (BJ-7(8))


@dataclass(frozen=True, slots=True)
class SanctionReported:
    """A sanction identity imposed that the regulator is told of (PA-13): its report's subject."""

    sanction_id: uuid.UUID
    account_id: uuid.UUID
    sanction_kind: str  # suspend_updates, close, blacklist
    features: list[str]
    reason: str
    legal_basis: list[str]
    starts_at: datetime
    ends_at: datetime | None
    imposed_by: str

    @property
    def details(self) -> dict[str, object]:
        return {
            "sanction": self.sanction_kind,
            "features": self.features,
            "starts_at": self.starts_at.isoformat(),
            "ends_at": self.ends_at.isoformat() if self.ends_at else None,
            "imposed_by": self.imposed_by,
        }


REFERRAL_BASIS = ("BJ-7(8)",)
# A requirement ID as REQUIREMENTS.md spells them: MB-12.2, PA-13.1, BJ-7(8).
REQUIREMENT_ID = re.compile(
    r"^[A-Z]{2,4}-[0-9]+(\.[0-9]+)*(\([0-9]+\))?$"
)  # suspected crimes referred to public security


@dataclass(frozen=True, slots=True)
class Referral:
    """The chief editor refers an account (and the post, if one) suspected of a crime to public security through
    the office of the account's province (BJ-7(8)): its report's subject."""

    id: uuid.UUID
    account_id: uuid.UUID
    post_id: uuid.UUID | None
    category: str  # a BJ-10 category code
    offence: str
    statement: str
    legal_basis: list[str]
    referred_by: str
    referred_at: datetime
    stop_report_id: uuid.UUID | None = None  # the post's stop report, whose sealed evidence goes with it

    @property
    def details(self) -> dict[str, object]:
        return {
            "offence": self.offence,
            "statement": self.statement,
            "referred_by": self.referred_by,
            "stop_report_id": str(self.stop_report_id) if self.stop_report_id else None,
        }


def referral_basis(named: list[str]) -> list[str]:
    """The legal basis a referral is filed under: BJ-7(8) always, first, then what staff named."""
    return list(dict.fromkeys([*REFERRAL_BASIS, *named]))


# A lift's amendment is keyed by its sanction (one lift per sanction): a redelivered lift records nothing more.
_LIFTS = uuid.UUID("6f1d2c1e-9a43-4c55-9a0e-3c1f8f0b2a71")


def lift_amendment_id(sanction_id: uuid.UUID) -> uuid.UUID:
    return uuid.uuid5(_LIFTS, str(sanction_id))


@dataclass(frozen=True, slots=True)
class Amendment:
    """A new version of a report (MB-12.2, PA-13): stopped content restored by staff, or a sanction lifted."""

    id: uuid.UUID
    decision_id: uuid.UUID  # the stop's decision: the report's
    amending_decision_id: uuid.UUID
    kind: str  # "restore" (a stop's), "lift" (a sanction's)
    reason: str
    legal_basis: list[str]
    decided_by: str
    decided_at: datetime
    recorded_at: datetime | None = None


# What a report's amendments make of it: restored content withdraws the stop's report; a lift, the sanction's.
STATUS_AFTER = {"restore": "withdrawn", "lift": "lifted"}


@dataclass(frozen=True, slots=True)
class Report:
    id: uuid.UUID
    decision_id: uuid.UUID  # a stop's decision, a sanction's id, a referral's id: one report each
    post_id: uuid.UUID | None  # a stop's post; None for a sanction or a referral of an account
    account_id: uuid.UUID
    category: str
    legal_basis: list[str]
    reason: str
    decided_at: datetime
    content_sha256: str | None  # a stop's snapshot hash
    province_code: str | None  # None until the author's province of registration is known
    filed_at: datetime
    acknowledged_at: datetime | None = None
    acknowledged_by: uuid.UUID | None = None
    ack_reference: str | None = None
    amendments: tuple[Amendment, ...] = ()
    stage: str | None = None  # a stop's stage; None for other kinds, and for stops filed before 0012
    kind: ReportKind = ReportKind.STOP
    details: dict[str, object] = field(default_factory=dict)  # a sanction's terms, a referral's statement

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
class ReportFilters:
    """What an office narrows its listing to (issue 15): a requirement ID among the legal basis, a BJ-10
    category, a province, the report's kind, a stop's stage, a filing period [since, until)."""

    requirement: str | None = None
    category: str | None = None
    province_code: str | None = None
    stage: str | None = None
    kind: ReportKind | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True, slots=True)
class ReportQuery:
    """Which reports an office lists: its jurisdiction's, oldest first, after a cursor."""

    province_code: str | None  # None: every province (the national office)
    acknowledged: bool | None
    after: tuple[datetime, uuid.UUID] | None
    limit: int
    filters: ReportFilters = field(default_factory=ReportFilters)


class ReportNotFound(NotFound):
    pass


class AlreadyAcknowledged(Conflict):
    type = "already-acknowledged"
    title = "Already acknowledged"


def query_for(
    office: Office,
    *,
    acknowledged: bool | None,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
    filters: ReportFilters | None = None,
) -> ReportQuery:
    # MB-16.1: the national office sees every report, a provincial office its own province's (a filter by
    # another province finds none of them).
    return ReportQuery(
        None if office.national else office.jurisdiction, acknowledged, after, limit, filters or ReportFilters()
    )


def visible_to(office: Office, report: Report | None) -> Report:
    """MB-16.1: a report outside the office's jurisdiction is not found, as one that does not exist."""
    if report is None or not office.may_see(report.province_code):
        raise ReportNotFound("No such report in your jurisdiction.")
    return report


class Acknowledgement(StrEnum):
    """What asking to acknowledge a report comes to (one rule for the single and the batch acknowledgement)."""

    ACKNOWLEDGED = "acknowledged"
    ALREADY_ACKNOWLEDGED = "already_acknowledged"
    NOT_FOUND = "not_found"
    OUTSIDE_JURISDICTION = "outside_jurisdiction"


# Issue 15: reports one batch acknowledges at most (one transaction).
BATCH_MAX = 1000


def acknowledgement(office: Office, report: Report | None) -> Acknowledgement:
    """MB-12.2, MB-16.1: a report is acknowledged once, by an office whose jurisdiction it is in."""
    if report is None:
        return Acknowledgement.NOT_FOUND
    if not office.may_see(report.province_code):
        return Acknowledgement.OUTSIDE_JURISDICTION
    if report.acknowledged_at is not None:
        return Acknowledgement.ALREADY_ACKNOWLEDGED
    return Acknowledgement.ACKNOWLEDGED


def check_batch(report_ids: list[uuid.UUID]) -> None:
    """A batch names each report once, at most BATCH_MAX of them."""
    if not 1 <= len(report_ids) <= BATCH_MAX:
        raise InvalidInput(f"A batch acknowledges 1 to {BATCH_MAX} reports.", requirement="MB-12.2")
    repeated = sorted(str(r) for r, n in Counter(report_ids).items() if n > 1)
    if repeated:
        raise InvalidInput("A batch names each report once.", requirement="MB-12.2", repeated=repeated[:10])


def needs_acknowledgement(office: Office, report: Report, reference: str | None) -> bool:
    """Whether to record this acknowledgement; the same one again is harmless, another is refused."""
    if acknowledgement(office, report) is Acknowledgement.ACKNOWLEDGED:
        return True
    if report.acknowledged_by == office.id and report.ack_reference == reference:
        return False
    raise AlreadyAcknowledged(
        "This report was already acknowledged.",
        acknowledged_at=report.acknowledged_at.isoformat() if report.acknowledged_at else None,
    )
