"""Content's commands and event handlers; each write owns its transaction (rows + outbox)."""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import UTC

import asyncpg
from google.protobuf.timestamp_pb2 import Timestamp
from kit.auth import Principal
from kit.cloudevents import Event
from kit.db import transaction
from kit.outbox import enqueue
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
    snapshot_sha256,
    visible_to,
)
from content.settings import ContentSettings

log = logging.getLogger(__name__)


def _announce(conn: asyncpg.Connection, post: asyncpg.Record) -> object:
    created = Timestamp()
    created.FromDatetime(post["created_at"])
    return enqueue(
        conn,
        topic=events.POST_TOPIC,
        ce_type=events.POST_CREATED,
        source=events.SOURCE,
        key=str(post["author_id"]),
        subject=str(post["id"]),
        message=post_pb2.PostCreated(
            post_id=str(post["id"]),
            author_id=str(post["author_id"]),
            text=post["text"],
            created_at=created,
            announcement=post["announcements"],
        ),
    )


async def create_post(
    pool: asyncpg.Pool, settings: ContentSettings, principal: Principal, *, text: str, idempotency_key: str | None
) -> tuple[asyncpg.Record, bool]:
    """Accept a post for moderation; returns (post, created). A repeated idempotency key returns the first."""
    check_may_publish(principal)  # MB-7.1
    text = check_length(text, settings.post_max_chars)
    author_id = uuid.UUID(principal.subject)
    async with transaction(pool) as conn:
        post = await store.insert_post(
            conn, post_id=uuid.uuid4(), author_id=author_id, text=text, idempotency_key=idempotency_key
        )
        if post is None:
            return await store.post_by_idempotency_key(conn, author_id, idempotency_key or ""), False
        await _announce(conn, post)
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


async def on_decision(conn: asyncpg.Connection, event: Event) -> None:
    """Apply moderation's decision. Idempotent on the business key too: a re-announced decision
    finds the post already decided and changes nothing."""
    decision = event.parse(decision_pb2.DecisionIssued)
    post = await store.post_by_id(conn, uuid.UUID(decision.post_id), for_update=True)
    if post is None:
        log.warning("decision for an unknown post", extra={"post_id": decision.post_id})
        return
    decision_id = uuid.UUID(decision.decision_id)
    if decision.outcome == decision_pb2.OUTCOME_STOP_TRANSMISSION:
        if post["status"] != PostStatus.STOPPED:
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
    elif decision.outcome == decision_pb2.OUTCOME_APPROVE and post["status"] == PostStatus.PENDING:
        await store.publish(conn, post["id"], decision_id)


async def reannounce_waiting_posts(runtime: Runtime) -> None:
    """Reconciler: a post still waiting for a decision is announced again, so a broker that lost
    the first announcement (or the decision) loses no post. Moderation answers a repeat with
    the decision it already made."""
    settings: ContentSettings = runtime.settings  # type: ignore[assignment]
    while True:
        await asyncio.sleep(settings.reconcile_interval_s)  # a period, not synchronisation
        async with transaction(runtime.pool) as conn:
            waiting = await store.claim_waiting_posts(conn, older_than_s=settings.reannounce_after_s, limit=500)
            for post in waiting:
                await _announce(conn, post)
        if waiting:
            log.info("re-announced posts still waiting for a decision", extra={"count": len(waiting)})
