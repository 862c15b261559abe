"""Policy commands (MB-6.1): lexicon and routing-rule changes approved by the chief editor, the rumour
registry (MB-11) and emergency modes (应急处置). Each owns its transaction; a change that commits is
announced in it, and reaches this process at once and the others by the event."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from typing import Any

import asyncpg
from kit.pagination import decode_cursor, page
from kit.problems import Conflict, InvalidInput, NotFound
from kit.service import Runtime

from moderation.database import Database, Stores
from moderation.engine.decide import Policy
from moderation.engine.rumours import rumour_legal_basis, stored_form
from moderation.policy import evaluation_jobs, events, lexicon_tsv
from moderation.policy.domain import (
    EvaluationStage,
    JobKind,
    check_evaluated,
    check_may_escalate,
    check_may_withdraw,
)
from moderation.policy.holder import PolicyHolder


def _page(rows: list, limit: int, keys: Callable) -> tuple[list, str | None]:
    shown = page(rows, limit, keys)
    return shown["items"], shown["next_cursor"]


async def lexicon_in_force(db: Database, holder: PolicyHolder) -> tuple[Policy, asyncpg.Record]:
    """The policy as committed (this process catches up first) and the release it comes from."""
    policy = await holder.latest(db.pool)
    return policy, await db.reader().policy.release_info()


# --- policy changes ------------------------------------------------------------------------------


async def propose_change(
    db: Database, *, kind: str, changes: dict[str, Any], removes: list[int], reason: str, by: str
) -> tuple[asyncpg.Record, list[asyncpg.Record]]:
    """Nothing changes until the chief editor approves (MB-6.1). The change and its (pending) evaluation."""
    async with db.transaction() as stores:
        if removes:
            missing = set(removes) - await stores.policy.live_entry_ids(removes)
            if missing:
                raise InvalidInput(f"No live lexicon entries with ids {sorted(missing)}.")
        row = await stores.policy.insert_change(kind=kind, changes=changes, reason=reason, proposed_by=by)
        if kind == "lexicon":
            await _queue_evaluation(stores, row["id"], by)
        return row, await stores.policy.evaluations(row["id"])


async def _queue_evaluation(stores: Stores, change_id: uuid.UUID, by: str) -> None:
    """MB-6.1 (issue 16): the lexicon the change would produce is evaluated in the background; its recall and
    false positives are shown with the change, and approval waits for them."""
    basis = await stores.policy.lexicon_release()
    await evaluation_jobs.queue_evaluation(stores, change_id, EvaluationStage.PROPOSED, basis_release=basis, by=by)


# A list of changes shows this many of each change's added and removed entries (an imported lexicon has tens of
# thousands); the change's own page shows them all.
PREVIEW_ENTRIES = 20


async def list_changes(
    db: Database, *, status: str | None, cursor: str | None, limit: int
) -> tuple[list[asyncpg.Record], dict[uuid.UUID, list[asyncpg.Record]], str | None]:
    """Newest first (MB-6.1: the policy's history), one page; each change's entries previewed (PREVIEW_ENTRIES),
    with its evaluations' headline figures (issue 16)."""
    before = decode_cursor(cursor, datetime, uuid.UUID) if cursor else None
    reader = db.reader()
    rows = await reader.policy.changes(status, before=before, limit=limit + 1, preview=PREVIEW_ENTRIES)
    shown, next_cursor = _page(rows, limit, lambda r: (r["proposed_at"], r["id"]))
    evaluations: dict[uuid.UUID, list[asyncpg.Record]] = {}
    for e in await reader.policy.evaluation_summaries([r["id"] for r in shown]):
        evaluations.setdefault(e["change_id"], []).append(e)
    return shown, evaluations, next_cursor


async def list_entries(
    db: Database, *, category: str | None, cursor: str | None, limit: int
) -> tuple[list[asyncpg.Record], str | None]:
    """Live lexicon entries, by id."""
    (after,) = decode_cursor(cursor, int) if cursor else (0,)
    rows = await db.reader().policy.entries_page(category=category, after=after, limit=limit + 1)
    return _page(rows, limit, lambda r: (r["id"],))


async def read_change(db: Database, change_id: uuid.UUID) -> tuple[asyncpg.Record, list[asyncpg.Record]]:
    """The change, whole, and its evaluations (issue 16: what the chief editor sees before approving)."""
    reader = db.reader()
    row = await reader.policy.change(change_id)
    if row is None:
        raise NotFound("No such policy change.")
    return row, await reader.policy.evaluations(change_id)


async def decide_change(
    db: Database, holder: PolicyHolder, change_id: uuid.UUID, *, approve: bool, note: str, by: str
) -> tuple[asyncpg.Record, str | None, list[asyncpg.Record]]:
    """The chief editor approves or rejects a proposed change (MB-6.1). An approved change is the
    next release. A lexicon change is approved once the lexicon it produces has been evaluated (issue 16)."""
    async with db.transaction() as stores:
        row = await stores.policy.change(change_id, for_update=True)
        if row is None:
            raise NotFound("No such policy change.")
        if row["status"] != "proposed":
            raise Conflict(f"This change was {row['status']} already.", requirement="MB-6.1")
        job = None
        if approve and row["kind"] == "lexicon":
            check_evaluated(await stores.policy.evaluation(change_id, EvaluationStage.PROPOSED))
        if approve:
            # A big change (an imported lexicon: 50,000 entries are 7 MB of JSON) is decoded off the event loop.
            body = await asyncio.to_thread(json.loads, row["changes"])
            if row["kind"] == "lexicon":
                # MB-6.1, MB-12: the release as a job staff follow; applied in this transaction, so it is done
                # exactly when the release commits (nothing published before it is re-decided: a release
                # applies to the posts decided after it).
                size = len(body.get("add", [])) + len(body.get("remove", []))
                job = await stores.jobs.start(
                    kind=JobKind.LEXICON_RELEASE, subject=str(change_id), requested_by=by, total=size, running=True
                )
            release = await stores.policy.release(row, approved_by=by, note=note, body=body)
            await stores.announce(
                events.policy_published(kind=row["kind"], version=str(release), by=by, basis=["MB-6.1"])
            )
            if job is not None:
                await stores.jobs.advance(job["id"], by=job["total"], counts={"release": release})
                await stores.jobs.finish(job["id"])
                # Issue 16: the release's figures are its change's when nothing was released in between; else the
                # evaluation worker evaluates the release's own entries.
                await stores.policy.copy_evaluation(change_id, release=release, lexicon_version=None)
        else:
            await stores.policy.reject(change_id, rejected_by=by, note=note)
        row = await stores.policy.change(change_id)
    if approve:
        await holder.refresh(db.pool)  # this process at once; the others by the event
        if row["kind"] == "lexicon" and holder.versions.get("lexicon") == str(row["release"]):
            async with db.transaction() as stores:
                lexicon = (await holder.current(db.pool)).lexicon
                await stores.policy.name_release_version(row["release"], lexicon.version)
    evaluations = await db.reader().policy.evaluations(change_id) if row["kind"] == "lexicon" else []
    return row, (str(job["id"]) if job is not None else None), evaluations


# --- rumours (MB-11) -------------------------------------------------------------------------------


async def register_rumour(
    db: Database,
    holder: PolicyHolder,
    *,
    canonical_text: str,
    refutation_text: str,
    refutation_url: str,
    authority: str,
    action: str,
    legal_basis: list[str],
    reason: str,
    by: str,
) -> asyncpg.Record:
    """New posts spreading it are labelled (or stopped); the posts published before it are searched
    in the background (its `scan_status`)."""
    if not stored_form(holder.folder, canonical_text):
        raise InvalidInput("The canonical text has nothing to match once folded.", requirement="MB-11")
    async with db.transaction() as stores:
        row = await stores.policy.insert_rumour(
            id=uuid.uuid4(),
            canonical_text=canonical_text,
            refutation_text=refutation_text,
            refutation_url=refutation_url,
            authority=authority,
            action=action,
            legal_basis=rumour_legal_basis(legal_basis),
            reason=reason,
            registered_by=by,
        )
        # MB-11: the retro-scan of the posts published before it, as a job staff follow.
        job = await stores.jobs.start(kind=JobKind.RETRO_SCAN, subject=str(row["id"]), requested_by=by)
        await stores.policy.set_scan_job(row["id"], job["id"])
        await stores.announce(
            events.policy_published(kind="rumours", version=str(row["revision"]), by=by, basis=["MB-11"])
        )
        row = await stores.policy.rumour(row["id"])
    await holder.refresh(db.pool)
    return row


async def list_rumours(db: Database, *, cursor: str | None, limit: int) -> tuple[list[asyncpg.Record], str | None]:
    """In the order they were registered."""
    (after,) = decode_cursor(cursor, int) if cursor else (0,)
    rows = await db.reader().policy.rumours_page(after=after, limit=limit + 1)
    return _page(rows, limit, lambda r: (r["seq"],))


async def read_rumour(db: Database, rumour_id: uuid.UUID) -> asyncpg.Record:
    row = await db.reader().policy.rumour(rumour_id)
    if row is None:
        raise NotFound("No such rumour.")
    return row


async def withdraw_rumour(
    db: Database, holder: PolicyHolder, rumour_id: uuid.UUID, *, reason: str, by: str
) -> tuple[asyncpg.Record, asyncpg.Record]:
    """MB-11 (chief editor, MB-6.1): the rumour matches no new post, in every process (as a registration
    reaches them), and the labels it put go, as a job (the rumour and the job)."""
    async with db.transaction() as stores:
        row = await stores.policy.rumour(rumour_id, for_update=True)
        if row is None:
            raise NotFound("No such rumour.")
        check_may_withdraw(row)
        job = await stores.jobs.start(kind=JobKind.WITHDRAWAL, subject=str(rumour_id), requested_by=by)
        await _supersede_job(stores, row, job)
        row = await stores.policy.withdraw_rumour(rumour_id, by=by, reason=reason, job_id=job["id"])
        await stores.announce(
            events.policy_published(kind="rumours", version=str(row["revision"]), by=by, basis=["MB-11", "MB-6.1"])
        )
    await holder.refresh(db.pool)
    return row, job


async def escalate_rumour(
    db: Database,
    holder: PolicyHolder,
    rumour_id: uuid.UUID,
    *,
    reason: str,
    category: str,
    legal_basis: list[str],
    by: str,
) -> tuple[asyncpg.Record, asyncpg.Record]:
    """MB-11, MB-12.2 (chief editor, MB-6.1): new posts spreading it are stopped, in every process; the
    posts its label stands on, and those its retro-scan has still to find, are stopped as a job."""
    async with db.transaction() as stores:
        row = await stores.policy.rumour(rumour_id, for_update=True)
        if row is None:
            raise NotFound("No such rumour.")
        check_may_escalate(row)
        job = await stores.jobs.start(kind=JobKind.ESCALATION, subject=str(rumour_id), requested_by=by)
        await _supersede_job(stores, row, job)
        row = await stores.policy.escalate_rumour(
            rumour_id,
            by=by,
            reason=reason,
            category=category,
            legal_basis=rumour_legal_basis([*legal_basis, *row["legal_basis"], "MB-12.2"]),
            job_id=job["id"],
        )
        await stores.announce(
            events.policy_published(kind="rumours", version=str(row["revision"]), by=by, basis=["MB-11", "MB-12.2"])
        )
    await holder.refresh(db.pool)
    return row, job


async def _supersede_job(stores: Stores, rumour: asyncpg.Record, job: asyncpg.Record) -> None:
    """The rumour's job still running (a retro-scan) gives way to the new one, which takes over its work."""
    if rumour["scan_job_id"] is not None:
        await stores.jobs.fail(rumour["scan_job_id"], f"superseded by job {job['id']} ({job['kind']})")


# --- emergency modes (MB-6.1 应急处置) --------------------------------------------------------------


async def start_emergency(
    db: Database, holder: PolicyHolder, *, scope: str, value: str, reason: str, by: str
) -> asyncpg.Record:
    """Hold every new post in scope (the platform, a topic, a province) for review until ended."""
    async with db.transaction() as stores:
        row = await stores.policy.start_emergency(scope=scope, value=value.strip(), reason=reason, by=by)
        await stores.announce(
            events.policy_published(kind="emergencies", version=str(row["seq"]), by=by, basis=["MB-6.1"])
        )
    await holder.refresh(db.pool)
    return row


async def list_emergencies(db: Database, *, cursor: str | None, limit: int) -> tuple[list[asyncpg.Record], str | None]:
    """The emergency modes in force, in the order they started."""
    (after,) = decode_cursor(cursor, int) if cursor else (0,)
    rows = await db.reader().policy.emergencies_page(after=after, limit=limit + 1)
    return _page(rows, limit, lambda r: (r["seq"],))


async def end_emergency(db: Database, holder: PolicyHolder, emergency_id: uuid.UUID, *, by: str) -> asyncpg.Record:
    async with db.transaction() as stores:
        row = await stores.policy.end_emergency(emergency_id, by=by)
        if row is None:
            raise NotFound("No such emergency mode in force.")
        await stores.announce(
            events.policy_published(kind="emergencies", version=str(row["seq"]), by=by, basis=["MB-6.1"])
        )
    await holder.refresh(db.pool)
    return row


# --- every process holds the policy in force ------------------------------------------------------


def policy_published(holder: PolicyHolder) -> Callable[[Stores], Awaitable[None]]:
    async def reload_policy(stores: Stores) -> None:
        """MB-6.1: an approved change reaches this process without a restart."""
        await holder.refresh(stores.conn)

    return reload_policy


def refresh_policy_loop(holder: PolicyHolder) -> Callable[[Runtime], Awaitable[None]]:
    async def refresh_policy(runtime: Runtime) -> None:
        """Reconciler: a policy announcement a broker lost still reaches this process."""
        await holder.refresh(runtime.pool)
        while True:
            await asyncio.sleep(holder.settings.policy_refresh_interval_s)  # a period, not synchronisation
            await holder.refresh(runtime.pool)

    return refresh_policy


# --- the lexicon as TSV (MB-12, BJ-10) -------------------------------------------------------------


async def export_lexicon(db: Database, chunk: int) -> AsyncIterator[str]:
    """The live lexicon as TSV lines, read in chunks from one snapshot (one release, whatever commits meanwhile)."""
    async with db.snapshot() as stores:
        yield lexicon_tsv.tsv_line(lexicon_tsv.EXPORTED)
        after = 0
        while True:
            rows = await stores.policy.export_entries(after=after, limit=chunk)
            if not rows:
                return
            yield "".join(lexicon_tsv.export_lines(rows, header=False))
            after = rows[-1]["id"]


async def start_import(db: Database, *, reason: str, mode: str, by: str) -> asyncpg.Record:
    async with db.transaction() as stores:
        return await stores.policy.insert_import(reason=reason, mode=mode, by=by)


async def read_import(db: Database, import_id: uuid.UUID) -> asyncpg.Record:
    row = await db.reader().policy.lexicon_import(import_id)
    if row is None:
        raise NotFound("No such lexicon import.")
    return row


async def put_import_part(db: Database, import_id: uuid.UUID, n: int, body: bytes, *, max_parts: int) -> None:
    """Part `n` of the file (idempotent: the same part again replaces it). Refused once completed."""
    if n > max_parts:
        raise InvalidInput(f"An import has at most {max_parts} parts.", requirement="MB-12")
    if not body:
        raise InvalidInput("A part carries some of the file.", requirement="MB-12")
    async with db.transaction() as stores:
        row = await stores.policy.import_for_part(import_id)
        if row is None:
            raise NotFound("No such lexicon import.")
        if row["completed_at"] is not None:
            raise Conflict("This import was completed already.", requirement="MB-6.1")
        await stores.policy.put_part(import_id, n, body)


async def complete_import(db: Database, import_id: uuid.UUID, *, by: str) -> tuple[asyncpg.Record, int, int, int]:
    """The file, whole, validated (errors by line number) and turned into ONE proposed lexicon change, which
    only the chief editor approves (MB-6.1). The import, the change's id and its entries, adds and removes."""
    async with db.transaction() as stores:
        row = await stores.policy.lexicon_import(import_id, for_update=True)
        if row is None:
            raise NotFound("No such lexicon import.")
        if row["completed_at"] is not None:
            raise Conflict("This import was completed already.", requirement="MB-6.1", change_id=str(row["change_id"]))
        parts = await stores.policy.import_parts(import_id)
        numbers = [p["n"] for p in parts]
        missing = sorted(set(range(1, (max(numbers) if numbers else 0) + 1)) - set(numbers))
        if not parts or missing:
            raise InvalidInput(
                f"The file's parts are numbered from 1 without gaps; missing: {missing[:50] or [1]}.",
                requirement="MB-12",
            )
        live = await stores.policy.live_entries_full()
        # CPU-bound for a big file (50,000 entries: see the README): off the event loop.
        verdict = await asyncio.to_thread(_read_file, b"".join(p["body"] for p in parts), live, row["mode"])
        if isinstance(verdict, lexicon_tsv.Parsed):
            raise InvalidInput(
                f"The file has {verdict.error_count} error(s); the first {len(verdict.errors)} are listed by line.",
                requirement="MB-12",
                errors=[{"line": e.line, "error": e.error} for e in verdict.errors],
                error_count=verdict.error_count,
            )
        entries, add, remove, changes_json = verdict
        if not add and not remove:
            raise InvalidInput("The file changes nothing: the lexicon in force holds it already.", requirement="MB-12")
        change = await stores.policy.insert_change_json(
            kind="lexicon", changes_json=changes_json, reason=row["reason"], proposed_by=by
        )
        await stores.policy.complete_import(import_id, change["id"])
        await _queue_evaluation(stores, change["id"], by)
    return change, entries, len(add), len(remove)


def _read_file(
    raw: bytes, live: list, mode: str
) -> lexicon_tsv.Parsed | tuple[int, list[dict[str, Any]], list[int], str]:
    """Decode, parse, validate and plan the change (pure, in a worker thread)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        parsed = lexicon_tsv.Parsed()
        parsed.refuse(raw.count(b"\n", 0, exc.start) + 1, "not UTF-8 text")
        return parsed
    parsed = lexicon_tsv.parse(text)
    if parsed.error_count:
        return parsed
    add, remove = lexicon_tsv.plan_change(parsed.entries, live, replace=mode == "replace")
    return len(parsed.entries), add, remove, json.dumps({"add": add, "remove": remove}, ensure_ascii=False)
