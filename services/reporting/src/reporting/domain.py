"""Complaint rules, free of I/O: the reasons a complaint may give (the BJ-10 categories plus the
platform's own), what a complaint is, and who an upheld complaint is against (MB-14, PA-6.2)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from contracts.categories import Bj10Category
from kit.problems import Conflict, InvalidInput, NotFound


class OtherReason(StrEnum):
    """Not prohibited by BJ-10, still worth a look: reporting's own reasons."""

    SPAM = "spam"
    IMPERSONATION = "impersonation"


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

    @property
    def legal_basis(self) -> list[str]:
        return list(LEGAL_BASIS)


@dataclass(frozen=True, slots=True)
class Outcome:
    """A reviewer's outcome of a complaint (MB-14)."""

    upheld: bool
    account_id: uuid.UUID | None  # whom an upheld complaint is against: the post's author
    note: str
    decided_by: str

    @property
    def status(self) -> ComplaintStatus:
        return ComplaintStatus.UPHELD if self.upheld else ComplaintStatus.DISMISSED


class UnknownPost(InvalidInput):
    type = "unknown-post"
    title = "No such post"


class NotTheAuthor(InvalidInput):
    type = "not-the-author"
    title = "An upheld complaint is against the author"


class ComplaintNotFound(NotFound):
    pass


class ComplaintDecided(Conflict):
    pass


class AuthorNotKnown(Conflict):
    pass


def check_known_post(author_id: uuid.UUID | None) -> uuid.UUID:
    """MB-14: a complaint names a post content published (announced to reporting)."""
    if author_id is None:
        # Never announced by content (or not yet: a post is known here moments after it is accepted).
        raise UnknownPost("No post with this id has been published.", requirement="MB-14")
    return author_id


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
    """MB-14 / PA-6.2: a complaint is decided once, against the author of the post complained about."""
    if complaint is None:
        raise ComplaintNotFound("No such complaint.")
    if complaint.decided_at is not None:
        raise ComplaintDecided("This complaint was decided already.", requirement="MB-14")
    if author_id is None:  # filed before reporting knew authors, and the post is not announced (yet)
        raise AuthorNotKnown("The author of the post complained about is not known yet.", requirement="MB-14")
    account_id = responsible_account(upheld=upheld, author_id=author_id, named=named)
    return Outcome(upheld=upheld, account_id=account_id, note=note, decided_by=by)
