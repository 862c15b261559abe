"""The console's app factory (`uvicorn --factory console.main:build_app`): static files under /console/,
its vocabulary, health, security headers. Stateless: no database, no broker, no secret; the pages call the
services' APIs through the gateway, on the same origin, with the staff member's bearer token."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from kit.problems import install_problem_handlers
from kit.telemetry import setup_logging

from console.headers import SecurityHeadersMiddleware
from console.settings import ConsoleSettings
from console.vocabulary import vocabulary

STATIC = Path(__file__).parent / "static"
PREFIX = "/console"


def build_app() -> FastAPI:
    settings = ConsoleSettings()
    setup_logging(settings.service_name, settings.log_level)
    app = FastAPI(title="Qinglang staff console", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    install_problem_handlers(app)  # a missing file is a 404 problem (RFC 9457), like every other answer
    words = vocabulary()

    @app.get("/healthz", include_in_schema=False)
    @app.get(f"{PREFIX}/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    @app.get(f"{PREFIX}/readyz", include_in_schema=False)
    async def readyz() -> JSONResponse:
        ready = (STATIC / "index.html").is_file()
        return JSONResponse({"status": "ready" if ready else "not-ready"}, status_code=200 if ready else 503)

    @app.get(f"{PREFIX}/vocabulary.json", include_in_schema=False)
    async def read_vocabulary() -> dict:
        return words

    @app.get(PREFIX, include_in_schema=False)
    async def to_console() -> RedirectResponse:
        return RedirectResponse(f"{PREFIX}/", status_code=308)

    app.mount(PREFIX, StaticFiles(directory=STATIC, html=True), name="console")
    app.add_middleware(SecurityHeadersMiddleware, hsts_seconds=settings.console_hsts_seconds)
    return app
