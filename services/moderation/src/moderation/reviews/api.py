"""The review queue (MB-6.1): held posts, and a reviewer's decision on one."""

from __future__ import annotations

import uuid
from typing import Annotated

from contracts.staff import StaffRole
from fastapi import APIRouter, Query, status
from kit.auth import Principal, staff_with
from kit.problems import InvalidInput

from moderation.decisions.schemas import DecisionRead, decision_read
from moderation.dependencies import Db, Holder, operation_id
from moderation.engine.decide import Outcome
from moderation.reviews import handlers
from moderation.reviews.schemas import ReviewCreate, ReviewItemRead, review_item_read

router = APIRouter(tags=["moderation staff"], generate_unique_id_function=operation_id)
Reviewer = Annotated[
    Principal, staff_with(StaffRole.REVIEWER, StaffRole.SENIOR_REVIEWER, StaffRole.CHIEF_EDITOR, requirement="MB-6.1")
]


@router.get("/v1/moderation/reviews", response_model=list[ReviewItemRead])
async def list_review_items(
    principal: Reviewer, db: Db, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> list[ReviewItemRead]:
    """Held posts waiting for a reviewer, oldest first, with why they were held."""
    return [review_item_read(r) for r in await db.reader().reviews.open_review_items(limit)]


@router.post(
    "/v1/moderation/reviews/{decision_id}",
    status_code=status.HTTP_201_CREATED,
    response_model=DecisionRead,
    responses={
        404: {"description": "No held post with that decision"},
        409: {"description": "Reviewed already (MB-6.1)"},
        422: {"description": "Invalid input, or no such rumour to label with (MB-11)"},
    },
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
