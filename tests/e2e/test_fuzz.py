"""Schemathesis over every service's OpenAPI, through the gateway, with a user's, a staff member's
and a regulator's credentials: no input gets a 5xx, and every answer is one the OpenAPI documents
(status, media type, body schema); input the schema forbids is refused with a 4xx.

It runs on a private platform: what it generates includes valid staff actions (a platform-wide
emergency, a new service agreement, grading rules) that would change every other test's world.
Bounded examples per operation (FUZZ_EXAMPLES, default below); derandomized, so a run is repeatable.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
import requests
import schemathesis
from devstack.cli import ensure_dev_regulator_key
from devstack.stack import Stack
from devstack.testing import make_stack
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from journeys import Flow
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
SERVICES = ["identity", "content", "moderation", "reporting", "regulator"]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Staff routes outside a `/staff` path (the gateway's staff class, deploy/gateway/dynamic.yml).
STAFF_PATHS = (
    "/v1/identity/agreements",
    "/v1/identity/grading-rules",
    "/v1/moderation/policy-changes",
    "/v1/moderation/lexicon/entries",
    "/v1/moderation/rumours",
    "/v1/moderation/emergencies",
    "/v1/moderation/reviews",
    "/v1/moderation/scan",
    "/v1/moderation/jobs",
    "/v1/moderation/lexicon-imports",
)


@dataclass
class Fuzzed:
    gateway: str
    credentials: dict[str, dict[str, str]]  # user / staff / regulator -> headers


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fuzzed]:
    stack: Stack = make_stack(tmp_path_factory.mktemp("fuzz"), external_ok=False)
    try:
        info = stack.up()
        with httpx.Client(base_url=info.gateway_url, timeout=15) as gw:
            flow = Flow(gw, info)
            user, staff = flow.verified_user(), flow.staff("chief_editor")
            key = ensure_dev_regulator_key(stack, info.database_urls["regulator-gateway"])
        yield Fuzzed(
            info.gateway_url,
            {"user": user.auth, "staff": staff.auth, "regulator": {"Authorization": f"Bearer {key}"}},
        )
    finally:
        stack.down()


def _primary(path: str) -> str:
    if path.startswith("/v1/regulator/staff"):  # the regulator gateway's staff routes (MB-13)
        return "staff"
    if path.startswith("/v1/regulator"):
        return "regulator"
    if "/staff" in path or path.startswith(STAFF_PATHS):
        return "staff"
    return "user"


def _fuzz(operation, mode: GenerationMode, headers: dict[str, str], examples: int, fuzzed: Fuzzed, session) -> list:
    failures: list[str] = []

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case) -> None:
        try:
            case.call_and_validate(base_url=fuzzed.gateway, session=session, headers=headers, checks=CHECKS)
        except FailureGroup as group:
            failures.append(f"{operation.label} [{mode.value}]: {group}")
        except AssertionError as failure:  # a single failed check
            failures.append(f"{operation.label} [{mode.value}]: {failure}")

    try:
        run()
    except Unsatisfiable:  # nothing to negate: an operation without parameters or body
        assert mode is GenerationMode.NEGATIVE, operation.label
    return failures


# Issue 13 grew content's API by some thirty operations: its run outlasts the suite's 300 s default on a
# shared two-core machine.
@pytest.mark.timeout(900)
@pytest.mark.parametrize("service", SERVICES)
def test_no_input_gets_a_5xx_and_every_answer_is_documented(fuzzed: Fuzzed, service: str) -> None:
    schema = schemathesis.openapi.from_url(f"{fuzzed.gateway}/v1/{service}/openapi.json")
    failures: list[str] = []
    with requests.Session() as session:
        for result in schema.get_all_operations():
            operation = result.ok()
            primary = _primary(operation.path)
            for who, headers in fuzzed.credentials.items():
                # Most examples with the credentials the route is for, a few with each of the others.
                examples = EXAMPLES if who == primary else max(2, EXAMPLES // 4)
                for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                    failures += _fuzz(operation, mode, headers, examples, fuzzed, session)
    assert not failures, f"{len(failures)} failures:\n\n" + "\n\n".join(f[:1500] for f in failures)
