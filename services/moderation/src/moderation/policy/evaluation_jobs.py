"""The lexicon's measured recall and false positives, per change and per release (issue 16; MB-6.1, MB-12), run
by a worker loop as jobs staff follow (kit.jobs, kind ``lexicon.evaluation``):

- stage ``proposed``: when a lexicon change is proposed, the lexicon it would produce (the entries in force, the
  change applied) is evaluated; the chief editor sees the figures before approving (approval waits for them);
- stage ``released``: every release has its figures, copied from its change's when the change was evaluated on
  the release before it (the same entries), else evaluated on the release's own entries.

The evaluation is CPU-bound (seconds; the corpus is bounded by ``LEXICON_EVAL_CORPUS_LIMIT``): off the event loop,
in a child process of its own (spawned for the one evaluation, gone after it). Not a thread: the evaluation holds
the GIL for seconds at a time (reading and parsing the corpus, building the lexicon), which starved the event
loop of a loaded machine's worker until uvicorn's health check killed it (measured on the test stacks); and the
corpus (~220,000 sentences) is not kept in the service's memory. A job whose process died is taken over by
another (its heartbeat stops)."""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import multiprocessing
import uuid
from concurrent.futures import ProcessPoolExecutor

import asyncpg
from kit.service import Runtime

from moderation.database import Database
from moderation.evaluation.score import evaluate_rows
from moderation.policy.domain import EVALUATION_JOBS, EvaluationStage, JobKind, evaluation_subject, proposed_entries
from moderation.policy.holder import PolicyHolder

log = logging.getLogger(__name__)


async def queue_evaluation(
    stores, change_id: uuid.UUID, stage: EvaluationStage, *, basis_release: int, by: str, release: int | None = None
) -> None:
    """An evaluation to run, as a job (in the caller's transaction)."""
    job = await stores.jobs.start(
        kind=JobKind.LEXICON_EVALUATION, subject=evaluation_subject(change_id, stage), requested_by=by
    )
    await stores.policy.insert_evaluation(
        change_id, stage.value, basis_release=basis_release, job_id=job["id"], release=release
    )


async def _in_child_process(call: functools.partial) -> dict:
    """``call()`` in a spawned child process (a clean interpreter: nothing of this process's threads, pools or
    sockets is forked), which exits once it has answered."""
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    try:
        return await asyncio.get_running_loop().run_in_executor(pool, call)
    finally:
        await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)


def evaluation_job_loop(holder: PolicyHolder):
    async def lexicon_evaluations(runtime: Runtime) -> None:
        """Claim the next evaluation (queued, or abandoned by a process that died) and run it."""
        settings = holder.settings
        db = Database(runtime.pool)
        while True:
            async with db.transaction() as stores:
                current = await stores.policy.lexicon_release()
                for row in await stores.policy.unevaluated():
                    stage = EvaluationStage(row["stage"])
                    await queue_evaluation(
                        stores,
                        row["change_id"],
                        stage,
                        basis_release=row["release"] or current,
                        release=row["release"],
                        by="system",
                    )
                job = await stores.jobs.claim(EVALUATION_JOBS, stale_after_s=settings.lexicon_eval_stale_after_s)
            if job is None:
                await asyncio.sleep(settings.lexicon_eval_poll_s)  # idle poll, not synchronisation
                continue
            await run_evaluation(db, holder, job)

    return lexicon_evaluations


async def run_evaluation(db: Database, holder: PolicyHolder, job: asyncpg.Record) -> None:
    change, _, stage_name = job["subject"].partition("/")
    change_id, stage = uuid.UUID(change), EvaluationStage(stage_name)
    settings = holder.settings
    started = asyncio.get_running_loop().time()
    async with db.snapshot() as stores:
        row = await stores.policy.evaluation(change_id, stage.value)
        if row is None or row["job_id"] != job["id"] or row["status"] != "pending":
            rows = None
        elif stage is EvaluationStage.PROPOSED:
            release = await stores.policy.lexicon_release()
            change_row = await stores.policy.change(change_id)
            changes = await asyncio.to_thread(json.loads, change_row["changes"])
            rows = proposed_entries(await stores.policy.entries_at(release), changes)
            label = None
        else:
            release = row["release"]
            rows = await stores.policy.entries_at(release)
            label = str(release)
    if rows is None:
        async with db.transaction() as stores:
            await stores.jobs.fail(job["id"], "superseded: the evaluation is not this job's")
        return
    try:
        # CPU-bound: in a child process, while the event loop keeps serving requests and events.
        figures = await _in_child_process(
            functools.partial(
                evaluate_rows,
                rows,
                release=label,
                corpus_limit=settings.lexicon_eval_corpus_limit,
                max_entries=settings.lexicon_eval_max_entries,
            )
        )
        figures["basis_release"] = release
        version, figures_json, error = figures["lexicon_version"], json.dumps(figures, ensure_ascii=False), None
    except Exception as exc:  # a lexicon the evaluation cannot read is shown as failed, not retried forever
        log.exception("lexicon evaluation failed", extra={"change_id": str(change_id), "stage": stage.value})
        version, figures_json, error = None, None, f"{type(exc).__name__}: {exc}"
    async with db.transaction() as stores:
        if stage is EvaluationStage.PROPOSED:
            await stores.policy.set_evaluation_basis(change_id, stage.value, release)
        await stores.policy.finish_evaluation(
            change_id, stage.value, lexicon_version=version, figures_json=figures_json, error=error
        )
        if error is None:
            await stores.jobs.advance(job["id"], by=1, total=1)
            await stores.jobs.finish(job["id"])
        else:
            await stores.jobs.fail(job["id"], error)
    log.info(
        "lexicon evaluation finished",
        extra={
            "job_id": str(job["id"]),
            "change_id": str(change_id),
            "stage": stage.value,
            "lexicon_version": version,
            "seconds": round(asyncio.get_running_loop().time() - started, 3),
        },
    )
