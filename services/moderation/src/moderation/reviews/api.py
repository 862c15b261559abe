"""The review queue (MB-6.1): held posts, and a reviewer's decision on one."""

from __future__ import annotations

import uuid
from typing import Annotated

from contracts.staff import StaffRole
from fastapi import APIRouter, status
from kit.auth import Principal, staff_with
from kit.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page
from kit.problems import InvalidInput, problems

from moderation.decisions.schemas import DecisionRead, decision_read
from moderation.dependencies import Db, Holder
from moderation.engine.decide import Outcome
from moderation.reviews import handlers
from moderation.reviews.schemas import ReviewCreate, ReviewItemRead, review_item_read

router = APIRouter(tags=["moderation staff"])
Reviewer = Annotated[
    Principal, staff_with(StaffRole.REVIEWER, StaffRole.SENIOR_REVIEWER, StaffRole.CHIEF_EDITOR, requirement="MB-6.1")
]


@router.get("/v1/moderation/reviews", response_model=Page[ReviewItemRead])
async def list_review_items(
    principal: Reviewer, db: Db, cursor: CursorQuery = None, limit: LimitQuery = DEFAULT_LIMIT
) -> Page[ReviewItemRead]:
    """Held posts waiting for a reviewer, oldest first, with why they were held."""
    rows, next_cursor = await handlers.review_queue(db, cursor=cursor, limit=limit)
    return Page[ReviewItemRead](items=[review_item_read(r) for r in rows], next_cursor=next_cursor)


@router.post(
    "/v1/moderation/reviews/{decision_id}",
    status_code=status.HTTP_201_CREATED,
    response_model=DecisionRead,
    responses=problems(404, 409, s404="No held post with that decision", s409="Reviewed already (MB-6.1)"),
)
async def review_held_post(
    decision_id: uuid.UUID, body: ReviewCreate, principal: Reviewer, db: Db, holder: Holder
) -> DecisionRead:
    """A reviewer's decision on a held post: publish, publish with a rumour's refutation, or stop
    transmission. Recorded with the reviewer; supersedes the held decision."""
    row = await handlers.review(
        db,
        holder,
        decision_id,
        outcome=Outcome(body.outcome),
        reason=body.reason,
        category=str(body.category) if body.category else None,
        legal_basis=body.legal_basis,
        rumour_id=_uuid(body.rumour_id) if body.outcome == "label" else None,
        role=StaffRole.CHIEF_EDITOR if StaffRole.CHIEF_EDITOR in principal.access.roles else StaffRole.REVIEWER,
        by=principal.actor,
    )
    return decision_read(row)


def _uuid(value: str | None) -> uuid.UUID:
    try:
        return uuid.UUID(value or "")
    except ValueError as exc:
        raise InvalidInput("rumour_id is not a UUID.") from exc
