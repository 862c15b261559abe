"""Moderation's event handlers, background loops and reconcilers."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC

import asyncpg
from kit.bus import BatchHandler, Handler
from kit.cloudevents import Event
from kit.db import transaction
from kit.service import Runtime

from moderation import policy_store, store
from moderation.announce import announce_decision, decision_announcement
from moderation.engine.decide import Outcome, Standing
from moderation.engine.rumours import RumourHit, RumourProbe, stored_form
from moderation.settings import ModerationSettings
from moderation.state import PolicyHolder, rumour_from_row

log = logging.getLogger(__name__)
PUBLISHED = {Outcome.APPROVE.value, Outcome.LABEL.value}


def _standing(row: asyncpg.Record | None) -> Standing:
    if row is None:
        return Standing()
    defaults = Standing()
    return Standing(
        grade=row["grade"] if row["grade"] is not None else defaults.grade,
        credit=row["credit"] if row["credit"] is not None else defaults.credit,
        followers=row["followers"] if row["followers"] is not None else defaults.followers,
        registered_at=row["registered_at"],
        province_code=row["province_code"] or "",
    )


def posts_created_handler(holder: PolicyHolder) -> BatchHandler:
    async def on_posts_created(conn: asyncpg.Connection, events: list[Event]) -> None:
        """MB-6.1: every post is checked, with its author's standing (MB-9); a burst of new posts is
        decided and stored in one round trip. A repeated announcement of a post decided before gets
        the same decision again (the first may have been lost with a broker's memory)."""
        policy = await holder.latest(conn)
        posts = [event.message for event in events]
        standings = await policy_store.standings(conn, [uuid.UUID(p.author_id) for p in posts])
        decided = []
        for post in posts:
            author_id = uuid.UUID(post.author_id)
            standing = _standing(standings.get(author_id))
            # What the post carries from the author's token is current; identity's events may lag.
            if post.author_province_code:
                standing = replace(standing, province_code=post.author_province_code)
            if post.HasField("author_registered_at"):
                standing = replace(standing, registered_at=post.author_registered_at.ToDatetime(tzinfo=UTC))
            verdict = policy.decide(post.text, standing)
            decided.append(
                (post, store.new_decision(post_id=uuid.UUID(post.post_id), author_id=author_id, verdict=verdict))
            )
        await store.insert_decisions_announced(conn, [(d, decision_announcement(d)) for _, d in decided])
        before = await store.decided_before(conn, [d for _, d in decided])
        for existing in before:
            await store.mark_announced(conn, existing["id"])
            await announce_decision(conn, existing)
        repeated = {r["post_id"] for r in before}
        fresh = [(p, d) for p, d in decided if d["post_id"] not in repeated]
        await store.insert_published_texts(
            conn,
            [
                (
                    d["post_id"],
                    d["author_id"],
                    p.created_at.ToDatetime(tzinfo=d["decided_at"].tzinfo),
                    d["content_sha256"],
                    stored_form(holder.folder, p.text),
                )
                for p, d in fresh
                if d["outcome"] in PUBLISHED
            ],
        )
        for post, d in fresh:
            if d["rumour_id"] is not None:
                created = post.created_at.ToDatetime(tzinfo=d["decided_at"].tzinfo)
                await policy_store.trace_source(conn, d["rumour_id"], d["post_id"], d["author_id"], created)
        await store.insert_review_items(
            conn,
            [
                (d["id"], d["post_id"], d["author_id"], p.text, p.created_at.ToDatetime(tzinfo=d["decided_at"].tzinfo))
                for p, d in fresh
                if d["outcome"] == Outcome.HOLD_FOR_REVIEW.value
            ],
        )

    return on_posts_created


async def on_report_filed(conn: asyncpg.Connection, event: Event) -> None:
    report = event.message
    await store.mark_reported(conn, uuid.UUID(report.decision_id))


async def on_account_registered(conn: asyncpg.Connection, event: Event) -> None:
    message = event.message
    await policy_store.note_standing(
        conn, uuid.UUID(message.account_id), registered_at=message.registered_at.ToDatetime().astimezone()
    )


async def on_real_name_verified(conn: asyncpg.Connection, event: Event) -> None:
    message = event.message
    await policy_store.note_standing(conn, uuid.UUID(message.account_id), province_code=message.province_code)


async def on_standing_changed(conn: asyncpg.Connection, event: Event) -> None:
    """MB-9: route by the author's credit as identity keeps it."""
    standing = event.message
    await policy_store.note_standing(
        conn, uuid.UUID(standing.account_id), credit=standing.credit_score, grade=standing.grade
    )


def policy_published_handler(holder: PolicyHolder) -> Handler:
    async def on_policy_published(conn: asyncpg.Connection, event: Event) -> None:
        """MB-6.1: an approved change reaches this process without a restart."""
        await holder.refresh(conn)

    return on_policy_published


def refresh_policy_loop(holder: PolicyHolder) -> Callable[[Runtime], Awaitable[None]]:
    async def refresh_policy(runtime: Runtime) -> None:
        """Reconciler: a policy announcement a broker lost still reaches this process."""
        await holder.refresh(runtime.pool)
        while True:
            await asyncio.sleep(holder.settings.policy_refresh_interval_s)  # a period, not synchronisation
            await holder.refresh(runtime.pool)

    return refresh_policy


async def reannounce_unreported_stops(runtime: Runtime) -> None:
    """Reconciler: a stop-transmission the regulator gateway has not confirmed is announced again;
    the gateway keeps one report per decision, so a repeat never makes a second one. When the
    broker lost its state, every unconfirmed stop goes again at once."""
    settings: ModerationSettings = runtime.settings  # type: ignore[assignment]

    async def announce_again(conn: asyncpg.Connection, older_than_s: float, limit: int) -> int:
        rows = await store.claim_unreported(conn, older_than_s=older_than_s, limit=limit)
        for row in rows:
            await announce_decision(conn, row)
        return len(rows)

    await runtime.reannounce_forever(
        period_s=settings.reconcile_interval_s,
        grace_s=settings.report_confirm_after_s,
        announce=announce_again,
        what="unconfirmed stop-transmissions",
    )


def retro_scan_loop(holder: PolicyHolder) -> Callable[[Runtime], Awaitable[None]]:
    async def retro_scan(runtime: Runtime) -> None:
        """MB-11: when a rumour is registered, the posts published before it are searched and every
        match is decided (labelled or stopped). Resumable: the cursor advances in the same
        transaction as the decisions, and an abandoned scan is taken over by another process."""
        settings = holder.settings
        while True:
            async with transaction(runtime.pool) as conn:
                row = await policy_store.claim_rumour_scan(conn, stale_after_s=settings.retro_scan_stale_after_s)
            if row is None:
                await asyncio.sleep(settings.retro_scan_poll_s)  # idle poll, not synchronisation
                continue
            await _scan_one(runtime.pool, holder, row)

    return retro_scan


async def _scan_one(pool: asyncpg.Pool, holder: PolicyHolder, row: asyncpg.Record) -> None:
    settings = holder.settings
    rumour = rumour_from_row(row)
    rumour_id = row["id"]
    probe = RumourProbe(rumour, holder.folder, holder.thresholds)
    after_at, after_post = row["scan_after_at"], row["scan_after_post"]
    started = asyncio.get_running_loop().time()
    while True:
        async with pool.acquire() as conn:
            rows = await store.published_texts_after(
                conn,
                until=row["registered_at"],
                after_at=after_at,
                after_post=after_post,
                limit=settings.retro_scan_chunk,
            )
        if not rows:
            break
        # CPU-bound: off the event loop, which keeps serving requests and events meanwhile.
        found = await asyncio.to_thread(lambda rows=rows: list(probe.scan((r, r["folded"]) for r in rows)))
        policy = await holder.current(pool)
        after_at, after_post = rows[-1]["created_at"], rows[-1]["post_id"]
        async with transaction(pool) as conn:
            decided_already = await store.posts_with_rumour_decision(conn, [r["post_id"] for r, _ in found], rumour_id)
            decisions = []
            for post, score in found:
                if post["post_id"] in decided_already:
                    continue
                verdict = policy.retro_verdict(post["content_sha256"], RumourHit(rumour, score))
                decision = store.new_decision(
                    post_id=post["post_id"], author_id=post["author_id"], verdict=verdict, stage="retro_scan"
                )
                decisions.append((decision, decision_announcement(decision)))
            await store.insert_retro_announced(conn, decisions)
            if found:
                first = found[0][0]  # oldest first: the earliest spreader found
                await policy_store.trace_source(
                    conn, rumour_id, first["post_id"], first["author_id"], first["created_at"]
                )
            await conn.execute(
                """UPDATE rumour SET scan_after_at = $2, scan_after_post = $3, scan_heartbeat_at = now(),
                          scanned_posts = scanned_posts + $4, matched_posts = matched_posts + $5
                    WHERE id = $1""",
                rumour_id,
                after_at,
                after_post,
                len(rows),
                len(found),
            )
    async with transaction(pool) as conn:
        done = await conn.fetchrow(
            "UPDATE rumour SET scan_status = 'done', scan_finished_at = now() WHERE id = $1 RETURNING *", rumour_id
        )
    log.info(
        "retro-scan finished",
        extra={
            "rumour_id": str(rumour_id),
            "scanned": done["scanned_posts"],
            "matched": done["matched_posts"],
            "seconds": round(asyncio.get_running_loop().time() - started, 3),
        },
    )
