"""An office's requests over HTTP on a real PostgreSQL (issue 15, MB-16.1, MB-3): the rate limit per office (over
it a 429 problem with Retry-After; another office unaffected; counted in the database, so every process shares
it) and the office's access record (route, method, status, when, key id and declared filters, read back by the
office itself with cursor paging). The app is the service's routers and middleware on the test's database."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from types import SimpleNamespace

import asyncpg
import httpx
import pytest
from fastapi import FastAPI
from kit.problems import install_problem_handlers
from regulator_gateway.database import PgDatabase
from regulator_gateway.offices import domain, handlers
from regulator_gateway.offices.api import OfficeAccessRecord
from regulator_gateway.offices.api import router as offices_router
from regulator_gateway.offices.store import PgOfficeStore
from regulator_gateway.reports.api import router as reports_router

RATE = 5


def _app(pool: asyncpg.Pool, rate: int) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    app.include_router(reports_router)
    app.include_router(offices_router)
    app.add_middleware(OfficeAccessRecord)
    app.state.runtime = SimpleNamespace(pool=pool, settings=SimpleNamespace(office_rate_per_minute=rate))
    return app


@pytest.fixture
async def client(pool: asyncpg.Pool) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=_app(pool, 1000))
    async with httpx.AsyncClient(transport=transport, base_url="http://regulator") as client:
        yield client


async def _early_in_a_minute(pool: asyncpg.Pool) -> None:
    """Wait (polling, bounded) until the database's minute has 10 s left at least: the counted requests below
    then fall in one window."""
    deadline = asyncio.get_running_loop().time() + 15
    while await pool.fetchval("SELECT extract(second FROM now())") > 50:
        assert asyncio.get_running_loop().time() < deadline
        await asyncio.sleep(0.2)  # back-off between polls


async def _office(pool: asyncpg.Pool, jurisdiction: str = "national") -> tuple[uuid.UUID, dict[str, str]]:
    office, api_key = await handlers.create_office(PgDatabase(pool, PgOfficeStore), name="o", jurisdiction=jurisdiction)
    return office.id, {"Authorization": f"Bearer {api_key}"}


@pytest.mark.requirement("MB-16.1")
async def test_an_office_over_its_rate_gets_a_429_and_another_office_does_not(pool: asyncpg.Pool) -> None:
    _, busy = await _office(pool)
    _, other = await _office(pool, "110000")
    await _early_in_a_minute(pool)
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=_app(pool, RATE)), base_url="http://regulator")
    answers = [(await client.get("/v1/regulator/reports", headers=busy)).status_code for _ in range(RATE)]
    assert answers == [200] * RATE
    refused = await client.get("/v1/regulator/reports", headers=busy)
    assert refused.status_code == 429 and refused.headers["content-type"].startswith("application/problem+json")
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    body = refused.json()
    assert body["type"].endswith("/office-rate-limited") and body["requirement"] == "MB-16.1"
    assert body["retry_after_s"] == int(refused.headers["Retry-After"])
    assert (await client.get("/v1/regulator/reports", headers=other)).status_code == 200  # unaffected

    # The counter is in the database: a second app (another process of the service) sees the same count.
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=_app(pool, RATE)), base_url="http://r") as second:
        assert (await second.get("/v1/regulator/reports", headers=busy)).status_code == 429
    await client.aclose()


@pytest.mark.requirement("MB-16.1")
async def test_every_request_is_in_the_offices_own_access_record(pool: asyncpg.Pool, client: httpx.AsyncClient) -> None:
    beijing, as_beijing = await _office(pool, "110000")
    _, as_shanghai = await _office(pool, "310000")
    key_id = (await PgDatabase(pool, PgOfficeStore).reader().keys(beijing))[0].id
    missing = uuid.uuid4()
    await client.get(
        "/v1/regulator/reports",
        params={"category": "bj10.state_security", "requirement": "MB-12.2", "cursor": "", "mobile": "13800138000"},
        headers=as_beijing,
    )
    await client.get(f"/v1/regulator/reports/{missing}", headers=as_beijing)
    await client.get("/v1/regulator/reports", params={"limit": 0}, headers=as_beijing)  # a 422 is recorded too
    await client.get("/v1/regulator/reports", headers=as_shanghai)
    assert (await client.get("/v1/regulator/reports", headers={"Authorization": "Bearer qlr_x"})).status_code == 401

    first = await client.get("/v1/regulator/accesses", params={"limit": 2}, headers=as_beijing)
    assert first.status_code == 200, first.text
    rest = await client.get(
        "/v1/regulator/accesses", params={"limit": 1000, "cursor": first.json()["next_cursor"]}, headers=as_beijing
    )
    accesses = first.json()["items"] + rest.json()["items"]
    assert rest.json()["next_cursor"] is None
    assert [(a["method"], a["route"], a["status"]) for a in accesses] == [
        ("GET", "/v1/regulator/reports", 200),
        ("GET", "/v1/regulator/reports/{report_id}", 404),
        ("GET", "/v1/regulator/reports", 422),
        ("GET", "/v1/regulator/accesses", 200),  # the first page's request, recorded before it answered
    ]
    # Declared filters only: the cursor and anything undeclared (a mobile number) are not kept.
    assert accesses[0]["filters"] == {"category": "bj10.state_security", "requirement": "MB-12.2"}
    assert accesses[1]["path"] == f"/v1/regulator/reports/{missing}"
    assert {a["key_id"] for a in accesses} == {key_id} and {a["office_id"] for a in accesses} == {str(beijing)}

    later = accesses[2]["accessed_at"]
    since = await client.get("/v1/regulator/accesses", params={"from": later}, headers=as_beijing)
    assert since.status_code == 200, since.text
    assert [a["id"] for a in since.json()["items"]][:2] == [a["id"] for a in accesses[2:]]
    bad = await client.get("/v1/regulator/accesses", params={"from": later, "to": later}, headers=as_beijing)
    assert bad.status_code == 422 and bad.json()["type"].endswith("/invalid-period")


@pytest.mark.requirement("MB-16.1")
async def test_an_unknown_or_rotated_away_key_is_a_401_problem(pool: asyncpg.Pool, client: httpx.AsyncClient) -> None:
    office, old = await _office(pool)
    _, api_key, _ = await handlers.rotate_key(
        PgDatabase(pool, PgOfficeStore), office, overlap_hours=0, now=datetime.now(UTC)
    )
    refused = await client.get("/v1/regulator/reports", headers=old)
    assert refused.status_code == 401 and refused.json()["type"].endswith("/unauthorized")
    assert refused.headers["WWW-Authenticate"] == "Bearer"
    ok = await client.get("/v1/regulator/reports", headers={"Authorization": f"Bearer {api_key}"})
    assert ok.status_code == 200
    [access] = (await client.get("/v1/regulator/accesses", headers={"Authorization": f"Bearer {api_key}"})).json()[
        "items"
    ][:1]
    assert access["key_id"] == domain.key_id(api_key)


@pytest.mark.requirement("MB-12.2")
async def test_the_batch_and_the_filters_validate_their_input(pool: asyncpg.Pool, client: httpx.AsyncClient) -> None:
    _, nation = await _office(pool)
    same = str(uuid.uuid4())
    url = "/v1/regulator/reports/acknowledgements"
    twice = await client.post(url, json={"items": [{"report_id": same}, {"report_id": same}]}, headers=nation)
    assert twice.status_code == 422 and twice.json()["requirement"] == "MB-12.2"
    too_many = [{"report_id": str(uuid.uuid4())} for _ in range(1001)]
    assert (await client.post(url, json={"items": too_many}, headers=nation)).status_code == 422
    assert (await client.post(url, json={"items": []}, headers=nation)).status_code == 422
    answered = await client.post(url, json={"items": too_many[:1000]}, headers=nation)
    assert answered.status_code == 200, answered.text
    assert answered.json()["counts"] == {
        "acknowledged": 0, "already_acknowledged": 0, "not_found": 1000, "outside_jurisdiction": 0
    }  # fmt: skip
    for bad in ({"category": "bj10.nope"}, {"requirement": "12.2; drop"}, {"province": "110108"}, {"limit": 1001}):
        assert (await client.get("/v1/regulator/reports", params=bad, headers=nation)).status_code == 422, bad
    # Whatever a refused request held is recorded as PostgreSQL can keep it (a NUL escaped).
    assert (await client.get("/v1/regulator/reports", params={"stage": "a\x00"}, headers=nation)).status_code == 422
    record = (await client.get("/v1/regulator/accesses", params={"limit": 1000}, headers=nation)).json()["items"]
    assert record[-1]["filters"] == {"stage": "a\\x00"} and record[-1]["status"] == 422
