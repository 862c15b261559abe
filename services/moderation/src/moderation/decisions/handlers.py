"""Deciding posts (MB-6.1): at publication, when a rumour registered later is found in them (MB-11),
and the stops the regulator gateway has not confirmed yet."""

from __future__ import annotations

import logging
import uuid
from dataclasses import replace
from datetime import datetime

import asyncpg
from kit.auth import Principal
from kit.pagination import decode_cursor, page
from kit.service import Runtime
from textfold import Folder

from moderation.database import Database, Stores
from moderation.decisions import events
from moderation.decisions.domain import NewPost, check_may_read_decisions, new_decision
from moderation.engine.decide import Outcome, Policy, Standing, Verdict
from moderation.engine.rumours import stored_form
from moderation.policy.holder import PolicyHolder
from moderation.settings import ModerationSettings

log = logging.getLogger(__name__)


async def decide_posts(stores: Stores, policy: Policy, folder: Folder, posts: list[NewPost]) -> None:
    """MB-6.1: every post is checked, with its author's standing (MB-9); a burst of new posts is
    decided and stored in one round trip. A repeated announcement of a post decided before gets
    the same decision again (the first may have been lost with a broker's memory)."""
    standings = await stores.authors.standings([p.author_id for p in posts])
    decided = []
    for post in posts:
        standing = standings.get(post.author_id, Standing())
        # What the post carries from the author's token is current; identity's events may lag.
        if post.province_code:
            standing = replace(standing, province_code=post.province_code)
        if post.registered_at is not None:
            standing = replace(standing, registered_at=post.registered_at)
        verdict = policy.decide(post.text, standing)
        decided.append((post, new_decision(post_id=post.post_id, author_id=post.author_id, verdict=verdict)))
    await stores.decisions.insert_decisions_announced([(d, events.decision_announcement(d)) for _, d in decided])
    before = await stores.decisions.decided_before([d for _, d in decided])
    for existing in before:
        await stores.decisions.mark_announced(existing["id"])
        await stores.announce(events.decision_announcement(existing))
    repeated = {r["post_id"] for r in before}
    fresh = [(p, d) for p, d in decided if d["post_id"] not in repeated]
    await stores.decisions.insert_published_texts(
        [
            (d["post_id"], d["author_id"], p.created_at, d["content_sha256"], stored_form(folder, p.text))
            for p, d in fresh
            if Outcome(d["outcome"]).publishes
        ]
    )
    for post, d in fresh:
        if d["rumour_id"] is not None:
            await stores.policy.trace_source(d["rumour_id"], d["post_id"], d["author_id"], post.created_at)
    await stores.reviews.insert_review_items(
        [
            (d["id"], d["post_id"], d["author_id"], p.text, p.created_at)
            for p, d in fresh
            if d["outcome"] == Outcome.HOLD_FOR_REVIEW
        ]
    )


async def decisions_on_post(db: Database, post_id: uuid.UUID, principal: Principal) -> list[asyncpg.Record]:
    """Every decision on a post, oldest first, for its author and for staff."""
    decisions = await db.reader().decisions.decisions_for_post(post_id)
    check_may_read_decisions(decisions, principal)
    return decisions


async def decisions_page(
    db: Database, post_id: uuid.UUID, principal: Principal, *, cursor: str | None, limit: int
) -> tuple[list[asyncpg.Record], str | None]:
    """A post's decisions, oldest first (a post has a handful: publication, review, rumours found later)."""
    decisions = await decisions_on_post(db, post_id, principal)
    if cursor:
        after = decode_cursor(cursor, datetime, uuid.UUID)
        decisions = [d for d in decisions if (d["decided_at"], d["id"]) > after]
    shown = page(decisions, limit, lambda d: (d["decided_at"], d["id"]))
    return shown["items"], shown["next_cursor"]


async def preview(db: Database, holder: PolicyHolder, text: str) -> Verdict:
    """What the engine would decide on this text for an author in good standing; nothing is stored."""
    policy = await holder.latest(db.pool)
    return policy.decide(text)


async def confirm_reported(stores: Stores, decision_id: uuid.UUID) -> None:
    """The regulator gateway filed the report of a stop: no more re-announcements of it."""
    await stores.decisions.mark_reported(decision_id)


async def reannounce_unreported_stops(runtime: Runtime) -> None:
    """Reconciler: a stop-transmission the regulator gateway has not confirmed is announced again;
    the gateway keeps one report per decision, so a repeat never makes a second one. When the
    broker lost its state, every unconfirmed stop goes again at once."""
    settings: ModerationSettings = runtime.settings  # type: ignore[assignment]

    async def announce_again(conn: asyncpg.Connection, older_than_s: float, limit: int) -> int:
        stores = Stores(conn)
        rows = await stores.decisions.claim_unreported(older_than_s=older_than_s, limit=limit)
        for row in rows:
            await stores.announce(events.decision_announcement(row))
        return len(rows)

    await runtime.reannounce_forever(
        period_s=settings.reconcile_interval_s,
        grace_s=settings.report_confirm_after_s,
        announce=announce_again,
        what="unconfirmed stop-transmissions",
    )
