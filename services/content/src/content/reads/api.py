"""The read beacon (MB-9, PA-7.2): `POST /v1/articles/{id}/reads`, sent by a client when a signed-in
reader opens an article. The gateway gives it the read allowance (class `read`), not writes'."""

from __future__ import annotations

import uuid
from typing import Annotated

from contracts.staff import StaffRole
from fastapi import APIRouter, Request, Response, status
from kit.auth import CurrentPrincipal, Principal, staff_with
from kit.problems import problems

from content.posts.api import Db
from content.reads import handlers
from content.reads.schemas import ArticleReadsRead

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
async def count_article_read(article_id: uuid.UUID, principal: CurrentPrincipal, request: Request, db: Db) -> Response:
    """Count a read of an article (204): once per reader per Beijing day, however often it is sent.
    The account's own reads (its operators', acting or not) are not counted; reads from accounts
    registered in bulk, new accounts, or beyond a reader's daily cap weigh nothing (CM). Counts
    (`reads` on the article) follow within seconds."""
    await handlers.record_read(db, request.app.state.settings, principal, article_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


staff_router = APIRouter(tags=["staff"])

ReadsAuditor = Annotated[
    Principal,
    staff_with(
        StaffRole.SENIOR_REVIEWER, StaffRole.CHIEF_EDITOR, StaffRole.OPERATOR, StaffRole.AUDITOR, requirement="MB-9"
    ),
]


@staff_router.get(
    "/v1/content/staff/articles/{article_id}/reads",
    response_model=ArticleReadsRead,
    responses=problems(404, s404="No read of this article was counted yet"),
)
async def staff_article_reads(article_id: uuid.UUID, staff: ReadsAuditor, db: Db) -> ArticleReadsRead:
    """An article's counted reads and the discounted ones by reason (CM: bulk registration, new accounts,
    a reader's daily cap), so inflation can be seen."""
    return await handlers.article_reads(db, article_id)
