"""A wrongly stopped post restored by staff (moderation's DecisionRestored), on a real PostgreSQL (MB-12.2,
MB-6.1): served again on its page, the stop's record and snapshot kept and marked restored; a post stopped
before it was ever served is published as an approval would; a repeated restore changes nothing, and a
later stop stops it again."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from content.database import Database
from content.posts import handlers
from content.posts.domain import Decision, Restoration, UnavailableForLegalReasons
from content.posts.handlers import Draft

from .conftest import Posting


async def _stop(db: Database, post_id: uuid.UUID) -> uuid.UUID:
    decision_id = uuid.uuid4()
    async with db.transaction() as stores:
        await handlers.stop_transmission(
            stores.posts,
            Decision(decision_id=decision_id, post_id=post_id, category="bj10.rumour_disturbing_order",
                     legal_basis=("MB-12.2",), reason="takedown", decided_at=datetime.now(UTC)),
        )  # fmt: skip
    return decision_id


async def _restore(db: Database, post_id: uuid.UUID, stop_id: uuid.UUID) -> uuid.UUID:
    decision_id = uuid.uuid4()
    async with db.transaction() as stores:
        await handlers.restore(stores.posts, Restoration(decision_id, post_id, stop_id, "the report was mistaken"))
    return decision_id


@pytest.mark.requirement("MB-12.2")
@pytest.mark.requirement("MB-6.1")
async def test_a_restored_post_is_served_again_and_stopped_again_by_a_later_stop(
    db: Database, posting: Posting
) -> None:
    post_id = await posting.publish(posting.author())
    stop_id = await _stop(db, post_id)
    with pytest.raises(UnavailableForLegalReasons):
        await handlers.read_post(db, post_id, None)
    restored_by = await _restore(db, post_id, stop_id)
    assert (await handlers.read_post(db, post_id, None)).id == str(post_id)
    record = await db.pool.fetchrow("SELECT * FROM transmission_stop WHERE decision_id = $1", stop_id)
    assert record["restored_by_decision"] == restored_by and record["snapshot_text"] == "今天天气很好"
    await _restore(db, post_id, stop_id)  # again: the stop is restored already, nothing changes
    assert await db.pool.fetchval("SELECT decision_id FROM post WHERE id = $1", post_id) == restored_by
    await _stop(db, post_id)  # a new stop is a new record, in force
    with pytest.raises(UnavailableForLegalReasons):
        await handlers.read_post(db, post_id, None)


@pytest.mark.requirement("MB-12.2")
async def test_a_post_stopped_before_it_was_served_is_published_by_its_restore(db: Database, posting: Posting) -> None:
    created = await handlers.accept(db, posting.author(), Draft(text="今天天气很好"), idempotency_key=None)
    post_id = created.post["id"]
    stop_id = await _stop(db, post_id)  # stopped while pending: never served
    before = await db.pool.fetchval("SELECT count(*) FROM outbox_event")
    await _restore(db, post_id, stop_id)
    assert await db.pool.fetchval("SELECT status FROM post WHERE id = $1", post_id) == "published"
    assert await db.pool.fetchval("SELECT count(*) FROM outbox_event") > before  # announced: fan-out
