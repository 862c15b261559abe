"""HTTP routes for authors and staff: decisions with their statement of reasons, the lexicon in
force, and a verdict preview (the interface an outside content-security API could sit behind)."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Request
from kit.auth import AnyPrincipal, Principal, staff_with
from kit.problems import NotFound

from moderation import policy_store, store
from moderation.engine.decide import ENGINE_VERSION
from moderation.schemas import DecisionRead, LexiconRead, ScanRead, ScanRequest, decision_view
from moderation.state import PolicyHolder

router = APIRouter(tags=["moderation"])
Scanner = Annotated[Principal, staff_with("reviewer", "senior_reviewer", "chief_editor", requirement="MB-6.1")]


def _holder(request: Request) -> PolicyHolder:
    return request.app.state.policy


async def _decisions_visible_to(request: Request, post_id: uuid.UUID, principal: Principal) -> list:
    rows = await store.decisions_for_post(request.app.state.runtime.pool, post_id)
    is_staff = principal.claim("kind") == "staff"
    if not rows or not (is_staff or str(rows[0]["author_id"]) == principal.subject):
        raise NotFound("No decision on such a post of yours (yet).")
    return rows


@router.get("/v1/moderation/posts/{post_id}/decision", response_model=DecisionRead)
async def read_decision(post_id: uuid.UUID, principal: AnyPrincipal, request: Request) -> dict:
    """The decision in force on a post and its statement of reasons, for its author and for staff."""
    return decision_view((await _decisions_visible_to(request, post_id, principal))[-1])


@router.get("/v1/moderation/posts/{post_id}/decisions", response_model=list[DecisionRead])
async def read_decisions(post_id: uuid.UUID, principal: AnyPrincipal, request: Request) -> list[dict]:
    """Every decision on a post, oldest first: publication, review, rumours found later."""
    return [decision_view(r) for r in await _decisions_visible_to(request, post_id, principal)]


@router.get("/v1/moderation/lexicon", response_model=LexiconRead)
async def read_lexicon(request: Request) -> dict:
    """The lexicon release and routing rules in force, as this process holds them."""
    policy = await _holder(request).latest(request.app.state.runtime.pool)
    info = await policy_store.release_info(request.app.state.runtime.pool)
    return {
        "version": policy.lexicon.version,
        "release": info["release"],
        "engine_version": ENGINE_VERSION,
        "entries": len(policy.lexicon.entries),
        "routing": asdict(policy.rules) | {"version": policy.rules.version},
        "released_by": info["released_by"],
        "released_at": info["released_at"].isoformat(),
    }


@router.post("/v1/moderation/scan", response_model=ScanRead)
async def scan(body: ScanRequest, principal: Scanner, request: Request) -> dict:
    """What the engine would decide on this text for an author in good standing; nothing is stored."""
    policy = await _holder(request).latest(request.app.state.runtime.pool)
    verdict = policy.decide(body.text)
    return {
        "suggestion": verdict.suggestion.value,
        "risk": verdict.risk.value,
        "outcome": verdict.outcome.value,
        "rule": verdict.rule,
        "category": verdict.category,
        "legal_basis": verdict.legal_basis,
        "reason": verdict.reason,
        "matches": store.match_views(verdict.hits),
        "rumour_hits": [{"rumour_id": r.rumour.id, "similarity": r.similarity} for r in verdict.rumour_hits],
        "engine_version": verdict.engine_version,
        "lexicon_version": verdict.lexicon_version,
        "rumour_version": verdict.rumour_version,
        "rules_version": verdict.rules_version,
    }
