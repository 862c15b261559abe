"""HTTP routes of content: parse, authorise, call the handler, map the result."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request, Response, status
from kit.auth import CurrentPrincipal, OptionalPrincipal
from kit.inputs import Text
from kit.problems import problems

from content import handlers
from content.schemas import PostCreate, PostRead, post_read
from content.store import Database

router = APIRouter(tags=["posts"])


async def _database(request: Request) -> Database:
    return Database(request.app.state.runtime.pool)


Db = Annotated[Database, Depends(_database)]


@router.post(
    "/v1/posts",
    status_code=status.HTTP_201_CREATED,
    response_model=PostRead,
    responses={
        200: {"model": PostRead, "description": "The same Idempotency-Key and request again: the post it created"},
        **problems(
            403,
            s403="Real-name verification, the agreement or the author's standing forbids it (MB-7.1, PA-13.1)",
        ),
    },
)
async def create_post(
    body: PostCreate,
    principal: CurrentPrincipal,
    request: Request,
    response: Response,
    db: Db,
    idempotency_key: Annotated[Text | None, Header(max_length=200)] = None,
) -> PostRead:
    """Publish a post. It waits for moderation (status `pending`): the author sees it at once,
    everyone else once it is published. Send an `Idempotency-Key` to make a retry safe: the same
    key with the same body answers the first post (200), with another body a 422."""
    created = await handlers.create_post(
        db, request.app.state.settings, principal, text=body.text, idempotency_key=idempotency_key
    )
    response.headers["Location"] = f"/v1/posts/{created.post['id']}"
    if not created.created:
        response.status_code = status.HTTP_200_OK
    return post_read(created.post)


@router.get(
    "/v1/posts/{post_id}",
    response_model=PostRead,
    responses=problems(
        404,
        451,
        s404="No such post, or one under review that is not the caller's",
        s451="Transmission stopped (MB-12.2), with the legal basis",
    ),
)
async def read_post(post_id: uuid.UUID, viewer: OptionalPrincipal, db: Db) -> PostRead:
    post, label = await handlers.read_post(db, post_id, viewer)
    return post_read(post, label)
