"""Routes of third-party API clients (BJ-7(6))."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status
from kit.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page
from kit.problems import problems

from identity.accounts.schemas import TokenRead
from identity.clients import handlers
from identity.clients.schemas import (
    ApiClientCreate,
    ApiClientRead,
    ApiClientRegistered,
    ClientTokenCreate,
    RevocationCreate,
)
from identity.dependencies import ClientRegistrar, Ports

router = APIRouter(tags=["api clients"])


@router.post("/v1/identity/staff/api-clients", status_code=status.HTTP_201_CREATED, response_model=ApiClientRegistered)
async def register_api_client(body: ApiClientCreate, principal: ClientRegistrar, ports: Ports) -> ApiClientRegistered:
    """Register a third-party application with its ICP number (BJ-7(6)); its secret is shown once."""
    row, secret = await handlers.register(ports, name=body.name, icp_number_raw=body.icp_number, by=principal.actor)
    return ApiClientRegistered(**ApiClientRead.of(row).model_dump(), client_secret=secret)


@router.get("/v1/identity/staff/api-clients", response_model=Page[ApiClientRead])
async def list_api_clients(
    principal: ClientRegistrar, ports: Ports, cursor: CursorQuery = None, limit: LimitQuery = DEFAULT_LIMIT
) -> Page[ApiClientRead]:
    """Registered applications in the order they were registered (operator or chief editor, BJ-7(6))."""
    rows, next_cursor = await handlers.listed(ports, cursor=cursor, limit=limit)
    return Page(items=[ApiClientRead.of(r) for r in rows], next_cursor=next_cursor)


@router.post(
    "/v1/identity/staff/api-clients/{client_id}/revocation", response_model=ApiClientRead, responses=problems(404, 409)
)
async def revoke_api_client(
    client_id: uuid.UUID, body: RevocationCreate, principal: ClientRegistrar, ports: Ports
) -> ApiClientRead:
    """Revoke a registration: every token issued through the client is refused everywhere at once."""
    return ApiClientRead.of(await handlers.revoke(ports, client_id, reason=body.reason, by=principal.actor))


@router.post("/v1/identity/client-tokens", response_model=TokenRead, responses=problems(401, 403))
async def create_client_token(body: ClientTokenCreate, ports: Ports) -> TokenRead:
    """A registered application's own token (client credentials), carrying its id."""
    token = await handlers.client_token(ports, body.client_id, body.client_secret)
    return TokenRead(access_token=token, expires_in=ports.issuer.ttl_s)
