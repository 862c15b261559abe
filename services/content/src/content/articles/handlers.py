"""Articles (issue 13 §2, PA-7.1, PA-11, MB-4/PA-8, MB-9): drafts, publication, corrections, withdrawal,
reads; and identity's news about public accounts and news licences. Each command owns its transaction: an
article is a post (kind ``article``), written and announced with its revision in one, so moderation decides
it exactly like a post (MB-6.1, MB-12.2)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from kit.auth import Principal
from kit.pagination import Page, decode_cursor, page
from kit.problems import NotFound
from kit.userlog import RequestLog

from content.articles.domain import (
    LicenceChanged,
    PublicAccount,
    TooManyDrafts,
    check_article_length,
    check_draft_version,
    check_public_account,
    check_push,
    check_source,
    check_title,
)
from content.articles.sanitise import sanitise
from content.articles.schemas import (
    ArticleRead,
    ArticleSummary,
    CorrectionCreate,
    CorrectionRead,
    DraftRead,
    DraftUpdate,
    DraftWrite,
    RevisionRead,
    article_read,
    article_summary,
    draft_read,
    revision_read,
)
from content.database import Database, Stores
from content.posts import events
from content.posts.domain import (
    NewPost,
    PostKind,
    StandingChanging,
    UnavailableForLegalReasons,
    beijing_day,
    check_may_publish,
    check_news_licence,
    check_standing,
    quota_reached,
)
from content.posts.handlers import visible_row
from content.settings import ContentSettings

# --- identity's news --------------------------------------------------------------------------------


async def note_public_account(stores: Stores, account: PublicAccount) -> None:
    """PA-7.1: an approved public account may write articles; its badge is shown with them."""
    await stores.articles.note_public_account(account)


async def note_licence(stores: Stores, licence: LicenceChanged) -> None:
    """MB-4 / PA-8: the news licences the account's subject holds (a newer version only)."""
    await stores.articles.note_licence(licence)


# --- drafts -------------------------------------------------------------------------------------------


def _me(principal: Principal) -> uuid.UUID:
    return uuid.UUID(principal.subject)


async def _writer(stores: Stores, principal: Principal) -> uuid.UUID:
    """PA-7.1: the caller acts as an approved, live public account."""
    me = _me(principal)
    account, cancelled = await stores.articles.public_account(me)
    check_public_account(
        account, cancelled or await stores.articles.cancelled(me), acting=_editor(principal) is not None
    )
    return me


def _editor(principal: Principal) -> uuid.UUID | None:
    actor = principal.access.actor
    return uuid.UUID(actor) if actor else None


async def _draft_values(
    stores: Stores, settings: ContentSettings, principal: Principal, me: uuid.UUID, body: DraftWrite
) -> dict:
    title = check_title(body.title, settings.article_title_max_chars)
    check_source(body.original, body.source)
    cleaned = sanitise(title, body.format, body.body)
    check_article_length(cleaned.text, settings.article_max_chars)
    media = _distinct([*([body.cover_media_id] if body.cover_media_id else []), *cleaned.media_ids])
    await stores.posts.media_of(me, media)  # 422: only the account's own media
    return {
        "account_id": me,
        "title": title,
        "format": str(body.format),
        "body_source": body.body,
        "cover_media_id": body.cover_media_id,
        "media_ids": list(cleaned.media_ids),
        "category": str(body.category),
        "original": body.original,
        "source": body.source,
        "author_name": body.author_name,
        "editor_id": _editor(principal),
    }


def _distinct(ids: list[uuid.UUID]) -> list[uuid.UUID]:
    return list(dict.fromkeys(ids))


async def create_draft(db: Database, settings: ContentSettings, principal: Principal, body: DraftWrite) -> DraftRead:
    async with db.transaction() as stores:
        me = await _writer(stores, principal)
        values = await _draft_values(stores, settings, principal, me, body)
        row = await stores.articles.insert_draft(
            {"id": uuid.uuid4(), **values}, max_drafts=settings.article_drafts_per_account
        )
    if row is None:
        raise TooManyDrafts(f"An account keeps at most {settings.article_drafts_per_account} drafts.")
    return draft_read(row)


async def drafts(db: Database, principal: Principal, *, cursor: str | None, limit: int) -> Page[DraftRead]:
    before = decode_cursor(cursor, datetime, uuid.UUID) if cursor else None
    async with db.snapshot() as stores:
        me = await _writer(stores, principal)
        rows = await stores.articles.drafts(me, before, limit)
    shown = page(rows, limit, lambda r: (r["updated_at"], r["id"]))
    return Page[DraftRead](items=[draft_read(r) for r in shown["items"]], next_cursor=shown["next_cursor"])


async def draft(db: Database, principal: Principal, draft_id: uuid.UUID) -> DraftRead:
    async with db.snapshot() as stores:
        me = await _writer(stores, principal)
        row = await stores.articles.draft(me, draft_id)
    if row is None:
        raise NotFound("No such draft of this account.")
    return draft_read(row)


async def update_draft(
    db: Database, settings: ContentSettings, principal: Principal, draft_id: uuid.UUID, body: DraftUpdate
) -> DraftRead:
    async with db.transaction() as stores:
        me = await _writer(stores, principal)
        current = await stores.articles.draft(me, draft_id, for_update=True)
        if current is None:
            raise NotFound("No such draft of this account.")
        check_draft_version(current["version"], body.version)  # 409 draft-changed
        values = await _draft_values(stores, settings, principal, me, body)
        row = await stores.articles.update_draft({"id": draft_id, **values}, body.version)
    assert row is not None  # locked and at this version
    return draft_read(row)


async def delete_draft(db: Database, principal: Principal, draft_id: uuid.UUID) -> None:
    async with db.transaction() as stores:
        me = await _writer(stores, principal)
        if not await stores.articles.delete_draft(me, draft_id):
            raise NotFound("No such draft of this account.")


# --- publication, correction, withdrawal ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Published:
    article_id: uuid.UUID
    created: bool  # False: the same Idempotency-Key again


async def publish(
    db: Database,
    settings: ContentSettings,
    principal: Principal,
    draft_id: uuid.UUID,
    *,
    push: bool,
    idempotency_key: str | None,
    log: RequestLog | None = None,
) -> Published:
    """Publish a draft: a post of kind ``article`` waiting for moderation (MB-6.1), its first revision, the
    draft gone, in one transaction. Refused without a news licence in scope for news (MB-4/PA-8), over the
    grade's daily quota (403 ``quota-reached`` with Retry-After, MB-9), or a push the grade does not allow
    (403, MB-9)."""
    now = datetime.now(UTC)
    check_may_publish(principal.access, now)  # MB-7.1, MB-7.2, MB-6.2
    async with db.transaction() as stores:
        me = await _writer(stores, principal)
        if idempotency_key is not None:
            earlier = await stores.posts.post_by_idempotency_key(me, idempotency_key)
            if earlier is not None and earlier["kind"] == PostKind.ARTICLE:
                return Published(earlier["id"], False)
        d = await stores.articles.draft(me, draft_id, for_update=True)
        if d is None:
            raise NotFound("No such draft of this account.")
        title = check_title(d["title"], settings.article_title_max_chars)
        cleaned = sanitise(title, d["format"], d["body_source"])
        check_article_length(cleaned.text, settings.article_max_chars)
        check_news_licence(
            d["category"], PostKind.ARTICLE, await stores.posts.news_licences(me), now, original=d["original"]
        )
        privileges = await stores.posts.privileges(me)
        if push:
            check_push(privileges)  # 403 MB-9
        check_standing(await stores.posts.author_standing(me), now)  # PA-13.1, PA-9.2, MB-9
        media = await stores.posts.media_of(
            me, _distinct([*([d["cover_media_id"]] if d["cover_media_id"] else []), *cleaned.media_ids])
        )
        day = beijing_day(now)
        if not await stores.posts.use_quota(me, day, "article", privileges.daily_articles):
            raise quota_reached("article", privileges.daily_articles, now)
        if push and not await stores.posts.use_quota(me, day, "push", privileges.daily_pushes):
            raise quota_reached("push", privileges.daily_pushes, now)
        post = NewPost(
            id=uuid.uuid4(),
            author_id=me,
            text=cleaned.text,
            created_at=now,
            province_code=principal.access.province or "",
            registered_at=principal.access.registered_at,
            kind=PostKind.ARTICLE,
            media=media,
            category=d["category"],
            title=title,
        )
        row = await stores.posts.insert_post_announced(
            post,
            idempotency_key=idempotency_key,
            request_sha256=None,
            announcement=events.post_created(post),
            logged=events.publication_logged(log, post, principal.access),
        )
        if row is None:  # barred at this very moment (the standing changed since the check)
            raise StandingChanging("The account's standing is changing right now; retry.", requirement="PA-13.1")
        await stores.articles.insert_article(
            {
                "id": post.id,
                "account_id": me,
                "title": title,
                "format": d["format"],
                "body_source": d["body_source"],
                "cover_media_id": d["cover_media_id"],
                "category": d["category"],
                "original": d["original"],
                "source": d["source"],
                "author_name": d["author_name"],
                "editor_id": _editor(principal),
                "pushed": push,
                "created_at": now,
            },
            body_html=cleaned.html,
        )
        await stores.articles.delete_draft(me, draft_id)
    return Published(post.id, True)


async def correct(
    db: Database,
    settings: ContentSettings,
    principal: Principal,
    article_id: uuid.UUID,
    body: CorrectionCreate,
    *,
    log: RequestLog | None = None,
) -> CorrectionRead:
    """PA-11: a correction is a new revision, a post of kind ``correction`` moderated like any post; the
    earlier revision stays on show until moderation publishes it, and stays the record after."""
    now = datetime.now(UTC)
    check_may_publish(principal.access, now)
    async with db.transaction() as stores:
        me = await _writer(stores, principal)
        art = await stores.articles.article_for_update(article_id)
        if art is None or art["account_id"] != me:
            raise NotFound("No such article of this account.")
        await visible_row(stores, article_id, me)  # 410 withdrawn, 451 stopped
        title = check_title(body.title or art["shown_title"] or art["title"], settings.article_title_max_chars)
        cleaned = sanitise(title, art["format"], body.body)
        check_article_length(cleaned.text, settings.article_max_chars)
        check_news_licence(
            art["category"], PostKind.CORRECTION, await stores.posts.news_licences(me), now, original=art["original"]
        )
        check_standing(await stores.posts.author_standing(me), now)
        media = await stores.posts.media_of(me, _distinct(list(cleaned.media_ids)))
        post = NewPost(
            id=uuid.uuid4(),
            author_id=me,
            text=cleaned.text,
            created_at=now,
            province_code=principal.access.province or "",
            registered_at=principal.access.registered_at,
            kind=PostKind.CORRECTION,
            parent_id=article_id,
            media=media,
            category=art["category"],
            title=title,
        )
        row = await stores.posts.insert_post_announced(
            post,
            idempotency_key=None,
            request_sha256=None,
            announcement=events.post_created(post),
            logged=events.publication_logged(log, post, principal.access),
        )
        if row is None:
            raise StandingChanging("The account's standing is changing right now; retry.", requirement="PA-13.1")
        revision = (art["last_revision"] or 1) + 1
        await stores.articles.insert_revision(
            post_id=post.id,
            article_id=article_id,
            revision=revision,
            title=title,
            body_source=body.body,
            body_html=cleaned.html,
            correction_note=body.correction_note,
            editor_id=_editor(principal),
            created_at=now,
        )
    return CorrectionRead(article_id=str(article_id), revision=revision, post_id=str(post.id), status=row["status"])


async def withdraw(
    db: Database,
    settings: ContentSettings,
    principal: Principal,
    article_id: uuid.UUID,
    *,
    log: RequestLog | None = None,
) -> None:
    """MB-16.2: withdrawn, the article is 410 on every path; its rows are kept for the retention period. The
    withdrawal joins the user log, once."""
    purge_after = datetime.now(UTC) + timedelta(days=settings.deleted_retention_days)
    async with db.transaction() as stores:
        me = await _writer(stores, principal)
        withdrawn_now = await stores.articles.withdraw(article_id, me, purge_after)
        if withdrawn_now is None:
            raise NotFound("No such article of this account.")
        if withdrawn_now:
            await stores.announce(events.deletion_logged(log, article_id, principal.access, subject_type="article"))


# --- reads ------------------------------------------------------------------------------------------


def _check_shown(row) -> None:
    """MB-12.2: a stop of the revision on show makes the article 451, with that decision's legal basis."""
    if row["shown_status"] == "stopped":
        raise UnavailableForLegalReasons(
            "Transmission of this article was stopped under the regulations.",
            requirement="MB-12.2",
            legal_basis=list(row["shown_stop_legal_basis"] or ()),
            category=row["shown_stop_category"],
            decided_at=row["shown_stop_decided_at"].isoformat() if row["shown_stop_decided_at"] else None,
        )


async def _visible_article(stores: Stores, article_id: uuid.UUID, viewer: uuid.UUID | None):
    await visible_row(stores, article_id, viewer)  # the head: 404 (pending: the account only), 410, 451
    row = await stores.articles.article(article_id)
    if row is None:
        raise NotFound("No such article.")
    _check_shown(row)
    return row


async def read_article(db: Database, article_id: uuid.UUID, viewer: Principal | None) -> ArticleRead:
    async with db.snapshot() as stores:
        return article_read(await _visible_article(stores, article_id, _me(viewer) if viewer else None))


async def articles_of(
    db: Database, account_id: uuid.UUID, viewer: Principal | None, *, cursor: str | None, limit: int
) -> Page[ArticleSummary]:
    before = decode_cursor(cursor, datetime, uuid.UUID) if cursor else None
    async with db.snapshot() as stores:
        account, gone = await stores.articles.public_account(account_id)
        if account is None or gone:
            raise NotFound("No such public account.")
        rows = await stores.articles.articles_of(account_id, _me(viewer) if viewer else None, before, limit)
    shown = page(rows, limit, lambda r: (r["created_at"], r["id"]))
    return Page[ArticleSummary](items=[article_summary(r) for r in shown["items"]], next_cursor=shown["next_cursor"])


async def revisions(db: Database, article_id: uuid.UUID, viewer: Principal | None) -> list[RevisionRead]:
    """PA-11: the revisions shown, oldest first, each with its correction note."""
    async with db.snapshot() as stores:
        await _visible_article(stores, article_id, _me(viewer) if viewer else None)
        return [revision_read(r) for r in await stores.articles.revisions(article_id)]


async def revision(db: Database, article_id: uuid.UUID, number: int, viewer: Principal | None) -> RevisionRead:
    for r in await revisions(db, article_id, viewer):
        if r.revision == number:
            return r
    raise NotFound("No such revision shown.")
