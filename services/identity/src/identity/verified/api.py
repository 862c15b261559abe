"""Routes of profiles (display names, CM) and verified ("V") accounts (MB-8, MB-10)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status
from kit.inputs import VisibleText
from kit.pagination import CursorQuery, LimitQuery, Page
from kit.problems import problems
from kit.userlog import RequestClient

from identity.dependencies import ActiveAccount, Ports, ProofAccessAuditor, ProofOpener, Verifier
from identity.verified import handlers
from identity.verified.schemas import (
    ApplicationDecision,
    ApplicationRead,
    ProfileRead,
    ProfileUpdate,
    ProofAccessRead,
    VerifiedApplicationCreate,
)

router = APIRouter(tags=["verified accounts"])


@router.put("/v1/accounts/me/profile", response_model=ProfileRead, responses=problems(404))
async def update_profile(
    body: ProfileUpdate, account_id: ActiveAccount, client: RequestClient, ports: Ports
) -> ProfileRead:
    """Set the display name; one that imitates a verified account, a government body or the platform is
    refused (CM)."""
    return ProfileRead.of(await handlers.update_profile(ports, account_id, body.display_name, client))


@router.get("/v1/accounts/{account_id}/profile", response_model=ProfileRead, responses=problems(404))
async def read_profile(account_id: uuid.UUID, ports: Ports) -> ProfileRead:
    """An account's public profile: display name and, for a verified account, its type and verified name."""
    return ProfileRead.of(await handlers.read_profile(ports, account_id))


@router.post(
    "/v1/accounts/me/verified-applications",
    status_code=status.HTTP_201_CREATED,
    response_model=ApplicationRead,
    responses=problems(404, 409),
)
async def apply_for_verification(
    body: VerifiedApplicationCreate, account_id: ActiveAccount, ports: Ports
) -> ApplicationRead:
    """Apply for a verified ("V") account (MB-8) with proof materials; the proof must match the verified
    identity, or the application is refused at once with the reason. Staff review the rest."""
    applied = await handlers.apply(
        ports,
        account_id,
        v_type=body.v_type,
        proof_name=body.proof_name,
        proof_number=body.proof_number,
        files=[f.model_dump() for f in body.files],
        display_name=body.display_name,
    )
    return ApplicationRead.of(applied)


@router.get("/v1/identity/staff/verified-applications", response_model=Page[ApplicationRead])
async def list_verified_applications(
    principal: Verifier, ports: Ports, cursor: CursorQuery = None, limit: LimitQuery = 200
) -> Page[ApplicationRead]:
    """Applications waiting for review, oldest first (the roles that decide them): the name each shows,
    never the name on its proof (MB-7.3; read through the audited personal-data route)."""
    found, next_cursor = await handlers.waiting(ports, cursor=cursor, limit=limit)
    return Page(items=[ApplicationRead.of(f) for f in found], next_cursor=next_cursor)


@router.post(
    "/v1/identity/staff/verified-applications/{application_id}/decision",
    response_model=ApplicationRead,
    responses=problems(404, 409),
)
async def decide_application(
    application_id: uuid.UUID, body: ApplicationDecision, principal: Verifier, ports: Ports
) -> ApplicationRead:
    """Approve (shown on the account, filed with the office of its province, MB-10.1) or refuse with a reason."""
    decided = await handlers.decide(ports, application_id, approve=body.approve, reason=body.reason, by=principal.actor)
    return ApplicationRead.of(decided)


@router.get(
    "/v1/identity/staff/verified-applications/{application_id}/proofs/{n}",
    response_class=Response,
    responses={
        200: {
            "description": "The proof file, decrypted, in its content type",
            "content": {"image/png": {}, "image/jpeg": {}, "application/pdf": {}},
        },
        **problems(404, 410),
    },
)
async def open_proof_file(
    application_id: uuid.UUID,
    n: Annotated[int, Path(ge=1, le=100, description="The file's number within the application (its `ordinal`)")],
    reason: Annotated[VisibleText, Query(min_length=3, max_length=500, description="Why it is opened (recorded)")],
    principal: ProofOpener,
    ports: Ports,
) -> Response:
    """Open a V application's proof file n (MB-7.3, PA-9.1): decrypted, in its content type; the opening
    (who, which file, why, when) is recorded before it is answered, and listed for auditors."""
    content, content_type = await handlers.open_proof_file(ports, application_id, n, reason=reason, by=principal.actor)
    return Response(
        content=content,
        media_type=content_type,
        headers={"Cache-Control": "no-store", "Content-Disposition": f'inline; filename="proof-{n}"'},
    )


@router.get("/v1/identity/staff/proof-accesses", response_model=Page[ProofAccessRead])
async def list_proof_accesses(
    principal: ProofAccessAuditor,
    ports: Ports,
    application_id: uuid.UUID | None = None,
    cursor: CursorQuery = None,
    limit: LimitQuery = 50,
) -> Page[ProofAccessRead]:
    """Who opened which V proof file and why, newest first (MB-7.3; auditors and the chief editor)."""
    rows, next_cursor = await handlers.proof_accesses(ports, application_id=application_id, cursor=cursor, limit=limit)
    return Page(items=[ProofAccessRead.of(r) for r in rows], next_cursor=next_cursor)
