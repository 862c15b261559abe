"""Account rules, free of I/O: mobile numbers (MB-7.1), who may use an account (PA-9.2, PA-13.1), and
what an access token says of its holder."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import phonenumbers
from contracts.claims import AccessClaims, TokenKind
from kit.auth import TokenRevoked
from kit.problems import Conflict, DomainError, Forbidden, InvalidInput, Unauthorized


class UsernameTaken(Conflict):
    type = "username-taken"
    title = "Username taken"


class AccountClosed(Forbidden):
    type = "account-closed"
    title = "Account closed"


class AccountCancelled(Forbidden):
    type = "account-cancelled"
    title = "Account cancelled"


class CodeRejected(DomainError):
    status = 422
    type = "code-rejected"
    title = "Code rejected"


CANCELLATION_BASIS = ["PA-9.2"]


def check_active(state: Mapping[str, Any], token_issued_at: float) -> None:
    """A user's own routes: refused for a cancelled (PA-9.2) or closed (PA-13.1) account, and for a
    token issued before the account's sessions were ended (``state``: cancelled_at, closed_at and the
    latest ended sessions' issued_before and legal_basis)."""
    if state["cancelled_at"] is not None:
        raise AccountCancelled("This account was cancelled.", requirement="PA-9.2")
    if state["closed_at"] is not None:
        raise AccountClosed("This account was closed for serious violations.", requirement="PA-13.1")
    ended = state["issued_before"]
    if ended is not None and token_issued_at < ended.timestamp():
        raise TokenRevoked(
            "This session was ended; sign in again.", requirement=(list(state["legal_basis"]) or [None])[0]
        )


def check_may_sign_in(account: Mapping[str, Any]) -> None:
    """After the password matched: a cancelled account no longer exists; a closed one is refused."""
    if account["cancelled_at"] is not None:
        raise Unauthorized("Username or password is wrong.")
    if account["closed_at"] is not None:
        raise AccountClosed("This account was closed for serious violations.", requirement="PA-13.1")


def real_name_verified(account: Mapping[str, Any], now: datetime) -> bool:
    return account["verified_at"] is not None and account["expires_at"] > now


def access_claims(account: Mapping[str, Any], now: datetime, *, client_id: str | None = None) -> AccessClaims:
    """What a user's token says of its holder (``account``: an account with its real name, the agreement
    version it accepted and the one in force). The meaning of each claim is the contract's
    (contracts.claims); a token says the agreement was accepted, and which version, only for the
    version in force (MB-6.2): a newer one revokes it."""
    accepted = account["accepted_version"] is not None and account["accepted_version"] == account["version_in_force"]
    return AccessClaims(
        subject=str(account["id"]),
        kind=TokenKind.USER,
        real_name_verified=real_name_verified(account, now),
        real_name_expires_at=account["expires_at"],
        accepted_agreement=accepted,
        agreement_version=account["accepted_version"] if accepted else None,
        province=account["province_code"] or None,
        registered_at=account["created_at"],
        client_id=client_id,
    )


class InvalidMobileNumber(InvalidInput):
    type = "invalid-mobile-number"
    title = "Invalid mobile number"


def normalise_mainland_mobile(raw: str) -> str:
    """A mainland China mobile number in E.164 (+86...), as MB-7.1 requires."""
    try:
        number = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException as exc:
        raise InvalidMobileNumber("The mobile number cannot be parsed.", requirement="MB-7.1") from exc
    if (
        number.country_code != 86
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE
    ):
        raise InvalidMobileNumber("A mainland China (+86) mobile number is required.", requirement="MB-7.1")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mask_mobile(e164: str) -> str:
    return e164[:6] + "****" + e164[-4:]
