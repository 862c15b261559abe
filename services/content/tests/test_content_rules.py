"""Content's rules without I/O: who may publish and who sees a post."""

from __future__ import annotations

import pytest
from content.domain import PostStatus, PostTooLong, RealNameRequired, check_length, check_may_publish, visible_to
from kit.auth import Principal
from kit.problems import Forbidden, InvalidInput


@pytest.mark.requirement("MB-7.1")
@pytest.mark.parametrize("claims", [{}, {"rnv": False}, {"rnv": "true"}])
def test_publishing_without_verified_real_name_is_refused(claims: dict) -> None:
    with pytest.raises(RealNameRequired) as refused:
        check_may_publish(Principal("a", claims))
    assert refused.value.requirement == "MB-7.1"
    assert refused.value.status == 403


def test_verified_account_may_publish() -> None:
    check_may_publish(Principal("a", {"rnv": True, "tos": True}))


@pytest.mark.requirement("MB-6.2")
def test_publishing_needs_the_agreement_accepted() -> None:
    with pytest.raises(Forbidden) as refused:
        check_may_publish(Principal("a", {"rnv": True, "tos": False}))
    assert refused.value.requirement == "MB-6.2"


@pytest.mark.requirement("MB-7.2")
def test_an_expired_real_name_cannot_publish() -> None:
    with pytest.raises(Forbidden) as refused:
        check_may_publish(Principal("a", {"rnv": True, "tos": True, "rnx": 1}))
    assert refused.value.requirement == "MB-7.2"


def test_length_limit_and_empty_text() -> None:
    assert check_length("  hi  ", 10) == "hi"
    with pytest.raises(PostTooLong):
        check_length("x" * 11, 10)
    with pytest.raises(InvalidInput):
        check_length("   ", 10)


@pytest.mark.requirement("MB-12.2")
def test_visibility_by_status() -> None:
    assert visible_to(PostStatus.PUBLISHED, "author", None)
    assert visible_to(PostStatus.PENDING, "author", "author")
    assert not visible_to(PostStatus.PENDING, "author", "someone")
    assert not visible_to(PostStatus.PENDING, "author", None)
    assert not visible_to(PostStatus.STOPPED, "author", "author")
