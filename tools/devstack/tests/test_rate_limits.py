"""The gateway's rate limits: protecting defaults per route class, raised from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest
from devstack.stack import DEFAULT_RATE_LIMITS, StackConfig


def test_defaults_protect_every_route_class(tmp_path: Path) -> None:
    limits = StackConfig(run_dir=tmp_path).effective_rate_limits()
    assert limits == DEFAULT_RATE_LIMITS
    assert limits["auth"][0] <= 5  # sign-in, registration, SMS codes: a few per second per address
    assert all(average <= 1000 for average, _ in limits.values())


def test_one_class_from_the_environment_keeps_the_others_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GATEWAY_RATE_LIMIT_WRITE_AVERAGE", "7")
    limits = StackConfig.from_environment(tmp_path).effective_rate_limits()
    assert limits == {**DEFAULT_RATE_LIMITS, "write": (7, DEFAULT_RATE_LIMITS["write"][1])}


def test_the_environment_raises_every_class_or_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEWAY_RATE_LIMIT_AVERAGE", "5000")
    monkeypatch.setenv("GATEWAY_RATE_LIMIT_BURST", "9000")
    monkeypatch.setenv("GATEWAY_RATE_LIMIT_AUTH_AVERAGE", "50")
    monkeypatch.setenv("GATEWAY_RATE_LIMIT_REGULATOR_BURST", "70")
    limits = StackConfig.from_environment(tmp_path).effective_rate_limits()
    assert limits["auth"] == (50, 9000)
    assert limits["regulator"] == (5000, 70)
    assert limits["read"] == limits["write"] == limits["staff"] == (5000, 9000)
