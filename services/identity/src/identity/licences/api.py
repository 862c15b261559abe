"""Routes of the news licence registry (MB-4, PA-8): staff record, list and revoke licences."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status
from kit.pagination import CursorQuery, LimitQuery, Page
from kit.problems import problems

from identity.dependencies import NewsLicenceKeeper, NewsLicenceReader, Ports
from identity.licences import handlers
from identity.licences.schemas import NewsLicenceCreate, NewsLicenceRead, RevocationCreate

router = APIRouter(tags=["news licences"])


@router.post(
    "/v1/identity/staff/news-licences",
    status_code=status.HTTP_201_CREATED,
    response_model=NewsLicenceRead,
    responses=problems(409, 413),
)
async def record_news_licence(body: NewsLicenceCreate, principal: NewsLicenceKeeper, ports: Ports) -> NewsLicenceRead:
    """Record an internet news information service licence (MB-4, PA-8) with its evidence (sealed): number,
    holder subject (by one of its verified accounts), scopes, validity (Beijing calendar days). Every account
    of the holder subject learns it."""
    return NewsLicenceRead.of(await handlers.record(ports, body, by=principal.actor))


@router.get("/v1/identity/staff/news-licences", response_model=Page[NewsLicenceRead])
async def list_news_licences(
    principal: NewsLicenceReader, ports: Ports, cursor: CursorQuery = None, limit: LimitQuery = 200
) -> Page[NewsLicenceRead]:
    """The registry, oldest first."""
    found, next_cursor = await handlers.listing(ports, cursor=cursor, limit=limit)
    return Page(items=[NewsLicenceRead.of(f) for f in found], next_cursor=next_cursor)


@router.get("/v1/identity/staff/news-licences/{licence_id}", response_model=NewsLicenceRead, responses=problems(404))
async def read_news_licence(licence_id: uuid.UUID, principal: NewsLicenceReader, ports: Ports) -> NewsLicenceRead:
    return NewsLicenceRead.of(await handlers.read(ports, licence_id))


@router.post(
    "/v1/identity/staff/news-licences/{licence_id}/revocation",
    response_model=NewsLicenceRead,
    responses=problems(404, 409),
)
async def revoke_news_licence(
    licence_id: uuid.UUID, body: RevocationCreate, principal: NewsLicenceKeeper, ports: Ports
) -> NewsLicenceRead:
    """Revoke a licence with a reason: news is refused to the subject's accounts at once (MB-4, PA-8)."""
    return NewsLicenceRead.of(await handlers.revoke(ports, licence_id, reason=body.reason, by=principal.actor))
