"""Content's commands and event handlers. Each takes plain values (domain.py) and a store port, and
owns its transaction: a post and its announcement are written together, a decision is applied with
its inbox record (the kit's consumer opens that transaction)."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
from kit.auth import Principal
from kit.problems import NotFound
from kit.service import Runtime
from kit.userlog import RequestLog

from content.database import Database, Stores
from content.posts import events
from content.posts.domain import (
    NEWS,
    Cancellation,
    Decision,
    MediaRef,
    NewPost,
    PostDeleted,
    PostKind,
    PostStatus,
    Privileges,
    Restoration,
    StandingChanged,
    StandingChanging,
    UnavailableForLegalReasons,
    beijing_day,
    check_length,
    check_may_publish,
    check_news_licence,
    check_same_request,
    check_standing,
    hidden_until,
    limit_basis,
    publishing_barred_until,
    quota_reached,
    request_sha256,
    snapshot_sha256,
)
from content.posts.schemas import PostRead, post_reads, post_view, unavailable
from content.posts.store import PostStore
from content.settings import ContentSettings

log = logging.getLogger(__name__)
DEFAULT_PRIVILEGES = Privileges()  # grade 1's, until identity announced the author's (MB-9)


@dataclass(frozen=True, slots=True)
class Created:
    post: asyncpg.Record
    created: bool  # False: the same Idempotency-Key and request again, answered with the first post


@dataclass(frozen=True, slots=True)
class Draft:
    """What a client sends to publish: a post, or (built by content.interactions) a repost or comment."""

    text: str
    kind: PostKind = PostKind.POST
    parent_id: uuid.UUID | None = None
    root_id: uuid.UUID | None = None
    media: tuple[MediaRef, ...] = ()
    owner_state: str = "shown"  # "awaiting": held for the thread owner's approval (PA-12.2)
    category: str = ""  # MB-4 / PA-8: "news" needs a licence (checked by the caller: check_news_licence)


async def create_post(
    db: Database,
    settings: ContentSettings,
    principal: Principal,
    *,
    text: str,
    idempotency_key: str | None,
    media_ids: list[uuid.UUID] | tuple[uuid.UUID, ...] = (),
    category: str | None = None,
    log: RequestLog | None = None,
) -> Created:
    """Accept a post for moderation. A post in the news category needs a valid news licence in scope (MB-4)."""
    now = datetime.now(UTC)
    check_may_publish(principal.access, now)  # MB-7.1, MB-7.2, MB-6.2
    text = check_length(text, settings.post_max_chars)
    media: tuple[MediaRef, ...] = ()
    if media_ids or category == NEWS:  # the hot path (no media, not news) takes no connection for it
        async with db.connection() as stores:
            me = uuid.UUID(principal.access.subject)
            if category == NEWS:
                check_news_licence(category, PostKind.POST, await stores.posts.news_licences(me), now)
            media = await stores.posts.media_of(me, list(media_ids))
    draft = Draft(text=text, media=media, category=category or "")
    return await accept(
        db,
        principal,
        draft,
        idempotency_key=idempotency_key,
        post_quota=settings.post_quota_enforced,
        log=log,
    )


async def accept(
    db: Database,
    principal: Principal,
    draft: Draft,
    *,
    idempotency_key: str | None,
    post_quota: bool = False,
    log: RequestLog | None = None,
) -> Created:
    """Accept a post, repost or comment for moderation (MB-6.1: every kind is checked like a post).
    Without an Idempotency-Key every request is a new one; with one, the same request again gets the
    first, another request under it a 422. The caller checked what the kind needs. The publication joins
    the user log (MB-16.2) in the same statement: one entry per post accepted, none for a repeat."""
    claims = principal.access
    now = datetime.now(UTC)
    check_may_publish(claims, now)  # MB-7.1, MB-7.2, MB-6.2
    post = NewPost(
        id=uuid.uuid4(),
        author_id=uuid.UUID(claims.subject),
        text=draft.text,
        created_at=now,
        province_code=claims.province or "",
        registered_at=claims.registered_at,
        kind=draft.kind,
        parent_id=draft.parent_id,
        root_id=draft.root_id,
        media=draft.media,
        category=draft.category,
    )
    fingerprint = (
        request_sha256(
            text=draft.text,
            kind=str(draft.kind),
            parent=str(draft.parent_id or ""),
            media=[str(m.media_id) for m in draft.media],
            **({"category": draft.category} if draft.category else {}),
        )
        if idempotency_key is not None
        else None
    )
    async with db.connection() as stores:
        store = stores.posts
        for _ in range(2):  # a second time only when a bar was lifted between the insert and the read
            # One statement: the post and its announcement, unless the key was sent before or the author
            # is barred (the bar the domain set when identity's news came: publishing_barred_until).
            row = await store.insert_post_announced(
                post,
                idempotency_key=idempotency_key,
                request_sha256=fingerprint,
                announcement=events.post_created(post),
                logged=events.publication_logged(log, post, claims),
                owner_state=draft.owner_state,
                quota_day=beijing_day(post.created_at) if post_quota else None,  # MB-9: the grade's daily posts
                default_post_quota=DEFAULT_PRIVILEGES.daily_posts,
            )
            if row is not None:
                return Created(row, True)
            if idempotency_key is not None and fingerprint is not None:
                earlier = await store.post_by_idempotency_key(post.author_id, idempotency_key)
                if earlier is not None:
                    check_same_request(earlier["request_sha256"], fingerprint)
                    return Created(earlier, False)
            check_standing(await store.author_standing(post.author_id), now)  # PA-13.1, PA-9.2, MB-9: why
            privileges = await store.privileges(post.author_id)
            if post_quota and await store.posts_used(post.author_id, beijing_day(now)) >= privileges.daily_posts:
                raise quota_reached("post", privileges.daily_posts, now)  # MB-9: 403 until the Beijing day ends
            now = datetime.now(UTC)
            post = replace(post, created_at=now)
    raise StandingChanging("The author's standing is changing right now; retry the post.", requirement="PA-13.1")


async def views(stores: Stores, ids: list[uuid.UUID], viewer: uuid.UUID | None) -> list[PostRead]:
    """The posts this viewer may see, as shown on every read path, in the order asked (MB-12.2: what
    they may not see is left out). A repost carries its original, or what stands in for it."""
    return post_reads(shown(await stores.posts.views(ids, viewer)))


def shown(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The views of hydrated rows (content.posts.store.views_sql: the items, then the reposts' originals)
    as a PostRead's data (post_view): the items this viewer may see in their order (MB-12.2), each repost
    with its original or its placeholder (a 451 naming the legal basis when the original was stopped).
    views() validates them into PostReads; a hot read path serialises them once (schemas.page_json)."""
    originals = {r["id"]: r for r in rows if r["original"]}
    items: list[dict[str, Any]] = []
    for r in rows:
        if r["original"] or not r["visible"]:
            continue
        if r["kind"] == PostKind.REPOST and r["root_id"] is not None:
            o = originals.get(r["root_id"])
            items.append(post_view(r, post_view(o) if o is not None and o["visible"] else unavailable(r["root_id"], o)))
        else:
            items.append(post_view(r))
    return items


async def read_post(db: Database, post_id: uuid.UUID, viewer: Principal | None) -> PostRead:
    """The post as this viewer may see it, with its label (MB-11), counts and, for a repost, its original."""
    viewer_id = uuid.UUID(viewer.subject) if viewer else None
    # One snapshot: a stop committed between the check and the view must not leave an empty view (a 500).
    async with db.snapshot() as stores:
        await visible_row(stores, post_id, viewer_id)
        return (await views(stores, [post_id], viewer_id))[0]


async def visible_row(stores: Stores, post_id: uuid.UUID, viewer_id: uuid.UUID | None) -> asyncpg.Record:
    """The stored post, when this viewer may see it; otherwise the refusal every read path gives (404,
    410 deleted, 451 stopped with its legal basis). Lists under a post and reactions to it ask this first."""
    rows = [r for r in await stores.posts.views([post_id], viewer_id) if not r["original"]]
    if not rows:
        raise NotFound("No such post.")
    row = rows[0]
    if row["status"] == PostStatus.STOPPED:
        # MB-12.2: transmission stopped on every read path; the snapshot stays in transmission_stop,
        # written in the same transaction as the status, with the decision's own legal basis.
        raise UnavailableForLegalReasons(
            "Transmission of this post was stopped under the regulations.",
            requirement="MB-12.2",
            legal_basis=list(row["stop_legal_basis"]),
            category=row["stop_category"],
            decided_at=row["stop_decided_at"].isoformat(),
        )
    if row["status"] == PostStatus.DELETED:
        raise PostDeleted("Its author deleted this post.")
    if not row["visible"]:
        raise NotFound("No such post.")  # under review and not the viewer's, or its author hidden
    return row


async def delete_post(
    db: Database,
    settings: ContentSettings,
    principal: Principal,
    post_id: uuid.UUID,
    *,
    log: RequestLog | None = None,
) -> None:
    """The author deletes their own post, repost or comment: it leaves every read path at once (each
    checks the status); the row stays as the record for the retention period (MB-16.2). Deleting again
    is a no-op; a stopped post stays stopped."""
    purge_after = datetime.now(UTC) + timedelta(days=settings.deleted_retention_days)
    async with db.transaction() as stores:
        before = await stores.posts.delete_post(post_id, uuid.UUID(principal.subject), purge_after)
        if before is None:
            raise NotFound("No such post of yours.")
        if before in (PostStatus.PENDING, PostStatus.HELD, PostStatus.PUBLISHED):  # MB-16.2: deleted now, once
            await stores.announce(events.deletion_logged(log, post_id, principal.access))


# --- moderation's decisions: the event type says what each means -------------------------------


async def publish_approved(store: PostStore, decisions: list[Decision]) -> None:
    """Publish approved posts, and announce each (fan-out into timelines, notifications). Idempotent on
    the business key too: a re-announced approval finds the post already decided and changes nothing."""
    await store.announce_all([events.post_published(p) for p in await store.publish_if_pending(decisions)])
    # MB-11: an approval superseding a rumour's label (the rumour withdrawn) takes the label off the post.
    superseding = [(d.post_id, d.supersedes) for d in decisions if d.supersedes is not None]
    if superseding:
        await store.drop_labels(superseding)


async def hold(store: PostStore, decision: Decision) -> None:
    """MB-6.1: held for human review; the author still sees it, nobody else does."""
    await store.hold_if_pending(decision)


async def publish_labelled(store: PostStore, decision: Decision) -> None:
    """MB-11: published with the refutation of the rumour it spreads, when there is one (a label
    term publishes without). This event is also the notice a notifier sends to the users who
    reposted or commented on the post. A stopped post stays stopped."""
    await store.announce_all([events.post_published(p) for p in await store.publish_if_pending([decision])])
    if decision.refutation is not None:
        await store.attach_label(decision)


async def stop_transmission(store: PostStore, decision: Decision) -> None:
    """MB-12.2: stop transmission of the post and keep its snapshot, with the decision's legal
    basis. A re-announced stop finds the post already stopped and changes nothing."""
    post = await store.post_by_id(decision.post_id, for_update=True)
    if post is None:
        log.warning("stop-transmission for an unknown post", extra={"post_id": str(decision.post_id)})
        return
    if post["status"] != PostStatus.STOPPED:  # MB-12.2: stops a published post too
        stop = await store.stop_transmission(post, decision, snapshot_sha256(post["text"]))
        if stop is not None:  # the snapshot, sealed, goes to the regulator gateway as the report's evidence
            await store.announce_all([events.stop_snapshot_sealed(s) for s in await store.stop_snapshots([stop])])


async def note_evidence_held(stores: Stores, decision_id: uuid.UUID | None) -> None:
    """The regulator gateway holds a stop's evidence (its ReportFiled carries the evidence hash)."""
    if decision_id is not None:
        await stores.posts.note_evidence_held(decision_id)


async def reannounce_unheld_evidence(runtime: Runtime) -> None:
    """Reconciler: a stop's sealed snapshot the regulator gateway does not hold yet is announced again, so a
    broker that lost it loses no evidence (MB-12.2); after a broker loss, at once. The gateway keeps one
    evidence per stop: a repeat doubles nothing."""
    settings: ContentSettings = runtime.settings  # type: ignore[assignment]

    async def announce_again(conn: asyncpg.Connection, older_than_s: float, limit: int) -> int:
        store = PostStore(conn)
        stops = await store.claim_unheld_evidence(older_than_s=older_than_s, limit=limit)
        await store.announce_all([events.stop_snapshot_sealed(s) for s in await store.stop_snapshots(stops)])
        return len(stops)

    await runtime.reannounce_forever(
        period_s=settings.reconcile_interval_s,
        grace_s=settings.evidence_reannounce_after_s,
        announce=announce_again,
        what="stop snapshots the regulator gateway does not hold yet",
    )


async def restore(store: PostStore, restoration: Restoration) -> None:
    """MB-12.2, MB-6.1: a wrongly stopped post is served again on every read path. The stop's record keeps
    its snapshot, marked restored. A post served before the stop is served again as it was (its timeline
    entries stayed); one stopped before it was ever served is published as an approval would (announced:
    fan-out, notifications). A repeated restore finds the stop restored already and changes nothing."""
    was_published = await store.mark_stop_restored(restoration)
    if was_published is None:
        return
    if was_published:
        await store.serve_again(restoration)
        return
    published = await store.publish_if_pending(
        [Decision(decision_id=restoration.decision_id, post_id=restoration.post_id)], from_statuses=("stopped",)
    )
    await store.announce_all([events.post_published(p) for p in published])


# --- identity's facts ---------------------------------------------------------------------------


async def note_standing(store: PostStore, standing: StandingChanged) -> None:
    """Hold the author's latest standing and the publishing bar it means (PA-13.1, MB-9); an older or
    repeated version changes nothing."""
    await store.note_standing(
        standing,
        barred_until=publishing_barred_until(standing.standing()),
        hidden_until=hidden_until(standing.standing()),
        limit_basis=limit_basis(standing.limits, standing.sanction_limits),
    )


async def withdraw_author(store: PostStore, cancellation: Cancellation) -> None:
    """PA-9.2: the account's public content goes at once; deleted after the retention period; it
    publishes no more."""
    await store.withdraw_author(
        cancellation,
        barred_until=publishing_barred_until(cancellation.standing()),
        hidden_until=hidden_until(cancellation.standing()),
    )


# --- background -----------------------------------------------------------------------------------


async def purge_withdrawn_posts(runtime: Runtime) -> None:
    settings: ContentSettings = runtime.settings  # type: ignore[assignment]
    db = Database(runtime.pool)
    while True:
        async with db.transaction() as stores:
            await stores.posts.purge_withdrawn()
        await asyncio.sleep(settings.purge_interval_s)  # a period, not synchronisation


async def reannounce_undelivered(runtime: Runtime) -> None:
    """Reconciler: a published post whose announcement the fan-out (MB-2 home timelines) or the notifier
    has not handled yet is announced again, so a broker that lost it loses no timeline entry and no
    notice; after a broker loss, everything announced before it goes again at once. Both consumers are
    idempotent: a repeat doubles nothing."""
    settings: ContentSettings = runtime.settings  # type: ignore[assignment]

    async def announce_again(conn: asyncpg.Connection, older_than_s: float, limit: int) -> int:
        store = PostStore(conn)
        undelivered = await store.claim_undelivered(older_than_s=older_than_s, limit=limit)
        await store.announce_all([events.post_published(p) for p in undelivered])
        return len(undelivered)

    await runtime.reannounce_forever(
        period_s=settings.reconcile_interval_s,
        grace_s=settings.reannounce_after_s,
        announce=announce_again,
        what="published posts not yet fanned out or notified",
    )


async def reannounce_waiting_posts(runtime: Runtime) -> None:
    """Reconciler: a post still waiting for a decision is announced again, so a broker that lost
    the first announcement (or the decision) loses no post. Moderation answers a repeat with
    the decision it already made. When the broker lost its state, every post announced before
    the loss goes again at once."""
    settings: ContentSettings = runtime.settings  # type: ignore[assignment]

    async def announce_again(conn: asyncpg.Connection, older_than_s: float, limit: int) -> int:
        store = PostStore(conn)
        waiting = await store.claim_waiting_posts(older_than_s=older_than_s, limit=limit)
        for post in waiting:
            await store.announce(events.post_created(post))
        return len(waiting)

    await runtime.reannounce_forever(
        period_s=settings.reconcile_interval_s,
        grace_s=settings.reannounce_after_s,
        announce=announce_again,
        what="posts still waiting for a decision",
    )
