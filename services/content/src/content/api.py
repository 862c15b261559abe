"""HTTP routes of content."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Request, Response, status
from kit.auth import CurrentPrincipal, OptionalPrincipal
from kit.inputs import Text

from content import handlers, store
from content.schemas import PostCreate, PostRead

router = APIRouter(tags=["posts"])


def _view(post, label=None) -> dict:
    return {
        "label": {
            "rumour_id": str(label["rumour_id"]),
            "refutation_text": label["refutation_text"],
            "refutation_url": label["refutation_url"],
            "authority": label["authority"],
            "legal_basis": list(label["legal_basis"]),
            "labelled_at": label["labelled_at"],
        }
        if label
        else None,
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
    responses={
        200: {"model": PostRead, "description": "The same Idempotency-Key again: the post it created"},
        403: {"description": "Real-name verification missing (MB-7.1)"},
    },
)
async def create_post(
    body: PostCreate,
    principal: CurrentPrincipal,
    request: Request,
    response: Response,
    idempotency_key: Annotated[Text | None, Header(max_length=200)] = None,
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
    pool = request.app.state.runtime.pool
    post = await handlers.read_post(pool, post_id, viewer)
    return _view(post, await store.label_of(pool, post_id) if post["status"] == "published" else None)
