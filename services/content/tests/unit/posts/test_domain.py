"""Content's rules without I/O: who may publish and who sees a post."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from content.posts.domain import PostStatus, PostTooLong, RealNameRequired, check_length, check_may_publish, visible_to
from kit.auth import Principal
from kit.problems import Forbidden, InvalidInput

NOW = datetime.now(UTC)


@pytest.mark.requirement("MB-7.1")
@pytest.mark.parametrize("claims", [{}, {"rnv": False}, {"rnv": "true"}])
def test_publishing_without_verified_real_name_is_refused(claims: dict) -> None:
    with pytest.raises(RealNameRequired) as refused:
        check_may_publish(Principal("a", {"sub": "a", **claims}).access, NOW)
    assert refused.value.requirement == "MB-7.1"
    assert refused.value.status == 403


def test_verified_account_may_publish() -> None:
    check_may_publish(Principal("a", {"sub": "a", "rnv": True, "tos": True}).access, NOW)


@pytest.mark.requirement("MB-6.2")
def test_publishing_needs_the_agreement_accepted() -> None:
    with pytest.raises(Forbidden) as refused:
        check_may_publish(Principal("a", {"sub": "a", "rnv": True, "tos": False}).access, NOW)
    assert refused.value.requirement == "MB-6.2"


@pytest.mark.requirement("MB-7.2")
def test_an_expired_real_name_cannot_publish() -> None:
    with pytest.raises(Forbidden) as refused:
        check_may_publish(Principal("a", {"sub": "a", "rnv": True, "tos": True, "rnx": 1}).access, NOW)
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


@pytest.mark.requirement("PA-13.1")
def test_standing_refuses_closed_suspended_cancelled_and_no_posting() -> None:
    from datetime import UTC, datetime, timedelta

    from content.posts.domain import (
        AccountCancelled,
        AccountClosed,
        CreditTooLow,
        Standing,
        UpdatesSuspended,
        check_standing,
    )

    now = datetime.now(UTC)
    check_standing(None, now)
    check_standing(Standing(suspended_until=now - timedelta(seconds=1)), now)
    for standing, refusal in [
        (Standing(cancelled_at=now), AccountCancelled),
        (Standing(closed=True), AccountClosed),
        (Standing(suspended_until=now + timedelta(hours=1)), UpdatesSuspended),
        (Standing(limits=("no_posting",), credit_level="D"), CreditTooLow),
    ]:
        with pytest.raises(refusal):
            check_standing(standing, now)


def test_the_same_request_hashes_the_same_and_another_is_refused() -> None:
    from content.posts.domain import IdempotencyKeyReused, check_same_request, request_sha256

    first = request_sha256(text="你好")
    assert request_sha256(text="你好") == first != request_sha256(text="再见")
    check_same_request(first, first)
    check_same_request(None, first)  # a key stored before the hash was kept replays
    with pytest.raises(IdempotencyKeyReused) as refused:
        check_same_request(first, request_sha256(text="再见"))
    assert refused.value.status == 422 and refused.value.type == "idempotency-key-reused"
