"""Reporting's commands and the events it consumes: one function each, owning its transaction
(rows and the outbox row that announces them commit together)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import asyncpg
from kit.cloudevents import Event

from reporting import domain, events
from reporting.domain import Complaint, ComplaintReason
from reporting.store import Database, PgStore, Store


@dataclass(frozen=True, slots=True)
class FileComplaint:
    complainant: uuid.UUID
    target_type: str
    target_id: uuid.UUID
    reason: ComplaintReason
    detail: str
    idempotency_key: str | None


@dataclass(frozen=True, slots=True)
class DecideComplaint:
    complaint_id: uuid.UUID
    upheld: bool
    named: uuid.UUID | None  # the account a reviewer names, if any: must be the post's author
    note: str
    by: str


async def on_post_created(conn: asyncpg.Connection, event: Event) -> None:
    """content.post.v1: remember who wrote the post (the projection complaints are checked against)."""
    await record_post_author(PgStore(conn), events.authorship(event))


async def record_post_author(store: Store, authorship: events.Authorship) -> None:
    await store.record_post_author(authorship.post_id, authorship.author_id)


async def file_complaint(db: Database, cmd: FileComplaint) -> tuple[Complaint, bool]:
    """MB-14: store and announce a complaint about a post that exists; (the complaint, whether new)."""
    async with db.transaction() as store:
        author = domain.check_known_post(await store.post_author(cmd.target_id))
        complaint = await store.insert_complaint(
            complainant_id=cmd.complainant,
            target_type=cmd.target_type,
            target_id=cmd.target_id,
            author_id=author,
            reason=cmd.reason,
            detail=cmd.detail,
            idempotency_key=cmd.idempotency_key,
        )
        if complaint is None:  # the same idempotency key again: the first complaint stands
            return await store.complaint_by_key(cmd.complainant, cmd.idempotency_key), False
        await store.announce(events.complaint_filed(complaint))
        return complaint, True


async def complaint_of(db: Database, complaint_id: uuid.UUID, complainant: uuid.UUID) -> Complaint:
    """A complaint as its complainant follows it (MB-14); anyone else's is not found."""
    async with db.transaction() as store:
        return domain.visible_to(await store.complaint(complaint_id), complainant)


async def decide_complaint(db: Database, cmd: DecideComplaint) -> Complaint:
    """MB-14 / PA-6.2: uphold (against the post's author, who loses credit) or dismiss, once."""
    async with db.transaction() as store:
        complaint = await store.complaint(cmd.complaint_id, for_update=True)
        author = None
        if complaint is not None:
            author = complaint.author_id or await store.post_author(complaint.target_id)
        outcome = domain.decide(
            complaint, author_id=author, upheld=cmd.upheld, named=cmd.named, note=cmd.note, by=cmd.by
        )
        decided = await store.record_outcome(cmd.complaint_id, outcome)
        await store.announce(events.complaint_resolved(decided))
        return decided
