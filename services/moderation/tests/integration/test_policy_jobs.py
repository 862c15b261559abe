"""Policy operations as jobs on a real PostgreSQL (MB-11, MB-12, MB-12.2, MB-6.1): a rumour's retro-scan, its
escalation to a stop and its withdrawal re-decide posts with exact progress, one superseding decision per
label; a lexicon file imported in parts becomes one change whose release is a job; the export reads it back."""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict
from datetime import UTC, datetime

import pytest
from devstack.testing import Infra
from kit.db import apply_migrations_async, create_pool
from kit.problems import Conflict
from moderation.database import Database
from moderation.decisions.domain import NewPost
from moderation.decisions.handlers import decide_posts
from moderation.engine.decide import RoutingRules
from moderation.evaluation import __main__ as evaluation_main
from moderation.main import MIGRATIONS
from moderation.policy import handlers
from moderation.policy.domain import EvaluationStage
from moderation.policy.evaluation_jobs import queue_evaluation, run_evaluation
from moderation.policy.holder import PolicyHolder
from moderation.policy.rumour_jobs import run_rumour_job
from moderation.policy.schemas import change_read
from moderation.reviews import handlers as reviews
from moderation.reviews.domain import Staff
from moderation.settings import ModerationSettings

RUMOUR = "紧急通知：鳕鲟鲥鳜鳝鲶鲈鳗明天起全市停止供应燃气一周，请大家赶快去超市抢购蜡烛和方便面！"
CATEGORY = "bj10.obscenity_gambling_violence_terror_crime"


@pytest.fixture
async def world(infra: Infra):
    url = infra.fresh_database()
    await apply_migrations_async(url, MIGRATIONS)
    pool = await create_pool(url)
    settings = ModerationSettings(database_url=url, lexicon_eval_corpus_limit=200, lexicon_eval_max_entries=50)
    holder = PolicyHolder(settings)
    db = Database(pool)
    async with db.transaction() as stores:
        await stores.policy.seed_if_empty(settings.lexicon_seed_path, asdict(RoutingRules()))
    try:
        yield db, holder
    finally:
        await pool.close()


async def publish(db: Database, holder: PolicyHolder, text: str) -> uuid.UUID:
    post = NewPost(uuid.uuid4(), uuid.uuid4(), text, datetime.now(UTC))
    async with db.transaction() as stores:
        await decide_posts(stores, await holder.latest(stores.conn), holder.folder, [post])
    return post.post_id


async def run_next_job(db: Database, holder: PolicyHolder) -> dict:
    async with db.transaction() as stores:
        job = await stores.jobs.claim(["rumour.retro_scan", "rumour.escalation", "rumour.withdrawal"], stale_after_s=60)
    assert job is not None
    await run_rumour_job(db, holder, job)
    return dict(await db.reader().jobs.get(job["id"]))


async def run_evaluation_job(db: Database, holder: PolicyHolder) -> dict:
    async with db.transaction() as stores:
        job = await stores.jobs.claim(["lexicon.evaluation"], stale_after_s=60)
    assert job is not None
    await run_evaluation(db, holder, job)
    return dict(await db.reader().jobs.get(job["id"]))


async def decisions(db: Database, post_id: uuid.UUID) -> list[dict]:
    return [dict(d) for d in await db.reader().decisions.decisions_for_post(post_id)]


async def register(db: Database, holder: PolicyHolder) -> dict:
    return dict(
        await handlers.register_rumour(
            db,
            holder,
            canonical_text=RUMOUR,
            refutation_text="经核实，该消息不实。",
            refutation_url="https://example.gov.cn/piyao/1",
            authority="市应急管理局",
            action="label",
            legal_basis=["BJ-7(5)"],
            reason="refuted",
            by="staff:chief",
        )
    )


@pytest.mark.requirement("MB-11")
@pytest.mark.requirement("MB-12.2")
async def test_a_rumour_scanned_then_raised_to_a_stop_stops_each_labelled_post_once(world) -> None:
    db, holder = world
    early = await publish(db, holder, RUMOUR)
    clean = await publish(db, holder, "今天天气很好，我们去公园散步。")
    rumour = await register(db, holder)
    scan = await run_next_job(db, holder)
    assert (scan["kind"], scan["state"], scan["done"], scan["total"]) == ("rumour.retro_scan", "done", 2, 2)
    assert scan["id"] == rumour["scan_job_id"]
    assert [d["outcome"] for d in await decisions(db, early)] == ["approve", "label"]
    assert [d["outcome"] for d in await decisions(db, clean)] == ["approve"]
    late = await publish(db, holder, f"转发：{RUMOUR}")
    assert [d["outcome"] for d in await decisions(db, late)] == ["label"]

    rumour_row, job = await handlers.escalate_rumour(
        db,
        holder,
        rumour["id"],
        reason="panic buying",
        category="bj10.rumour_disturbing_order",
        legal_basis=["BJ-7(5)"],
        by="staff:chief",
    )
    assert rumour_row["action"] == "stop" and rumour_row["scan_job_id"] == job["id"]
    done = await run_next_job(db, holder)
    assert (done["id"], done["state"], done["done"], done["total"]) == (job["id"], "done", 2, 2)
    for post in (early, late):
        stops = [d for d in await decisions(db, post) if d["outcome"] == "stop_transmission"]
        assert len(stops) == 1 and stops[0]["rule"] == "rumour.escalated" and stops[0]["supersedes"] is not None
        assert "MB-12.2" in stops[0]["legal_basis"]
    # A repeat of the labels pass decides nothing twice (one decision per label, and a stopped post stands).
    again = await db.reader().decisions.rumour_labels(rumour["id"], after=None, limit=10)
    assert [r["stands"] for r in again] == [False, False]
    # A new post spreading it is stopped at publication.
    newer = await publish(db, holder, RUMOUR + "！！")
    assert [d["outcome"] for d in await decisions(db, newer)] == ["stop_transmission"]


@pytest.mark.requirement("MB-11")
@pytest.mark.requirement("MB-12.2")
async def test_a_retro_scan_labels_a_post_whose_stop_was_restored_and_leaves_a_stopped_one(world) -> None:
    db, holder = world
    restored, stopped = await publish(db, holder, RUMOUR), await publish(db, holder, f"转发：{RUMOUR}")
    for post in (restored, stopped):
        await reviews.take_down(db, post, Staff("staff:r1"), category=CATEGORY, reason="wrong", legal_basis=[])
    await reviews.restore(db, restored, Staff("staff:s1", senior=True), reason="mistaken", legal_basis=[])
    await register(db, holder)
    scan = await run_next_job(db, holder)
    assert (scan["state"], scan["done"]) == ("done", 2)
    assert [d["outcome"] for d in await decisions(db, restored)] == ["approve", "stop_transmission", "approve", "label"]
    assert [d["outcome"] for d in await decisions(db, stopped)] == ["approve", "stop_transmission"]


@pytest.mark.requirement("MB-11")
async def test_a_withdrawn_rumour_matches_no_more_and_its_labels_are_approved(world) -> None:
    db, holder = world
    early = await publish(db, holder, RUMOUR)
    rumour = await register(db, holder)
    await run_next_job(db, holder)
    late = await publish(db, holder, f"转发：{RUMOUR}")
    _, job = await handlers.withdraw_rumour(db, holder, rumour["id"], reason="corrected", by="staff:chief")
    done = await run_next_job(db, holder)
    assert (done["id"], done["state"], done["done"], done["total"]) == (job["id"], "done", 2, 2)
    assert '"approved": 2' in done["detail"]
    for post in (early, late):
        last = (await decisions(db, post))[-1]
        assert (last["outcome"], last["rule"], last["stage"]) == ("approve", "rumour.withdrawn", "retro_scan")
    newer = await publish(db, holder, RUMOUR)
    assert [d["outcome"] for d in await decisions(db, newer)] == ["approve"]


@pytest.mark.requirement("MB-11")
async def test_a_withdrawal_supersedes_a_scan_still_running(world) -> None:
    db, holder = world
    await publish(db, holder, RUMOUR)
    rumour = await register(db, holder)
    async with db.transaction() as stores:
        scan = await stores.jobs.claim(["rumour.retro_scan"], stale_after_s=60)  # claimed, then its process stalls
    _, withdrawal = await handlers.withdraw_rumour(db, holder, rumour["id"], reason="wrong", by="staff:chief")
    await run_rumour_job(db, holder, scan)  # the stalled scan wakes: superseded, it decides nothing
    superseded = await db.reader().jobs.get(scan["id"])
    assert superseded["state"] == "failed" and "superseded" in superseded["error"]
    done = await run_next_job(db, holder)
    assert done["id"] == withdrawal["id"] and done["state"] == "done" and done["total"] == 0


@pytest.mark.requirement("MB-12")
@pytest.mark.requirement("MB-6.1")
async def test_a_lexicon_file_in_parts_becomes_one_change_released_as_a_job(world) -> None:
    db, holder = world
    rows = "".join(f"鳕鲟{i:05d}\t{CATEGORY}\tstop\tMB-12.2\n" for i in range(3000))
    raw = ("term\tcategory\taction\tlegal_basis\n" + rows).encode()
    started = await handlers.start_import(db, reason="bulk", mode="merge", by="staff:r")
    cut = [raw[i : i + 7777] for i in range(0, len(raw), 7777)]  # cut inside characters too
    for n, part in enumerate(cut, start=1):
        await handlers.put_import_part(db, started["id"], n, part, max_parts=256)
    change, entries, add, remove = await handlers.complete_import(db, started["id"], by="staff:r")
    assert (entries, add, remove) == (3000, 3000, 0)
    # A list previews its entries with their counts; the change's own page has them all.
    [listed], evaluations, _ = await handlers.list_changes(db, status="proposed", cursor=None, limit=10)
    shown = change_read(listed, evaluations=evaluations.get(listed["id"], []), whole=False)
    assert (shown.add_count, shown.remove_count, shown.preview) == (3000, 0, True)
    assert [e.term for e in shown.changes.add] == [f"鳕鲟{i:05d}" for i in range(handlers.PREVIEW_ENTRIES)]
    assert shown.evaluation is not None and shown.evaluation.status == "pending"  # issue 16: queued with the change
    row, evaluated = await handlers.read_change(db, change["id"])
    whole = change_read(row, evaluations=evaluated)
    assert (len(whole.changes.add), whole.add_count, whole.preview) == (3000, 3000, False)
    assert (await run_evaluation_job(db, holder))["state"] == "done"
    _, job_id, _ = await handlers.decide_change(db, holder, change["id"], approve=True, note="ok", by="staff:chief")
    job = await db.reader().jobs.get(uuid.UUID(job_id))
    assert (job["kind"], job["state"], job["done"], job["total"]) == ("lexicon.release", "done", 3000, 3000)
    post = await publish(db, holder, "看到鳕鲟01234了")
    assert [d["outcome"] for d in await decisions(db, post)] == ["stop_transmission"]
    exported = "".join([chunk async for chunk in handlers.export_lexicon(db, 500)])
    assert exported.startswith("term\tcategory\taction\tlegal_basis\tid\tadded_in\n")
    assert f"\n鳕鲟02999\t{CATEGORY}\tstop\tMB-12.2\t" in exported


@pytest.mark.requirement("MB-6.1")
@pytest.mark.requirement("MB-12")
async def test_a_proposed_lexicon_change_is_evaluated_before_approval_and_its_release_keeps_the_figures(world) -> None:
    """Issue 16: proposing a lexicon change queues the evaluation of the lexicon it would produce; approval waits
    for it (409, MB-6.1); the figures show with the change, and the release it becomes has them too."""
    db, holder = world
    change, [pending] = await handlers.propose_change(
        db,
        kind="lexicon",
        changes={"add": [{"term": "鳕鲟毒", "category": CATEGORY, "action": "stop", "legal_basis": ["MB-12"]}]},
        removes=[],
        reason="a new drug name",
        by="staff:r",
    )
    assert (pending["stage"], pending["status"], pending["basis_release"]) == ("proposed", "pending", 1)
    with pytest.raises(Conflict) as refused:
        await handlers.decide_change(db, holder, change["id"], approve=True, note="ok", by="staff:chief")
    assert "evaluation pending" in refused.value.detail and refused.value.requirement == "MB-6.1"
    job = await run_evaluation_job(db, holder)
    assert (job["kind"], job["state"], job["subject"]) == ("lexicon.evaluation", "done", f"{change['id']}/proposed")
    row, evaluations = await handlers.read_change(db, change["id"])
    evaluation = change_read(row, evaluations=evaluations).evaluation
    assert evaluation is not None and (evaluation.status, evaluation.basis_release) == ("done", 1)
    assert evaluation.sentences == 600 and evaluation.variants > 1000  # 200 sentences of each of three sources
    assert evaluation.recall_by_technique["as_written"] == 1.0
    assert evaluation.figures["entries"] == 27  # the sample lexicon's 26 and the one added
    assert evaluation.figures["entries_sampled"] == 26  # its stop and review entries (one is a label)
    decided, _, evaluations = await handlers.decide_change(
        db, holder, change["id"], approve=True, note="ok", by="staff:chief"
    )
    released = change_read(decided, evaluations=evaluations).release_evaluation
    assert released is not None and (released.status, released.release) == ("done", decided["release"])
    # the release's own version, as every process holds it
    assert released.lexicon_version == (await holder.current(db.pool)).lexicon.version
    assert released.lexicon_version.startswith(f"r{decided['release']}-")
    assert released.recall_min == evaluation.recall_min


@pytest.mark.requirement("MB-6.1")
async def test_every_release_is_evaluated_the_seed_too(world) -> None:
    """A release without figures (the seed, or one whose change was evaluated on an older release) is evaluated
    by the worker on the release's own entries."""
    db, holder = world
    async with db.transaction() as stores:
        assert [dict(r) for r in await stores.policy.unevaluated()] == [
            {"change_id": (await stores.policy.release_info())["change_id"], "stage": "released", "release": 1}
        ]
        await queue_evaluation(
            stores,
            (await stores.policy.release_info())["change_id"],
            EvaluationStage.RELEASED,
            basis_release=1,
            release=1,
            by="system",
        )
    assert (await run_evaluation_job(db, holder))["state"] == "done"
    [seed] = await db.reader().policy.evaluations((await db.reader().policy.release_info())["change_id"])
    assert (seed["stage"], seed["release"], seed["status"]) == ("released", 1, "done")
    assert seed["lexicon_version"].startswith("r1-")


@pytest.mark.requirement("MB-12")
async def test_make_eval_reads_the_lexicon_in_force_of_a_moderation_database(infra: Infra) -> None:
    """`make eval EVAL_DATABASE_URL=...`: the figures of a database's newest release, as one JSON object."""
    url = infra.fresh_database()
    await apply_migrations_async(url, MIGRATIONS)
    pool = await create_pool(url)
    try:
        async with Database(pool).transaction() as stores:
            await stores.policy.seed_if_empty(ModerationSettings(database_url=url).lexicon_seed_path, {})
    finally:
        await pool.close()
    rows, release = await evaluation_main._from_database(url)
    figures = evaluation_main.evaluate_rows(rows, release=release, corpus_limit=20)
    assert figures["lexicon_version"].startswith("r1-") and figures["entries"] == 26
    assert figures["sentences"] == 60 and figures["recall"]["by_technique"]["as_written"]["recall"] == 1.0
    assert set(json.loads(json.dumps(figures))) >= {"recall_min", "false_positive_rate", "variants", "seconds"}
