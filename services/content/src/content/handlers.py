"""Content's commands and event handlers; each write owns its transaction (rows + outbox)."""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import UTC, datetime

import asyncpg
from google.protobuf.timestamp_pb2 import Timestamp
from kit import outbox
from kit.auth import Principal
from kit.cloudevents import Event
from kit.db import transaction
from kit.outbox import OutboxRow, enqueue_row
from kit.problems import NotFound
from kit.service import Runtime
from qinglang.content.v1 import post_pb2
from qinglang.moderation.v1 import decision_pb2

from content import events, store
from content.domain import (
    PostStatus,
    UnavailableForLegalReasons,
    check_length,
    check_may_publish,
    check_standing,
    snapshot_sha256,
    visible_to,
)
from content.settings import ContentSettings

log = logging.getLogger(__name__)


def _announcement(
    *,
    post_id: uuid.UUID,
    author_id: uuid.UUID,
    text: str,
    created_at: datetime,
    announcement: int,
    province: str,
    registered_at: datetime | None,
) -> OutboxRow:
    created = Timestamp()
    created.FromDatetime(created_at)
    registered = None
    if registered_at is not None:
        registered = Timestamp()
        registered.FromDatetime(registered_at)
    return outbox.announcement(
        events.POST_CREATED,
        key=str(author_id),
        subject=str(post_id),
        message=post_pb2.PostCreated(
            post_id=str(post_id),
            author_id=str(author_id),
            text=text,
            created_at=created,
            announcement=announcement,
            author_province_code=province,
            author_registered_at=registered,
        ),
    )


async def create_post(
    pool: asyncpg.Pool, settings: ContentSettings, principal: Principal, *, text: str, idempotency_key: str | None
) -> tuple[asyncpg.Record, bool]:
    """Accept a post for moderation; returns (post, created). A repeated idempotency key returns the first."""
    check_may_publish(principal)  # MB-7.1, MB-7.2, MB-6.2
    text = check_length(text, settings.post_max_chars)
    author_id = uuid.UUID(principal.subject)
    post_id, now = uuid.uuid4(), datetime.now(UTC)
    province = str(principal.claim("prov") or "")
    registered_at = datetime.fromtimestamp(principal.claim("reg"), UTC) if principal.claim("reg") else None
    post = await store.insert_post_announced(
        pool,
        post_id=post_id,
        author_id=author_id,
        text=text,
        idempotency_key=idempotency_key,
        created_at=now,
        province_code=province,
        registered_at=registered_at,
        announcement=_announcement(
            post_id=post_id,
            author_id=author_id,
            text=text,
            created_at=now,
            announcement=1,
            province=province,
            registered_at=registered_at,
        ),
    )
    if post is None:
        # Not inserted: the author may not publish (the statement checked the standing), or this
        # idempotency key was used before.
        check_standing(await store.author_standing(pool, author_id), now)  # PA-13.1, PA-9.2, MB-9
        return await store.post_by_idempotency_key(pool, author_id, idempotency_key or ""), False
    return post, True


async def read_post(pool: asyncpg.Pool, post_id: uuid.UUID, viewer: Principal | None) -> asyncpg.Record:
    post = await store.post_by_id(pool, post_id)
    if post is None:
        raise NotFound("No such post.")
    status = PostStatus(post["status"])
    if status is PostStatus.STOPPED:
        # MB-12.2: transmission stopped on every read path; the snapshot stays in transmission_stop.
        record = await store.stop_record(pool, post_id)
        raise UnavailableForLegalReasons(
            "Transmission of this post was stopped under the regulations.",
            requirement="MB-12.2",
            legal_basis=list(record["legal_basis"]) if record else ["MB-12.2"],
            category=record["category"] if record else None,
            decided_at=record["decided_at"].isoformat() if record else None,
        )
    if not visible_to(status, str(post["author_id"]), viewer.subject if viewer else None):
        raise NotFound("No such post.")  # a post under review is the author's alone
    return post


async def on_approvals(conn: asyncpg.Connection, events: list[Event]) -> None:
    """Publish approved posts. Idempotent on the business key too: a re-announced approval finds
    the post already decided and changes nothing."""
    decisions = [event.message for event in events]
    await store.publish_if_pending(
        conn,
        [
            (uuid.UUID(d.post_id), uuid.UUID(d.decision_id))
            for d in decisions
            if d.outcome == decision_pb2.OUTCOME_APPROVE
        ],
    )


async def on_standing_changed(conn: asyncpg.Connection, event: Event) -> None:
    """Hold the author's latest standing; an older or repeated version changes nothing."""
    standing = event.message
    await store.note_standing(
        conn,
        account_id=uuid.UUID(standing.account_id),
        version=standing.version,
        credit_level=standing.credit_level,
        limits=list(standing.limits),
        suspended_until=standing.suspended_until.ToDatetime(tzinfo=UTC)
        if standing.HasField("suspended_until")
        else None,
        closed=standing.closed,
    )


async def on_account_cancelled(conn: asyncpg.Connection, event: Event) -> None:
    """PA-9.2: the account's public content goes at once; deleted after the retention period."""
    cancelled = event.message
    await store.withdraw_author(
        conn,
        uuid.UUID(cancelled.account_id),
        cancelled.cancelled_at.ToDatetime(tzinfo=UTC),
        cancelled.purge_after.ToDatetime(tzinfo=UTC),
    )


async def purge_withdrawn_posts(runtime: Runtime) -> None:
    settings: ContentSettings = runtime.settings  # type: ignore[assignment]
    while True:
        async with transaction(runtime.pool) as conn:
            await store.purge_withdrawn(conn)
        await asyncio.sleep(settings.purge_interval_s)  # a period, not synchronisation


async def on_held(conn: asyncpg.Connection, event: Event) -> None:
    """MB-6.1: held for human review; the author still sees it, nobody else does."""
    decision = event.message
    await store.hold_if_pending(conn, uuid.UUID(decision.post_id), uuid.UUID(decision.decision_id))


async def on_labelled(conn: asyncpg.Connection, event: Event) -> None:
    """MB-11: the post is served with the refutation of the rumour it spreads. This event is also
    the notice a notifier sends to the users who reposted or commented on the post."""
    decision = event.message
    if decision.outcome != decision_pb2.OUTCOME_LABEL or not decision.HasField("refutation"):
        return
    await store.label(
        conn,
        uuid.UUID(decision.post_id),
        uuid.UUID(decision.decision_id),
        decision.refutation,
        list(decision.legal_basis),
    )


async def on_stop(conn: asyncpg.Connection, event: Event) -> None:
    """MB-12.2: stop transmission of the post and keep its snapshot. A re-announced stop finds the
    post already stopped and changes nothing."""
    decision = event.message
    post_id, decision_id = uuid.UUID(decision.post_id), uuid.UUID(decision.decision_id)
    if decision.outcome != decision_pb2.OUTCOME_STOP_TRANSMISSION:
        return
    post = await store.post_by_id(conn, post_id, for_update=True)
    if post is None:
        log.warning("stop-transmission for an unknown post", extra={"post_id": decision.post_id})
        return
    if post["status"] != PostStatus.STOPPED:  # MB-12.2: stops a published post too
        await store.stop_transmission(
            conn,
            post=post,
            decision_id=decision_id,
            category=decision.category,
            legal_basis=list(decision.legal_basis) or ["MB-12.2"],
            reason=decision.reason,
            snapshot_sha256=snapshot_sha256(post["text"]),
            decided_at=decision.decided_at.ToDatetime(tzinfo=UTC),
        )


async def reannounce_waiting_posts(runtime: Runtime) -> None:
    """Reconciler: a post still waiting for a decision is announced again, so a broker that lost
    the first announcement (or the decision) loses no post. Moderation answers a repeat with
    the decision it already made. When the broker lost its state, every post announced before
    the loss goes again at once."""
    settings: ContentSettings = runtime.settings  # type: ignore[assignment]

    async def announce_again(conn: asyncpg.Connection, older_than_s: float, limit: int) -> int:
        waiting = await store.claim_waiting_posts(conn, older_than_s=older_than_s, limit=limit)
        for post in waiting:
            row = _announcement(
                post_id=post["id"],
                author_id=post["author_id"],
                text=post["text"],
                created_at=post["created_at"],
                announcement=post["announcements"],
                province=post["author_province_code"],
                registered_at=post["author_registered_at"],
            )
            await enqueue_row(conn, row)
        return len(waiting)

    await runtime.reannounce_forever(
        period_s=settings.reconcile_interval_s,
        grace_s=settings.reannounce_after_s,
        announce=announce_again,
        what="posts still waiting for a decision",
    )
