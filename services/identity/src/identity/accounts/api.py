"""Routes of accounts, sign-in, the mobile confirmation, cancellation and personal data: parse,
authorise, call a handler, shape the answer."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Response, status
from kit.problems import problems
from kit.userlog import RequestClient

from identity.accounts import handlers
from identity.accounts.schemas import (
    AccountCreate,
    AccountRead,
    CancellationCreate,
    CancellationRead,
    CodeSent,
    Jwks,
    PhoneConfirm,
    TokenCreate,
    TokenRead,
)
from identity.agreement.schemas import AgreementAccept
from identity.clients import handlers as clients
from identity.dependencies import ActiveAccount, ClientAddress, Ports
from identity.staff import handlers as staff

router = APIRouter(tags=["accounts"])


@router.post("/v1/accounts", status_code=status.HTTP_201_CREATED, response_model=AccountRead, responses=problems(409))
async def create_account(
    body: AccountCreate, address: ClientAddress, client: RequestClient, ports: Ports
) -> AccountRead:
    """Register an account. Real-name verification (MB-7.1) comes after the mobile number is confirmed.
    Limited per client address per hour (429); one mobile number backs a capped number of accounts (BJ-9)."""
    account = await handlers.register(
        ports,
        username=body.username,
        password=body.password,
        mobile=body.mobile,
        address=address,
        accepted_agreement_version=body.accepted_agreement_version,
        client=client,
    )
    return AccountRead.of(account, ports.vault)


@router.post("/v1/tokens", response_model=TokenRead, responses=problems(401, 403))
async def create_token(body: TokenCreate, address: ClientAddress, origin: RequestClient, ports: Ports) -> TokenRead:
    """Sign in: exchange username and password for an access token (EdDSA JWT). Failed sign-ins are
    limited per account and per client address (429 with Retry-After; identity/abuse)."""
    cid = None
    if body.client_id is not None or body.client_secret is not None:
        registered = await clients.authenticate(ports, body.client_id or "", body.client_secret or "")
        cid = str(registered["id"])
    token = await handlers.throttled_sign_in(
        ports,
        scope="user",
        username=body.username,
        address=address,
        attempt=lambda: handlers.sign_in(ports, username=body.username, password=body.password, client_id=cid),
        client=replace(origin, client_id=cid),
    )
    return TokenRead(access_token=token, expires_in=ports.issuer.ttl_s)


@router.post("/v1/identity/staff/tokens", response_model=TokenRead, responses=problems(401))
async def create_staff_token(
    body: TokenCreate, address: ClientAddress, client: RequestClient, ports: Ports
) -> TokenRead:
    """Staff sign-in (MB-6.1): a token carrying the staff member's roles, separate from user sign-in;
    failed sign-ins limited like users' (429 with Retry-After)."""
    token = await handlers.throttled_sign_in(
        ports,
        scope="staff",
        username=body.username,
        address=address,
        attempt=lambda: staff.sign_in(ports, username=body.username, password=body.password),
        client=client,
    )
    return TokenRead(access_token=token, expires_in=ports.issuer.ttl_s)


@router.get("/v1/identity/jwks.json", response_model=Jwks)
async def read_jwks(ports: Ports) -> Jwks:
    """The public keys access tokens are signed with (RFC 7517)."""
    return Jwks.model_validate(ports.issuer.jwks())


@router.get("/v1/accounts/me", response_model=AccountRead, responses=problems(404))
async def read_my_account(account_id: ActiveAccount, ports: Ports) -> AccountRead:
    return AccountRead.of(await handlers.read_account(ports, account_id), ports.vault)


@router.post("/v1/accounts/me/agreement", response_model=TokenRead, responses=problems(404, 409))
async def accept_agreement(body: AgreementAccept, account_id: ActiveAccount, ports: Ports) -> TokenRead:
    """Accept the agreement in force (recorded); answers with a fresh token that says so (MB-6.2)."""
    token = await handlers.accept_agreement(ports, account_id, body.version)
    return TokenRead(access_token=token, expires_in=ports.issuer.ttl_s)


@router.post(
    "/v1/accounts/me/phone-confirmation",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=CodeSent,
    responses=problems(404, 409),
)
async def send_phone_code(account_id: ActiveAccount, ports: Ports) -> CodeSent:
    """Send a one-time code by SMS to the account's mobile number. Sends are limited per number and per
    account (a least interval, caps per hour and day: 429 with Retry-After)."""
    await handlers.send_phone_code(ports, account_id)
    return CodeSent()


@router.put("/v1/accounts/me/phone-confirmation", response_model=AccountRead, responses=problems(404, 409))
async def confirm_phone(body: PhoneConfirm, account_id: ActiveAccount, ports: Ports) -> AccountRead:
    """Confirm the number with the code; wrong codes are capped per number per hour, across resends."""
    await handlers.confirm_phone_code(ports, account_id, body.code)
    return AccountRead.of(await handlers.read_account(ports, account_id), ports.vault)


@router.post("/v1/accounts/me/sign-out", status_code=status.HTTP_204_NO_CONTENT, responses=problems(404))
async def sign_out(account_id: ActiveAccount, client: RequestClient, ports: Ports) -> Response:
    """Sign out everywhere: every token of yours issued until now is refused at once, by every service. Sign in
    again for a new one. Recorded in the user log with your network address and port (MB-16.2)."""
    await handlers.sign_out(ports, account_id, client)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/v1/accounts/me/cancellation",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=CancellationRead,
    responses=problems(404, 409),
)
async def cancel_account(
    body: CancellationCreate, account_id: ActiveAccount, client: RequestClient, ports: Ports
) -> CancellationRead:
    """Cancel your account (PA-9.2): it stops at once and its public content goes; the records the law
    requires are kept until `purge_after` (at least six months, MB-16.2), then your personal data is purged."""
    return CancellationRead(**await handlers.cancel(ports, account_id, password=body.password, client=client))
