"""HTTP routes of content."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Request, Response, status
from kit.auth import CurrentPrincipal, OptionalPrincipal

from content import handlers
from content.schemas import PostCreate, PostRead

router = APIRouter(tags=["posts"])


def _view(post) -> dict:
    return {
        "id": str(post["id"]),
        "author_id": str(post["author_id"]),
        "text": post["text"],
        "status": post["status"],
        "created_at": post["created_at"],
        "decided_at": post["decided_at"],
    }


@router.post(
    "/v1/posts",
    status_code=status.HTTP_201_CREATED,
    response_model=PostRead,
    responses={403: {"description": "Real-name verification missing (MB-7.1)"}},
)
async def create_post(
    body: PostCreate,
    principal: CurrentPrincipal,
    request: Request,
    response: Response,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> dict:
    """Publish a post. It waits for moderation (status `pending`): the author sees it at once,
    everyone else once it is published. Send an `Idempotency-Key` to make a retry safe."""
    post, created = await handlers.create_post(
        request.app.state.runtime.pool,
        request.app.state.settings,
        principal,
        text=body.text,
        idempotency_key=idempotency_key,
    )
    response.headers["Location"] = f"/v1/posts/{post['id']}"
    if not created:
        response.status_code = status.HTTP_200_OK
    return _view(post)


@router.get(
    "/v1/posts/{post_id}",
    response_model=PostRead,
    responses={451: {"description": "Transmission stopped (MB-12.2), with the legal basis"}},
)
async def read_post(post_id: uuid.UUID, viewer: OptionalPrincipal, request: Request) -> dict:
    return _view(await handlers.read_post(request.app.state.runtime.pool, post_id, viewer))
