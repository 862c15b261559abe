"""Verified ("V") accounts and display names, free of I/O (MB-8, MB-10, MB-7.3, CM impersonation)."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from functools import cache
from pathlib import Path

from kit.problems import DomainError, InvalidInput
from textfold import Folder

PROTECTED_NAMES = Path(__file__).parent / "protected_names.txt"
MB10 = ["MB-8", "MB-10", "MB-10.1"]


class VType(StrEnum):
    INDIVIDUAL = "individual"
    ENTERPRISE = "enterprise"
    PUBLIC_INSTITUTION = "public_institution"
    GOVERNMENT = "government"
    MEDIA = "media"
    FOREIGN_ORGANIZATION = "foreign_organization"


class ApplicationStatus(StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REFUSED = "refused"


# Which kind of verified subject each type needs.
SUBJECT_FOR = {
    VType.INDIVIDUAL: "individual",
    VType.ENTERPRISE: "organization",
    VType.PUBLIC_INSTITUTION: "organization",
    VType.GOVERNMENT: "organization",
    VType.MEDIA: "organization",
    VType.FOREIGN_ORGANIZATION: "foreign_organization",
}


class Gone(DomainError):
    """A proof file purged with its account's personal data (PA-9.2): its record stays, its content is gone."""

    status = 410
    type = "gone"
    title = "Gone"


class Impersonation(InvalidInput):
    type = "impersonation"
    title = "Name imitates another"


class DisplayNameMissing(InvalidInput):
    type = "display-name-missing"
    title = "Choose the name to show"


@cache
def _folder() -> Folder:
    return Folder()


def fold(name: str) -> str:
    return _folder().fold(name)


@cache
def listed_names() -> tuple[str, ...]:
    lines = PROTECTED_NAMES.read_text(encoding="utf-8").splitlines()
    return tuple(f for f in (fold(n) for n in lines if n.strip() and not n.startswith("#")) if len(f) >= 2)


def check_display_name(name: str, *, own_verified: str | None, others_verified: Iterable[str]) -> None:
    """CM: refuse a name that, folded, contains a protected name (the list, or another account's
    verified name) that is not the account's own."""
    folded = fold(name)
    if len(folded) < 1:
        raise InvalidInput("A display name needs letters or characters.")
    own_folded = fold(own_verified) if own_verified else None
    protected = set(listed_names()) | {fold(n) for n in others_verified}
    for candidate in protected:
        if candidate and candidate != own_folded and candidate in folded:
            raise Impersonation(
                "This display name imitates a verified account, a government body or the platform.",
                requirement="CM",
            )


def shown_name(v_type: VType, proof_name: str, display_name: str | None) -> str:
    """MB-7.3: the name a V account shows. An individual chooses it (its legal name is not shown
    unless it chooses to); an organization shows its proof name unless it chooses another."""
    if display_name is not None and display_name.strip():
        return display_name.strip()
    if v_type is VType.INDIVIDUAL:
        raise DisplayNameMissing(
            "An individual's verified account shows a name of its choosing (display_name), never the legal name "
            "unasked.",
            requirement="MB-7.3",
        )
    return proof_name.strip()


def proof_mismatch(
    v_type: VType,
    proof_name: str,
    proof_number: str,
    *,
    subject_type: str,
    verified_number: str,
    verified_name: str,
) -> str | None:
    """Why the proof does not match the verified identity (None: it does). A foreign organization's
    verified number is COUNTRY:registration; its proof may give the registration alone."""
    if subject_type != SUBJECT_FOR[v_type]:
        return f"A {v_type.value} verification needs a verified {SUBJECT_FOR[v_type].replace('_', ' ')} subject."
    if proof_number.replace(" ", "").upper() not in (verified_number, verified_number.split(":", 1)[-1]):
        return "The number on the proof is not the verified identity's."
    if fold(proof_name) != fold(verified_name):
        return "The name on the proof is not the verified identity's."
    return None
