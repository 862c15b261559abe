"""Reporting's handlers on an in-memory store (fast): what each command stores and announces, and
that a refused command leaves nothing behind (MB-14, PA-6.2)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from contracts import reporting
from contracts.categories import Bj10Category
from kit.outbox import OutboxRow
from kit.problems import Conflict
from qinglang.reporting.v1 import complaint_pb2
from reporting import events, handlers
from reporting.domain import Complaint, ComplaintNotFound, ComplaintStatus, Outcome, UnknownPost


class FakeStore:
    """Reporting's tables in memory; the handlers' port (reporting.store.Store)."""

    def __init__(self) -> None:
        self.authors: dict[uuid.UUID, uuid.UUID] = {}
        self.complaints: dict[uuid.UUID, Complaint] = {}
        self.keys: dict[tuple[uuid.UUID, str], uuid.UUID] = {}
        self.announced: list[OutboxRow] = []

    async def record_post_author(self, post_id: uuid.UUID, author_id: uuid.UUID) -> None:
        self.authors.setdefault(post_id, author_id)

    async def post_author(self, post_id: uuid.UUID) -> uuid.UUID | None:
        return self.authors.get(post_id)

    async def insert_complaint(
        self, *, complainant_id, target_type, target_id, author_id, reason, detail, idempotency_key
    ):
        if idempotency_key is not None and (complainant_id, idempotency_key) in self.keys:
            return None
        complaint = Complaint(
            id=uuid.uuid4(),
            complainant_id=complainant_id,
            target_type=target_type,
            target_id=target_id,
            author_id=author_id,
            reason=reason,
            detail=detail,
            status=ComplaintStatus.RECEIVED,
            filed_at=datetime.now(UTC),
        )
        self.complaints[complaint.id] = complaint
        if idempotency_key is not None:
            self.keys[(complainant_id, idempotency_key)] = complaint.id
        return complaint

    async def complaint_by_key(self, complainant_id: uuid.UUID, key: str | None) -> Complaint:
        return self.complaints[self.keys[(complainant_id, key)]]

    async def complaint(self, complaint_id: uuid.UUID, *, for_update: bool = False) -> Complaint | None:
        return self.complaints.get(complaint_id)

    async def record_outcome(self, complaint_id: uuid.UUID, outcome: Outcome) -> Complaint:
        decided = replace(
            self.complaints[complaint_id],
            status=outcome.status,
            upheld=outcome.upheld,
            account_id=outcome.account_id,
            outcome_note=outcome.note,
            decided_by=outcome.decided_by,
            decided_at=datetime.now(UTC),
        )
        self.complaints[complaint_id] = decided
        return decided

    async def announce(self, row: OutboxRow) -> None:
        self.announced.append(row)


class FakeDatabase:
    """One store; a transaction that fails leaves it as it was (a copy is kept until commit)."""

    def __init__(self) -> None:
        self.store = FakeStore()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[FakeStore]:
        store = self.store
        before = (dict(store.authors), dict(store.complaints), dict(store.keys), list(store.announced))
        try:
            yield store
        except BaseException:
            store.authors, store.complaints, store.keys, store.announced = before
            raise


@pytest.fixture
def db() -> FakeDatabase:
    return FakeDatabase()


async def _published(db: FakeDatabase) -> tuple[uuid.UUID, uuid.UUID]:
    post, author = uuid.uuid4(), uuid.uuid4()
    await handlers.record_post_author(db.store, events.Authorship(post, author))
    return post, author


def _filing(post: uuid.UUID, complainant: uuid.UUID, key: str | None = None) -> handlers.FileComplaint:
    return handlers.FileComplaint(
        complainant=complainant,
        target_type="post",
        target_id=post,
        reason=Bj10Category.RUMOUR_DISTURBING_ORDER,
        detail="looks false",
        idempotency_key=key,
    )


@pytest.mark.requirement("MB-14")
async def test_a_complaint_is_stored_and_announced_once_per_idempotency_key(db: FakeDatabase) -> None:
    post, _ = await _published(db)
    complainant = uuid.uuid4()
    filed, new = await handlers.file_complaint(db, _filing(post, complainant, key="k1"))
    assert new and filed.status == ComplaintStatus.RECEIVED
    again, new_again = await handlers.file_complaint(db, _filing(post, complainant, key="k1"))
    assert again == filed and not new_again
    [row] = db.store.announced
    assert (row.topic, row.ce_type, row.key, row.subject) == (
        reporting.COMPLAINT_TOPIC.name,
        reporting.COMPLAINT_FILED.name,
        str(post),
        str(filed.id),
    )
    message = complaint_pb2.ComplaintFiled.FromString(row.payload)
    assert message.reason == "bj10.rumour_disturbing_order" and "MB-14" in message.legal_basis


@pytest.mark.requirement("MB-14")
async def test_a_complaint_about_an_unknown_post_is_refused_and_nothing_announced(db: FakeDatabase) -> None:
    with pytest.raises(UnknownPost):
        await handlers.file_complaint(db, _filing(uuid.uuid4(), uuid.uuid4()))
    assert not db.store.complaints and not db.store.announced


@pytest.mark.requirement("MB-14")
async def test_only_the_complainant_reads_a_complaint(db: FakeDatabase) -> None:
    post, author = await _published(db)
    filed, _ = await handlers.file_complaint(db, _filing(post, complainant := uuid.uuid4()))
    assert await handlers.complaint_of(db, filed.id, complainant) == filed
    with pytest.raises(ComplaintNotFound):
        await handlers.complaint_of(db, filed.id, author)


@pytest.mark.requirement("PA-6.2")
@pytest.mark.requirement("MB-14")
async def test_an_upheld_complaint_is_resolved_against_the_author_once(db: FakeDatabase) -> None:
    post, author = await _published(db)
    filed, _ = await handlers.file_complaint(db, _filing(post, uuid.uuid4()))
    decide = handlers.DecideComplaint(complaint_id=filed.id, upheld=True, named=None, note="a rumour", by="staff:r")
    decided = await handlers.decide_complaint(db, decide)
    assert decided.status == ComplaintStatus.UPHELD and decided.account_id == author
    resolved = db.store.announced[-1]
    assert resolved.ce_type == reporting.COMPLAINT_RESOLVED.name
    message = complaint_pb2.ComplaintResolved.FromString(resolved.payload)
    assert message.upheld and message.account_id == str(author) and list(message.legal_basis) == ["MB-14", "PA-6.2"]

    with pytest.raises(Conflict):
        await handlers.decide_complaint(db, replace(decide, upheld=False))
    assert len(db.store.announced) == 2  # filed, resolved: the refused second outcome announced nothing


@pytest.mark.requirement("MB-14")
async def test_a_dismissed_complaint_is_against_no_one(db: FakeDatabase) -> None:
    post, author = await _published(db)
    filed, _ = await handlers.file_complaint(db, _filing(post, uuid.uuid4()))
    decided = await handlers.decide_complaint(
        db, handlers.DecideComplaint(complaint_id=filed.id, upheld=False, named=author, note="fine", by="staff:r")
    )
    assert decided.status == ComplaintStatus.DISMISSED and decided.account_id is None
    assert complaint_pb2.ComplaintResolved.FromString(db.store.announced[-1].payload).account_id == ""


async def test_deciding_a_complaint_that_does_not_exist_is_not_found(db: FakeDatabase) -> None:
    with pytest.raises(ComplaintNotFound):
        await handlers.decide_complaint(
            db, handlers.DecideComplaint(complaint_id=uuid.uuid4(), upheld=True, named=None, note="who", by="s")
        )
