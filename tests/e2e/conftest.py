"""End-to-end fixtures: real users driven only through the gateway's HTTP API."""

from __future__ import annotations

import httpx
import pytest
from devstack.cli import ensure_dev_regulator_key
from devstack.stack import StackInfo
from journeys import Flow


@pytest.fixture(scope="session")
def flow(gateway: httpx.Client, platform: StackInfo) -> Flow:
    return Flow(gateway, platform)


@pytest.fixture(scope="session")
def national_key(platform, infra) -> dict[str, str]:
    """The national office's key to the regulator gateway (MB-16.1)."""
    key = ensure_dev_regulator_key(infra.stack, platform.database_urls["regulator-gateway"])
    return {"Authorization": f"Bearer {key}"}
