"""Reporting's commands and the events it consumes; each owns its transaction."""

from __future__ import annotations

import uuid
from datetime import UTC

import asyncpg
from google.protobuf.timestamp_pb2 import Timestamp
from kit.cloudevents import Event, timestamp
from kit.db import transaction
from kit.outbox import announce
from kit.problems import Conflict, NotFound
from qinglang.reporting.v1 import complaint_pb2

from reporting import events, store
from reporting.domain import LEGAL_BASIS, ComplaintReason, UnknownPost, responsible_account


async def on_post_created(conn: asyncpg.Connection, event: Event) -> None:
    """content.post.v1: remember who wrote the post (the projection complaints are checked against)."""
    created = event.message
    await store.record_post_author(conn, uuid.UUID(created.post_id), uuid.UUID(created.author_id))


async def file_complaint(
    pool: asyncpg.Pool,
    *,
    complainant: uuid.UUID,
    target_type: str,
    target_id: uuid.UUID,
    reason: ComplaintReason,
    detail: str,
    idempotency_key: str | None,
) -> tuple[asyncpg.Record, bool]:
    """MB-14: store and announce a complaint about a post that exists; (the complaint, whether new)."""
    async with transaction(pool) as conn:
        author = await store.post_author(conn, target_id)
        if author is None:
            # Never announced by content (or not yet: a post is known here moments after it is accepted).
            raise UnknownPost("No post with this id has been published.", requirement="MB-14")
        row = await store.insert_complaint(
            conn,
            complainant_id=complainant,
            target_type=target_type,
            target_id=target_id,
            author_id=author,
            reason=reason.value,
            detail=detail,
            idempotency_key=idempotency_key,
        )
        if row is None:  # the same idempotency key again: the first complaint stands
            return await store.complaint_by_key(conn, complainant, idempotency_key), False
        filed = Timestamp()
        filed.FromDatetime(row["filed_at"].astimezone(UTC))
        await announce(
            conn,
            events.COMPLAINT_FILED,
            key=str(target_id),
            subject=str(row["id"]),
            message=complaint_pb2.ComplaintFiled(
                complaint_id=str(row["id"]),
                complainant_id=str(complainant),
                target_type=target_type,
                target_id=str(target_id),
                reason=reason.value,
                filed_at=filed,
                legal_basis=LEGAL_BASIS,
            ),
        )
        return row, True


async def complaint_of(pool: asyncpg.Pool, complaint_id: uuid.UUID, complainant: uuid.UUID) -> asyncpg.Record:
    """A complaint as its complainant follows it (MB-14); anyone else's is not found."""
    row = await store.complaint(pool, complaint_id)
    if row is None or row["complainant_id"] != complainant:
        raise NotFound("No such complaint of yours.")
    return row


async def decide_complaint(
    pool: asyncpg.Pool, complaint_id: uuid.UUID, *, upheld: bool, named: uuid.UUID | None, note: str, by: str
) -> asyncpg.Record:
    """MB-14 / PA-6.2: uphold (against the post's author, who loses credit) or dismiss, once."""
    async with transaction(pool) as conn:
        complaint = await store.complaint_for_update(conn, complaint_id)
        if complaint is None:
            raise NotFound("No such complaint.")
        if complaint["decided_at"] is not None:
            raise Conflict("This complaint was decided already.", requirement="MB-14")
        author = complaint["author_id"] or await store.post_author(conn, complaint["target_id"])
        if author is None:  # filed before reporting knew authors, and the post is not announced (yet)
            raise Conflict("The author of the post complained about is not known yet.", requirement="MB-14")
        account_id = responsible_account(upheld=upheld, author_id=author, named=named)
        row = await store.record_outcome(conn, complaint_id, upheld=upheld, account_id=account_id, note=note, by=by)
        await announce(
            conn,
            events.COMPLAINT_RESOLVED,
            key=str(row["target_id"]),
            subject=str(row["id"]),
            message=complaint_pb2.ComplaintResolved(
                complaint_id=str(row["id"]),
                target_id=str(row["target_id"]),
                upheld=upheld,
                account_id=str(account_id or ""),
                note=note,
                decided_by=by,
                decided_at=timestamp(row["decided_at"]),
                legal_basis=["MB-14", "PA-6.2"],
            ),
        )
        return row
