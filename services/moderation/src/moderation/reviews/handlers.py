"""The review queue (MB-6.1): a reviewer's decision on a held post supersedes the held decision."""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg
from kit.pagination import decode_cursor, page
from kit.problems import Conflict, InvalidInput, NotFound

from moderation.database import Database
from moderation.decisions import events
from moderation.decisions.domain import new_decision
from moderation.engine.decide import Outcome
from moderation.engine.rumours import stored_form
from moderation.policy.holder import PolicyHolder
from moderation.policy.store import rumour_from_row


async def review_queue(db: Database, *, cursor: str | None, limit: int) -> tuple[list[asyncpg.Record], str | None]:
    """Held posts waiting for a reviewer, oldest first, with why they were held."""
    after = decode_cursor(cursor, datetime, uuid.UUID) if cursor else None
    rows = await db.reader().reviews.open_review_items(after=after, limit=limit + 1)
    shown = page(rows, limit, lambda r: (r["held_at"], r["decision_id"]))
    return shown["items"], shown["next_cursor"]


async def review(
    db: Database,
    holder: PolicyHolder,
    decision_id: uuid.UUID,
    *,
    outcome: Outcome,
    reason: str,
    category: str | None,
    legal_basis: list[str],
    rumour_id: uuid.UUID | None,
    role: str,
    by: str,
) -> asyncpg.Record:
    """Publish, publish with a rumour's refutation, or stop transmission. Recorded with the reviewer."""
    policy = await holder.current(db.pool)
    async with db.transaction() as stores:
        item = await stores.reviews.review_item_for_update(decision_id)
        if item is None:
            raise NotFound("No held post with that decision.")
        if item["resolved_at"] is not None:
            raise Conflict(f"Reviewed already by {item['resolved_by']}.", requirement="MB-6.1")
        held = await stores.decisions.decision(decision_id)
        rumour = None
        if outcome is Outcome.LABEL:
            row = await stores.policy.rumour(rumour_id) if rumour_id else None
            if row is None:
                raise InvalidInput("No such rumour to label with.", requirement="MB-11")
            rumour = rumour_from_row(row)
        verdict = policy.review_verdict(
            held,
            outcome,
            role=role,
            reason=reason,
            category=category or "",
            legal_basis=legal_basis,
            rumour=rumour,
        )
        decision = new_decision(
            post_id=item["post_id"],
            author_id=item["author_id"],
            verdict=verdict,
            stage="review",
            supersedes=decision_id,
            decided_by=by,
        )
        await stores.decisions.insert_review_announced(decision, events.decision_announcement(decision))
        await stores.reviews.resolve_review_item(decision_id, by=by, resolution=decision["id"])
        if verdict.outcome.publishes:
            await stores.decisions.insert_published_texts(
                [
                    (
                        item["post_id"],
                        item["author_id"],
                        item["created_at"],
                        held["content_sha256"],
                        stored_form(holder.folder, item["text"]),
                    )
                ]
            )
        return await stores.decisions.decision(decision["id"])
