"""Complaint reasons, free of I/O: the BJ-10 categories plus the platform's own."""

from __future__ import annotations

from enum import StrEnum


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
