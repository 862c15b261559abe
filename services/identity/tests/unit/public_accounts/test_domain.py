"""Public accounts' rules, free of I/O (PA-7.1, PA-7.3, CM)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from identity.public_accounts.domain import (
    KindMismatch,
    NameImpersonates,
    NameTaken,
    OperatorDeclarationRequired,
    PublicAccountCapReached,
    PublicAccountKind,
    RealNameRequired,
    acting_claims,
    check_cap,
    check_declaration,
    check_kind,
    check_name,
    check_registrant,
    label_of,
)
from kit.problems import DomainError

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)
CAPS = {"individual": 2, "organization": 50, "foreign_organization": 5}


def test_the_label_follows_the_kind() -> None:
    assert label_of("media") == "媒体" and label_of("government") == "政务" and label_of("individual") == "个人"


def test_a_registrant_is_verified_and_not_expired() -> None:
    with pytest.raises(RealNameRequired) as none:
        check_registrant(None, NOW)
    assert none.value.requirement == "MB-7.1"
    with pytest.raises(RealNameRequired) as expired:
        check_registrant({"expires_at": NOW - timedelta(seconds=1)}, NOW)
    assert expired.value.requirement == "MB-7.2"
    check_registrant({"expires_at": NOW + timedelta(days=1)}, NOW)


def test_the_kind_suits_the_subject_and_media_needs_its_v_type() -> None:
    check_kind(PublicAccountKind.INDIVIDUAL, subject_type="individual", verified_type=None)
    check_kind(PublicAccountKind.ENTERPRISE, subject_type="organization", verified_type=None)
    check_kind(PublicAccountKind.MEDIA, subject_type="organization", verified_type="media")
    for kind, subject, v in [
        (PublicAccountKind.ENTERPRISE, "individual", None),
        (PublicAccountKind.INDIVIDUAL, "organization", None),
        (PublicAccountKind.MEDIA, "organization", "enterprise"),
        (PublicAccountKind.GOVERNMENT, "foreign_organization", "government"),
    ]:
        with pytest.raises(KindMismatch):
            check_kind(kind, subject_type=subject, verified_type=v)


def test_names_imitating_others_are_refused_and_the_own_verified_name_is_not() -> None:
    with pytest.raises(NameImpersonates):
        check_name("人民日报读书会", own_verified=None, others_verified=[], live_names=[])
    with pytest.raises(NameImpersonates):
        check_name("青朗科技粉丝", own_verified=None, others_verified=["青朗科技"], live_names=[])
    with pytest.raises(NameTaken):
        check_name("读书 笔记", own_verified=None, others_verified=[], live_names=["读书笔记"])
    with pytest.raises(NameImpersonates):
        check_name("读书笔记官方", own_verified=None, others_verified=[], live_names=["读书笔记"])
    assert check_name("青朗科技", own_verified="青朗科技", others_verified=[], live_names=[]) == "青朗科技"


def test_the_cap_counts_live_accounts_by_subject_kind() -> None:
    check_cap("individual", 1, CAPS)
    with pytest.raises(PublicAccountCapReached) as capped:
        check_cap("individual", 2, CAPS)
    assert capped.value.requirement == "PA-7.3"
    check_cap("organization", 49, CAPS)


def test_an_organisations_second_account_needs_a_declaration_listing_the_first() -> None:
    first, other = uuid.uuid4(), uuid.uuid4()
    check_declaration("organization", [], [])
    check_declaration("individual", [first], [])
    with pytest.raises(OperatorDeclarationRequired):
        check_declaration("organization", [first], [[other]])
    check_declaration("organization", [first], [[other], [first, other]])


def test_an_acting_token_is_the_public_accounts_with_the_operators_real_name() -> None:
    operator = {
        "id": uuid.uuid4(),
        "verified_at": NOW - timedelta(days=1),
        "expires_at": NOW + timedelta(days=300),
        "accepted_version": 2,
        "version_in_force": 2,
        "province_code": "440000",
        "created_at": NOW - timedelta(days=30),
    }
    public = {"account_id": uuid.uuid4(), "province_code": "110000", "approved_at": NOW}
    claims = acting_claims(operator, public, NOW).to_claims()
    assert claims["sub"] == str(public["account_id"]) and claims["act"] == str(operator["id"])
    assert claims["rnv"] is True and claims["tos"] is True and claims["prov"] == "110000"
    assert claims["reg"] == int(NOW.timestamp())


def test_every_refusal_is_a_problem_naming_a_requirement() -> None:
    for error in (KindMismatch, NameImpersonates, NameTaken, OperatorDeclarationRequired, PublicAccountCapReached):
        assert issubclass(error, DomainError) and 400 <= error.status < 500
