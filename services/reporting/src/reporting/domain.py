"""Complaint rules, free of I/O: the reasons (the BJ-10 categories plus the platform's own) and who an
upheld complaint is against."""

from __future__ import annotations

import uuid
from enum import StrEnum

from kit.problems import InvalidInput


class ComplaintReason(StrEnum):
    # BJ-10 prohibited-content categories (MB-12)
    CONSTITUTION = "bj10.constitution"
    STATE_SECURITY = "bj10.state_security"
    NATIONAL_HONOUR = "bj10.national_honour"
    ETHNIC_HATRED = "bj10.ethnic_hatred"
    RELIGION_CULT = "bj10.religion_cult_superstition"
    RUMOUR = "bj10.rumour"
    OBSCENITY_GAMBLING_VIOLENCE = "bj10.obscenity_gambling_violence_terror_crime"
    INSULT_DEFAMATION = "bj10.insult_defamation"
    ILLEGAL_ASSEMBLY = "bj10.illegal_assembly"
    ILLEGAL_ORGANIZATION = "bj10.illegal_organization"
    OTHER_PROHIBITED = "bj10.other_prohibited"
    # not prohibited by BJ-10, still worth a look
    SPAM = "spam"
    IMPERSONATION = "impersonation"


# MB-14 / PA-15.2 / BJ-13: the report entry every complaint is filed under.
LEGAL_BASIS = ["MB-14", "PA-15.2", "BJ-13"]


class UnknownPost(InvalidInput):
    type = "unknown-post"
    title = "No such post"


class NotTheAuthor(InvalidInput):
    type = "not-the-author"
    title = "An upheld complaint is against the author"


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
