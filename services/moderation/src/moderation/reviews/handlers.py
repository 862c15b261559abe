"""The review queue (MB-6.1, MB-14, PA-5.1): held posts and complaint cases as queue items, claimed,
released, assigned, escalated, noted and decided (every action recorded); takedown and restore of posts
(MB-12.2). Each command owns its transaction; the rules are reviews.domain's."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

import asyncpg
from contracts.staff import StaffRole
from kit.pagination import decode_cursor, page
from kit.problems import InvalidInput, NotFound

from moderation.database import Database, Stores
from moderation.decisions import events
from moderation.decisions.domain import new_decision
from moderation.engine.decide import Outcome, Policy
from moderation.engine.rumours import Rumour, stored_form
from moderation.policy.holder import PolicyHolder
from moderation.policy.store import rumour_from_row
from moderation.reviews import domain
from moderation.reviews import events as review_events
from moderation.reviews.domain import CaseFacts, ItemKind, ItemState, Move, Staff

OPEN_STATES = [ItemState.OPEN, ItemState.ASSIGNED, ItemState.ESCALATED]


# --- the old queue of held posts (kept working) ------------------------------------------------------


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
    """Publish, publish with a rumour's refutation, or stop transmission. Recorded with the reviewer. The old
    route: no claim needed, but another's claim and an escalation hold (MB-6.1)."""
    staff = Staff(by, chief_editor=role == StaffRole.CHIEF_EDITOR)
    policy = await holder.current(db.pool)
    async with db.transaction() as stores:
        item = await stores.reviews.review_item_for_update(decision_id)
        if item is None:
            raise NotFound("No held post with that decision.")
        final = domain.check_may_decide(item, staff, needs_claim=False)
        return await _decide_held(
            stores,
            policy,
            holder,
            item,
            staff,
            final=final,
            outcome=outcome,
            reason=reason,
            category=category,
            legal_basis=legal_basis,
            rumour_id=rumour_id,
        )


async def _decide_held(
    stores: Stores,
    policy: Policy,
    holder: PolicyHolder,
    item: Any,
    staff: Staff,
    *,
    final: bool,
    outcome: Outcome,
    reason: str,
    category: str | None,
    legal_basis: list[str],
    rumour_id: uuid.UUID | None,
) -> asyncpg.Record:
    held = await stores.decisions.decision(item["decision_id"])
    rumour = await _rumour_to_label_with(stores, rumour_id) if outcome is Outcome.LABEL else None
    verdict = policy.review_verdict(
        held,
        outcome,
        role=staff.review_role,
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
        supersedes=item["decision_id"],
        decided_by=staff.actor,
    )
    decision["final"] = final  # MB-6.1, PA-5.1: the chief editor's decision on an escalated item
    await stores.decisions.insert_review_announced(decision, events.decision_announcement(decision))
    await stores.reviews.close_item(
        item["id"], by=staff.actor, resolution=decision["id"], acted=outcome is not Outcome.APPROVE, final=final
    )
    await stores.reviews.record_action(
        item["id"],
        "decided",
        actor=staff.actor,
        text=reason,
        detail={"outcome": outcome.value, "decision_id": str(decision["id"]), "final": final},
    )
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


# --- queue items ----------------------------------------------------------------------------------


async def list_items(
    db: Database,
    *,
    state: str | None,
    kind: str | None,
    assignee: str | None,
    category: str | None,
    min_priority: int | None,
    cursor: str | None,
    limit: int,
    case_id: uuid.UUID | None = None,
) -> tuple[list[asyncpg.Record], str | None]:
    """Queue items, highest priority first, then the nearest deadline, then the oldest; without a state,
    the items not closed (a complaint case's item, asked for by its case, in any state)."""
    after = decode_cursor(cursor, int, datetime, datetime, uuid.UUID) if cursor else None
    rows = await db.reader().reviews.items(
        states=[state] if state else list(ItemState) if case_id else OPEN_STATES,
        kind=kind,
        assignee=assignee,
        category=category,
        min_priority=min_priority,
        case_id=case_id,
        after=after,
        limit=limit + 1,
    )
    shown = page(rows, limit, lambda r: (-r["priority"], r["queue_deadline"], r["held_at"], r["id"]))
    return shown["items"], shown["next_cursor"]


async def item_view(db: Database, item_id: uuid.UUID) -> dict[str, Any]:
    """The item with what a reviewer judges: the content (a held post's text) with the matched spans of the
    decision in force, the target's decision history, the case's facts, notes and every action."""
    async with db.snapshot() as stores:
        item = await stores.reviews.item(item_id)
        if item is None:
            raise NotFound("No such review item.")
        actions = await stores.reviews.actions(item_id)
        decisions = (
            await stores.decisions.decisions_for_post(item["target_id"]) if item["target_type"] == "post" else []
        )
    return {"item": item, "actions": actions, "decisions": decisions}


async def _act(db: Database, item_id: uuid.UUID, staff: Staff, rule) -> asyncpg.Record:
    """Apply a queue move (claim, release, assign, escalate) and record it, in one transaction."""
    async with db.transaction() as stores:
        item = await stores.reviews.item(item_id, for_update=True)
        if item is None:
            raise NotFound("No such review item.")
        move: Move | None = rule(item)
        if move is not None:
            await stores.reviews.move(
                item_id,
                state=move.state,
                assignee=move.assignee,
                escalation_reason=move.text if move.action == "escalated" else None,
            )
            await stores.reviews.record_action(item_id, move.action, actor=staff.actor, text=move.text)
        return await stores.reviews.item(item_id)


async def claim(db: Database, item_id: uuid.UUID, staff: Staff) -> asyncpg.Record:
    return await _act(db, item_id, staff, lambda item: domain.claim(item, staff))


async def release(db: Database, item_id: uuid.UUID, staff: Staff) -> asyncpg.Record:
    return await _act(db, item_id, staff, lambda item: domain.release(item, staff))


async def assign(db: Database, item_id: uuid.UUID, staff: Staff, assignee: str) -> asyncpg.Record:
    to = domain.normalise_staff(assignee)
    return await _act(db, item_id, staff, lambda item: domain.assign(item, staff, to))


async def escalate(db: Database, item_id: uuid.UUID, staff: Staff, reason: str) -> asyncpg.Record:
    return await _act(db, item_id, staff, lambda item: domain.escalate(item, staff, reason))


async def note(db: Database, item_id: uuid.UUID, staff: Staff, text: str) -> asyncpg.Record:
    """A reviewer's note on an item (kept with its history, MB-6.1)."""
    async with db.transaction() as stores:
        item = await stores.reviews.item(item_id, for_update=True)
        if item is None:
            raise NotFound("No such review item.")
        await stores.reviews.record_action(item_id, "noted", actor=staff.actor, text=text)
        return item


async def decide_item(
    db: Database,
    holder: PolicyHolder,
    item_id: uuid.UUID,
    staff: Staff,
    *,
    outcome: str | None,
    upheld: bool | None,
    action: str | None,
    reason: str,
    category: str | None,
    legal_basis: list[str],
    rumour_id: uuid.UUID | None,
) -> asyncpg.Record:
    """Decide a queue item (MB-6.1): a held post as a review; a complaint case upheld or dismissed (MB-14),
    an upheld stop of published content being a takedown, announced as CaseDecided. The decider holds the
    claim, or is the chief editor; an escalated item is the chief editor's, finally (PA-5.1)."""
    policy = await holder.current(db.pool)
    async with db.transaction() as stores:
        item = await stores.reviews.item(item_id, for_update=True)
        if item is None:
            raise NotFound("No such review item.")
        final = domain.check_may_decide(item, staff)
        if item["kind"] == ItemKind.HELD_POST:
            outcome = domain.check_held_decision(outcome, category=category, rumour_id=rumour_id)
            await _decide_held(
                stores,
                policy,
                holder,
                item,
                staff,
                final=final,
                outcome=Outcome(outcome),
                reason=reason,
                category=category,
                legal_basis=legal_basis,
                rumour_id=rumour_id,
            )
        else:
            await _decide_case(
                stores,
                policy,
                item,
                staff,
                final=final,
                verdict=domain.case_verdict(
                    item,
                    upheld=upheld,
                    action=action,
                    reason=reason,
                    category=category,
                    legal_basis=legal_basis,
                    rumour_id=rumour_id,
                ),
            )
        return await stores.reviews.item(item_id)


async def _decide_case(
    stores: Stores, policy: Policy, item: Any, staff: Staff, *, final: bool, verdict: domain.CaseVerdict
) -> None:
    decision_id = None
    if verdict.labels:
        decision_id = await _label(stores, policy, item, staff, verdict, final=final)
    if verdict.stops:
        await stores.decisions.lock_post(item["target_id"])
        standing = domain.post_standing(await stores.decisions.decisions_for_post(item["target_id"]))
        if standing.stop is not None:  # stopped already: the case points at that stop
            decision_id = standing.stop["id"]
        else:
            domain.check_may_take_down(standing, staff)
            decision = await _take_down(
                stores,
                standing,
                staff,
                category=verdict.category,
                reason=verdict.reason,
                legal_basis=list(verdict.legal_basis),
                final=final,
            )
            decision_id = decision["id"]
    await stores.reviews.close_item(
        item["id"],
        by=staff.actor,
        resolution=decision_id,
        acted=verdict.acted,
        final=final,
        upheld=verdict.upheld,
        action=verdict.action.value,
        note=verdict.reason,
    )
    await stores.reviews.record_action(
        item["id"],
        "decided",
        actor=staff.actor,
        text=verdict.reason,
        detail={
            "upheld": verdict.upheld,
            "action": verdict.action.value,
            "decision_id": str(decision_id) if decision_id else None,
            "final": final,
        },
    )
    await stores.announce(
        review_events.case_decided(item, verdict, decision_id=decision_id, decided_by=staff.actor, final=final)
    )


async def _rumour_to_label_with(stores: Stores, rumour_id: uuid.UUID | None) -> Rumour:
    """MB-11: the refuted rumour a label attaches; 422 when there is none such."""
    row = await stores.policy.rumour(rumour_id) if rumour_id else None
    if row is None:
        raise InvalidInput("No such rumour to label with.", requirement="MB-11")
    return rumour_from_row(row)


async def _label(
    stores: Stores, policy: Policy, item: Any, staff: Staff, verdict: domain.CaseVerdict, *, final: bool
) -> uuid.UUID:
    """MB-11, MB-14: an upheld case's label: the rumour's refutation attached to published content by a review
    decision superseding the one in force (content shows it on every read path). Like a takedown, never on
    stopped or held content, and a final decision is the chief editor's to change."""
    await stores.decisions.lock_post(item["target_id"])
    standing = domain.post_standing(await stores.decisions.decisions_for_post(item["target_id"]))
    domain.check_may_take_down(standing, staff)
    labelled = policy.review_verdict(
        standing.current,
        Outcome.LABEL,
        role=staff.review_role,
        reason=verdict.reason,
        legal_basis=list(verdict.legal_basis),
        rumour=await _rumour_to_label_with(stores, verdict.rumour_id),
    )
    decision = new_decision(
        post_id=item["target_id"],
        author_id=standing.current["author_id"],
        verdict=labelled,
        stage="review",
        supersedes=standing.current["id"],
        decided_by=staff.actor,
    )
    decision["final"] = final
    await stores.decisions.insert_review_announced(decision, events.decision_announcement(decision))
    return decision["id"]


# --- takedown and restore (MB-12.2) ----------------------------------------------------------------


async def _take_down(
    stores: Stores,
    standing: domain.PostStanding,
    staff: Staff,
    *,
    category: str,
    reason: str,
    legal_basis: list[str],
    final: bool = False,
) -> dict:
    decision = domain.staff_decision(
        standing.current,
        outcome="stop_transmission",
        stage="takedown",
        category=category,
        legal_basis=legal_basis,
        reason=reason,
        by=staff.actor,
        supersedes=standing.current["id"],
        final=final,
        rule="takedown.chief_editor" if staff.chief_editor else "takedown.reviewer",
    )
    await stores.decisions.insert_staff_announced(decision, events.decision_announcement(decision))
    return decision


async def take_down(
    db: Database, post_id: uuid.UUID, staff: Staff, *, category: str, reason: str, legal_basis: list[str]
) -> asyncpg.Record:
    """MB-12.2: stop transmission of published content (a post, comment or article): a decision superseding
    the one in force, announced as a stop (content stops serving it, the regulator gateway files its report)."""
    async with db.transaction() as stores:
        await stores.decisions.lock_post(post_id)
        standing = domain.post_standing(await stores.decisions.decisions_for_post(post_id))
        domain.check_may_take_down(standing, staff)
        decision = await _take_down(stores, standing, staff, category=category, reason=reason, legal_basis=legal_basis)
        return await stores.decisions.decision(decision["id"])


async def restore(
    db: Database, post_id: uuid.UUID, staff: Staff, *, reason: str, legal_basis: list[str]
) -> asyncpg.Record:
    """MB-12.2, MB-6.1: lift a wrong stop: an approval (stage restore) superseding the stop, announced as
    DECISION_RESTORED (content serves it again, the regulator gateway amends the stop's report)."""
    async with db.transaction() as stores:
        await stores.decisions.lock_post(post_id)
        standing = domain.post_standing(await stores.decisions.decisions_for_post(post_id))
        stop = domain.check_may_restore(standing, staff)
        decision = domain.staff_decision(
            stop,
            outcome="approve",
            stage="restore",
            category="",
            legal_basis=legal_basis,
            reason=reason,
            by=staff.actor,
            supersedes=stop["id"],
            final=staff.chief_editor and stop["final"],
            rule="restore.chief_editor" if staff.chief_editor else "restore.senior_reviewer",
        )
        await stores.decisions.insert_staff_announced(decision, events.restore_announcement(decision))
        return await stores.decisions.decision(decision["id"])


# --- statistics -----------------------------------------------------------------------------------


async def statistics(db: Database, *, since: datetime | None, until: datetime | None) -> dict[str, Any]:
    """Counts by state and kind, handling time (average, p90) and the action rate (MB-6.1, PA-15.2), over a
    period the route checked (kit.periods)."""
    return await db.reader().reviews.statistics(since=since, until=until)


# --- reporting's complaint cases (MB-14) ----------------------------------------------------------


async def note_case(stores: Stores, facts: CaseFacts) -> None:
    """A complaint case opened or changed: its review item is made, or its facts updated when this version
    is newer (a late or repeated announcement changes nothing; a closed item is not reopened)."""
    row = await stores.reviews.upsert_case(facts)
    if row is not None and row["inserted"]:
        await stores.reviews.record_action(
            row["id"], "opened", actor="reporting", text="", detail={"case_id": str(facts.case_id)}
        )


def facts_json(item: Any) -> dict[str, Any] | None:
    value = item["case_facts"]
    if value is None:
        return None
    return json.loads(value) if isinstance(value, str) else value
