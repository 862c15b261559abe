"""Policy changes against in-memory stores: nothing changes until the chief editor decides (MB-6.1)."""

from __future__ import annotations

import uuid

import pytest
from kit.problems import Conflict, NotFound
from moderation.policy import handlers


def proposed(stores, evaluation: str | None = "done") -> uuid.UUID:
    change_id = uuid.uuid4()
    stores.policy.changes[change_id] = {
        "id": change_id,
        "kind": "lexicon",
        "status": "proposed",
        "changes": '{"add": [{"term": "t"}, {"term": "u"}], "remove": [7]}',
    }
    if evaluation:
        stores.policy.evaluated[(change_id, "proposed")] = {"status": evaluation, "basis_release": 1}
    return change_id


@pytest.mark.requirement("MB-6.1")
async def test_an_approved_change_is_the_next_release_announced_and_loaded(db, stores, holder) -> None:
    change_id = proposed(stores)
    row, job_id, _ = await handlers.decide_change(db, holder, change_id, approve=True, note="ok", by="staff:chief")
    assert (row["status"], row["release"]) == ("approved", 2)
    assert [r.ce_type for r in stores.outbox] == ["qinglang.moderation.policy.published.v1"]
    assert holder.refreshed == 1  # this process at once; the others by the event
    # MB-12: the release is a job, done when the release commits: every entry added or removed counted.
    job = stores.jobs.rows[uuid.UUID(job_id)]
    assert (job["kind"], job["state"], job["done"], job["total"]) == ("lexicon.release", "done", 3, 3)
    assert job["subject"] == str(change_id) and job["detail"] == {"release": 2}


@pytest.mark.requirement("MB-6.1")
async def test_a_rejected_change_changes_nothing(db, stores, holder) -> None:
    change_id = proposed(stores)
    row, job_id, _ = await handlers.decide_change(db, holder, change_id, approve=False, note="no", by="staff:chief")
    assert row["status"] == "rejected" and stores.policy.releases == [1] and job_id is None
    assert stores.outbox == [] and holder.refreshed == 0


async def test_a_change_is_decided_once(db, stores, holder) -> None:
    change_id = proposed(stores)
    await handlers.decide_change(db, holder, change_id, approve=True, note="ok", by="staff:chief")
    with pytest.raises(Conflict):
        await handlers.decide_change(db, holder, change_id, approve=False, note="no", by="staff:chief")
    with pytest.raises(NotFound):
        await handlers.decide_change(db, holder, uuid.uuid4(), approve=True, note="ok", by="staff:chief")


@pytest.mark.requirement("MB-6.1")
@pytest.mark.parametrize("evaluation", [None, "pending"])
async def test_a_lexicon_change_is_not_approved_before_its_evaluation(db, stores, holder, evaluation) -> None:
    """Issue 16: the chief editor sees the measured recall and false positives before approving."""
    change_id = proposed(stores, evaluation)
    with pytest.raises(Conflict) as refused:
        await handlers.decide_change(db, holder, change_id, approve=True, note="ok", by="staff:chief")
    assert "evaluation pending" in refused.value.detail and refused.value.requirement == "MB-6.1"
    assert stores.policy.releases == [1] and stores.outbox == []
    row, _, _ = await handlers.decide_change(db, holder, change_id, approve=False, note="no", by="staff:chief")
    assert row["status"] == "rejected"  # rejecting needs no figures


@pytest.mark.requirement("MB-6.1")
async def test_a_release_takes_its_changes_figures_when_nothing_was_released_in_between(db, stores, holder) -> None:
    change_id = proposed(stores)
    await handlers.decide_change(db, holder, change_id, approve=True, note="ok", by="staff:chief")
    released = stores.policy.evaluated[(change_id, "released")]
    assert (released["stage"], released["release"], released["status"]) == ("released", 2, "done")
