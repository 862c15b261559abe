"""HTTP routes of content: parse, authorise, call the handler, map the result."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request, Response, status
from kit.auth import CurrentPrincipal, OptionalPrincipal
from kit.inputs import Text
from kit.problems import problems
from kit.userlog import RequestLog

from content.database import Database
from content.posts import handlers
from content.posts.schemas import PostCreate, PostRead, post_read

router = APIRouter(tags=["posts"])


async def _database(request: Request) -> Database:
    return Database(request.app.state.runtime.pool)


Db = Annotated[Database, Depends(_database)]
# Send one to make a retry safe: the same key with the same body answers the first result (200).
IdempotencyKey = Annotated[Text | None, Header(max_length=200)]


@router.post(
    "/v1/posts",
    status_code=status.HTTP_201_CREATED,
    response_model=PostRead,
    responses={
        200: {"model": PostRead, "description": "The same Idempotency-Key and request again: the post it created"},
        **problems(
            403,
            s403="Real-name verification, the agreement or the author's standing forbids it (MB-7.1, PA-13.1); "
            "news without a valid news licence in scope (MB-4); the grade's daily posts are used (`quota-reached`, "
            "MB-9: posts, reposts and comments count; Retry-After: the end of the Beijing day)",
            s422="Too long, no text, media that are not the caller's, or an Idempotency-Key reused",
        ),
    },
)
async def create_post(
    body: PostCreate,
    principal: CurrentPrincipal,
    request: Request,
    response: Response,
    db: Db,
    idempotency_key: IdempotencyKey = None,
) -> PostRead:
    """Publish a post. It waits for moderation (status `pending`): the author sees it at once,
    everyone else once it is published. Send an `Idempotency-Key` to make a retry safe: the same
    key with the same body answers the first post (200), with another body a 422."""
    created = await handlers.create_post(
        db,
        request.app.state.settings,
        principal,
        text=body.text,
        idempotency_key=idempotency_key,
        media_ids=body.media_ids,
        category=body.category,
        log=RequestLog.of(request),
    )
    return created_response(response, created)


def created_response(response: Response, created: handlers.Created) -> PostRead:
    """A post, repost or comment just accepted (201, its Location), or the one an Idempotency-Key
    already created (200)."""
    response.headers["Location"] = f"/v1/posts/{created.post['id']}"
    if not created.created:
        response.status_code = status.HTTP_200_OK
    return post_read(created.post)


@router.get(
    "/v1/posts/{post_id}",
    response_model=PostRead,
    responses=problems(
        404,
        410,
        451,
        s404="No such post, or one under review that is not the caller's, or its author's content is hidden",
        s410="Its author deleted it",
        s451="Transmission stopped (MB-12.2), with the legal basis",
    ),
)
async def read_post(post_id: uuid.UUID, viewer: OptionalPrincipal, db: Db) -> PostRead:
    """A post, repost or comment as shown everywhere: its label (MB-11), its public counts, the caller's
    like and, for a repost, its original (or a placeholder naming why it is not shown, MB-12.2)."""
    return await handlers.read_post(db, post_id, viewer)


@router.delete(
    "/v1/posts/{post_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problems(404, s404="No such post of the caller's"),
)
async def delete_post(post_id: uuid.UUID, principal: CurrentPrincipal, request: Request, db: Db) -> Response:
    """Delete one of your posts, reposts or comments: it leaves every read path at once. The platform
    keeps it as a record for the retention period (MB-16.2); deleting it again changes nothing."""
    await handlers.delete_post(db, request.app.state.settings, principal, post_id, log=RequestLog.of(request))
    return Response(status_code=status.HTTP_204_NO_CONTENT)
