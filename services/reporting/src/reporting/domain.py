"""Complaint rules, free of I/O: the reasons a complaint may give (the BJ-10 categories plus the
platform's own), what a complaint is, who an upheld complaint is against (MB-14, PA-6.2), how complaints
about one target are grouped into a case with a deadline and a priority (MB-14, PA-15.2, BJ-13), and the
screening of malicious reports (恶意举报甄别): a reporter's weight and coordinated bursts."""

from __future__ import annotations

import math
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from contracts.categories import Bj10Category
from kit.problems import Conflict, InvalidInput, NotFound, QuotaExhausted


class OtherReason(StrEnum):
    """Not prohibited by BJ-10, still worth a look: reporting's own reasons."""

    SPAM = "spam"
    IMPERSONATION = "impersonation"
    # MB-14: an infringement of the complainant's own rights (or of the person they act for): each needs
    # the victim's proof.
    INFRINGEMENT_INSULT = "infringement.insult"
    INFRINGEMENT_DEFAMATION = "infringement.defamation"
    INFRINGEMENT_PRIVACY = "infringement.privacy"


INFRINGEMENTS = frozenset(
    {OtherReason.INFRINGEMENT_INSULT, OtherReason.INFRINGEMENT_DEFAMATION, OtherReason.INFRINGEMENT_PRIVACY}
)


class TargetType(StrEnum):
    """What a complaint may be about (MB-14): a post (or repost), a comment, an article, an account."""

    POST = "post"
    COMMENT = "comment"
    ARTICLE = "article"
    ACCOUNT = "account"


# MB-12: a complaint names a BJ-10 category in the contract's codes (the ones moderation decides in, so a
# complaint's category matches a decision's), or one of reporting's own reasons.
ComplaintReason = Bj10Category | OtherReason

# The codes reporting accepted before it spoke the contract's (migration 0004 rewrote the stored ones).
# Accepted for one more release and normalised; they never leave reporting.
FORMER_REASON_CODES: dict[str, Bj10Category] = {
    "bj10.constitution": Bj10Category.AGAINST_CONSTITUTION,
    "bj10.rumour": Bj10Category.RUMOUR_DISTURBING_ORDER,
    "bj10.religion_cult_superstition": Bj10Category.RELIGION_CULTS_SUPERSTITION,
}


def normalise_reason(code: object) -> object:
    """A former reason code as today's; anything else as given (validation judges it)."""
    return FORMER_REASON_CODES.get(code, code) if isinstance(code, str) else code


def reason(code: str) -> ComplaintReason:
    """A stored reason code as its enum member."""
    try:
        return Bj10Category(code)
    except ValueError:
        return OtherReason(code)


# MB-14 / PA-15.2 / BJ-13: the report entry every complaint is filed under.
LEGAL_BASIS = ["MB-14", "PA-15.2", "BJ-13"]
# MB-14 / PA-6.2: an outcome, and the credit an upheld one costs the author.
OUTCOME_LEGAL_BASIS = ["MB-14", "PA-6.2"]


class ComplaintStatus(StrEnum):
    RECEIVED = "received"
    UPHELD = "upheld"
    DISMISSED = "dismissed"


class CaseState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Action(StrEnum):
    """What was done about an upheld case (the contract's words)."""

    STOP = "stop"
    LABEL = "label"
    SANCTION = "sanction"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class VictimProof:
    """MB-14: who the complainant is to the victim of an infringement, what they state, and proof uploaded."""

    relationship: str  # "self" | "agent"
    statement: str
    media_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Evidence:
    media_ids: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Complaint:
    id: uuid.UUID
    complainant_id: uuid.UUID
    target_type: str
    target_id: uuid.UUID
    author_id: uuid.UUID | None  # None: filed before reporting knew authors
    reason: ComplaintReason
    detail: str
    status: ComplaintStatus
    filed_at: datetime
    upheld: bool | None = None
    account_id: uuid.UUID | None = None
    outcome_note: str | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    receipt_number: str | None = None  # None: filed before receipts
    case_id: uuid.UUID | None = None  # None: filed before cases (and decided then)
    evidence: Evidence = field(default_factory=Evidence)
    victim_proof: VictimProof | None = None
    weight: float = 1.0
    action: str | None = None

    @property
    def legal_basis(self) -> list[str]:
        return list(LEGAL_BASIS)


@dataclass(frozen=True, slots=True)
class Case:
    """Complaints about one target, handled together (MB-14, PA-15.2): one open case per target."""

    id: uuid.UUID
    target_type: str
    target_id: uuid.UUID
    author_id: uuid.UUID | None
    category: str
    categories: tuple[str, ...]
    complaint_count: int
    weight: float
    coordinated: bool
    priority: int
    victim_proof: bool
    opened_at: datetime
    deadline: datetime
    escalate_at: datetime
    version: int
    state: CaseState = CaseState.OPEN
    escalated_at: datetime | None = None
    breached_at: datetime | None = None
    upheld: bool | None = None
    action: str | None = None
    note: str | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None

    @property
    def escalated(self) -> bool:
        return self.escalated_at is not None

    @property
    def legal_basis(self) -> list[str]:
        return list(LEGAL_BASIS)

    def overdue(self, now: datetime) -> bool:
        return self.state is CaseState.OPEN and now >= self.deadline


@dataclass(frozen=True, slots=True)
class Outcome:
    """A reviewer's outcome of a complaint case (MB-14), given to every complaint of it."""

    upheld: bool
    account_id: uuid.UUID | None  # whom an upheld case is against: the target's author (or the account)
    note: str
    decided_by: str
    action: str = Action.NONE
    decided_at: datetime | None = None

    @property
    def status(self) -> ComplaintStatus:
        return ComplaintStatus.UPHELD if self.upheld else ComplaintStatus.DISMISSED


# --- refusals ---------------------------------------------------------------------------------------


class UnknownPost(InvalidInput):
    type = "unknown-post"
    title = "No such post"


class UnknownTarget(InvalidInput):
    type = "unknown-target"
    title = "No such post, comment, article or account"


class VictimProofMissing(InvalidInput):
    type = "victim-proof-missing"
    title = "An infringement of rights needs the victim's proof"


class NotTheAuthor(InvalidInput):
    type = "not-the-author"
    title = "An upheld complaint is against the author"


class ComplaintNotFound(NotFound):
    pass


class CaseNotFound(NotFound):
    pass


class ComplaintDecided(Conflict):
    pass


class AuthorNotKnown(Conflict):
    pass


class ComplaintQuotaReached(QuotaExhausted):
    """Abuse limit: 403 with Retry-After (the gateway replaces a service's 429 body and headers)."""

    type = "quota-reached"
    title = "Complaint filing limit reached"


# --- filing -----------------------------------------------------------------------------------------


def check_known_post(author_id: uuid.UUID | None) -> uuid.UUID:
    """MB-14: a complaint names a post content published (announced to reporting)."""
    if author_id is None:
        # Never announced by content (or not yet: a post is known here moments after it is accepted).
        raise UnknownPost("No post with this id has been published.", requirement="MB-14")
    return author_id


# What content's kinds of post are as targets: a repost is a post; a correction is an article's revision,
# complained about as its article (it is not a target of its own).
POST_KIND_TARGETS: dict[str, TargetType] = {
    "post": TargetType.POST,
    "repost": TargetType.POST,
    "comment": TargetType.COMMENT,
    "article": TargetType.ARTICLE,
}


@dataclass(frozen=True, slots=True)
class KnownTarget:
    """What reporting knows of a target: who is responsible for it, and what it is (None: a post known from
    before reporting learnt kinds, taken as any kind of post)."""

    author_id: uuid.UUID
    kind: TargetType | None


def check_target(target_type: TargetType, known: KnownTarget | None) -> uuid.UUID:
    """MB-14: a complaint names a post, comment or article content published, or an account identity
    announced; it answers the account responsible (the author, or the account itself)."""
    if known is None or (known.kind is not None and known.kind is not target_type):
        if target_type is TargetType.POST:  # the former answer for posts, kept for clients that know it
            raise UnknownPost("No post with this id has been published.", requirement="MB-14")
        raise UnknownTarget(f"No {target_type.value} with this id is known.", requirement="MB-14")
    return known.author_id


def check_victim_proof(reason: ComplaintReason, proof: VictimProof | None) -> None:
    """MB-14: a complaint of an infringement of one's own rights (insult, defamation, privacy) carries the
    victim's proof: who the complainant is to the victim, a statement, and at least one proof upload."""
    if reason in INFRINGEMENTS and (proof is None or not proof.media_ids):
        raise VictimProofMissing(
            "A complaint of infringement needs `victim_proof` (relationship, statement and 1 to 9 media ids).",
            requirement="MB-14",
        )


def check_filing_quota(
    filed_recently: int, *, limit: int, oldest_recent: datetime | None, now: datetime, window: timedelta
) -> None:
    """Non-negotiable 5 (every surface has abuse limits) / MB-14: an account files at most ``limit``
    complaints per ``window``; the next is refused until the oldest of them leaves the window."""
    if filed_recently < limit:
        return
    retry = (oldest_recent + window - now).total_seconds() if oldest_recent is not None else window.total_seconds()
    raise ComplaintQuotaReached(
        f"At most {limit} complaints per {int(window.total_seconds() // 60)} minutes; try again later.",
        retry_after_s=max(1.0, math.ceil(retry)),
        requirement="MB-14",
    )


def receipt_number(filed_at: datetime, sequence: int) -> str:
    """MB-14: the acceptance receipt's number, human-readable and unique: the filing day and a sequence."""
    return f"QL{filed_at:%Y%m%d}-{sequence:08d}"


# --- deadlines and priority (MB-14, PA-15.2) ----------------------------------------------------------


def deadline_hours(category: str, hours: Mapping[str, float]) -> float:
    """A category's handling window: its own entry, else its family's (``bj10``, ``infringement``: the part
    before the first dot), else ``default``."""
    if category in hours:
        return hours[category]
    family = category.split(".", 1)[0]
    if family in hours:
        return hours[family]
    return hours.get("default", 72.0)


def leading_category(categories: Sequence[str], hours: Mapping[str, float]) -> str:
    """The case's leading category: the one with the strictest deadline (the first named, on a tie)."""
    return min(categories, key=lambda c: deadline_hours(c, hours))


def case_deadline(opened_at: datetime, categories: Sequence[str], hours: Mapping[str, float]) -> datetime:
    """A case is handled within the strictest window of its categories, counted from its opening."""
    return opened_at + timedelta(hours=min(deadline_hours(c, hours) for c in categories))


def escalate_at(opened_at: datetime, deadline: datetime, fraction: float) -> datetime:
    """When an unhandled case is escalated: at ``fraction`` of its window."""
    return opened_at + (deadline - opened_at) * fraction


def priority(window_hours: float, weight: float, *, escalated: bool = False) -> int:
    """0 (low) .. 3 (urgent): a short window is urgent (BJ-10's 24 h: 3; 72 h: 2; a week: 1; longer: 0),
    raised by one for a heavy case (weight ≥ 5, several credible reporters), lowered by one for a light
    one (weight < 0.5: reporters whose complaints were dismissed); an escalated case is urgent."""
    if escalated:
        return 3
    base = 3 if window_hours <= 24 else 2 if window_hours <= 72 else 1 if window_hours <= 168 else 0
    if weight >= 5:
        base += 1
    elif weight < 0.5:
        base -= 1
    return max(0, min(3, base))


# --- screening of malicious reports (恶意举报甄别) ---------------------------------------------------------


def reporter_weight(dismissed_recently: int, *, floor: float = 0.1) -> float:
    """A reporter's weight: 1 for an account whose recent complaints were not dismissed, halved for each
    dismissed one in the screening window, never below ``floor`` (a complaint is always looked at)."""
    return max(floor, 0.5 ** max(0, dismissed_recently))


@dataclass(frozen=True, slots=True)
class Reporter:
    """What screening knows of a reporter (from identity's events): registration time and credit."""

    account_id: uuid.UUID
    filed_at: datetime
    registered_at: datetime | None = None
    credit_score: int | None = None


@dataclass(frozen=True, slots=True)
class BurstRule:
    complaints: int = 5  # at least this many distinct reporters ...
    minutes: float = 10.0  # ... within this many minutes ...
    new_account_days: float = 7.0  # ... most of them registered less than this long ago ...
    low_credit_below: int = 100  # ... or with credit below this


def is_suspect(reporter: Reporter, now: datetime, rule: BurstRule) -> bool:
    new = reporter.registered_at is not None and now - reporter.registered_at < timedelta(days=rule.new_account_days)
    low = reporter.credit_score is not None and reporter.credit_score < rule.low_credit_below
    return new or low


def coordinated(reporters: Sequence[Reporter], now: datetime, rule: BurstRule) -> bool:
    """恶意举报甄别: a burst of complaints against one target (at least ``rule.complaints`` distinct reporters
    within ``rule.minutes``) most of whom are new or low-credit accounts. Shown to staff; never acted on by
    itself (only a reviewer decides)."""
    since = now - timedelta(minutes=rule.minutes)
    recent: dict[uuid.UUID, Reporter] = {}
    for r in reporters:
        if r.filed_at >= since:
            recent.setdefault(r.account_id, r)
    if len(recent) < rule.complaints:
        return False
    suspects = sum(1 for r in recent.values() if is_suspect(r, now, rule))
    return suspects * 2 > len(recent)


# --- cases ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CaseRules:
    deadline_hours: Mapping[str, float]
    escalate_fraction: float
    burst: BurstRule


def open_case(
    *,
    case_id: uuid.UUID,
    target_type: str,
    target_id: uuid.UUID,
    author_id: uuid.UUID | None,
    category: str,
    weight: float,
    victim_proof: bool,
    now: datetime,
    rules: CaseRules,
) -> Case:
    """MB-14: the first complaint about a target (or the first after its case closed) opens a case."""
    deadline = case_deadline(now, [category], rules.deadline_hours)
    return Case(
        id=case_id,
        target_type=target_type,
        target_id=target_id,
        author_id=author_id,
        category=category,
        categories=(category,),
        complaint_count=1,
        weight=weight,
        coordinated=False,
        priority=priority(deadline_hours(category, rules.deadline_hours), weight),
        victim_proof=victim_proof,
        opened_at=now,
        deadline=deadline,
        escalate_at=escalate_at(now, deadline, rules.escalate_fraction),
        version=1,
    )


def join_case(
    case: Case,
    *,
    category: str,
    added_weight: float,
    victim_proof: bool,
    coordinated_now: bool,
    rules: CaseRules,
) -> Case:
    """MB-14: a complaint joins the target's open case: its categories, weight and deadline (the strictest
    window of its categories, from the opening) follow; a burst marks it coordinated (never unmarked)."""
    categories = case.categories if category in case.categories else (*case.categories, category)
    deadline = min(case.deadline, case_deadline(case.opened_at, [category], rules.deadline_hours))
    weight = case.weight + added_weight
    lead = leading_category(categories, rules.deadline_hours)
    return replace(
        case,
        category=lead,
        categories=categories,
        complaint_count=case.complaint_count + 1,
        weight=weight,
        coordinated=case.coordinated or coordinated_now,
        priority=priority(deadline_hours(lead, rules.deadline_hours), weight, escalated=case.escalated),
        victim_proof=case.victim_proof or victim_proof,
        deadline=deadline,
        escalate_at=min(case.escalate_at, escalate_at(case.opened_at, deadline, rules.escalate_fraction)),
        version=case.version + 1,
    )


def escalate(case: Case, now: datetime) -> Case:
    """MB-14 / PA-15.2: a case unhandled at its escalation point is escalated (urgent), announced again."""
    return replace(case, escalated_at=now, priority=3, version=case.version + 1)


def visible_to(complaint: Complaint | None, complainant: uuid.UUID) -> Complaint:
    """A complaint as its complainant follows it (MB-14); anyone else's is not found."""
    if complaint is None or complaint.complainant_id != complainant:
        raise ComplaintNotFound("No such complaint of yours.")
    return complaint


def responsible_account(*, upheld: bool, author_id: uuid.UUID, named: uuid.UUID | None) -> uuid.UUID | None:
    """MB-14 / PA-6.2: an upheld complaint is against the author of the post complained about, never an
    account a reviewer picks; a named account must be that author. A dismissed one is against no one."""
    if named is not None and named != author_id:
        raise NotTheAuthor(
            "An upheld complaint is against the author of the post complained about; account_id names another "
            "account (leave it out).",
            requirement="MB-14",
        )
    return author_id if upheld else None


def decide(
    complaint: Complaint | None,
    *,
    author_id: uuid.UUID | None,
    upheld: bool,
    named: uuid.UUID | None,
    note: str,
    by: str,
) -> Outcome:
    """MB-14 / PA-6.2: a complaint (and so its case) is decided once, against the author of the target."""
    if complaint is None:
        raise ComplaintNotFound("No such complaint.")
    if complaint.decided_at is not None:
        raise ComplaintDecided("This complaint (its case) was decided already.", requirement="MB-14")
    if author_id is None:  # filed before reporting knew authors, and the post is not announced (yet)
        raise AuthorNotKnown("The author of the post complained about is not known yet.", requirement="MB-14")
    account_id = responsible_account(upheld=upheld, author_id=author_id, named=named)
    return Outcome(upheld=upheld, account_id=account_id, note=note, decided_by=by)


def case_outcome(case: Case, *, upheld: bool, action: str, note: str, by: str, at: datetime) -> Outcome | None:
    """MB-14 / PA-6.2: moderation's decision of a case as the outcome of every complaint of it; None when
    the case was decided already (a redelivery, or decided through the former per-complaint route)."""
    if case.state is CaseState.CLOSED:
        return None
    return Outcome(
        upheld=upheld,
        account_id=case.author_id if upheld else None,
        note=note,
        decided_by=by,
        action=action if upheld else Action.NONE,
        decided_at=at,
    )


def breached(case: Case, at: datetime) -> bool:
    """PA-15.2: a case handled (or still open) after its deadline breached it."""
    return at > case.deadline


# --- what the complainant sees (MB-14 feedback) --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Step:
    step: str  # received | grouped | escalated | decided
    at: datetime
    detail: dict[str, Any] = field(default_factory=dict)


def history(complaint: Complaint, case: Case | None) -> list[Step]:
    """MB-14: a complaint's steps as its complainant follows them: received (the receipt), grouped into its
    case, escalated (the deadline neared unhandled), decided with the outcome and a short reason."""
    steps = [Step("received", complaint.filed_at, {"receipt_number": complaint.receipt_number})]
    if case is not None:
        steps.append(
            Step("grouped", complaint.filed_at, {"case_id": str(case.id), "deadline": case.deadline.isoformat()})
        )
        if case.escalated_at is not None and (
            complaint.decided_at is None or case.escalated_at <= complaint.decided_at
        ):
            steps.append(Step("escalated", max(case.escalated_at, complaint.filed_at)))
    if complaint.decided_at is not None:
        steps.append(
            Step(
                "decided",
                complaint.decided_at,
                {
                    "outcome": complaint.status.value,
                    "action": complaint.action or Action.NONE.value,
                    "reason": complaint.outcome_note or "",
                },
            )
        )
    return steps
