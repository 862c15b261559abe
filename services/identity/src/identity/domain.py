"""Identity's rules, free of I/O: what a valid identity number and mobile number are."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import phonenumbers
from kit.problems import DomainError, InvalidInput
from stdnum import exceptions as stdnum_errors
from stdnum import numdb
from stdnum.cn import ric, uscc


class SubjectType(StrEnum):
    INDIVIDUAL = "individual"
    ORGANIZATION = "organization"


@dataclass(frozen=True)
class VerifiedIdentity:
    subject_type: SubjectType
    number: str  # compact form, upper case
    province_code: str  # GB/T 2260 province code, e.g. "110000"


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


def validate_identity(subject_type: SubjectType, number: str) -> VerifiedIdentity:
    """Check an identity number with python-stdnum (MB-7.1): check digit, region and birth date.

    Individuals give an 18-digit resident ID (ISO 7064 MOD 11-2); organizations a unified social
    credit code (GB 32100).
    """
    try:
        if subject_type is SubjectType.INDIVIDUAL:
            compact = ric.validate(number)
            ric.get_birth_place(compact)  # the region code must be a real one
            province = compact[:2] + "0000"
        else:
            compact = uscc.validate(number)
            _check_registration_region(compact[2:8])
            province = compact[2:4] + "0000"
    except stdnum_errors.InvalidChecksum as exc:
        raise InvalidIdentityNumber("The identity number's check digit is wrong.", requirement="MB-7.1") from exc
    except stdnum_errors.InvalidComponent as exc:
        raise InvalidIdentityNumber(
            "The identity number has an invalid region or birth date.", requirement="MB-7.1"
        ) from exc
    except stdnum_errors.ValidationError as exc:
        raise InvalidIdentityNumber("The identity number is not well formed.", requirement="MB-7.1") from exc
    return VerifiedIdentity(subject_type, compact.upper(), province)


def _check_registration_region(code: str) -> None:
    # python-stdnum validates a USCC's check digit only; its GB/T 2260 region table (the one the
    # resident ID check uses) tells whether the registration region exists.
    parts = numdb.get("cn/loc").info(code)
    if not any(props for _part, props in parts):
        raise stdnum_errors.InvalidComponent()


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
