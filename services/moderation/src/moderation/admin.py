"""Staff routes (MB-6.1): policy changes with the chief editor's approval, the rumour registry (MB-11),
emergency modes (应急处置) and the review queue. Every action is recorded with who took it."""

from __future__ import annotations

import json
import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, status
from kit.auth import Principal, staff_with
from kit.db import transaction
from kit.inputs import BigInt, Text
from kit.problems import Conflict, InvalidInput, NotFound

from moderation import policy_store, store
from moderation.announce import announce_policy, decision_announcement
from moderation.engine.decide import RUMOUR_CATEGORY, Outcome, Risk, Suggestion, Verdict
from moderation.engine.rumours import RumourHit, stored_form
from moderation.schemas import (
    ChangeDecision,
    DecisionRead,
    EmergencyCreate,
    EmergencyRead,
    PolicyChangeCreate,
    PolicyChangeRead,
    ReviewCreate,
    ReviewItemRead,
    RumourCreate,
    RumourRead,
    change_view,
    decision_view,
    emergency_view,
    rumour_view,
)
from moderation.state import PolicyHolder, rumour_from_row

router = APIRouter(tags=["moderation staff"])

# Policy history: those who propose changes, the chief editor who decides, auditors.
PolicyReader = Annotated[
    Principal,
    staff_with("reviewer", "senior_reviewer", "chief_editor", "operator", "auditor", requirement="MB-6.1"),
]
Proposer = Annotated[Principal, staff_with("reviewer", "senior_reviewer", "chief_editor", "operator")]
ChiefEditor = Annotated[Principal, staff_with("chief_editor", requirement="MB-6.1")]
RumourKeeper = Annotated[Principal, staff_with("senior_reviewer", "chief_editor", requirement="MB-11")]
RumourReader = Annotated[Principal, staff_with("reviewer", "senior_reviewer", "chief_editor", requirement="MB-11")]
EmergencyStaff = Annotated[Principal, staff_with("senior_reviewer", "chief_editor", "operator", requirement="MB-6.1")]
Reviewer = Annotated[Principal, staff_with("reviewer", "senior_reviewer", "chief_editor", requirement="MB-6.1")]


def _pool(request: Request):
    return request.app.state.runtime.pool


def _holder(request: Request) -> PolicyHolder:
    return request.app.state.policy


# --- policy changes ---------------------------------------------------------------------------


@router.post("/v1/moderation/policy-changes", status_code=status.HTTP_201_CREATED, response_model=PolicyChangeRead)
async def propose_change(body: PolicyChangeCreate, principal: Proposer, request: Request) -> dict:
    """Propose a lexicon or routing-rule change. Nothing changes until the chief editor approves (MB-6.1)."""
    changes = (
        {"add": [e.model_dump() for e in body.add], "remove": body.remove}
        if body.kind == "lexicon"
        else {"routing": body.routing.model_dump(exclude_none=True) if body.routing else {}}
    )
    async with transaction(_pool(request)) as conn:
        if body.remove:
            missing = set(body.remove) - await policy_store.live_entry_ids(conn, body.remove)
            if missing:
                raise InvalidInput(f"No live lexicon entries with ids {sorted(missing)}.")
        row = await policy_store.insert_change(
            conn, kind=body.kind, changes=changes, reason=body.reason, proposed_by=principal.actor
        )
    return change_view(row)


@router.get("/v1/moderation/policy-changes", response_model=list[PolicyChangeRead])
async def list_changes(
    principal: PolicyReader,
    request: Request,
    state: Annotated[str | None, Query(alias="status", pattern="^(proposed|approved|rejected)$")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[dict]:
    return [change_view(r) for r in await policy_store.changes(_pool(request), state, limit)]


@router.get("/v1/moderation/policy-changes/{change_id}", response_model=PolicyChangeRead)
async def read_change(change_id: uuid.UUID, principal: PolicyReader, request: Request) -> dict:
    row = await policy_store.change(_pool(request), change_id)
    if row is None:
        raise NotFound("No such policy change.")
    return change_view(row)


@router.post("/v1/moderation/policy-changes/{change_id}/decision", response_model=PolicyChangeRead)
async def decide_change(change_id: uuid.UUID, body: ChangeDecision, principal: ChiefEditor, request: Request) -> dict:
    """The chief editor approves or rejects a proposed change (MB-6.1). An approved change is the
    next release and reaches every moderation process at once (an event)."""
    async with transaction(_pool(request)) as conn:
        row = await policy_store.change(conn, change_id, for_update=True)
        if row is None:
            raise NotFound("No such policy change.")
        if row["status"] != "proposed":
            raise Conflict(f"This change was {row['status']} already.", requirement="MB-6.1")
        if body.approve:
            release = await policy_store.release(conn, row, approved_by=principal.actor, note=body.note)
            await announce_policy(conn, kind=row["kind"], version=str(release), by=principal.actor, basis=["MB-6.1"])
        else:
            await policy_store.reject(conn, change_id, rejected_by=principal.actor, note=body.note)
        row = await policy_store.change(conn, change_id)
    if body.approve:
        await _holder(request).refresh(_pool(request))  # this process at once; the others by the event
    return change_view(row)


@router.get("/v1/moderation/lexicon/entries")
async def list_entries(
    principal: Proposer,
    request: Request,
    category: Text | None = None,
    after: Annotated[BigInt, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[dict]:
    """Live lexicon entries, by id (page with `after`)."""
    rows = await policy_store.entries_page(_pool(request), category=category, after=after, limit=limit)
    return [
        {
            "id": r["id"],
            "term": r["term"],
            "category": r["category"],
            "action": r["action"],
            "legal_basis": list(r["legal_basis"]),
            "added_in": r["added_in"],
        }
        for r in rows
    ]


# --- rumours (MB-11) --------------------------------------------------------------------------


@router.post("/v1/moderation/rumours", status_code=status.HTTP_201_CREATED, response_model=RumourRead)
async def register_rumour(body: RumourCreate, principal: RumourKeeper, request: Request) -> dict:
    """Register a refuted rumour: new posts spreading it are labelled (or stopped), and the posts
    published before it are searched in the background (see `scan_status`)."""
    holder = _holder(request)
    if not stored_form(holder.folder, body.canonical_text):
        raise InvalidInput("The canonical text has nothing to match once folded.", requirement="MB-11")
    async with transaction(_pool(request)) as conn:
        row = await policy_store.insert_rumour(
            conn,
            id=uuid.uuid4(),
            canonical_text=body.canonical_text,
            refutation_text=body.refutation_text,
            refutation_url=str(body.refutation_url),
            authority=body.authority,
            action=body.action,
            legal_basis=list(dict.fromkeys([*body.legal_basis, "MB-11"])),
            reason=body.reason,
            registered_by=principal.actor,
        )
        await announce_policy(conn, kind="rumours", version=str(row["seq"]), by=principal.actor, basis=["MB-11"])
    await holder.refresh(_pool(request))
    return rumour_view(row)


@router.get("/v1/moderation/rumours", response_model=list[RumourRead])
async def list_rumours(principal: RumourReader, request: Request) -> list[dict]:
    return [rumour_view(r) for r in await policy_store.all_rumours(_pool(request))]


@router.get("/v1/moderation/rumours/{rumour_id}", response_model=RumourRead)
async def read_rumour(rumour_id: uuid.UUID, principal: RumourReader, request: Request) -> dict:
    row = await policy_store.rumour(_pool(request), rumour_id)
    if row is None:
        raise NotFound("No such rumour.")
    return rumour_view(row)


# --- emergency modes (MB-6.1 应急处置) ----------------------------------------------------------


@router.post("/v1/moderation/emergencies", status_code=status.HTTP_201_CREATED, response_model=EmergencyRead)
async def start_emergency(body: EmergencyCreate, principal: EmergencyStaff, request: Request) -> dict:
    """Hold every new post in scope (the platform, a topic, a province) for review until ended."""
    async with transaction(_pool(request)) as conn:
        row = await policy_store.start_emergency(
            conn, scope=body.scope, value=body.value.strip(), reason=body.reason, by=principal.actor
        )
        await announce_policy(conn, kind="emergencies", version=str(row["seq"]), by=principal.actor, basis=["MB-6.1"])
    await _holder(request).refresh(_pool(request))
    return emergency_view(row)


@router.post("/v1/moderation/emergencies/{emergency_id}/end", response_model=EmergencyRead)
async def end_emergency(emergency_id: uuid.UUID, principal: EmergencyStaff, request: Request) -> dict:
    async with transaction(_pool(request)) as conn:
        row = await policy_store.end_emergency(conn, emergency_id, by=principal.actor)
        if row is None:
            raise NotFound("No such emergency mode in force.")
        await announce_policy(conn, kind="emergencies", version=str(row["seq"]), by=principal.actor, basis=["MB-6.1"])
    await _holder(request).refresh(_pool(request))
    return emergency_view(row)


@router.get("/v1/moderation/emergencies", response_model=list[EmergencyRead])
async def list_emergencies(principal: EmergencyStaff, request: Request) -> list[dict]:
    return [emergency_view(r) for r in await policy_store.active_emergencies(_pool(request))]


# --- review queue (MB-6.1) --------------------------------------------------------------------


@router.get("/v1/moderation/reviews", response_model=list[ReviewItemRead])
async def review_queue(
    principal: Reviewer, request: Request, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> list[dict]:
    """Held posts waiting for a reviewer, oldest first, with why they were held."""
    return [
        {
            "decision_id": str(r["decision_id"]),
            "post_id": str(r["post_id"]),
            "author_id": str(r["author_id"]),
            "text": r["text"],
            "created_at": r["created_at"].isoformat(),
            "held_at": r["held_at"].isoformat(),
            "rule": r["rule"],
            "reason": r["reason"],
            "risk": r["risk"],
            "suggestion": r["suggestion"],
            "category": r["category"],
            "matches": json.loads(r["matches"]),
            "rumour_hits": json.loads(r["rumour_hits"]),
        }
        for r in await store.open_review_items(_pool(request), limit)
    ]


@router.post("/v1/moderation/reviews/{decision_id}", status_code=status.HTTP_201_CREATED, response_model=DecisionRead)
async def review(decision_id: uuid.UUID, body: ReviewCreate, principal: Reviewer, request: Request) -> dict:
    """A reviewer's decision on a held post: publish, publish with a rumour's refutation, or stop
    transmission. Recorded with the reviewer; supersedes the held decision."""
    holder = _holder(request)
    policy = await holder.current(_pool(request))
    async with transaction(_pool(request)) as conn:
        item = await store.review_item_for_update(conn, decision_id)
        if item is None:
            raise NotFound("No held post with that decision.")
        if item["resolved_at"] is not None:
            raise Conflict(f"Reviewed already by {item['resolved_by']}.", requirement="MB-6.1")
        held = await store.decision(conn, decision_id)
        verdict = await _review_verdict(conn, body, held, policy, principal)
        decision = store.new_decision(
            post_id=item["post_id"],
            author_id=item["author_id"],
            verdict=verdict,
            stage="review",
            supersedes=decision_id,
            decided_by=principal.actor,
        )
        decision["content_sha256"] = held["content_sha256"]
        await store.insert_review_announced(conn, decision, decision_announcement(decision))
        await store.resolve_review_item(conn, decision_id, by=principal.actor, resolution=decision["id"])
        if verdict.outcome in (Outcome.APPROVE, Outcome.LABEL):
            await store.insert_published_texts(
                conn,
                [
                    (
                        item["post_id"],
                        item["author_id"],
                        item["created_at"],
                        held["content_sha256"],
                        stored_form(holder.folder, item["text"]),
                    )
                ],
            )
        row = await store.decision(conn, decision["id"])
    return decision_view(row)


async def _review_verdict(conn, body: ReviewCreate, held, policy, principal: Principal) -> Verdict:
    role = "chief_editor" if "chief_editor" in principal.claim("roles", []) else "reviewer"
    versions = {
        "lexicon_version": held["lexicon_version"],
        "rumour_version": policy.rumours.version,
        "rules_version": held["rules_version"],
    }
    if body.outcome == "stop_transmission":
        basis = list(dict.fromkeys([*body.legal_basis, "MB-12", "BJ-10", "MB-12.2"]))
        return Verdict(
            Outcome.STOP_TRANSMISSION,
            Suggestion.BLOCK,
            Risk.HIGH,
            f"review.{role}",
            body.category or "",
            basis,
            body.reason,
            **versions,
        )
    if body.outcome == "label":
        row = await policy_store.rumour(conn, _uuid(body.rumour_id))
        if row is None:
            raise InvalidInput("No such rumour to label with.", requirement="MB-11")
        rumour = rumour_from_row(row)
        return Verdict(
            Outcome.LABEL,
            Suggestion.PASS,
            Risk.MEDIUM,
            f"review.{role}",
            RUMOUR_CATEGORY,
            list(dict.fromkeys([*rumour.legal_basis, "MB-11", *body.legal_basis])),
            body.reason,
            rumour_hits=[RumourHit(rumour, 1.0)],
            rumour_id=rumour.id,
            **versions,
        )
    return Verdict(
        Outcome.APPROVE,
        Suggestion.PASS,
        Risk.LOW,
        f"review.{role}",
        "",
        list(dict.fromkeys([*body.legal_basis, "MB-6.1"])),
        body.reason,
        **versions,
    )


def _uuid(value: str | None) -> uuid.UUID:
    try:
        return uuid.UUID(value or "")
    except ValueError as exc:
        raise InvalidInput("rumour_id is not a UUID.") from exc
