"""The gateway's own refusals are problem details too, never a bare text page."""

from __future__ import annotations

from pathlib import Path

import httpx
from devstack.stack import Stack, StackConfig, StackInfo


def test_rate_limited_and_oversized_requests_get_problem_details(platform: StackInfo, tmp_path: Path) -> None:
    # A second Traefik in front of the same services, with a limit a test can reach.
    limited = Stack(StackConfig(run_dir=tmp_path, die_with_parent=True, rate_limit_average=2, rate_limit_burst=2))
    try:
        gateway = limited.start_gateway(platform.service_urls)
        with httpx.Client(base_url=gateway, timeout=10) as client:
            answers = [client.get("/v1/content/healthz") for _ in range(20)]
            refused = [a for a in answers if a.status_code == 429]
            assert refused, [a.status_code for a in answers]
            assert refused[0].headers["content-type"] == "application/problem+json"
            assert refused[0].json()["type"].endswith("/gateway-429")

            too_big = client.post(
                "/v1/posts", content=b"x" * (2 * 1024 * 1024), headers={"content-type": "application/json"}
            )
            assert too_big.status_code in (413, 429)
            assert too_big.headers["content-type"] == "application/problem+json"
    finally:
        limited.down()
