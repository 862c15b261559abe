"""HTTP routes of articles (issue 13 §2): a public account's operators, with an acting token, draft,
publish, correct and withdraw; anyone reads what moderation published. Parse, authorise, call the handler."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response, status
from kit.auth import CurrentPrincipal, OptionalPrincipal
from kit.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page
from kit.problems import problems
from kit.userlog import RequestLog

from content.articles import handlers
from content.articles.schemas import (
    ArticleRead,
    ArticleSummary,
    CorrectionCreate,
    CorrectionRead,
    DraftRead,
    DraftUpdate,
    DraftWrite,
    Publication,
    RevisionRead,
)
from content.posts.api import Db, IdempotencyKey

router = APIRouter(tags=["articles"])

_WRITER = "Not an approved public account's acting token (PA-7.1)"
_READ = problems(
    404,
    410,
    451,
    s404="No such article, or one under review that is not the caller's",
    s410="Withdrawn by its account (MB-16.2)",
    s451="Transmission stopped (MB-12.2), with the legal basis",
)


@router.post(
    "/v1/articles/drafts",
    status_code=status.HTTP_201_CREATED,
    response_model=DraftRead,
    responses=problems(403, 409, s403=_WRITER, s409="Too many drafts", s422="Too long, a title too long, media"),
)
async def create_draft(body: DraftWrite, principal: CurrentPrincipal, request: Request, db: Db) -> DraftRead:
    """A new draft of an article (Markdown or HTML, sanitised on publication; the limits apply now)."""
    return await handlers.create_draft(db, request.app.state.settings, principal, body)


@router.get("/v1/articles/drafts", response_model=Page[DraftRead], responses=problems(403, s403=_WRITER))
async def list_drafts(
    principal: CurrentPrincipal, db: Db, cursor: CursorQuery = None, limit: LimitQuery = DEFAULT_LIMIT
) -> Page[DraftRead]:
    """The account's drafts, the last changed first."""
    return await handlers.drafts(db, principal, cursor=cursor, limit=limit)


@router.get("/v1/articles/drafts/{draft_id}", response_model=DraftRead, responses=problems(403, 404, s403=_WRITER))
async def read_draft(draft_id: uuid.UUID, principal: CurrentPrincipal, db: Db) -> DraftRead:
    return await handlers.draft(db, principal, draft_id)


@router.put(
    "/v1/articles/drafts/{draft_id}",
    response_model=DraftRead,
    responses=problems(403, 404, 409, s403=_WRITER, s409="The draft changed since that version (draft-changed)"),
)
async def update_draft(
    draft_id: uuid.UUID, body: DraftUpdate, principal: CurrentPrincipal, request: Request, db: Db
) -> DraftRead:
    """Replace a draft, at the version read (optimistic lock: another editor's change is not overwritten)."""
    return await handlers.update_draft(db, request.app.state.settings, principal, draft_id, body)


@router.delete(
    "/v1/articles/drafts/{draft_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problems(403, 404, s403=_WRITER),
)
async def delete_draft(draft_id: uuid.UUID, principal: CurrentPrincipal, db: Db) -> Response:
    await handlers.delete_draft(db, principal, draft_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/v1/articles/drafts/{draft_id}/publication",
    status_code=status.HTTP_201_CREATED,
    response_model=ArticleRead,
    responses={
        200: {"model": ArticleRead, "description": "The same Idempotency-Key again: the article it published"},
        **problems(
            403,
            404,
            s403="Not a public account (PA-7.1); real name, agreement or standing (MB-7.1, MB-7.2, MB-6.2, PA-13.1); "
            "news without a licence in scope (PA-8, MB-4); a push the grade does not allow (MB-9); the grade's "
            "daily article or push quota is used (`quota-reached`, MB-9; Retry-After: the end of the Beijing day)",
            s404="No such draft",
        ),
    },
)
async def publish(
    draft_id: uuid.UUID,
    body: Publication,
    principal: CurrentPrincipal,
    request: Request,
    response: Response,
    db: Db,
    idempotency_key: IdempotencyKey = None,
) -> ArticleRead:
    """Publish a draft. Moderation decides it like a post (status `pending`: the account sees it at once,
    everyone else once it is published); `push` also sends it to every subscriber's home timeline."""
    published = await handlers.publish(
        db,
        request.app.state.settings,
        principal,
        draft_id,
        push=body.push,
        idempotency_key=idempotency_key,
        log=RequestLog.of(request),
    )
    response.headers["Location"] = f"/v1/articles/{published.article_id}"
    if not published.created:
        response.status_code = status.HTTP_200_OK
    return await handlers.read_article(db, published.article_id, principal)


@router.get("/v1/articles/{article_id}", response_model=ArticleRead, responses=_READ)
async def show_article(article_id: uuid.UUID, viewer: OptionalPrincipal, db: Db) -> ArticleRead:
    """An article as shown: the revision on show, its byline, the account's kind label (PA-7.1), counts."""
    return await handlers.read_article(db, article_id, viewer)


@router.delete(
    "/v1/articles/{article_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problems(403, 404, s403=_WRITER, s404="No such article of this account"),
)
async def withdraw(article_id: uuid.UUID, principal: CurrentPrincipal, request: Request, db: Db) -> Response:
    """Withdraw an article: 410 on every path at once; the platform keeps it as a record (MB-16.2)."""
    await handlers.withdraw(db, request.app.state.settings, principal, article_id, log=RequestLog.of(request))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/v1/articles/{article_id}/corrections",
    status_code=status.HTTP_201_CREATED,
    response_model=CorrectionRead,
    responses=problems(
        403,
        404,
        410,
        451,
        s403="Not the article's account (PA-7.1); standing; news without a licence (PA-8)",
        s404="No such article of this account",
        s410="Withdrawn",
        s451="Transmission stopped (MB-12.2)",
    ),
)
async def correct(
    article_id: uuid.UUID, body: CorrectionCreate, principal: CurrentPrincipal, request: Request, db: Db
) -> CorrectionRead:
    """Correct an article (PA-11): a new revision, moderated like a post; the earlier one stays on show until
    it is published, and stays the record after."""
    return await handlers.correct(
        db, request.app.state.settings, principal, article_id, body, log=RequestLog.of(request)
    )


@router.get("/v1/articles/{article_id}/revisions", response_model=list[RevisionRead], responses=_READ)
async def revisions(article_id: uuid.UUID, viewer: OptionalPrincipal, db: Db) -> list[RevisionRead]:
    """The revisions shown, oldest first, each with its correction note (PA-11)."""
    return await handlers.revisions(db, article_id, viewer)


@router.get("/v1/articles/{article_id}/revisions/{number}", response_model=RevisionRead, responses=_READ)
async def revision(
    article_id: uuid.UUID,
    number: Annotated[int, Path(ge=1, le=100_000)],
    viewer: OptionalPrincipal,
    db: Db,
) -> RevisionRead:
    return await handlers.revision(db, article_id, number, viewer)


@router.get(
    "/v1/public-accounts/{account_id}/articles",
    response_model=Page[ArticleSummary],
    responses=problems(404, s404="No such public account, or it was cancelled"),
)
async def articles_of(
    account_id: uuid.UUID,
    viewer: OptionalPrincipal,
    db: Db,
    cursor: CursorQuery = None,
    limit: LimitQuery = DEFAULT_LIMIT,
) -> Page[ArticleSummary]:
    """A public account's articles this caller may see, newest first."""
    return await handlers.articles_of(db, account_id, viewer, cursor=cursor, limit=limit)
