"""Decisions for authors and staff: the statement of reasons (MB-12.2), and a verdict preview (the
interface an outside content-security API could sit behind)."""

from __future__ import annotations

import uuid
from typing import Annotated

from contracts.staff import StaffRole
from fastapi import APIRouter
from kit.auth import AnyPrincipal, Principal, staff_with

from moderation.decisions import handlers
from moderation.decisions.schemas import DecisionRead, ScanRead, ScanRequest, decision_read, scan_read
from moderation.dependencies import Db, Holder, operation_id

router = APIRouter(tags=["moderation"], generate_unique_id_function=operation_id)
Scanner = Annotated[
    Principal, staff_with(StaffRole.REVIEWER, StaffRole.SENIOR_REVIEWER, StaffRole.CHIEF_EDITOR, requirement="MB-6.1")
]
NOT_FOUND = {404: {"description": "No decision on such a post of the caller's (yet)"}}


@router.get("/v1/moderation/posts/{post_id}/decision", response_model=DecisionRead, responses=NOT_FOUND)
async def read_decision(post_id: uuid.UUID, principal: AnyPrincipal, db: Db) -> DecisionRead:
    """The decision in force on a post and its statement of reasons, for its author and for staff."""
    return decision_read((await handlers.decisions_on_post(db, post_id, principal))[-1])


@router.get("/v1/moderation/posts/{post_id}/decisions", response_model=list[DecisionRead], responses=NOT_FOUND)
async def list_decisions(post_id: uuid.UUID, principal: AnyPrincipal, db: Db) -> list[DecisionRead]:
    """Every decision on a post, oldest first: publication, review, rumours found later."""
    return [decision_read(r) for r in await handlers.decisions_on_post(db, post_id, principal)]


@router.post("/v1/moderation/scan", response_model=ScanRead)
async def preview_verdict(body: ScanRequest, principal: Scanner, db: Db, holder: Holder) -> ScanRead:
    """What the engine would decide on this text for an author in good standing; nothing is stored."""
    policy = await holder.latest(db.pool)
    return scan_read(policy.decide(body.text))
