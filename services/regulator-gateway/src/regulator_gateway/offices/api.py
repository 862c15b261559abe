"""How a request names its office: the API key as a bearer token (MB-16.1)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from regulator_gateway.database import PgDatabase
from regulator_gateway.offices import handlers
from regulator_gateway.offices.domain import Office
from regulator_gateway.offices.store import PgOfficeStore

_bearer = HTTPBearer(auto_error=False)


async def current_office(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Office:
    """Authenticate the office by its API key and record the access (MB-16.1)."""
    return await handlers.authenticate(
        PgDatabase(request.app.state.runtime.pool, PgOfficeStore),
        credentials.credentials if credentials else None,
        method=request.method,
        path=request.url.path,
    )


CurrentOffice = Annotated[Office, Depends(current_office)]
