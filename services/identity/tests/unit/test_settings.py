"""identity/settings.py: what start-up refuses."""

from __future__ import annotations

import base64
import os

import pytest
from identity.settings import MIN_RETENTION_DAYS, IdentitySettings
from pydantic import ValidationError


def _settings(**overrides: object) -> IdentitySettings:
    key = base64.b64encode(os.urandom(32)).decode()
    return IdentitySettings(
        database_url="postgresql://unused/identity",
        token_signing_key="unused",
        pii_encryption_key=key,
        pii_lookup_key=key,
        **overrides,
    )


@pytest.mark.requirement("MB-16.2")
def test_cancelled_accounts_are_kept_six_months_by_default() -> None:
    assert _settings().cancelled_retention_days == MIN_RETENTION_DAYS >= 184


@pytest.mark.requirement("MB-16.2")
@pytest.mark.parametrize("days", [0, 180, 183.9])
def test_a_retention_shorter_than_six_months_is_refused_at_start_up(days: float) -> None:
    with pytest.raises(ValidationError, match=r"MB-16\.2"):
        _settings(cancelled_retention_days=days)


@pytest.mark.requirement("MB-16.2")
def test_a_longer_retention_is_accepted() -> None:
    assert _settings(cancelled_retention_days=365).cancelled_retention_days == 365
