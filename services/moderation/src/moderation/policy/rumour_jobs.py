"""The long jobs a rumour starts (MB-11), run by the worker loop with their progress (kit.jobs):

- ``rumour.retro_scan`` when it is registered: the posts published before it are searched and every
  match is decided (labelled or stopped);
- ``rumour.escalation`` when the chief editor raises it to a stop: the retro-scan continues (stopping what
  it finds) and every post its label stands on is stopped, superseding the label (MB-12.2: each stop is
  reported once, as every stop is);
- ``rumour.withdrawal`` when the chief editor withdraws it: every label it put goes (an approval
  superseding it; content drops the refutation).

Resumable: each batch's decisions, the scan's cursor and the job's progress commit in one transaction, and
a job whose process died is taken over by another (its heartbeat stops). A job superseded by a later one on
the same rumour finds itself no longer running at its next batch, and stops there (the batch rolls back)."""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from dataclasses import replace
from datetime import datetime
from typing import Any

import asyncpg
from kit.pagination import decode_cursor, encode_cursor
from kit.service import Runtime

from moderation.database import Database, Stores
from moderation.decisions import events
from moderation.decisions.domain import new_decision
from moderation.engine.rumours import RumourAction, RumourHit, RumourProbe
from moderation.policy.domain import RUMOUR_JOBS, JobKind, escalation_verdict, withdrawal_verdict
from moderation.policy.holder import PolicyHolder
from moderation.policy.store import rumour_from_row

log = logging.getLogger(__name__)


class JobSuperseded(Exception):
    """The job is no longer running (a later job on the same rumour took its place): roll the batch back."""


async def _advance(stores: Stores, job_id: uuid.UUID, **progress: Any) -> None:
    if not await stores.jobs.advance(job_id, **progress):
        raise JobSuperseded(str(job_id))


def rumour_job_loop(holder: PolicyHolder):
    async def rumour_jobs(runtime: Runtime) -> None:
        """Claim the next rumour job (queued, or abandoned by a process that died) and run it."""
        settings = holder.settings
        db = Database(runtime.pool)
        while True:
            async with db.transaction() as stores:
                for row in await stores.policy.unjobbed_scans():
                    job = await stores.jobs.start(
                        kind=JobKind.RETRO_SCAN, subject=str(row["id"]), requested_by="system"
                    )
                    await stores.policy.set_scan_job(row["id"], job["id"])
                job = await stores.jobs.claim(RUMOUR_JOBS, stale_after_s=settings.retro_scan_stale_after_s)
            if job is None:
                await asyncio.sleep(settings.retro_scan_poll_s)  # idle poll, not synchronisation
                continue
            await run_rumour_job(db, holder, job)

    return rumour_jobs


async def run_rumour_job(db: Database, holder: PolicyHolder, job: asyncpg.Record) -> None:
    rumour_id = uuid.UUID(job["subject"])
    started = asyncio.get_running_loop().time()
    try:
        row = await db.reader().policy.rumour(rumour_id)
        if row is None or row["scan_job_id"] != job["id"]:
            raise JobSuperseded(str(job["id"]))
        kind = JobKind(job["kind"])
        if kind is JobKind.WITHDRAWAL:
            await _redecide_labels(db, holder, job, row)
        else:
            await _scan(db, holder, job, row)
            if kind is JobKind.ESCALATION:
                await _redecide_labels(db, holder, job, row)
        async with db.transaction() as stores:
            if kind is not JobKind.WITHDRAWAL:
                await stores.policy.finish_scan(rumour_id)
            done = await stores.jobs.finish(job["id"])
    except JobSuperseded:
        async with db.transaction() as stores:
            await stores.jobs.fail(job["id"], "superseded by a later job on the same rumour")
        log.info("rumour job superseded", extra={"job_id": str(job["id"]), "rumour_id": str(rumour_id)})
        return
    log.info(
        "rumour job finished",
        extra={
            "job_id": str(job["id"]),
            "kind": job["kind"],
            "rumour_id": str(rumour_id),
            "done": done["done"] if done else None,
            "seconds": round(asyncio.get_running_loop().time() - started, 3),
        },
    )


async def _scan(db: Database, holder: PolicyHolder, job: asyncpg.Record, row: asyncpg.Record) -> None:
    """MB-11: the posts published before the rumour was registered, oldest first, from the scan's cursor;
    every match not decided for it yet (nor stopped already) is decided by the rumour's action."""
    settings = holder.settings
    rumour = rumour_from_row(row)
    rumour_id = row["id"]
    probe = RumourProbe(rumour, holder.folder, holder.thresholds)
    after_at, after_post = row["scan_after_at"], row["scan_after_post"]
    async with db.transaction() as stores:
        await stores.policy.start_scan(rumour_id)
        if job["total"] is None:  # first run of this job (a takeover keeps the total it had)
            total = await stores.decisions.count_published_texts(
                until=row["registered_at"], after_at=after_at, after_post=after_post
            )
            if JobKind(job["kind"]) is JobKind.ESCALATION:
                total += await stores.decisions.count_rumour_labels(rumour_id)
            await _advance(stores, job["id"], total=total)
    while True:
        rows = await db.reader().decisions.published_texts_after(
            until=row["registered_at"], after_at=after_at, after_post=after_post, limit=settings.retro_scan_chunk
        )
        if not rows:
            return
        # CPU-bound: off the event loop, which keeps serving requests and events meanwhile.
        found = await asyncio.to_thread(lambda rows=rows: list(probe.scan((r, r["folded"]) for r in rows)))
        policy = await holder.current(db.pool)
        after_at, after_post = rows[-1]["created_at"], rows[-1]["post_id"]
        async with db.transaction() as stores:
            decided_already = await stores.decisions.posts_with_rumour_decision(
                [r["post_id"] for r, _ in found], rumour_id
            )
            decisions = []
            for post, score in found:
                if post["post_id"] in decided_already:
                    continue
                verdict = policy.retro_verdict(post["content_sha256"], RumourHit(rumour, score))
                if rumour.action is RumourAction.STOP and row["escalation_category"]:
                    verdict = replace(verdict, category=row["escalation_category"])
                decision = new_decision(
                    post_id=post["post_id"], author_id=post["author_id"], verdict=verdict, stage="retro_scan"
                )
                decisions.append((decision, events.decision_announcement(decision)))
            await stores.decisions.insert_retro_announced(decisions)
            if found:
                first = found[0][0]  # oldest first: the earliest spreader found
                await stores.policy.trace_source(rumour_id, first["post_id"], first["author_id"], first["created_at"])
            await stores.policy.advance_scan(
                rumour_id, after_at=after_at, after_post=after_post, scanned=len(rows), matched=len(found)
            )
            await _advance(
                stores,
                job["id"],
                by=len(rows),
                counts={"scanned": len(rows), "matched": len(found), "decided": len(decisions)},
            )


async def _redecide_labels(db: Database, holder: PolicyHolder, job: asyncpg.Record, row: asyncpg.Record) -> None:
    """Every label the rumour put that still stands is superseded: approved (withdrawn) or stopped
    (escalated). From the job's cursor; one decision per label whatever the repeats."""
    rumour = rumour_from_row(row)
    rumour_id = row["id"]
    withdrawing = JobKind(job["kind"]) is JobKind.WITHDRAWAL
    async with db.transaction() as stores:
        current = await stores.jobs.get(job["id"])
        cursor = json.loads(current["cursor"]) if current and current["cursor"] else {}
        if withdrawing and current is not None and current["total"] is None:
            await _advance(stores, job["id"], total=await stores.decisions.count_rumour_labels(rumour_id))
    after = decode_cursor(cursor["labels_after"], datetime, uuid.UUID) if "labels_after" in cursor else None
    while True:
        labels = await db.reader().decisions.rumour_labels(
            rumour_id, after=after, limit=holder.settings.retro_scan_chunk
        )
        if not labels:
            return
        version = (await holder.current(db.pool)).rumours.version
        decisions, posts = [], set()
        for label in labels:
            if not label["stands"] or label["post_id"] in posts:
                continue
            posts.add(label["post_id"])
            if withdrawing:
                verdict = withdrawal_verdict(label, rumour, reason=row["withdrawal_reason"], rumour_version=version)
            else:
                verdict = escalation_verdict(
                    label,
                    rumour,
                    category=row["escalation_category"],
                    legal_basis=list(row["legal_basis"]),
                    reason=row["escalation_reason"],
                    rumour_version=version,
                )
            decision = new_decision(
                post_id=label["post_id"],
                author_id=label["author_id"],
                verdict=verdict,
                stage="retro_scan",
                supersedes=label["id"],
                decided_by=row["withdrawn_by"] if withdrawing else row["escalated_by"],
            )
            decisions.append((decision, events.decision_announcement(decision)))
        last = labels[-1]
        after = (last["decided_at"], last["id"])
        async with db.transaction() as stores:
            await stores.decisions.insert_superseding_announced(decisions)
            await _advance(
                stores,
                job["id"],
                by=len(labels),
                cursor={"labels_after": encode_cursor(*after)},
                counts={"labels": len(labels), "approved" if withdrawing else "stopped": len(decisions)},
            )
