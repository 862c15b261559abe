"""Problem details for what goes wrong below a route: an unexpected error answers 500 and keeps the
connection the gateway shares; a value PostgreSQL refuses is a 422; a database that cannot be
reached is a 503 with Retry-After. A real uvicorn server and a real PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager

import asyncpg
import httpx
import pytest
import uvicorn
from devstack.processes import free_port
from devstack.testing import Infra, poll
from fastapi import FastAPI, Request
from kit.inputs import RequestModel, VisibleText
from kit.problems import QuotaExhausted, install_problem_handlers


class Note(RequestModel):
    text: VisibleText


def _app(database_url: str, dead_url: str) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.pool = await asyncpg.create_pool(database_url, min_size=1, max_size=1)
        yield
        await app.state.pool.close()

    app = FastAPI(lifespan=lifespan)
    install_problem_handlers(app)

    @app.get("/ok")
    async def ok() -> dict:
        return {"ok": True}

    @app.get("/boom")
    async def boom() -> dict:
        raise RuntimeError("a bug")

    @app.get("/quota")
    async def quota() -> dict:
        raise QuotaExhausted("Used up for today.", retry_after_s=3599.2, requirement="MB-9")

    @app.get("/raw-text")
    async def raw_text(value: str, request: Request) -> dict:  # no kit type: the database refuses it
        return {"value": await request.app.state.pool.fetchval("SELECT $1::text", value)}

    @app.get("/raw-int")
    async def raw_int(value: int, request: Request) -> dict:  # unbounded: asyncpg cannot encode it
        return {"value": await request.app.state.pool.fetchval("SELECT $1::bigint", value)}

    @app.post("/notes")
    async def notes(body: Note, request: Request) -> dict:
        return {"text": await request.app.state.pool.fetchval("SELECT $1::text", body.text)}

    @app.get("/db/terminated")
    async def terminated(request: Request) -> dict:
        async with request.app.state.pool.acquire() as conn:
            await conn.execute("SELECT pg_terminate_backend(pg_backend_pid())")
        return {}

    @app.get("/db/unreachable")
    async def unreachable() -> dict:
        await asyncpg.connect(dead_url, timeout=2)
        return {}

    @app.get("/db/busy")
    async def busy(request: Request) -> dict:
        pool = request.app.state.pool
        async with pool.acquire():
            async with pool.acquire(timeout=0.05):  # the only connection is taken
                return {}

    return app


@pytest.fixture(scope="module")
def server(infra: Infra) -> Iterator[str]:
    port = free_port()
    dead_url = f"postgresql://postgres@127.0.0.1:{free_port()}/postgres"
    config = uvicorn.Config(_app(infra.admin_url, dead_url), host="127.0.0.1", port=port, log_level="warning")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=lambda: asyncio.run(uv.serve()), daemon=True)
    thread.start()
    poll(lambda: uv.started, timeout_s=20, what="uvicorn started")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        uv.should_exit = True
        thread.join(10)


def _read_response(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError(f"connection closed by the server after {data!r}")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("connection closed mid-body")
        body += chunk
    return int(lines[0].split()[1]), headers, body


def test_an_unexpected_error_is_a_500_problem_and_the_connection_stays_open(server: str) -> None:
    port = int(server.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        # One keep-alive connection, as the gateway keeps them: a 500 on it must not close it.
        sock.sendall(b"GET /boom HTTP/1.1\r\nHost: test\r\n\r\n")
        status, headers, body = _read_response(sock)
        assert status == 500
        assert headers["content-type"] == "application/problem+json"
        assert json.loads(body)["type"].endswith("/internal")
        assert headers.get("connection", "").lower() != "close"
        for _ in range(3):
            sock.sendall(b"GET /ok HTTP/1.1\r\nHost: test\r\n\r\n")
            status, _, body = _read_response(sock)
            assert (status, json.loads(body)) == (200, {"ok": True})


def test_values_the_database_refuses_are_422_problems(server: str) -> None:
    with httpx.Client(base_url=server, timeout=10) as client:
        for path, params in [
            ("/raw-text", {"value": "a\x00b"}),  # CharacterNotInRepertoireError
            ("/raw-int", {"value": str(2**70)}),  # asyncpg: value out of int64 range
        ]:
            answer = client.get(path, params=params)
            assert answer.status_code == 422, answer.text
            assert answer.headers["content-type"] == "application/problem+json"
            assert answer.json()["type"].endswith("/invalid-input")
        # The kit's types refuse them before any SQL, naming the field.
        for text in ["a\x00b", "\u200b\u200d\u202e \t", "\ufeff"]:
            answer = client.post("/notes", json={"text": text})
            assert answer.status_code == 422, answer.text
            assert answer.json()["errors"][0]["location"][-1] in ("text", "body")
        lone_surrogate = b'{"text": "a\\ud800b"}'
        answer = client.post("/notes", content=lone_surrogate, headers={"content-type": "application/json"})
        assert answer.status_code == 422, answer.text
        assert answer.json()["errors"][0]["kind"] == "unstorable_text"
        assert client.post("/notes", json={"text": "清朗 \u200b ok"}).json() == {"text": "清朗 \u200b ok"}


@pytest.mark.parametrize("path", ["/db/terminated", "/db/unreachable", "/db/busy"])
def test_a_database_that_cannot_be_reached_is_a_503_with_retry_after(server: str, path: str) -> None:
    with httpx.Client(base_url=server, timeout=10) as client:
        answer = client.get(path)
        assert answer.status_code == 503, answer.text
        assert answer.headers["content-type"] == "application/problem+json"
        assert int(answer.headers["retry-after"]) > 0
        assert answer.json()["type"].endswith("/service-unavailable")
        assert client.get("/ok").status_code == 200  # and the service goes on


def test_a_quota_used_up_is_a_403_with_retry_after(server: str) -> None:
    """MB-9: a 403, not a 429 (the gateway replaces a service's 429), with its wait in whole seconds."""
    with httpx.Client(base_url=server, timeout=10) as client:
        answer = client.get("/quota")
        assert answer.status_code == 403, answer.text
        assert answer.headers["retry-after"] == "3600"
        body = answer.json()
        assert body["type"].endswith("/quota-exhausted") and body["requirement"] == "MB-9"
        assert body["retry_after_s"] == 3600
