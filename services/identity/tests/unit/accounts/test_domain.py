"""identity/accounts/domain.py: who may use an account, and what a token says."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from identity.accounts.domain import AccountCancelled, AccountClosed, access_claims, check_active
from kit.auth import TokenRevoked

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def account(**overrides: object) -> dict:
    return {
        "id": "6f1c1d2e-0000-4000-8000-000000000001",
        "created_at": NOW - timedelta(days=30),
        "verified_at": NOW - timedelta(days=1),
        "expires_at": NOW + timedelta(days=364),
        "province_code": "110000",
        "accepted_version": 2,
        "version_in_force": 2,
        **overrides,
    }


@pytest.mark.requirement("MB-6.2")
def test_a_token_says_the_agreement_was_accepted_only_for_the_version_in_force() -> None:
    claims = access_claims(account(), NOW).to_claims()
    assert claims["tos"] is True and claims["tosv"] == 2
    older = access_claims(account(accepted_version=1), NOW).to_claims()
    assert older["tos"] is False and "tosv" not in older
    assert access_claims(account(accepted_version=None), NOW).to_claims()["tos"] is False


@pytest.mark.requirement("MB-7.2")
def test_an_expired_verification_is_not_verified_but_its_expiry_is_told() -> None:
    claims = access_claims(account(expires_at=NOW - timedelta(seconds=1)), NOW).to_claims()
    assert claims["rnv"] is False and claims["rnx"] == int((NOW - timedelta(seconds=1)).timestamp())


@pytest.mark.requirement("PA-9.2")
@pytest.mark.requirement("PA-13.1")
def test_cancelled_closed_and_ended_sessions_are_refused() -> None:
    state = {"cancelled_at": None, "closed_at": None, "issued_before": None, "legal_basis": []}
    check_active(state, NOW.timestamp())
    with pytest.raises(AccountCancelled):
        check_active({**state, "cancelled_at": NOW}, NOW.timestamp())
    with pytest.raises(AccountClosed):
        check_active({**state, "closed_at": NOW}, NOW.timestamp())
    ended = {**state, "issued_before": NOW, "legal_basis": ["PA-13.1"]}
    with pytest.raises(TokenRevoked) as revoked:
        check_active(ended, NOW.timestamp() - 1)
    assert revoked.value.requirement == "PA-13.1"
    check_active(ended, NOW.timestamp() + 1)  # signed in again since
