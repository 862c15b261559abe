"""Account rules, free of I/O: mobile numbers (MB-7.1), who may use an account (PA-9.2, PA-13.1), and
what an access token says of its holder."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import phonenumbers
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


def access_claims(account: Mapping[str, Any], now: datetime, *, client_id: str | None = None) -> dict[str, Any]:
    """What a user's token says (``account``: an account with its real name and the agreement it accepted).

    rnv: real-name verified (MB-7.1); content refuses publishing without it. rnx: when the verification
    expires (MB-7.2); content refuses publishing after it, even with a token issued before. prov: the
    province of registration (GB/T 2260, not personal data on its own): content passes it on with each
    post, so a regional emergency mode (MB-6.1) applies from the first post. reg: when the account was
    registered (MB-9: new accounts may be reviewed more strictly). tos: the holder accepted the service
    agreement in force (MB-6.2); tosv: which version, so a newer one revokes the token at once.
    cid: issued through a registered third-party client (BJ-7(6))."""
    accepted = account["accepted_version"]
    claims: dict[str, Any] = {
        "rnv": real_name_verified(account, now),
        "reg": int(account["created_at"].timestamp()),
        "tos": accepted is not None and accepted == account["version_in_force"],
    }
    if claims["tos"]:
        claims["tosv"] = accepted
    if account["expires_at"] is not None:
        claims["rnx"] = int(account["expires_at"].timestamp())
    if client_id is not None:
        claims["cid"] = client_id
    if account["province_code"]:
        claims["prov"] = account["province_code"]
    return claims


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
