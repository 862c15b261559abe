"""Identity's rules without I/O: identity numbers, mobile numbers, personal data, tokens."""

from __future__ import annotations

import asyncio
import base64
import os
import time

import jwt
import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from identity.accounts.domain import InvalidMobileNumber, mask_mobile, normalise_mainland_mobile
from identity.pii import PersonalDataVault
from identity.realname.domain import InvalidIdentityNumber, SubjectType, validate_identity
from identity.tokens import TokenIssuer
from kit.auth import TokenVerifier
from kit.problems import Unauthorized
from stdnum.cn import ric, uscc


def with_ric_check(body17: str) -> str:
    return body17 + ric.calc_check_digit(body17 + "0")


def with_uscc_check(body17: str) -> str:
    return body17 + uscc.calc_check_digit(body17 + "0")


@pytest.mark.requirement("MB-7.1")
def test_valid_resident_id_gives_its_province() -> None:
    number = with_ric_check("44030519851231123")
    identity = validate_identity(SubjectType.INDIVIDUAL, number.lower())
    assert identity.number == number.upper()
    assert identity.province_code == "440000"


@pytest.mark.requirement("MB-7.1")
def test_valid_unified_social_credit_code_gives_its_province() -> None:
    code = with_uscc_check("91310115MA1K3YJ7A")
    identity = validate_identity(SubjectType.ORGANIZATION, code)
    assert identity.province_code == "310000"


@pytest.mark.requirement("MB-7.1")
@pytest.mark.parametrize(
    ("subject", "number", "why"),
    [
        (SubjectType.INDIVIDUAL, "110105199001011230", "check digit"),
        (SubjectType.INDIVIDUAL, with_ric_check("99010519900101123"), "region"),
        (SubjectType.INDIVIDUAL, with_ric_check("11010519900230123"), "region or birth date"),
        (SubjectType.INDIVIDUAL, "11010519900101", "well formed"),
        (SubjectType.ORGANIZATION, with_uscc_check("91990115MA1K3YJ7A"), "region"),
        (SubjectType.ORGANIZATION, "91310115MA1K3YJ7A0", "check digit"),
    ],
)
def test_invalid_identity_numbers_are_refused_naming_mb_7_1(subject: SubjectType, number: str, why: str) -> None:
    with pytest.raises(InvalidIdentityNumber) as refused:
        validate_identity(subject, number)
    assert refused.value.requirement == "MB-7.1"
    assert refused.value.status == 422
    assert why.split()[0] in refused.value.detail


@pytest.mark.requirement("MB-7.1")
def test_mainland_mobile_numbers_are_normalised_and_others_refused() -> None:
    assert normalise_mainland_mobile("138 0013 8000") == "+8613800138000"
    assert normalise_mainland_mobile("+86 13800138000") == "+8613800138000"
    assert mask_mobile("+8613800138000") == "+86138****8000"
    for bad in ["+14155552671", "+861012345678", "12345", "not a number"]:
        with pytest.raises(InvalidMobileNumber):
            normalise_mainland_mobile(bad)


def _vault() -> PersonalDataVault:
    return PersonalDataVault(base64.b64encode(os.urandom(32)).decode(), base64.b64encode(os.urandom(32)).decode())


@pytest.mark.requirement("MB-7.3")
def test_personal_data_is_sealed_and_bound_to_its_purpose() -> None:
    vault = _vault()
    sealed = vault.seal("11010519491231002X", purpose="id-number")
    assert b"11010519491231002X" not in sealed
    assert vault.open(sealed, purpose="id-number") == "11010519491231002X"
    with pytest.raises(InvalidTag):
        vault.open(sealed, purpose="phone")
    assert vault.seal("x", purpose="p") != vault.seal("x", purpose="p")  # fresh nonce each time


@pytest.mark.requirement("MB-7.3")
def test_lookup_hash_is_stable_keyed_and_purpose_bound() -> None:
    vault, other = _vault(), _vault()
    assert vault.lookup_hash("+8613800138000", purpose="phone") == vault.lookup_hash("+8613800138000", purpose="phone")
    assert vault.lookup_hash("+8613800138000", purpose="phone") != other.lookup_hash("+8613800138000", purpose="phone")
    assert vault.lookup_hash("1", purpose="phone") != vault.lookup_hash("1", purpose="otp")


def _issuer(ttl_s: int = 60) -> TokenIssuer:
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return TokenIssuer(base64.b64encode(pem).decode(), issuer="iss", audience="aud", ttl_s=ttl_s)


def _verifier(issuer: TokenIssuer) -> TokenVerifier:
    verifier = TokenVerifier("http://127.0.0.1:9/unused", issuer="iss", audience="aud", min_refresh_s=3600)
    verifier.use_keys(issuer.jwks())
    return verifier


def test_tokens_verify_against_the_jwks_and_carry_their_claims() -> None:
    issuer = _issuer()
    principal = asyncio.run(_verifier(issuer).verify(issuer.issue("acct-1", rnv=True)))
    assert principal.subject == "acct-1"
    assert principal.claim("rnv") is True
    assert issuer.jwks()["keys"][0]["kty"] == "OKP"


def test_tokens_from_another_key_or_expired_are_refused() -> None:
    issuer, stranger = _issuer(), _issuer()
    verifier = _verifier(issuer)
    with pytest.raises(Unauthorized):
        asyncio.run(verifier.verify(stranger.issue("acct-1")))
    expired = jwt.encode(
        {"iss": "iss", "aud": "aud", "sub": "a", "iat": int(time.time()) - 100, "exp": int(time.time()) - 50},
        issuer._key,
        algorithm="EdDSA",
        headers={"kid": issuer.kid},
    )
    with pytest.raises(Unauthorized, match="expired"):
        asyncio.run(verifier.verify(expired))


def _key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


@pytest.mark.requirement("MB-7.3")
def test_key_rotation_keeps_old_personal_data_readable_and_rewraps_it() -> None:
    old, new, lookup = _key(), _key(), _key()
    before = PersonalDataVault(old, lookup).seal("110105199001011234", purpose="id-number")
    rotated = PersonalDataVault(new, lookup, retired_keys_b64=(old,))
    assert rotated.open(before, purpose="id-number") == "110105199001011234"
    assert not rotated.sealed_with_current_key(before)
    moved = rotated.rewrap(before, purpose="id-number")
    assert rotated.sealed_with_current_key(moved)
    assert moved[-30:] == before[-30:]  # the data itself untouched: only the data key is re-wrapped
    assert PersonalDataVault(new, lookup).open(moved, purpose="id-number") == "110105199001011234"
    with pytest.raises(KeyError):
        PersonalDataVault(new, lookup).open(before, purpose="id-number")  # the retired key is needed until rewrap


def test_envelopes_bind_the_purpose_and_use_a_fresh_data_key_each_time() -> None:
    vault = _vault()
    first, second = vault.seal("+8613800138000", purpose="phone"), vault.seal("+8613800138000", purpose="phone")
    assert first != second
    with pytest.raises(InvalidTag):
        vault.open(first, purpose="id-number")


def test_values_sealed_before_envelopes_still_open() -> None:
    key, lookup = _key(), _key()
    nonce = os.urandom(12)
    legacy = nonce + AESGCM(base64.b64decode(key)).encrypt(nonce, b"+8613800138000", b"phone")
    vault = PersonalDataVault(key, lookup)
    assert vault.open(legacy, purpose="phone") == "+8613800138000"
    assert vault.sealed_with_current_key(vault.rewrap(legacy, purpose="phone"))
