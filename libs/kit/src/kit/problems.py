"""RFC 9457 problem details: every error a client sees has this shape.

Services raise ``DomainError`` subclasses; the kit maps them, request validation failures and
anything unexpected to ``application/problem+json``. An unexpected error is a 500 that names a
trace id, never a stack trace.
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from opentelemetry import trace
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://qinglang.example/problems/"


class DomainError(Exception):
    """Base of every error a service means to show its caller.

    ``requirement`` names the rule (a requirement ID) that forbids what was asked, where one does.
    """

    status: ClassVar[int] = 400
    type: ClassVar[str] = "bad-request"
    title: ClassVar[str] = "Bad request"

    def __init__(self, detail: str, *, requirement: str | None = None, **extensions: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.requirement = requirement
        self.extensions = extensions


class NotFound(DomainError):
    status = 404
    type = "not-found"
    title = "Not found"


class Conflict(DomainError):
    status = 409
    type = "conflict"
    title = "Conflict"


class Unauthorized(DomainError):
    status = 401
    type = "unauthorized"
    title = "Authentication required"


class Forbidden(DomainError):
    status = 403
    type = "forbidden"
    title = "Forbidden"


class InvalidInput(DomainError):
    status = 422
    type = "invalid-input"
    title = "Invalid input"


def problem_response(
    status: int, type_: str, title: str, detail: str | None, instance: str | None, **extensions: Any
) -> JSONResponse:
    body: dict[str, Any] = {"type": TYPE_BASE + type_, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if instance:
        body["instance"] = instance
    body.update({k: v for k, v in extensions.items() if v is not None})
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _trace_id() -> str | None:
    ctx = trace.get_current_span().get_span_context()
    return format(ctx.trace_id, "032x") if ctx.is_valid else None


_GATEWAY_PROBLEMS = {
    413: ("Content too large", "The request body is larger than the gateway accepts (1 MiB)."),
    429: ("Too many requests", "The gateway limits requests per client; slow down and retry shortly."),
}


async def gateway_problem(status: int) -> JSONResponse:
    """The body of a refusal made by the gateway itself (Traefik's errors middleware asks for it)."""
    title, detail = _GATEWAY_PROBLEMS.get(status, ("Gateway error", "The gateway refused the request."))
    return problem_response(status if 400 <= status < 600 else 502, f"gateway-{status}", title, detail, None)


def install_problem_handlers(app: FastAPI) -> None:
    app.add_api_route("/problems/gateway/{status}", gateway_problem, methods=["GET"], include_in_schema=False)

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> JSONResponse:
        return problem_response(
            exc.status,
            exc.type,
            exc.title,
            exc.detail,
            request.url.path,
            requirement=exc.requirement,
            **exc.extensions,
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"location": [str(p) for p in err.get("loc", ())], "message": err.get("msg", ""), "kind": err.get("type")}
            for err in exc.errors()
        ]
        return problem_response(
            422,
            "invalid-input",
            "Invalid input",
            "The request does not match the schema; see errors.",
            request.url.path,
            errors=errors,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        titles = {404: "Not found", 405: "Method not allowed", 400: "Bad request", 413: "Content too large"}
        return problem_response(
            exc.status_code,
            f"http-{exc.status_code}",
            titles.get(exc.status_code, "HTTP error"),
            str(exc.detail),
            request.url.path,
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        trace_id = _trace_id()
        log.exception("unexpected error", extra={"path": request.url.path, "trace_id": trace_id})
        return problem_response(
            500,
            "internal",
            "Internal error",
            "Something failed on our side; quote the trace id.",
            request.url.path,
            trace_id=trace_id,
        )
