"""Routes of real-name verification (MB-7.1, MB-7.2)."""

from __future__ import annotations

from fastapi import APIRouter, status
from kit.problems import problems

from identity.dependencies import ActiveAccount, Ports
from identity.realname import handlers
from identity.realname.schemas import RealNameCreate, RealNameRead

router = APIRouter(tags=["real name"])


@router.post(
    "/v1/accounts/me/real-name",
    status_code=status.HTTP_201_CREATED,
    response_model=RealNameRead,
    responses=problems(404, 409),
)
async def verify_real_name(body: RealNameCreate, account_id: ActiveAccount, ports: Ports) -> RealNameRead:
    """Complete real-name verification (MB-7.1) for an individual, a domestic or a foreign organization;
    the outside identity-check service confirms the name belongs to the number. Also renews an expired
    verification of the same subject (MB-7.2). A subject backs a capped number of accounts (BJ-9, PA-7.3).
    Answers with a fresh access token."""
    verified = await handlers.verify_real_name(
        ports,
        account_id,
        subject_type=body.subject_type,
        legal_name=body.legal_name,
        id_number=body.id_number,
        region_code=body.region_code,
        country=body.country,
        office_certificate=body.office_certificate,
    )
    return RealNameRead(**verified)
