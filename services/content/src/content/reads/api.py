"""The read beacon (MB-9, PA-7.2): `POST /v1/articles/{id}/reads`, sent by a client when a signed-in
reader opens an article. The gateway gives it the read allowance (class `read`), not writes'."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response, status
from kit.auth import CurrentPrincipal
from kit.problems import problems

from content.posts.api import Db
from content.reads import handlers

router = APIRouter(tags=["reads"])


@router.post(
    "/v1/articles/{article_id}/reads",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problems(
        404,
        410,
        451,
        s403="A staff member's or an application's token: only a signed-in reader's read counts",
        s404="No such article, or one under review that is not the caller's",
        s410="The article was withdrawn",
        s451="Transmission stopped (MB-12.2), with the legal basis",
    ),
)
async def read_article(article_id: uuid.UUID, principal: CurrentPrincipal, request: Request, db: Db) -> Response:
    """Count a read of an article (204): once per reader per Beijing day, however often it is sent.
    The account's own reads (its operators', acting or not) are not counted; reads from accounts
    registered in bulk, new accounts, or beyond a reader's daily cap weigh nothing (CM). Counts
    (`reads` on the article) follow within seconds."""
    await handlers.record_read(db, request.app.state.settings, principal, article_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
