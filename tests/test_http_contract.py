"""Every service's HTTP contract, read from the apps as the platform builds them (no server needed):
stable operation ids, one problem schema for every error, the API docs served without a CDN."""

from __future__ import annotations

import importlib
import inspect
import re
from collections import Counter

import httpx
import pytest
from devstack.stack import SERVICES
from fastapi import FastAPI
from fastapi.routing import APIRoute
from test_catalogue import service_environment


@pytest.fixture(scope="module")
def apps() -> dict[str, FastAPI]:
    with pytest.MonkeyPatch.context() as monkeypatch:
        service_environment(monkeypatch)
        built = {}
        for service, (factory, _db) in SERVICES.items():
            monkeypatch.setenv("SERVICE_NAME", service)
            module, function = factory.split(":")
            built[service] = getattr(importlib.import_module(module), function)()
        return built


def _operations(app: FastAPI) -> list[tuple[str, str, dict]]:
    return [
        (path, method, operation)
        for path, item in app.openapi()["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict)
    ]


@pytest.mark.parametrize("service", list(SERVICES))
def test_operation_ids_are_stable_names_unique_in_the_service(apps: dict[str, FastAPI], service: str) -> None:
    ids = [operation["operationId"] for _path, _method, operation in _operations(apps[service])]
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    generated = [i for i in ids if "_v1_" in i]  # FastAPI's default: name + path + method
    assert generated == [], "ids generated from path and method change when a path does"


@pytest.mark.parametrize("service", list(SERVICES))
def test_every_error_response_is_a_problem(apps: dict[str, FastAPI], service: str) -> None:
    for path, method, operation in _operations(apps[service]):
        for status, response in operation["responses"].items():
            if status[:1] in "45":
                content = response.get("content", {})
                assert list(content) == ["application/problem+json"], f"{method} {path} {status}"
                assert content["application/problem+json"]["schema"] == {"$ref": "#/components/schemas/Problem"}
        assert "HTTPValidationError" not in str(operation)


@pytest.mark.parametrize("service", ["identity", "regulator-gateway"])
async def test_the_api_docs_page_needs_no_cdn(apps: dict[str, FastAPI], service: str) -> None:
    app = apps[service]
    prefix = app.openapi_url.removesuffix("/openapi.json")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://svc") as client:
        page = await client.get(f"{prefix}/docs")
        assert page.status_code == 200
        assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        assert assets and all(a.startswith(f"{prefix}/docs/assets/") for a in assets), assets
        for asset in assets:
            served = await client.get(asset)
            assert served.status_code == 200 and len(served.content) > 100, asset
        assert (await client.get(f"{prefix}/docs/assets/../openapi.json")).status_code == 404


def _api_routes(routes: list) -> list[APIRoute]:
    """Every operation, also those of included routers (which this FastAPI keeps nested)."""
    found = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):
            found += _api_routes(route.original_router.routes)
    return found


def _dependencies(dependant) -> list:
    found = []
    for sub in dependant.dependencies:
        found += [sub.call, *_dependencies(sub)]
    return found


@pytest.mark.parametrize("service", list(SERVICES))
def test_no_route_runs_a_dependency_in_a_thread(apps: dict[str, FastAPI], service: str) -> None:
    """A plain `def` dependency runs in the thread pool on every request (a hand-off per call that
    costs more than the work): every dependency and route of the services is a coroutine."""
    blocking = []
    for route in _api_routes(apps[service].routes):
        for call in [route.endpoint, *_dependencies(route.dependant)]:
            target = call if inspect.isfunction(call) or inspect.ismethod(call) else getattr(call, "__call__", call)  # noqa: B004
            if not inspect.iscoroutinefunction(target):
                blocking.append(f"{route.path}: {getattr(call, '__qualname__', call)}")
    assert blocking == []
