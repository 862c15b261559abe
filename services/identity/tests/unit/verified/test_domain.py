"""identity/verified/domain.py: display names (CM) and proofs (MB-8, MB-7.3)."""

from __future__ import annotations

import pytest
from identity.verified.domain import (
    DisplayNameMissing,
    Impersonation,
    VType,
    check_display_name,
    proof_mismatch,
    shown_name,
)


@pytest.mark.requirement("CM")
def test_a_name_containing_another_verified_name_is_refused_but_not_its_own() -> None:
    check_display_name("摄影师小明", own_verified=None, others_verified=["人民日报"])
    with pytest.raises(Impersonation):
        check_display_name("人民日报官方", own_verified=None, others_verified=["人民日报"])
    check_display_name("人民日报官方", own_verified="人民日报", others_verified=[])


@pytest.mark.requirement("MB-7.3")
def test_an_individual_chooses_the_name_it_shows() -> None:
    with pytest.raises(DisplayNameMissing):
        shown_name(VType.INDIVIDUAL, "欧阳明", None)
    assert shown_name(VType.ENTERPRISE, " 某某公司 ", None) == "某某公司"


@pytest.mark.requirement("MB-8")
def test_a_proof_must_be_the_verified_identitys() -> None:
    verified = {"subject_type": "individual", "verified_number": "110105199001011234", "verified_name": "张三"}
    assert proof_mismatch(VType.INDIVIDUAL, "张三", "110105199001011234", **verified) is None
    assert "number" in proof_mismatch(VType.INDIVIDUAL, "张三", "110105199001019999", **verified)
    assert "name" in proof_mismatch(VType.INDIVIDUAL, "李四", "110105199001011234", **verified)
    assert "subject" in proof_mismatch(VType.ENTERPRISE, "张三", "110105199001011234", **verified)
