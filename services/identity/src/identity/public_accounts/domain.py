"""Public accounts (公众账号), free of I/O (PA-2, PA-6, PA-7, CM, MB-7.1, MB-8): who may register which
kind, the kind label (分类加注标识), the cap per subject and the operator declaration (PA-7.3), names
checked against impersonation, and what an acting token says."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any

from contracts.claims import AccessClaims, TokenKind
from kit.problems import Conflict, DomainError, Forbidden, InvalidInput

from identity.accounts.domain import access_claims
from identity.verified.domain import fold, listed_names

LEGAL_BASIS = ["PA-7.1", "PA-7.3"]


class PublicAccountKind(StrEnum):
    INDIVIDUAL = "individual"
    ENTERPRISE = "enterprise"
    MEDIA = "media"
    GOVERNMENT = "government"
    PUBLIC_INSTITUTION = "public_institution"
    OTHER_ORGANISATION = "other_organisation"


class Category(StrEnum):
    NEWS = "news"
    GOVERNMENT_AFFAIRS = "government_affairs"
    CULTURE = "culture"
    FINANCE = "finance"
    TECHNOLOGY = "technology"
    LIFESTYLE = "lifestyle"
    OTHER = "other"


class ApplicationStatus(StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REFUSED = "refused"


class Outcome(StrEnum):
    APPROVE = "approve"
    REFUSE = "refuse"


class OperatorRole(StrEnum):
    OWNER = "owner"
    EDITOR = "editor"


# 分类加注标识 (PA-7.1): the label every public account shows, by its kind.
LABELS: dict[PublicAccountKind, str] = {
    PublicAccountKind.MEDIA: "媒体",
    PublicAccountKind.GOVERNMENT: "政务",
    PublicAccountKind.ENTERPRISE: "企业",
    PublicAccountKind.PUBLIC_INSTITUTION: "事业单位",
    PublicAccountKind.INDIVIDUAL: "个人",
    PublicAccountKind.OTHER_ORGANISATION: "其他组织",
}

# Which kinds suit which subject (PA-7.1): an individual registers an individual's account; a domestic
# organisation any organisation's kind; a foreign organisation's office an enterprise or other organisation.
KINDS_FOR_SUBJECT: dict[str, frozenset[PublicAccountKind]] = {
    "individual": frozenset({PublicAccountKind.INDIVIDUAL}),
    "organization": frozenset(
        {
            PublicAccountKind.ENTERPRISE,
            PublicAccountKind.MEDIA,
            PublicAccountKind.GOVERNMENT,
            PublicAccountKind.PUBLIC_INSTITUTION,
            PublicAccountKind.OTHER_ORGANISATION,
        }
    ),
    "foreign_organization": frozenset({PublicAccountKind.ENTERPRISE, PublicAccountKind.OTHER_ORGANISATION}),
}
# MB-8: a media or government body's public account needs the registrant's V account of that type.
V_TYPE_NEEDED = {PublicAccountKind.MEDIA: "media", PublicAccountKind.GOVERNMENT: "government"}


class RealNameRequired(Forbidden):
    type = "real-name-required"
    title = "Real-name verification required"


class KindMismatch(InvalidInput):
    type = "kind-mismatch"
    title = "Kind does not suit the subject"


class NameImpersonates(InvalidInput):
    type = "name-impersonates"
    title = "Name imitates another"


class NameTaken(Conflict):
    type = "name-taken"
    title = "Name taken"


class PublicAccountCapReached(Conflict):
    type = "public-account-cap-reached"
    title = "Public account cap reached"


class OperatorDeclarationRequired(Conflict):
    type = "operator-declaration-required"
    title = "Operator declaration required"


class AlreadyDecided(Conflict):
    type = "already-decided"
    title = "Already decided"


class NotTheOwner(Forbidden):
    type = "not-the-owner"
    title = "Not the owner"


class NotAnOperator(Forbidden):
    type = "not-an-operator"
    title = "Not an operator"


class EditorNotVerified(InvalidInput):
    type = "editor-not-verified"
    title = "Editor not verified"


class ActingToken(Forbidden):
    type = "acting-token"
    title = "Acting token"


class PublicAccountClosed(DomainError):
    status = 403
    type = "public-account-closed"
    title = "Public account closed"


def label_of(kind: str) -> str:
    return LABELS[PublicAccountKind(kind)]


def check_registrant(real_name: Mapping[str, Any] | None, now: datetime) -> None:
    """MB-7.1 / MB-7.2: a public account is a verified subject's; an expired verification is renewed first."""
    if real_name is None:
        raise RealNameRequired("Verify your real name before registering a public account.", requirement="MB-7.1")
    if real_name["expires_at"] <= now:
        raise RealNameRequired(
            "Your real-name verification expired; renew it before registering a public account.",
            requirement="MB-7.2",
        )


def check_kind(kind: PublicAccountKind, *, subject_type: str, verified_type: str | None) -> None:
    """PA-7.1: the kind must suit the subject; a media or government account needs a V account of that type."""
    if kind not in KINDS_FOR_SUBJECT.get(subject_type, frozenset()):
        allowed = ", ".join(sorted(KINDS_FOR_SUBJECT.get(subject_type, ())))
        raise KindMismatch(
            f"A {subject_type.replace('_', ' ')} subject registers a public account of kind: {allowed}.",
            requirement="PA-7.1",
        )
    needed = V_TYPE_NEEDED.get(kind)
    if needed is not None and verified_type != needed:
        raise KindMismatch(
            f"A {kind.value} public account needs the registrant's verified account of type {needed} (MB-8).",
            requirement="PA-7.1",
        )


def check_name(
    name: str,
    *,
    own_verified: str | None,
    others_verified: Iterable[str],
    live_names: Iterable[str],
) -> str:
    """CM: the folded name; refused when it is another live public account's (409) or contains a
    protected name, another account's verified name or another public account's name (422) that is not
    the registrant's own verified name."""
    folded = fold(name)
    if len(folded) < 2:
        raise InvalidInput("A public account's name needs at least two letters or characters.", requirement="PA-7.1")
    live = {fold(n) for n in live_names}
    if folded in live:
        raise NameTaken("Another public account has this name.", requirement="CM")
    own = fold(own_verified) if own_verified else None
    protected = set(listed_names()) | {fold(n) for n in others_verified} | live
    for candidate in protected:
        if candidate and candidate != own and candidate in folded:
            raise NameImpersonates(
                "This name imitates a verified account, a public account, a government body or the platform.",
                requirement="CM",
            )
    return folded


def check_cap(subject_type: str, live_accounts: int, caps: Mapping[str, int]) -> None:
    """PA-7.3: a subject operates a capped number of live public accounts, by kind of subject."""
    cap = caps[subject_type]
    if live_accounts >= cap:
        raise PublicAccountCapReached(
            f"This subject operates {live_accounts} public accounts; the cap for a "
            f"{subject_type.replace('_', ' ')} is {cap}.",
            requirement="PA-7.3",
        )


def check_declaration(subject_type: str, live_accounts: Iterable[str], declared: Iterable[Iterable[str]]) -> None:
    """PA-7.3: an organisation's second (and every further) live public account needs an operator
    declaration of the subject listing the public accounts it already operates."""
    live = {str(a) for a in live_accounts}
    if subject_type == "individual" or not live:
        return
    if not any(live <= {str(a) for a in accounts} for accounts in declared):
        raise OperatorDeclarationRequired(
            "An organisation operating several public accounts declares them first "
            "(POST /v1/accounts/me/operator-declaration listing its public accounts).",
            requirement="PA-7.3",
        )


def check_may_add_editor(real_name: Mapping[str, Any] | None, now: datetime) -> None:
    """MB-7.1: an editor publishes as the account, so an editor is real-name verified."""
    if real_name is None or real_name["expires_at"] <= now:
        raise EditorNotVerified("An editor must be a real-name verified account.", requirement="MB-7.1")


def acting_claims(operator: Mapping[str, Any], public_account: Mapping[str, Any], now: datetime) -> AccessClaims:
    """What an acting token says (PA-7.1): ``sub`` the public account, ``act`` the operator; the
    operator's real name (MB-7.1, MB-7.2) and agreement (MB-6.2); the public account's province and
    its approval as its registration."""
    own = access_claims(operator, now)
    return AccessClaims(
        subject=str(public_account["account_id"]),
        kind=TokenKind.USER,
        real_name_verified=own.real_name_verified,
        real_name_expires_at=own.real_name_expires_at,
        accepted_agreement=own.accepted_agreement,
        agreement_version=own.agreement_version,
        province=public_account["province_code"],
        registered_at=public_account["approved_at"],
        actor=str(operator["id"]),
    )
