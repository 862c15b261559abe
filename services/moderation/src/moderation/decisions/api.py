"""Decisions for authors and staff: the statement of reasons (MB-12.2), and a verdict preview (the
interface an outside content-security API could sit behind)."""

from __future__ import annotations

import uuid
from typing import Annotated

from contracts.staff import StaffRole
from fastapi import APIRouter
from kit.auth import AnyPrincipal, Principal, staff_with
from kit.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page
from kit.problems import problems

from moderation.decisions import handlers
from moderation.decisions.schemas import DecisionRead, ScanRead, ScanRequest, decision_read, scan_read
from moderation.dependencies import Db, Holder

router = APIRouter(tags=["moderation"])
Scanner = Annotated[
    Principal, staff_with(StaffRole.REVIEWER, StaffRole.SENIOR_REVIEWER, StaffRole.CHIEF_EDITOR, requirement="MB-6.1")
]
NOT_FOUND = problems(404, s404="No decision on such a post of the caller's (yet)")


@router.get("/v1/moderation/posts/{post_id}/decision", response_model=DecisionRead, responses=NOT_FOUND)
async def read_decision(post_id: uuid.UUID, principal: AnyPrincipal, db: Db) -> DecisionRead:
    """The decision in force on a post and its statement of reasons, for its author and for staff."""
    return decision_read((await handlers.decisions_on_post(db, post_id, principal))[-1])


@router.get("/v1/moderation/posts/{post_id}/decisions", response_model=Page[DecisionRead], responses=NOT_FOUND)
async def list_decisions(
    post_id: uuid.UUID,
    principal: AnyPrincipal,
    db: Db,
    cursor: CursorQuery = None,
    limit: LimitQuery = DEFAULT_LIMIT,
) -> Page[DecisionRead]:
    """Every decision on a post, oldest first: publication, review, rumours found later."""
    rows, next_cursor = await handlers.decisions_page(db, post_id, principal, cursor=cursor, limit=limit)
    return Page[DecisionRead](items=[decision_read(r) for r in rows], next_cursor=next_cursor)


@router.post("/v1/moderation/scan", response_model=ScanRead)
async def preview_verdict(body: ScanRequest, principal: Scanner, db: Db, holder: Holder) -> ScanRead:
    """What the engine would decide on this text for an author in good standing; nothing is stored."""
    return scan_read(await handlers.preview(db, holder, body.text))
