"""The review queue (MB-6.1, MB-14, PA-5.1): held posts and complaint cases as queue items (claim, release,
assignment, escalation, notes, decision, statistics); the old held-post routes; takedown and restore (MB-12.2)."""

from __future__ import annotations

import uuid
from typing import Annotated

from contracts.staff import StaffRole
from fastapi import APIRouter, Query, status
from kit.auth import Principal, staff_with
from kit.inputs import Text
from kit.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page
from kit.periods import Since, Until, open_period
from kit.problems import InvalidInput, problems

from moderation.decisions.schemas import DecisionRead, decision_read
from moderation.dependencies import Db, Holder
from moderation.engine.decide import Outcome
from moderation.reviews import handlers
from moderation.reviews.domain import ItemKind, ItemState, Staff, normalise_staff
from moderation.reviews.schemas import (
    AssignmentCreate,
    EscalationCreate,
    ItemDecisionCreate,
    NoteCreate,
    QueueItemDetailRead,
    QueueItemRead,
    RestorationCreate,
    ReviewCreate,
    ReviewItemRead,
    ReviewStatisticsRead,
    TakedownCreate,
    queue_item_detail_read,
    queue_item_read,
    review_item_read,
    statistics_read,
)

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


# --- issue 14: queue items (MB-6.1, MB-14, PA-5.1), takedown and restore (MB-12.2) ----------------------

ReviewerOrAuditor = Annotated[
    Principal,
    staff_with(
        StaffRole.REVIEWER, StaffRole.SENIOR_REVIEWER, StaffRole.CHIEF_EDITOR, StaffRole.AUDITOR, requirement="MB-6.1"
    ),
]
Senior = Annotated[Principal, staff_with(StaffRole.SENIOR_REVIEWER, StaffRole.CHIEF_EDITOR, requirement="MB-6.1")]
ITEM = "/v1/moderation/review-items/{item_id}"
ITEM_NOT_FOUND = "No such review item"
HELD = "Another holds the item, or it is closed (MB-6.1)"


def _staff(principal: Principal) -> Staff:
    roles = {str(r) for r in principal.access.roles}
    return Staff(
        principal.actor,
        chief_editor=StaffRole.CHIEF_EDITOR in roles,
        senior=StaffRole.SENIOR_REVIEWER in roles,
    )


@router.get("/v1/moderation/review-items", response_model=Page[QueueItemRead])
async def list_queue_items(
    principal: ReviewerOrAuditor,
    db: Db,
    state: ItemState | None = None,
    kind: ItemKind | None = None,
    assignee: Annotated[Text | None, Query(max_length=80, description="`me` or a staff id")] = None,
    category: Annotated[Text | None, Query(max_length=80)] = None,
    min_priority: Annotated[int | None, Query(ge=0, le=100)] = None,
    case_id: Annotated[uuid.UUID | None, Query(description="reporting's complaint case (MB-14)")] = None,
    cursor: CursorQuery = None,
    limit: LimitQuery = DEFAULT_LIMIT,
) -> Page[QueueItemRead]:
    """The review queue: held posts and complaint cases, highest priority first, then the nearest deadline,
    then the oldest. Without `state`, every item not closed; with `case_id`, that case's item in any state."""
    who = None
    if assignee:
        who = principal.actor if assignee == "me" else normalise_staff(assignee)
    rows, next_cursor = await handlers.list_items(
        db,
        state=state,
        kind=kind,
        assignee=who,
        category=category,
        min_priority=min_priority,
        cursor=cursor,
        limit=limit,
        case_id=case_id,
    )
    return Page[QueueItemRead](items=[queue_item_read(r) for r in rows], next_cursor=next_cursor)


@router.get(
    "/v1/moderation/review-statistics",
    response_model=ReviewStatisticsRead,
    responses=problems(422, s422="`from` is not before `to`"),
)
async def review_statistics(
    principal: ReviewerOrAuditor,
    db: Db,
    since: Since = None,
    until: Until = None,
) -> ReviewStatisticsRead:
    """Counts by state and kind, average and p90 handling time, and the share of decided items that acted
    (MB-6.1); either end of the period may be left open."""
    since, until = open_period(since, until, requirement="MB-6.1")
    return statistics_read(await handlers.statistics(db, since=since, until=until))


@router.get(ITEM, response_model=QueueItemDetailRead, responses=problems(404, s404=ITEM_NOT_FOUND))
async def read_queue_item(item_id: uuid.UUID, principal: ReviewerOrAuditor, db: Db) -> QueueItemDetailRead:
    """An item with the content and its matched spans, the target's decisions, the case, notes and history."""
    return queue_item_detail_read(await handlers.item_view(db, item_id))


@router.post(
    f"{ITEM}/claim",
    response_model=QueueItemRead,
    responses=problems(403, 404, 409, s403="Escalated: the chief editor's (MB-6.1)", s404=ITEM_NOT_FOUND, s409=HELD),
)
async def claim_item(item_id: uuid.UUID, principal: Reviewer, db: Db) -> QueueItemRead:
    """Take an item to work on; 409 when another holds it. Claiming it again is harmless."""
    return queue_item_read(await handlers.claim(db, item_id, _staff(principal)))


@router.post(
    f"{ITEM}/release", response_model=QueueItemRead, responses=problems(404, 409, s404=ITEM_NOT_FOUND, s409=HELD)
)
async def release_item(item_id: uuid.UUID, principal: Reviewer, db: Db) -> QueueItemRead:
    """Give an item back to the queue (its holder, or the chief editor)."""
    return queue_item_read(await handlers.release(db, item_id, _staff(principal)))


@router.post(
    f"{ITEM}/assignment",
    response_model=QueueItemRead,
    responses=problems(404, 409, s404=ITEM_NOT_FOUND, s409="The item is closed (MB-6.1)"),
)
async def assign_item(item_id: uuid.UUID, body: AssignmentCreate, principal: Senior, db: Db) -> QueueItemRead:
    """A senior reviewer or the chief editor gives an item to a staff member."""
    return queue_item_read(await handlers.assign(db, item_id, _staff(principal), body.assignee))


@router.post(
    f"{ITEM}/escalation",
    response_model=QueueItemRead,
    responses=problems(404, 409, s404=ITEM_NOT_FOUND, s409="Escalated already, held by another, or closed"),
)
async def escalate_item(item_id: uuid.UUID, body: EscalationCreate, principal: Reviewer, db: Db) -> QueueItemRead:
    """To the chief editor, with the reason (MB-6.1, PA-5.1): only the chief editor decides it, finally."""
    return queue_item_read(await handlers.escalate(db, item_id, _staff(principal), body.reason))


@router.post(
    f"{ITEM}/notes",
    status_code=status.HTTP_201_CREATED,
    response_model=QueueItemRead,
    responses=problems(404, s404=ITEM_NOT_FOUND),
)
async def note_item(item_id: uuid.UUID, body: NoteCreate, principal: Reviewer, db: Db) -> QueueItemRead:
    """A note on an item, kept in its history."""
    return queue_item_read(await handlers.note(db, item_id, _staff(principal), body.text))


@router.post(
    f"{ITEM}/decision",
    response_model=QueueItemRead,
    responses=problems(
        403,
        404,
        409,
        422,
        s403="Escalated: decided by the chief editor only (MB-6.1)",
        s404=ITEM_NOT_FOUND,
        s409="Not claimed by the caller, held by another, or closed (MB-6.1)",
        s422="The decision does not fit the item's kind",
    ),
)
async def decide_queue_item(
    item_id: uuid.UUID, body: ItemDecisionCreate, principal: Reviewer, db: Db, holder: Holder
) -> QueueItemRead:
    """Decide an item: a held post as a review (approve, label, stop_transmission); a complaint case upheld or
    dismissed with its action (an upheld stop of published content is a takedown). Needs the item's claim (the
    chief editor needs none); an escalated item is the chief editor's, and that decision is final."""
    row = await handlers.decide_item(
        db,
        holder,
        item_id,
        _staff(principal),
        outcome=body.outcome,
        upheld=body.upheld,
        action=body.action,
        reason=body.reason,
        category=str(body.category) if body.category else None,
        legal_basis=list(body.legal_basis),
        rumour_id=_uuid(body.rumour_id) if body.rumour_id else None,
    )
    return queue_item_read(row)


@router.post(
    "/v1/moderation/posts/{post_id}/takedown",
    status_code=status.HTTP_201_CREATED,
    response_model=DecisionRead,
    responses=problems(
        403,
        404,
        409,
        s403="A final decision of the chief editor (MB-6.1)",
        s404="Moderation decided no such post",
        s409="Stopped already, or held for review (MB-12.2)",
    ),
)
async def take_down_post(post_id: uuid.UUID, body: TakedownCreate, principal: Reviewer, db: Db) -> DecisionRead:
    """Stop transmission of a published post, comment or article (MB-12.2): a decision with stage `takedown`
    superseding the one in force; content stops serving it and the regulator gateway files its report."""
    row = await handlers.take_down(
        db,
        post_id,
        _staff(principal),
        category=str(body.category),
        reason=body.reason,
        legal_basis=list(body.legal_basis),
    )
    return decision_read(row)


@router.post(
    "/v1/moderation/posts/{post_id}/restoration",
    status_code=status.HTTP_201_CREATED,
    response_model=DecisionRead,
    responses=problems(
        403,
        404,
        409,
        s403="A final stop of the chief editor (MB-6.1)",
        s404="Moderation decided no such post",
        s409="Transmission is not stopped",
    ),
)
async def restore_post(post_id: uuid.UUID, body: RestorationCreate, principal: Senior, db: Db) -> DecisionRead:
    """Restore a wrongly stopped post (MB-12.2, MB-6.1): an approval with stage `restore` superseding the stop;
    content serves it again and the regulator gateway amends the stop's report."""
    row = await handlers.restore(db, post_id, _staff(principal), reason=body.reason, legal_basis=list(body.legal_basis))
    return decision_read(row)
