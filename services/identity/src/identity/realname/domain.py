"""Real-name rules, free of I/O: what a valid identity number is (MB-7.1), and the cap on accounts per
subject (BJ-9, PA-7.3)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import pycountry
from kit.problems import Conflict, DomainError, Forbidden, InvalidInput
from stdnum import exceptions as stdnum_errors
from stdnum import numdb
from stdnum.cn import ric, uscc


class SubjectType(StrEnum):
    """The three kinds of subject behind an account (MB-7.1, PA-6.1, BJ-9)."""

    INDIVIDUAL = "individual"  # resident ID number
    ORGANIZATION = "organization"  # domestic: unified social credit code, or organization code
    FOREIGN_ORGANIZATION = "foreign_organization"  # home registration + the proof of its office in China


@dataclass(frozen=True)
class VerifiedIdentity:
    subject_type: SubjectType
    number: str  # compact form, upper case (for a foreign organization: COUNTRY:registration)
    province_code: str  # GB/T 2260 province code, e.g. "110000"
    number_kind: str = "ric"  # ric, uscc, organization_code, foreign_registration


class InvalidIdentityNumber(InvalidInput):
    type = "invalid-identity-number"
    title = "Invalid identity number"


class PhoneNotConfirmed(DomainError):
    status = 409
    type = "phone-not-confirmed"
    title = "Mobile number not confirmed"


class AlreadyVerified(DomainError):
    status = 409
    type = "already-verified"
    title = "Real name already verified"


def validate_identity(
    subject_type: SubjectType,
    number: str,
    *,
    region_code: str | None = None,
    country: str | None = None,
    office_certificate: str | None = None,
) -> VerifiedIdentity:
    """Check an identity number (MB-7.1) before asking the identity-check service about it.

    Individuals give an 18-digit resident ID (python-stdnum: MOD 11-2 check digit, region, birth
    date). Domestic organizations a unified social credit code (GB 32100, with its registration
    region) or a 9-character organization code (GB 11714) with the region they are registered in.
    Foreign organizations their home country and registration number, and the registration
    certificate of their office in China with that office's region.
    """
    if subject_type is SubjectType.FOREIGN_ORGANIZATION:
        return _foreign(number, country, office_certificate, region_code)
    try:
        if subject_type is SubjectType.INDIVIDUAL:
            compact = ric.validate(number)
            ric.get_birth_place(compact)  # the region code must be a real one
            province, kind = compact[:2] + "0000", "ric"
        elif len(number.replace("-", "").strip()) == 9:
            compact = validate_organization_code(number)
            province, kind = _province_of(region_code), "organization_code"
        else:
            compact = uscc.validate(number)
            _check_registration_region(compact[2:8])
            province, kind = compact[2:4] + "0000", "uscc"
    except stdnum_errors.InvalidChecksum as exc:
        raise InvalidIdentityNumber("The identity number's check digit is wrong.", requirement="MB-7.1") from exc
    except stdnum_errors.InvalidComponent as exc:
        raise InvalidIdentityNumber(
            "The identity number has an invalid region or birth date.", requirement="MB-7.1"
        ) from exc
    except stdnum_errors.ValidationError as exc:
        raise InvalidIdentityNumber("The identity number is not well formed.", requirement="MB-7.1") from exc
    return VerifiedIdentity(subject_type, compact.upper(), province, kind)


# GB 11714 organization code weights. python-stdnum has no module for this code (only for the
# unified social credit code that replaced it in 2015), so the check digit is computed here.
_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_CODE_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def validate_organization_code(number: str) -> str:
    """A 9-character GB 11714 organization code (8 characters and a check character)."""
    compact = number.replace("-", "").strip().upper()
    if len(compact) != 9 or any(c not in _ORG_CODE_ALPHABET for c in compact[:8]):
        raise stdnum_errors.InvalidFormat()
    total = sum(_ORG_CODE_ALPHABET.index(c) * w for c, w in zip(compact[:8], _ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    expected = "X" if check == 10 else "0" if check == 11 else str(check)
    if compact[8] != expected:
        raise stdnum_errors.InvalidChecksum()
    return compact


def _province_of(region_code: str | None) -> str:
    if not region_code or not region_code.isdigit() or len(region_code) != 6:
        raise InvalidIdentityNumber(
            "Give region_code: the GB/T 2260 code of the region of registration (for example 110105).",
            requirement="MB-10.1",
        )
    try:
        _check_registration_region(region_code)
    except stdnum_errors.InvalidComponent as exc:
        raise InvalidIdentityNumber("region_code is not a GB/T 2260 region.", requirement="MB-10.1") from exc
    return region_code[:2] + "0000"


def _foreign(number: str, country: str | None, certificate: str | None, region_code: str | None) -> VerifiedIdentity:
    home = pycountry.countries.get(alpha_2=(country or "").upper())
    if home is None or home.alpha_2 == "CN":
        raise InvalidIdentityNumber(
            "Give country: the ISO 3166-1 alpha-2 code of the home country (not CN).", requirement="MB-7.1"
        )
    registration = " ".join(number.split()).upper()
    if not 3 <= len(registration) <= 64:
        raise InvalidIdentityNumber("The home registration number is not well formed.", requirement="MB-7.1")
    if not certificate or not 6 <= len(certificate.strip()) <= 64:
        raise InvalidIdentityNumber(
            "Give office_certificate: the registration certificate of the office in China.", requirement="BJ-9"
        )
    return VerifiedIdentity(
        SubjectType.FOREIGN_ORGANIZATION,
        f"{home.alpha_2}:{registration}",
        _province_of(region_code),
        "foreign_registration",
    )


def _check_registration_region(code: str) -> None:
    # python-stdnum validates a USCC's check digit only; its GB/T 2260 region table (the one the
    # resident ID check uses) tells whether the registration region exists.
    parts = numdb.get("cn/loc").info(code)
    if not any(props for _part, props in parts):
        raise stdnum_errors.InvalidComponent()


class AccountCapReached(Conflict):
    type = "account-cap-reached"
    title = "Account cap reached"


class SubjectBlacklisted(Forbidden):
    type = "subject-blacklisted"
    title = "Subject blacklisted"


class DifferentSubject(Conflict):
    type = "different-subject"
    title = "A renewal must verify the same subject"


LEGAL_BASIS = ["MB-7.1", "PA-6.1", "BJ-9"]


def check_account_cap(subject_type: SubjectType, others: int, cap: int) -> None:
    """BJ-9 / PA-7.3: a subject backs at most ``cap`` accounts; ``others`` counts its other accounts that
    are not cancelled (a cancelled account frees its slot)."""
    if others >= cap:
        raise AccountCapReached(
            f"This {subject_type.value.replace('_', ' ')} already has {others} accounts; the cap is {cap}.",
            requirement="BJ-9",
            legal_basis=["BJ-9", "PA-7.3"],
        )


def check_not_blacklisted(blacklisted: bool) -> None:
    if blacklisted:
        raise SubjectBlacklisted(
            "This subject is blacklisted after serious violations and may not register again.",
            requirement="PA-13.2",
        )
