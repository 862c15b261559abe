"""Routes of public accounts (公众账号, PA-2, PA-6, PA-7, CM): registration, the staff review queue and
decision, the public profile, operators and acting tokens."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status
from kit.auth import OptionalPrincipal
from kit.pagination import CursorQuery, LimitQuery, Page
from kit.problems import problems

from identity.accounts.schemas import CancellationCreate, CancellationRead
from identity.dependencies import ActiveAccount, Ports, PublicAccountReviewer
from identity.public_accounts import handlers
from identity.public_accounts.domain import ApplicationStatus, Outcome
from identity.public_accounts.schemas import (
    ActingTokenRead,
    ApplicationRead,
    Decision,
    MyPublicAccounts,
    OperatorsRead,
    PublicAccountCreate,
    PublicAccountRead,
)

router = APIRouter(tags=["public accounts"])


@router.post(
    "/v1/identity/public-accounts",
    status_code=status.HTTP_201_CREATED,
    response_model=ApplicationRead,
    responses=problems(403, 404, 409),
)
async def register_public_account(
    body: PublicAccountCreate, account_id: ActiveAccount, ports: Ports
) -> ApplicationRead:
    """Register a public account (PA-7.1) as a real-name verified subject (MB-7.1, MB-7.2): name (checked
    against impersonation, CM), kind (suiting the subject; media and government need that V type, MB-8),
    category, business scope and qualifications. Staff review it; the subject's cap applies (PA-7.3)."""
    row = await handlers.register(
        ports,
        account_id,
        name=body.name,
        kind=body.kind,
        category=body.category.value,
        business_scope=body.business_scope,
        qualifications=[q.model_dump(mode="json") for q in body.qualifications],
    )
    return ApplicationRead.of(row)


@router.get("/v1/accounts/me/public-accounts", response_model=MyPublicAccounts, responses=problems(404))
async def read_my_public_accounts(account_id: ActiveAccount, ports: Ports) -> MyPublicAccounts:
    """Your applications for public accounts, and the public accounts you operate (with your role)."""
    found = await handlers.mine(ports, account_id)
    return MyPublicAccounts(
        applications=[ApplicationRead.of(r) for r in found["applications"]],
        operated=[PublicAccountRead.of(r) for r in found["operated"]],
    )


@router.get(
    "/v1/identity/public-accounts/{public_account_id}", response_model=PublicAccountRead, responses=problems(404)
)
async def read_public_account(
    public_account_id: uuid.UUID, principal: OptionalPrincipal, ports: Ports
) -> PublicAccountRead:
    """A public account: name, kind, its label (分类加注标识, PA-7.1), category, scope, subscribers. With an
    acting token of it, also the operator acting."""
    found = await handlers.read(ports, public_account_id, principal)
    return PublicAccountRead.of(found["account"], found["acting"])


@router.put(
    "/v1/identity/public-accounts/{public_account_id}/operators/{account_id}",
    response_model=OperatorsRead,
    responses=problems(403, 404, 422),
)
async def put_operator(
    public_account_id: uuid.UUID, account_id: uuid.UUID, caller: ActiveAccount, ports: Ports
) -> OperatorsRead:
    """The owner adds an editor (PA-7.1), a real-name verified account (MB-7.1)."""
    return OperatorsRead.of(await handlers.put_operator(ports, public_account_id, caller, account_id))


@router.delete(
    "/v1/identity/public-accounts/{public_account_id}/operators/{account_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problems(403, 404, 409),
)
async def delete_operator(
    public_account_id: uuid.UUID, account_id: uuid.UUID, caller: ActiveAccount, ports: Ports
) -> Response:
    """The owner removes an editor: the editor's acting tokens are refused everywhere at once (PA-7.1)."""
    await handlers.delete_operator(ports, public_account_id, caller, account_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/v1/identity/public-accounts/{public_account_id}/tokens",
    status_code=status.HTTP_201_CREATED,
    response_model=ActingTokenRead,
    responses=problems(403, 404),
)
async def create_acting_token(public_account_id: uuid.UUID, operator: ActiveAccount, ports: Ports) -> ActingTokenRead:
    """An acting token for an operator (owner or editor) of the public account (PA-7.1): `sub` is the
    public account, `act` the operator; it carries the operator's real name (MB-7.1, MB-7.2) and agreement
    (MB-6.2), and is short-lived."""
    token = await handlers.acting_token(ports, public_account_id, operator)
    return ActingTokenRead(access_token=token, expires_in=ports.acting_token_ttl_s, public_account_id=public_account_id)


@router.post(
    "/v1/identity/public-accounts/{public_account_id}/cancellation",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=CancellationRead,
    responses=problems(403, 404, 409),
)
async def cancel_public_account(
    public_account_id: uuid.UUID, body: CancellationCreate, owner: ActiveAccount, ports: Ports
) -> CancellationRead:
    """The owner cancels a public account with its own password (PA-9.2): it goes at once, its acting
    tokens end everywhere, its slot under the subject's cap is freed; the records the law requires are
    kept until `purge_after` (MB-16.2)."""
    return CancellationRead(**await handlers.cancel(ports, public_account_id, owner, password=body.password))


@router.get("/v1/identity/staff/public-accounts", response_model=Page[ApplicationRead])
async def list_public_account_applications(
    principal: PublicAccountReviewer,
    ports: Ports,
    status: ApplicationStatus | None = ApplicationStatus.SUBMITTED,
    cursor: CursorQuery = None,
    limit: LimitQuery = 200,
) -> Page[ApplicationRead]:
    """Applications for public accounts, oldest first (the review queue: `status=submitted`, PA-7.1)."""
    found, next_cursor = await handlers.queue(
        ports, status=status.value if status else None, cursor=cursor, limit=limit
    )
    return Page(items=[ApplicationRead.of(r) for r in found], next_cursor=next_cursor)


@router.post(
    "/v1/identity/staff/public-accounts/{application_id}/decision",
    response_model=ApplicationRead,
    responses=problems(403, 404, 409),
)
async def decide_public_account(
    application_id: uuid.UUID, body: Decision, principal: PublicAccountReviewer, ports: Ports
) -> ApplicationRead:
    """Approve (the account is created, labelled by kind and filed with the office of its province;
    the subject's cap and operator declaration counted, PA-7.3) or refuse with a reason (PA-7.1)."""
    row = await handlers.decide(
        ports, application_id, approve=body.outcome is Outcome.APPROVE, reason=body.reason, by=principal.actor
    )
    return ApplicationRead.of(row)
