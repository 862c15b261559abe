"""Reposts, comments and likes (MB-2), comment management (MB-10.2, PA-12) and staff feature restrictions
(PA-12.2): one function per command or event, each owning its transaction. A repost or comment is written
by content.posts' `accept` (moderation checks it like a post, MB-6.1) after the checks here."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import asyncpg
from contracts.features import GatedFeature
from kit.auth import Principal
from kit.pagination import Page, decode_cursor, page
from kit.problems import InvalidInput, NotFound
from kit.userlog import RequestLog

from content.database import Database, Stores
from content.gates.domain import check_open
from content.interactions.domain import (
    CommentAction,
    CommentPolicy,
    CommentSettings,
    Feature,
    NotAThread,
    OwnerState,
    Target,
    VerifiedAccount,
    check_grade_feature,
    check_limits,
    check_manager,
    check_may_comment,
    check_may_delegate,
    check_may_pin,
    check_not_blocked,
    check_restrictions,
    comment_chain,
    is_organisation,
    new_comment_state,
    next_state,
    repost_chain,
    repost_text,
    target,
    thread_policy,
)
from content.interactions.schemas import (
    CommentSettingsRead,
    DelegateRead,
    FeatureRestrictionCreate,
    FeatureRestrictionRead,
    LimitRead,
    RestrictionsRead,
    delegate_read,
    restriction_read,
    settings_read,
)
from content.posts.domain import (
    NEWS,
    PostKind,
    PostStatus,
    Standing,
    check_length,
    check_may_publish,
    check_news_licence,
    check_standing,
)
from content.posts.handlers import Created, Draft, accept, views, visible_row
from content.posts.schemas import PostRead
from content.settings import ContentSettings


def _me(principal: Principal) -> uuid.UUID:
    return uuid.UUID(principal.subject)


def _before(cursor: str | None) -> tuple | None:
    return decode_cursor(cursor, datetime, uuid.UUID) if cursor else None


async def _check_interaction(
    stores: Stores, me: uuid.UUID, feature: Feature, owners: set[uuid.UUID]
) -> Standing | None:
    """What every repost, comment and like must pass beyond a post's rules: the authors of what it is
    about have not blocked the caller (MB-2); the caller's credit level and sanctions allow the feature
    (PA-6.2, PA-13.1); staff have not taken it from the caller or from those authors (PA-12.2)."""
    others = owners - {me}
    for owner in others:
        check_not_blocked(await stores.social.blocked(owner, me))
    standing = await stores.posts.author_standing(me)
    check_limits(feature, standing)
    restrictions = await stores.interactions.restrictions_in_force([me, *others])
    check_restrictions(
        feature,
        [r for r in restrictions if r.account_id == me],
        [r for r in restrictions if r.account_id != me],
    )
    return standing


async def _thread_policy(stores: Stores, owner_id: uuid.UUID, post_id: uuid.UUID | None) -> CommentPolicy:
    account = await stores.interactions.account_settings(owner_id)
    post = await stores.interactions.post_settings(post_id) if post_id is not None else CommentSettings()
    organisation = is_organisation(await stores.interactions.verified_type(owner_id))
    public_account = await stores.articles.is_public_account(owner_id)  # PA-12.2: approval by default
    return thread_policy(account, post, organisation=organisation, public_account=public_account)


async def _page_of(stores: Stores, rows: list[asyncpg.Record], limit: int, viewer: uuid.UUID | None) -> Page[PostRead]:
    shown = page(rows, limit, lambda r: (r["created_at"], r["id"]))
    items = await views(stores, [r["id"] for r in shown["items"]], viewer)
    return Page[PostRead](items=items, next_cursor=shown["next_cursor"])


# --- reposts, comments, likes -------------------------------------------------------------------


async def repost(
    db: Database,
    settings: ContentSettings,
    principal: Principal,
    post_id: uuid.UUID,
    *,
    text: str,
    idempotency_key: str | None,
    category: str | None = None,
    log: RequestLog | None = None,
) -> Created:
    """MB-2: repost a post or a repost, keeping the chain; moderation checks its text like a post's. A repost
    with text of its own in the news category needs a valid news licence in scope (MB-4, PA-8)."""
    now = datetime.now(UTC)
    check_may_publish(principal.access, now)  # MB-7.1, MB-7.2, MB-6.2
    text = repost_text(text, settings.post_max_chars)
    me = _me(principal)
    async with db.snapshot() as stores:
        if category == NEWS and text:
            check_news_licence(category, PostKind.REPOST, await stores.posts.news_licences(me), now)
        parent = target(await visible_row(stores, post_id, me))
        chain = repost_chain(parent)
        original = parent if chain.root_id == parent.id else target(await visible_row(stores, chain.root_id, me))
        await _check_interaction(stores, me, Feature.REPOSTS, {parent.author_id, original.author_id})
    draft = Draft(
        text=text, kind=PostKind.REPOST, parent_id=chain.parent_id, root_id=chain.root_id, category=category or ""
    )
    return await accept(  # PA-13.1: the bar; MB-9: the grade's daily posts
        db, principal, draft, idempotency_key=idempotency_key, post_quota=settings.post_quota_enforced, log=log
    )


async def comment(
    db: Database,
    settings: ContentSettings,
    principal: Principal,
    post_id: uuid.UUID,
    *,
    text: str,
    idempotency_key: str | None,
    log: RequestLog | None = None,
) -> Created:
    """MB-2: comment on a post or repost, or reply to a comment (one level of replies), under the thread
    owner's settings (MB-10.2, PA-12); moderation checks it like a post (MB-6.1)."""
    check_may_publish(principal.access, datetime.now(UTC))  # MB-7.1, MB-7.2, MB-6.2
    text = check_length(text, settings.post_max_chars)
    me = _me(principal)
    async with db.snapshot() as stores:
        answered = target(await visible_row(stores, post_id, me))
        chain = comment_chain(answered)
        thread = answered if chain.root_id == answered.id else target(await visible_row(stores, chain.root_id, me))
        owner = thread.author_id
        await _check_interaction(stores, me, Feature.COMMENTS, {answered.author_id, owner})
        manager = await stores.interactions.manages(me, owner)
        if await stores.articles.is_public_account(owner):
            # MB-13 / PA-12.1: comments on public accounts have news-opinion attributes: offered only once
            # their security assessment is acknowledged; MB-9: the account's grade allows 留言.
            feature = GatedFeature.PUBLIC_ACCOUNT_COMMENTS
            check_open(feature, await stores.gates.gate(feature.key, feature.version))
            check_grade_feature((await stores.posts.privileges(owner)).features)
        policy = await _thread_policy(stores, owner, thread.id)
        follows = manager or not policy.followers_only or await stores.social.follows(me, owner)
        check_may_comment(policy, manager=manager, follows_owner=follows)
        state = new_comment_state(policy, manager=manager)
    draft = Draft(
        text=text, kind=PostKind.COMMENT, parent_id=chain.parent_id, root_id=chain.root_id, owner_state=str(state)
    )
    return await accept(  # PA-13.1: the bar; MB-9: the grade's daily posts
        db, principal, draft, idempotency_key=idempotency_key, post_quota=settings.post_quota_enforced, log=log
    )


async def like(db: Database, principal: Principal, post_id: uuid.UUID) -> None:
    """Like a post, repost or comment the caller may see; liking again changes nothing. A like needs what
    a post needs (MB-7.1, MB-7.2, MB-6.2, PA-13.1)."""
    now = datetime.now(UTC)
    check_may_publish(principal.access, now)
    me = _me(principal)
    async with db.transaction() as stores:
        liked = target(await visible_row(stores, post_id, me))
        standing = await _check_interaction(stores, me, Feature.LIKES, {liked.author_id})
        check_standing(standing, now)  # PA-13.1, PA-9.2, MB-9: the author's bar
        await stores.interactions.like(post_id, me)


async def unlike(db: Database, principal: Principal, post_id: uuid.UUID) -> None:
    """Take a like back; without one, nothing changes."""
    async with db.connection() as stores:
        await stores.interactions.unlike(post_id, _me(principal))


async def reposts(
    db: Database, post_id: uuid.UUID, viewer: Principal | None, *, cursor: str | None, limit: int
) -> Page[PostRead]:
    """A post's reposts (its whole chain) or a repost's, newest first, as the viewer may see them."""
    viewer_id = _me(viewer) if viewer else None
    before = _before(cursor)
    async with db.snapshot() as stores:
        shown = target(await visible_row(stores, post_id, viewer_id))
        rows = await stores.interactions.reposts(
            post_id, viewer_id, of_original=shown.kind is PostKind.POST, before=before, limit=limit
        )
        return await _page_of(stores, rows, limit, viewer_id)


async def comments(
    db: Database,
    post_id: uuid.UUID,
    viewer: Principal | None,
    *,
    state: OwnerState,
    cursor: str | None,
    limit: int,
) -> Page[PostRead]:
    """A post's or repost's top-level comments, or a comment's replies, newest first. The thread's
    managers list its comments awaiting approval or hidden (MB-10.2) with ``state``."""
    viewer_id = _me(viewer) if viewer else None
    before = _before(cursor)
    async with db.snapshot() as stores:
        shown = target(await visible_row(stores, post_id, viewer_id))
        if state is OwnerState.SHOWN:
            rows = await stores.interactions.comments(post_id, viewer_id, before=before, limit=limit)
        else:
            owner = await _thread_owner(stores, shown)
            check_manager(viewer_id is not None and await stores.interactions.manages(viewer_id, owner))
            assert viewer_id is not None
            rows = await stores.interactions.comments_in_state(post_id, viewer_id, state, before=before, limit=limit)
        shown_page = await _page_of(stores, rows, limit, viewer_id)
        if state is OwnerState.SHOWN and before is None:  # PA-12.2: the pinned ones first, on the first page
            pinned = await stores.interactions.pinned(post_id, viewer_id)
            if pinned:
                items = await views(stores, [r["id"] for r in pinned], viewer_id)
                return Page[PostRead](items=[*items, *shown_page.items], next_cursor=shown_page.next_cursor)
        return shown_page


async def _thread_owner(stores: Stores, shown: Target) -> uuid.UUID:
    """The author of the thread a post, repost or comment belongs to."""
    if shown.kind is not PostKind.COMMENT or shown.root_id is None:
        return shown.author_id
    root = await stores.posts.post_by_id(shown.root_id)
    if root is None:
        raise NotFound("No such thread.")
    return root["author_id"]


# --- comment management (MB-10.2, PA-12) ----------------------------------------------------------


async def manage_comment(
    db: Database,
    settings: ContentSettings,
    principal: Principal,
    post_id: uuid.UUID,
    comment_id: uuid.UUID,
    action: CommentAction,
) -> None:
    """The thread's owner or a delegate hides, unhides, approves or deletes a comment under the post
    (its author may delete it too). Recorded; repeating an action changes nothing more."""
    me = _me(principal)
    async with db.transaction() as stores:
        row = await stores.interactions.comment_for_update(comment_id)
        published = row is not None and row["status"] == PostStatus.PUBLISHED
        if (
            row is None
            or post_id not in (row["root_id"], row["parent_id"])
            or not (published or (action is CommentAction.DELETE and row["author_id"] == me))
        ):
            raise NotFound("No such comment under this post.")
        root = await stores.posts.post_by_id(row["root_id"])
        manager = root is not None and await stores.interactions.manages(me, root["author_id"])
        if action is CommentAction.DELETE:
            check_manager(manager or row["author_id"] == me)
            purge_after = datetime.now(UTC) + timedelta(days=settings.deleted_retention_days)
            await stores.posts.delete_post(comment_id, row["author_id"], purge_after)  # MB-16.2: kept as the record
        else:
            check_manager(manager)
            await stores.interactions.set_owner_state(comment_id, next_state(OwnerState(row["owner_state"]), action))
        await stores.interactions.record_action(comment_id, action, me)


async def pin_comment(
    db: Database,
    settings: ContentSettings,
    principal: Principal,
    post_id: uuid.UUID,
    comment_id: uuid.UUID,
    *,
    pin: bool,
) -> None:
    """PA-12.2: a thread's managers (a public account's operators) pin a top-level comment everyone may see,
    at most COMMENT_PINS_PER_THREAD; pinned ones come first in the list. Recorded; repeating changes nothing."""
    me = _me(principal)
    async with db.transaction() as stores:
        row = await stores.interactions.comment_for_update(comment_id)
        if row is None or row["root_id"] != post_id or row["parent_id"] != post_id:
            raise NotFound("No such top-level comment under this post.")
        root = await stores.posts.post_by_id(post_id)
        check_manager(root is not None and await stores.interactions.manages(me, root["author_id"]))
        if pin:
            shown = row["status"] == PostStatus.PUBLISHED and row["owner_state"] == OwnerState.SHOWN
            if shown and await stores.interactions.pin(comment_id, post_id, me):
                check_may_pin(
                    shown=True,
                    pinned=await stores.interactions.pins_on(post_id) - 1,
                    max_pins=settings.comment_pins_per_thread,
                )
                await stores.interactions.record_action(comment_id, CommentAction.PIN, me)
            elif not shown:
                check_may_pin(shown=False, pinned=0, max_pins=settings.comment_pins_per_thread)
        elif await stores.interactions.unpin(comment_id):
            await stores.interactions.record_action(comment_id, CommentAction.UNPIN, me)


async def account_settings(db: Database, principal: Principal) -> CommentSettingsRead:
    me = _me(principal)
    async with db.snapshot() as stores:
        return await _account_settings_read(stores, me)


async def _account_settings_read(stores: Stores, me: uuid.UUID) -> CommentSettingsRead:
    settings = await stores.interactions.account_settings(me)
    organisation = is_organisation(await stores.interactions.verified_type(me))
    policy = thread_policy(settings, CommentSettings(), organisation=organisation)
    return settings_read(settings, policy, organisation=organisation)


async def set_account_settings(db: Database, principal: Principal, settings: CommentSettings) -> CommentSettingsRead:
    """MB-10.2 / PA-12: close comments on the whole account, restrict them to followers, hold them for
    approval."""
    me = _me(principal)
    async with db.transaction() as stores:
        await stores.interactions.set_account_settings(me, settings)
        return await _account_settings_read(stores, me)


async def _managed_thread(stores: Stores, me: uuid.UUID, post_id: uuid.UUID) -> uuid.UUID:
    """The owner of the post or repost the caller manages (MB-10.2)."""
    thread = target(await visible_row(stores, post_id, me))
    if thread.kind is PostKind.COMMENT:
        raise NotAThread("Comment settings belong to a post or repost, not a comment.", requirement="MB-10.2")
    check_manager(await stores.interactions.manages(me, thread.author_id))
    return thread.author_id


async def _post_settings_read(stores: Stores, owner: uuid.UUID, post_id: uuid.UUID) -> CommentSettingsRead:
    settings = await stores.interactions.post_settings(post_id)
    organisation = is_organisation(await stores.interactions.verified_type(owner))
    return settings_read(settings, await _thread_policy(stores, owner, post_id), organisation=organisation)


async def post_settings(db: Database, principal: Principal, post_id: uuid.UUID) -> CommentSettingsRead:
    me = _me(principal)
    async with db.snapshot() as stores:
        owner = await _managed_thread(stores, me, post_id)
        return await _post_settings_read(stores, owner, post_id)


async def set_post_settings(
    db: Database, principal: Principal, post_id: uuid.UUID, settings: CommentSettings
) -> CommentSettingsRead:
    """MB-10.2 / PA-12: close comments on one post, restrict them to followers, hold them for approval."""
    me = _me(principal)
    async with db.transaction() as stores:
        owner = await _managed_thread(stores, me, post_id)
        await stores.interactions.set_post_settings(post_id, settings, me)
        return await _post_settings_read(stores, owner, post_id)


async def delegates(db: Database, principal: Principal, *, cursor: str | None, limit: int) -> Page[DelegateRead]:
    before = _before(cursor)
    async with db.connection() as stores:
        rows = await stores.interactions.delegates(_me(principal), before=before, limit=limit)
    shown = page(rows, limit, lambda r: (r["named_at"], r["delegate_id"]))
    return Page[DelegateRead](items=[delegate_read(r) for r in shown["items"]], next_cursor=shown["next_cursor"])


async def name_delegate(db: Database, principal: Principal, delegate_id: uuid.UUID) -> bool:
    """MB-10.2: an organisation account names an operator to manage the comments under its posts.
    True when newly named."""
    me = _me(principal)
    if delegate_id == me:
        raise InvalidInput("You manage your own comments already; name another account.")
    async with db.transaction() as stores:
        check_may_delegate(await stores.interactions.verified_type(me))
        return await stores.interactions.name_delegate(me, delegate_id)


async def remove_delegate(db: Database, principal: Principal, delegate_id: uuid.UUID) -> None:
    async with db.connection() as stores:
        await stores.interactions.remove_delegate(_me(principal), delegate_id)


# --- restrictions: identity's limits and staff's (PA-6.2, PA-13.1, PA-12.2) -------------------------


async def my_restrictions(db: Database, principal: Principal) -> RestrictionsRead:
    """What limits the caller's features: the credit level's and sanctions' limits (from identity), and
    the platform's feature restrictions in force."""
    me = _me(principal)
    async with db.snapshot() as stores:
        standing = await stores.posts.author_standing(me)
        restrictions = await stores.interactions.restrictions_of(me)
    return RestrictionsRead(
        credit_level=(standing.credit_level or None) if standing else None,
        limits=[LimitRead(limit=lim, requirement=standing.limit_requirement(lim)) for lim in standing.limits]
        if standing
        else [],
        suspended_until=standing.suspended_until if standing else None,
        feature_restrictions=[restriction_read(r) for r in restrictions],
    )


async def restrict(db: Database, staff: Principal, body: FeatureRestrictionCreate) -> FeatureRestrictionRead:
    """PA-12.2: staff take features from an account that manages them badly; recorded with the reason
    and legal basis, and shown to the account."""
    if body.until is not None and (body.until.tzinfo is None or body.until <= datetime.now(UTC)):
        raise InvalidInput("`until` must be a moment in the future, with its time zone (or null: until lifted).")
    async with db.transaction() as stores:
        row = await stores.interactions.restrict(
            account_id=body.account_id,
            features=sorted({str(f) for f in body.features}),
            reason=body.reason,
            legal_basis=list(dict.fromkeys(body.legal_basis)),
            until=body.until,
            created_by=staff.actor,
        )
    return restriction_read(row)


async def lift(db: Database, staff: Principal, restriction_id: uuid.UUID, reason: str) -> FeatureRestrictionRead:
    async with db.transaction() as stores:
        row = await stores.interactions.lift(restriction_id, by=staff.actor, reason=reason)
    if row is None:
        raise NotFound("No such feature restriction.")
    return restriction_read(row)


async def restrictions(
    db: Database, account_id: uuid.UUID | None, *, in_force: bool, cursor: str | None, limit: int
) -> Page[FeatureRestrictionRead]:
    before = _before(cursor)
    async with db.connection() as stores:
        rows = await stores.interactions.restrictions(account_id, in_force=in_force, before=before, limit=limit)
    shown = page(rows, limit, lambda r: (r["created_at"], r["id"]))
    return Page[FeatureRestrictionRead](
        items=[restriction_read(r) for r in shown["items"]], next_cursor=shown["next_cursor"]
    )


# --- identity's facts ---------------------------------------------------------------------------


async def note_verified_account(stores: Stores, verified: VerifiedAccount) -> None:
    """MB-10.2: learn an account's verified type (organisation accounts get approval and delegation)."""
    await stores.interactions.note_verified(verified)
