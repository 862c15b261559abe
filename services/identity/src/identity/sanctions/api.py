"""Routes of manual sanctions and appeals (PA-13.1, PA-13.2, PA-6.2, MB-6.1)."""

from __future__ import annotations

import uuid
from enum import StrEnum

from fastapi import APIRouter, status
from kit.pagination import CursorQuery, LimitQuery, Page
from kit.problems import problems

from identity.accounts.handlers import throttled_sign_in
from identity.dependencies import ActiveAccount, AppealReviewer, ClientAddress, Ports, SanctionImposer, SanctionLifter
from identity.sanctions import handlers
from identity.sanctions.schemas import (
    AccountSanctionRead,
    AppealCreate,
    AppealDecision,
    AppealRead,
    ClosureAppealCreate,
    SanctionCreate,
    SanctionLift,
    StaffAppealRead,
    StaffSanctionRead,
)

router = APIRouter(tags=["sanctions and appeals"])


@router.post(
    "/v1/identity/staff/accounts/{account_id}/sanctions",
    status_code=status.HTTP_201_CREATED,
    response_model=StaffSanctionRead,
    responses=problems(403, 404, 409, 422),
)
async def impose_sanction(
    account_id: uuid.UUID, body: SanctionCreate, principal: SanctionImposer, ports: Ports
) -> StaffSanctionRead:
    """A sanction along the ladder (PA-13.1, PA-13.2) with its reason and legal basis: a warning (any
    reviewer), a feature restriction or a suspension (senior reviewer, chief editor; with duration_days),
    a closure or a blacklisting (the chief editor's final decision, MB-6.1). The same effects as an automatic
    sanction: sessions ended, the subject blacklisted and the regulator told, content enforcing it at once."""
    row = await handlers.impose(
        ports,
        account_id,
        kind=body.kind,
        reason=body.reason,
        legal_basis=body.legal_basis,
        duration_days=body.duration_days,
        features=body.features,
        by=principal.actor,
        roles=principal.claim("roles", []),
    )
    return StaffSanctionRead.of(row, ports.appeal_window)


@router.post(
    "/v1/identity/staff/sanctions/{sanction_id}/lift",
    response_model=StaffSanctionRead,
    responses=problems(403, 404, 409),
)
async def lift_sanction(
    sanction_id: uuid.UUID, body: SanctionLift, principal: SanctionLifter, ports: Ports
) -> StaffSanctionRead:
    """Lift a sanction in force with a reason (senior reviewer, chief editor; a closure or a blacklisting the
    chief editor only, MB-6.1): the account is told through its standing; a closure lifted reopens it."""
    row = await handlers.lift(
        ports, sanction_id, reason=body.reason, by=principal.actor, roles=principal.claim("roles", [])
    )
    return StaffSanctionRead.of(row, ports.appeal_window)


@router.get("/v1/accounts/me/sanctions", response_model=Page[AccountSanctionRead], responses=problems(404))
async def list_my_sanctions(
    account_id: ActiveAccount, ports: Ports, cursor: CursorQuery = None, limit: LimitQuery = 50
) -> Page[AccountSanctionRead]:
    """Your sanctions, newest first, in force or not (PA-13.1): kind, reason, legal basis, from, until, until
    when you may appeal it and your appeal's state (PA-6.2)."""
    rows, next_cursor = await handlers.sanctions_of(ports, account_id, cursor=cursor, limit=limit)
    return Page(items=[AccountSanctionRead.of(r, ports.appeal_window) for r in rows], next_cursor=next_cursor)


@router.post(
    "/v1/accounts/me/appeals",
    status_code=status.HTTP_201_CREATED,
    response_model=AppealRead,
    responses=problems(404, 409),
)
async def file_appeal(body: AppealCreate, account_id: ActiveAccount, ports: Ports) -> AppealRead:
    """Appeal one of your sanctions or credit penalties (PA-6.2): once each, within the appeal window
    (409 `appeal-window-closed` after it)."""
    row = await handlers.file_appeal(
        ports, account_id, target_kind=body.target_kind, target_id=body.target_id, statement=body.statement
    )
    return AppealRead.of(row)


@router.post(
    "/v1/accounts/closure-appeals",
    status_code=status.HTTP_201_CREATED,
    response_model=AppealRead,
    responses=problems(401, 404, 409),
)
async def appeal_closure(body: ClosureAppealCreate, address: ClientAddress, ports: Ports) -> AppealRead:
    """Appeal the closure of your account (PA-6.2, PA-13.1): a closed account cannot sign in, so you name it
    with its username and password, under the sign-in limits (429 with Retry-After). Once, within the appeal
    window; upheld, the closure is lifted and you sign in again. 409 when the account is not closed."""
    row = await throttled_sign_in(
        ports,
        scope="user",
        username=body.username,
        address=address,
        attempt=lambda: handlers.appeal_closure(
            ports, username=body.username, password=body.password, statement=body.statement
        ),
    )
    return AppealRead.of(row)


@router.get("/v1/accounts/me/appeals", response_model=Page[AppealRead], responses=problems(404))
async def list_my_appeals(
    account_id: ActiveAccount, ports: Ports, cursor: CursorQuery = None, limit: LimitQuery = 50
) -> Page[AppealRead]:
    """Your appeals, newest first, with their state and the decision's reason (PA-6.2)."""
    rows, next_cursor = await handlers.appeals_of(ports, account_id, cursor=cursor, limit=limit)
    return Page(items=[AppealRead.of(r) for r in rows], next_cursor=next_cursor)


class AppealQueue(StrEnum):
    OPEN = "open"
    DECIDED = "decided"


@router.get("/v1/identity/staff/appeals", response_model=Page[StaffAppealRead])
async def list_appeals(
    principal: AppealReviewer,
    ports: Ports,
    state: AppealQueue = AppealQueue.OPEN,
    cursor: CursorQuery = None,
    limit: LimitQuery = 50,
) -> Page[StaffAppealRead]:
    """Appeals waiting for a decision (or decided), oldest first (PA-6.2)."""
    rows, next_cursor = await handlers.appeals(ports, open_=state is AppealQueue.OPEN, cursor=cursor, limit=limit)
    return Page(items=[StaffAppealRead.of(r) for r in rows], next_cursor=next_cursor)


@router.post(
    "/v1/identity/staff/appeals/{appeal_id}/decision",
    response_model=StaffAppealRead,
    responses=problems(403, 404, 409),
)
async def decide_appeal(
    appeal_id: uuid.UUID, body: AppealDecision, principal: AppealReviewer, ports: Ports
) -> StaffAppealRead:
    """Decide an appeal (senior reviewer or chief editor, never the one who imposed it: 403 naming PA-6.2).
    Upheld: the sanction lifted or the penalty reversed, the account's standing announced again."""
    row = await handlers.decide_appeal(
        ports,
        appeal_id,
        upheld=body.upheld,
        reason=body.reason,
        by=principal.actor,
        roles=principal.claim("roles", []),
    )
    return StaffAppealRead.of(row)
