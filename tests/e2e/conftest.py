"""End-to-end fixtures: real users driven only through the gateway's HTTP API."""

from __future__ import annotations

import httpx
import pytest
from devstack.stack import StackInfo
from journeys import Flow


@pytest.fixture(scope="session")
def flow(gateway: httpx.Client, platform: StackInfo) -> Flow:
    return Flow(gateway, platform)
