"""The gateway's own refusals are problem details too, never a bare text page; its rate limits
protect by default, per route class."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from devstack.processes import free_port
from devstack.stack import DEFAULT_RATE_LIMITS, Stack, StackConfig, StackInfo
from devstack.testing import poll


def _gateway_problem(answer: httpx.Response, status: int) -> dict:
    assert answer.status_code == status, (answer.request.url, answer.status_code, answer.text)
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    # One problem type per meaning: a path no service owns is "not found", like a resource that is not there.
    kind = "not-found" if status == 404 else f"gateway-{status}"
    assert problem["type"].endswith(f"/{kind}") and problem["status"] == status
    return problem


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


# One cheap request per route class (each is refused by the service at once: no body, no token).
ROUTE_CLASSES = {
    "auth": ("POST", "/v1/tokens"),
    "write": ("POST", "/v1/posts"),
    "read": ("GET", "/v1/content/healthz"),
    "staff": ("GET", "/v1/identity/staff/api-clients"),
    "regulator": ("GET", "/v1/regulator/reports"),
}


@pytest.fixture(scope="module")
def default_gateway(platform: StackInfo, tmp_path_factory: pytest.TempPathFactory):
    # A Traefik with the limits `make up` uses (the test platform's own gateway lifts them).
    stack = Stack(StackConfig(run_dir=tmp_path_factory.mktemp("limits"), die_with_parent=True))
    try:
        yield stack.start_gateway(platform.service_urls)
    finally:
        stack.down()


@pytest.mark.parametrize("route_class", list(ROUTE_CLASSES))
def test_each_route_class_is_limited_by_default(default_gateway: str, route_class: str) -> None:
    method, path = ROUTE_CLASSES[route_class]
    average, burst = DEFAULT_RATE_LIMITS[route_class]
    with httpx.Client(base_url=default_gateway, timeout=10) as client:

        def send(_: int) -> httpx.Response:
            return client.request(method, path)

        # Three bursts' worth at once, from one address: well over what the class allows.
        with ThreadPoolExecutor(16) as pool:
            answers = list(pool.map(send, range(3 * burst + average)))
        refused = [a for a in answers if a.status_code == 429]
        assert refused, f"{route_class}: no 429 in {len(answers)} requests"
        _gateway_problem(refused[0], 429)
        assert len(answers) - len(refused) >= burst  # the burst itself is served
        # Another class's allowance is its own: the health read is still served.
        if route_class != "read":
            assert client.get("/v1/identity/healthz").status_code == 200


def test_unrouted_paths_are_404_problems(gateway: httpx.Client) -> None:
    for method, path in [("GET", "/"), ("GET", "/nowhere"), ("POST", "/v2/posts"), ("DELETE", "/v1/unknown/x")]:
        _gateway_problem(gateway.request(method, path), 404)


def test_a_service_that_is_down_is_a_502_problem(platform: StackInfo, tmp_path: Path) -> None:
    # A Traefik whose content service is a port nobody listens on; the others are up.
    dead = f"http://127.0.0.1:{free_port()}"
    stack = Stack(StackConfig(run_dir=tmp_path, die_with_parent=True))
    try:
        urls = {**platform.service_urls, "content": dead}
        gateway = stack.start_gateway(urls, wait_for=("identity",))
        with httpx.Client(base_url=gateway, timeout=10) as client:

            def problem_502() -> httpx.Response | None:
                answer = client.get("/v1/posts/00000000-0000-0000-0000-000000000000")
                return answer if answer.headers.get("content-type") == "application/problem+json" else None

            # The problem is rendered by a live service once the health check has dropped the dead one.
            answer = poll(problem_502, timeout_s=15, what="a 502 problem for the dead content service")
            problem = _gateway_problem(answer, 502)
            assert "retry" in problem["detail"]
            assert client.get("/v1/identity/agreement").status_code == 200
    finally:
        stack.down()
