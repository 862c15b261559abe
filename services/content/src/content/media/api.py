"""HTTP routes of media (MB-2): upload the raw bytes, then attach them to a post by id; served only to
whom the read rule allows (MB-12.2)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request, Response, status
from kit.auth import CurrentPrincipal, OptionalPrincipal
from kit.bodies import read_body
from kit.inputs import Text
from kit.problems import problems

from content.database import Database
from content.media import handlers
from content.media.domain import MEDIA_TYPES, check_size, media_type
from content.media.schemas import MediaRead, media_read
from content.media.storage import MediaStorage
from content.settings import ContentSettings

router = APIRouter(tags=["media"])

_BINARY = {t: {"schema": {"type": "string", "format": "binary"}} for t in MEDIA_TYPES}


async def _database(request: Request) -> Database:
    return Database(request.app.state.runtime.pool)


async def _storage(request: Request) -> MediaStorage:
    return request.app.state.media_storage


async def _settings(request: Request) -> ContentSettings:
    return request.app.state.settings


Db = Annotated[Database, Depends(_database)]
Storage = Annotated[MediaStorage, Depends(_storage)]
Settings = Annotated[ContentSettings, Depends(_settings)]


@router.post(
    "/v1/media",
    status_code=status.HTTP_201_CREATED,
    response_model=MediaRead,
    openapi_extra={"requestBody": {"required": True, "content": _BINARY}},
    responses=problems(
        403,
        413,
        415,
        s403="Real-name verification, the agreement or the account's standing forbids it (MB-7.1, PA-13.1); "
        "or the account's daily upload quota is used up (upload-quota-exceeded, Retry-After: when the Beijing "
        "day ends)",
        s413="Larger than the media size limit",
        s415="Not one of the media types a post may carry",
        s422="Empty, or the bytes are not of the declared type (magic number)",
    ),
)
async def upload_media(
    request: Request,
    principal: CurrentPrincipal,
    db: Db,
    storage: Storage,
    settings: Settings,
    content_type: Annotated[Text, Header(max_length=200)],
) -> MediaRead:
    """Upload a medium: the raw bytes as the body, with their Content-Type (image/jpeg, image/png,
    image/gif, image/webp, video/mp4). Then attach it to a post: `POST /v1/posts {"media_ids": [...]}`."""
    declared = media_type(content_type)
    data = await read_body(request, lambda size: check_size(size, settings.media_max_bytes))
    medium = await handlers.upload(db, storage, settings, principal, content_type=declared, data=data)
    return media_read(medium)


@router.get(
    "/v1/media/{media_id}",
    response_class=Response,
    responses={
        200: {"description": "The medium's bytes", "content": _BINARY},
        **problems(
            404,
            451,
            s404="No such medium, or none the caller may see (not theirs, on no post they may see)",
            s451="Every post carrying it was stopped (MB-12.2), with the legal basis",
        ),
    },
)
async def read_media(media_id: uuid.UUID, viewer: OptionalPrincipal, db: Db, storage: Storage) -> Response:
    """A medium's bytes: to its uploader, or to anyone who may see a post carrying it."""
    served = await handlers.serve(db, storage, media_id, viewer)
    return Response(
        content=served.data,
        media_type=served.content_type,
        headers={
            "ETag": f'"{served.sha256}"',
            # Who may see it depends on the caller and can change at any moment (a stop, MB-12.2).
            "Cache-Control": "private, no-cache",
            "X-Content-Type-Options": "nosniff",
        },
    )
