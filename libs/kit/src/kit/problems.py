"""RFC 9457 problem details: every error a client sees has this shape.

Services raise ``DomainError`` subclasses; the kit maps them, request validation failures and
anything unexpected to ``application/problem+json``. A value the database refuses is a 422, a
database that cannot be reached a 503 with Retry-After, anything else a 500 that names a trace id,
never a stack trace, and never a dropped connection.
"""

from __future__ import annotations

import logging
import math
from typing import Any, ClassVar

import asyncpg
import asyncpg.exceptions._base
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from opentelemetry import trace
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kit.db import TRANSIENT_DB_ERRORS, is_transient

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


class ContentTooLarge(DomainError):
    status = 413
    type = "content-too-large"
    title = "Content too large"


class UnsupportedMediaType(DomainError):
    status = 415
    type = "unsupported-media-type"
    title = "Unsupported media type"


# One problem type per meaning: a path nothing serves is "not found" like a resource that is not there.
_HTTP_PROBLEMS = {
    400: ("bad-request", "Bad request"),
    404: (NotFound.type, NotFound.title),
    405: ("method-not-allowed", "Method not allowed"),
    413: (ContentTooLarge.type, ContentTooLarge.title),
}


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


class TooManyRequests(DomainError):
    """A limit a service keeps itself (sign-in attempts, codes, registrations): 429 with Retry-After
    (RFC 9110 10.2.3), in whole seconds, in the header and as ``retry_after_s`` in the body."""

    status = 429
    type = "too-many-requests"
    title = "Too many requests"

    def __init__(self, detail: str, *, retry_after_s: float, requirement: str | None = None) -> None:
        self.retry_after_s = max(1, math.ceil(retry_after_s))
        super().__init__(detail, requirement=requirement, retry_after_s=self.retry_after_s)


class QuotaExhausted(Forbidden):
    """A quota that resets at a known time is used up (MB-9's daily publishing quota): 403, not 429,
    with Retry-After (RFC 9110 10.2.3) in whole seconds, in the header and as ``retry_after_s`` in the
    body. The gateway's errors middleware answers every 429 of a route with its own page and keeps
    none of the service's headers; a 403 passes with its body and Retry-After (Twitter answers its
    daily status limit with 403 too). The gateway's 429 stays for real rate limits."""

    type = "quota-exhausted"
    title = "Quota exhausted"

    def __init__(self, detail: str, *, retry_after_s: float, requirement: str | None = None) -> None:
        self.retry_after_s = max(1, math.ceil(retry_after_s))
        super().__init__(detail, requirement=requirement, retry_after_s=self.retry_after_s)


def problem_response(
    status: int,
    type_: str,
    title: str,
    detail: str | None,
    instance: str | None,
    *,
    headers: dict[str, str] | None = None,
    **extensions: Any,
) -> JSONResponse:
    body: dict[str, Any] = {"type": TYPE_BASE + type_, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if instance:
        body["instance"] = instance
    body.update({k: v for k, v in extensions.items() if v is not None})
    headers = dict(headers or {})
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers or None)


def _trace_id() -> str | None:
    ctx = trace.get_current_span().get_span_context()
    return format(ctx.trace_id, "032x") if ctx.is_valid else None


_GATEWAY_PROBLEMS = {
    404: ("Not found", "No API lives at this path; see the services' /v1/<service>/docs."),
    413: (
        "Content too large",
        "The request body is larger than the gateway accepts (1 MiB; a media upload: the media size limit).",
    ),
    # Traefik's errors middleware renders every 429 of a route with this page, the gateway's own and a
    # service's (a sign-in back-off, a code sent too often), and keeps none of the original's headers.
    429: (
        "Too many requests",
        "Requests from this client are limited (the gateway's limit per client, or the service's own limit on "
        "sign-in attempts, codes or registrations); slow down and retry later.",
    ),
    502: ("Bad gateway", "The service behind this path did not answer; retry shortly."),
    503: ("Service unavailable", "The service behind this path is unavailable; retry shortly."),
    504: ("Gateway timeout", "The service behind this path did not answer in time; retry shortly."),
}
# Seconds a client should wait before retrying after a 503 (RFC 9110 Retry-After).
RETRY_AFTER_S = 2

# The database refused a value (class 22, "data exception": a NUL in text, a number out of range, a
# malformed literal), or asyncpg could not encode an argument: the caller sent it, so it is a 422.
_DATA_ERRORS = (asyncpg.exceptions.DataError, asyncpg.exceptions._base.DataError)


async def gateway_problem(status: int) -> JSONResponse:
    """The body of a refusal made by the gateway itself (Traefik's errors middleware, and its
    catch-all router for unrouted paths, ask for it)."""
    title, detail = _GATEWAY_PROBLEMS.get(status, ("Gateway error", "The gateway refused the request."))
    # No Retry-After on 429: the page stands in for a service's own 429 as well (Traefik keeps none of
    # its headers), whose wait may be minutes; a short one would mislead the client.
    headers = {"Retry-After": str(RETRY_AFTER_S)} if status == 503 else None
    kind = NotFound.type if status == 404 else f"gateway-{status}"
    return problem_response(status if 400 <= status < 600 else 502, kind, title, detail, None, headers=headers)


def unexpected_problem(path: str | None) -> JSONResponse:
    return problem_response(
        500,
        "internal",
        "Internal error",
        "Something failed on our side; quote the trace id.",
        path,
        trace_id=_trace_id(),
    )


def _outage_problem(path: str) -> JSONResponse:
    return problem_response(
        503,
        "service-unavailable",
        "Service unavailable",
        "A service this request needs cannot be reached right now; retry shortly.",
        path,
        headers={"Retry-After": str(RETRY_AFTER_S)},
    )


class UnexpectedErrorMiddleware:
    """The innermost ASGI middleware: an exception no handler took becomes the 500 problem, and
    stops here. Starlette's own ServerErrorMiddleware re-raises after answering, and uvicorn then
    drops the keep-alive connection — one the gateway shares among many callers, whose requests it
    answers 502. Database outages met here (raised outside a route) are a 503 too."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:  # the last stop: answer, log with the trace id, never re-raise
            path = scope.get("path", "")
            span = trace.get_current_span()
            span.record_exception(exc)
            span.set_status(trace.Status(trace.StatusCode.ERROR))
            if is_transient(exc):
                log.warning("database unreachable", extra={"path": path, "error": type(exc).__name__})
                response = _outage_problem(path)
            else:
                log.exception("unexpected error", extra={"path": path, "trace_id": _trace_id()})
                response = unexpected_problem(path)
            if not started:
                await response(scope, receive, send)


# The problem details body, as the OpenAPI documents it for every refusal a route can answer.
PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "requirement": {"type": "string", "description": "the requirement ID whose rule refused the request"},
        "errors": {"type": "array", "items": {"type": "object"}},
        "trace_id": {"type": "string"},
    },
    "additionalProperties": True,
}
_PROBLEM_DESCRIPTIONS = {
    400: "The body is not well-formed JSON (problem details)",
    401: "No valid access token (problem details)",
    403: "Refused: the token may not do this, or a rule forbids it (problem details naming the requirement)",
    404: "No such resource, or none visible to the caller (problem details)",
    409: "The resource's state does not allow it (problem details)",
    451: "Unavailable for legal reasons: the content was stopped (problem details naming the requirement)",
    413: "Request body over the gateway's 1 MiB (problem details)",
    422: "Invalid input: see `errors` (problem details)",
    429: "Over the gateway's rate limit for this address (problem details)",
    503: "A service this request needs is unavailable; retry after Retry-After seconds (problem details)",
}


def _problem_statuses(method: str, operation: dict[str, Any]) -> list[int]:
    """The refusals any operation can answer, from what it declares: input (422), the gateway's limit
    (429), an outage (503); credentials (401, 403) when it is secured; a body that is not JSON (400) or
    too large (413) when it takes one. Anything else (404, 409, 451, ...) a route declares itself with
    ``problems(...)``: the documentation lists what the route really answers."""
    statuses = {422, 429, 503}
    if operation.get("security"):
        statuses |= {401, 403}
    if "requestBody" in operation:
        statuses |= {400, 413}
    return sorted(statuses)


def problems(*statuses: int, **descriptions: str) -> dict[int | str, dict[str, Any]]:
    """The problem statuses a route answers beyond the baseline, for its ``responses=``:
    ``@router.get(..., responses=problems(404, 409))``; a description may be given as ``s404="..."``."""
    return {
        status: {"description": descriptions.get(f"s{status}") or _PROBLEM_DESCRIPTIONS.get(status, "Refused")}
        for status in statuses
    }


def document_problems(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the problem responses each operation can answer to an OpenAPI document (in place): the
    4xx refusals and the 503 of an outage, as application/problem+json; FastAPI's own 422 entry
    (a different body and media type) is replaced."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for item in schema.get("paths", {}).values():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for status in _problem_statuses(method, operation):
                existing = responses.get(str(status))
                if existing is not None and status != 422 and "application/problem+json" in existing.get("content", {}):
                    continue
                description = (existing or {}).get("description") if status != 422 else None
                responses[str(status)] = {
                    "description": description or _PROBLEM_DESCRIPTIONS[status],
                    "content": problem,
                    **({"headers": {"Retry-After": {"schema": {"type": "integer"}}}} if status == 503 else {}),
                }
            for status, response in responses.items():  # refusals a route documents itself (451, ...)
                if status[:1] in "45" and "content" not in response:
                    response["content"] = problem
    return schema


def _documenting_problems(generate: Any) -> Any:
    def openapi() -> dict[str, Any]:
        return document_problems(generate())

    return openapi


def _retry_after(exc: DomainError) -> dict[str, str] | None:
    if isinstance(exc, (TooManyRequests, QuotaExhausted)):
        return {"Retry-After": str(exc.retry_after_s)}
    if exc.status == 503:
        return {"Retry-After": str(RETRY_AFTER_S)}
    return None


def install_problem_handlers(app: FastAPI) -> None:
    # Innermost of the user middlewares when installed first (create_service_app does).
    app.add_middleware(UnexpectedErrorMiddleware)
    app.openapi = _documenting_problems(app.openapi)  # type: ignore[method-assign]
    app.add_api_route(
        "/problems/gateway/{status}",
        gateway_problem,
        methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
        include_in_schema=False,
    )

    # A database that cannot be reached or is going away (kit.db.is_transient, the same test that
    # keeps an outage from dead-lettering events) is a 503 to retry, not a 500 to report.
    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> JSONResponse:
        return problem_response(
            exc.status,
            exc.type,
            exc.title,
            exc.detail,
            request.url.path,
            headers=_retry_after(exc),
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
        kind, title = _HTTP_PROBLEMS.get(exc.status_code, (f"http-{exc.status_code}", "HTTP error"))
        return problem_response(
            exc.status_code,
            kind,
            title,
            str(exc.detail),
            request.url.path,
            headers=exc.headers,
        )

    async def _data(request: Request, exc: Exception) -> JSONResponse:
        # The value is not named: it may be personal data (MB-7.3).
        log.info("database refused a value", extra={"path": request.url.path, "error": type(exc).__name__})
        return problem_response(
            422,
            "invalid-input",
            "Invalid input",
            "A value in the request cannot be stored (a character text cannot hold, or a number out of range).",
            request.url.path,
        )

    async def _outage(request: Request, exc: Exception) -> JSONResponse:
        if not is_transient(exc):  # an InterfaceError that is a bug, not an outage
            log.exception("unexpected error", extra={"path": request.url.path, "trace_id": _trace_id()})
            return unexpected_problem(request.url.path)
        log.warning("database unreachable", extra={"path": request.url.path, "error": type(exc).__name__})
        return _outage_problem(request.url.path)

    for data_error in _DATA_ERRORS:
        app.add_exception_handler(data_error, _data)
    for outage_error in (*TRANSIENT_DB_ERRORS, asyncpg.InterfaceError):
        app.add_exception_handler(outage_error, _outage)
