"""Policy changes against in-memory stores: nothing changes until the chief editor decides (MB-6.1)."""

from __future__ import annotations

import uuid

import pytest
from kit.problems import Conflict, NotFound
from moderation.policy import handlers


def proposed(stores) -> uuid.UUID:
    change_id = uuid.uuid4()
    stores.policy.changes[change_id] = {"id": change_id, "kind": "lexicon", "status": "proposed"}
    return change_id


@pytest.mark.requirement("MB-6.1")
async def test_an_approved_change_is_the_next_release_announced_and_loaded(db, stores, holder) -> None:
    change_id = proposed(stores)
    row = await handlers.decide_change(db, holder, change_id, approve=True, note="ok", by="staff:chief")
    assert (row["status"], row["release"]) == ("approved", 2)
    assert [r.ce_type for r in stores.outbox] == ["qinglang.moderation.policy.published.v1"]
    assert holder.refreshed == 1  # this process at once; the others by the event


@pytest.mark.requirement("MB-6.1")
async def test_a_rejected_change_changes_nothing(db, stores, holder) -> None:
    change_id = proposed(stores)
    row = await handlers.decide_change(db, holder, change_id, approve=False, note="no", by="staff:chief")
    assert row["status"] == "rejected" and stores.policy.releases == [1]
    assert stores.outbox == [] and holder.refreshed == 0


async def test_a_change_is_decided_once(db, stores, holder) -> None:
    change_id = proposed(stores)
    await handlers.decide_change(db, holder, change_id, approve=True, note="ok", by="staff:chief")
    with pytest.raises(Conflict):
        await handlers.decide_change(db, holder, change_id, approve=False, note="no", by="staff:chief")
    with pytest.raises(NotFound):
        await handlers.decide_change(db, holder, uuid.uuid4(), approve=True, note="ok", by="staff:chief")
