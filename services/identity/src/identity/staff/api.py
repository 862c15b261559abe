"""Routes of staff administration (operators; MB-6.1, PA-5.1). Staff sign-in is in accounts/api.py."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from kit.pagination import CursorQuery, LimitQuery, Page
from kit.problems import problems

from identity.dependencies import Ports, StaffAdministrator
from identity.staff import handlers
from identity.staff.schemas import StaffMemberRead, StaffRolesUpdate, StaffStatusChange

router = APIRouter(tags=["staff accounts"])


@router.get("/v1/identity/staff/members", response_model=Page[StaffMemberRead])
async def list_members(
    principal: StaffAdministrator, ports: Ports, cursor: CursorQuery = None, limit: LimitQuery = 50
) -> Page[StaffMemberRead]:
    """Staff accounts in the order they were created: username, roles, disabled."""
    rows, next_cursor = await handlers.members(ports, cursor=cursor, limit=limit)
    return Page(items=[StaffMemberRead.of(r) for r in rows], next_cursor=next_cursor)


@router.post(
    "/v1/identity/staff/members/{staff_id}/disable", response_model=StaffMemberRead, responses=problems(404, 409)
)
async def disable_member(
    staff_id: uuid.UUID, body: StaffStatusChange, principal: StaffAdministrator, ports: Ports
) -> StaffMemberRead:
    """Disable a staff account: it cannot sign in, and every token it holds is refused by every service at
    once (auth.revocation.v1). Not yourself (409), not the last active operator (409 `last-operator`)."""
    row = await handlers.disable(ports, staff_id, reason=body.reason, by=principal.actor, actor_id=principal.subject)
    return StaffMemberRead.of(row)


@router.post(
    "/v1/identity/staff/members/{staff_id}/enable", response_model=StaffMemberRead, responses=problems(404, 409)
)
async def enable_member(
    staff_id: uuid.UUID, body: StaffStatusChange, principal: StaffAdministrator, ports: Ports
) -> StaffMemberRead:
    """Enable a disabled staff account again (it signs in afresh)."""
    return StaffMemberRead.of(await handlers.enable(ports, staff_id, reason=body.reason, by=principal.actor))


@router.put("/v1/identity/staff/members/{staff_id}/roles", response_model=StaffMemberRead, responses=problems(404, 409))
async def set_member_roles(
    staff_id: uuid.UUID, body: StaffRolesUpdate, principal: StaffAdministrator, ports: Ports
) -> StaffMemberRead:
    """Replace a staff account's roles; its tokens are revoked at once (it signs in again for the new roles).
    The last active operator keeps the role (409 `last-operator`)."""
    row = await handlers.set_roles(ports, staff_id, body.roles, reason=body.reason, by=principal.actor)
    return StaffMemberRead.of(row)
