"""HTTP routes: parse, authorise, call a handler, shape the answer."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status
from kit.auth import CurrentPrincipal, Principal, record_staff_action, staff_with
from kit.db import transaction
from kit.inputs import Bool, RequestModel, RowId, VisibleText
from kit.problems import NotFound
from pydantic import Field

from identity import (
    agreement,
    cancellation,
    clients,
    filings,
    grades,
    handlers,
    realname,
    staff,
    standing,
    store,
    verified,
)
from identity.handlers import IdentityPorts
from identity.schemas import (
    AccountCreate,
    AccountRead,
    AgreementAccept,
    AgreementCreate,
    AgreementRead,
    PhoneConfirm,
    RealNameCreate,
    RealNameRead,
    TokenCreate,
    TokenRead,
)

router = APIRouter(tags=["identity"])
AgreementEditor = Annotated[Principal, staff_with("operator", "chief_editor", requirement="MB-6.2")]
AppealReviewer = Annotated[Principal, staff_with("senior_reviewer", "chief_editor", requirement="PA-6.2")]
ChiefEditor = Annotated[Principal, staff_with("chief_editor", requirement="MB-9")]
ClientRegistrar = Annotated[Principal, staff_with("operator", "chief_editor", requirement="BJ-7(6)")]
Verifier = Annotated[Principal, staff_with("senior_reviewer", "chief_editor", "operator", requirement="MB-8")]
PersonalDataReader = Annotated[Principal, staff_with("operator", "chief_editor", requirement="PA-9.1")]
# Credit and sanctions: the roles that review complaints, appeals and accounts (not auditors).
StandingReader = Annotated[
    Principal, staff_with("reviewer", "senior_reviewer", "chief_editor", "operator", requirement="PA-6.2")
]


def _ports(request: Request) -> IdentityPorts:
    return request.app.state.ports


Ports = Annotated[IdentityPorts, Depends(_ports)]


async def _active_account(principal: CurrentPrincipal, ports: Ports) -> uuid.UUID:
    return await handlers.active_account(ports, principal)


# A user's own routes: refused for a cancelled (PA-9.2) or closed (PA-13.1) account, and for a token
# issued before the account's sessions were ended, even with a token that is otherwise valid.
ActiveAccount = Annotated[uuid.UUID, Depends(_active_account)]


def _address(request: Request) -> str:
    """The client's address: the gateway's X-Forwarded-For as uvicorn applied it (trusted only from
    --forwarded-allow-ips, the gateway's address)."""
    return request.client.host if request.client else "unknown"


@router.post("/v1/accounts", status_code=status.HTTP_201_CREATED, response_model=AccountRead)
async def create_account(body: AccountCreate, request: Request, ports: Ports) -> dict:
    """Register an account. Real-name verification (MB-7.1) comes after the mobile number is confirmed.
    Limited per client address per hour (429); one mobile number backs a capped number of accounts (BJ-9)."""
    return await handlers.register(
        ports,
        username=body.username,
        password=body.password,
        mobile=body.mobile,
        address=_address(request),
        accepted_agreement_version=body.accepted_agreement_version,
    )


@router.get("/v1/identity/agreement", response_model=AgreementRead)
async def read_agreement(ports: Ports) -> dict:
    """The service agreement and platform rules in force (MB-6.2, PA-5.2)."""
    return agreement.view(await agreement.current(ports.pool))


@router.post("/v1/accounts/me/agreement", response_model=TokenRead)
async def accept_agreement(body: AgreementAccept, account_id: ActiveAccount, ports: Ports) -> dict:
    """Accept the agreement in force (recorded); answers with a fresh token that says so."""
    async with transaction(ports.pool) as conn:
        await agreement.accept(conn, account_id, body.version)
        row = await store.account_by_id(conn, account_id)
    return {"access_token": handlers.issue_token(ports, row), "expires_in": ports.issuer.ttl_s}


@router.post("/v1/identity/agreements", status_code=status.HTTP_201_CREATED, response_model=AgreementRead)
async def publish_agreement(body: AgreementCreate, principal: AgreementEditor, ports: Ports) -> dict:
    """Publish a new version (operator or chief editor); users must accept it before publishing again."""
    return agreement.view(await agreement.publish(ports.pool, title=body.title, body=body.body, by=principal.actor))


@router.post("/v1/tokens", response_model=TokenRead)
async def create_token(body: TokenCreate, request: Request, ports: Ports) -> dict:
    """Sign in: exchange username and password for an access token (EdDSA JWT). Failed sign-ins are
    limited per account and per client address (429 with Retry-After; identity/abuse.py)."""
    cid = None
    if body.client_id is not None or body.client_secret is not None:
        client = await clients.authenticate(ports.pool, body.client_id or "", body.client_secret or "")
        cid = str(client["id"])
    token = await handlers.throttled_sign_in(
        ports,
        scope="user",
        username=body.username,
        address=_address(request),
        attempt=lambda: handlers.sign_in(ports, username=body.username, password=body.password, client_id=cid),
    )
    return {"access_token": token, "expires_in": ports.issuer.ttl_s}


@router.get("/v1/accounts/me", response_model=AccountRead)
async def read_me(account_id: ActiveAccount, ports: Ports) -> dict:
    return await handlers.me(ports, account_id)


@router.post("/v1/accounts/me/phone-confirmation", status_code=status.HTTP_202_ACCEPTED)
async def send_phone_code(account_id: ActiveAccount, ports: Ports) -> dict:
    """Send a one-time code by SMS to the account's mobile number. Sends are limited per number and per
    account (a least interval, caps per hour and day: 429 with Retry-After)."""
    await handlers.send_phone_code(ports, account_id)
    return {"status": "sent"}


@router.put("/v1/accounts/me/phone-confirmation", response_model=AccountRead)
async def confirm_phone(body: PhoneConfirm, account_id: ActiveAccount, ports: Ports) -> dict:
    """Confirm the number with the code; wrong codes are capped per number per hour, across resends."""
    await handlers.confirm_phone_code(ports, account_id, body.code)
    return await handlers.me(ports, account_id)


@router.post("/v1/accounts/me/real-name", status_code=status.HTTP_201_CREATED, response_model=RealNameRead)
async def verify_real_name(body: RealNameCreate, account_id: ActiveAccount, ports: Ports) -> dict:
    """Complete real-name verification (MB-7.1) for an individual, a domestic or a foreign organization;
    the outside identity-check service confirms the name belongs to the number. Also renews an expired
    verification of the same subject (MB-7.2). Answers with a fresh access token."""
    return await realname.verify_real_name(
        ports,
        account_id,
        subject_type=body.subject_type,
        legal_name=body.legal_name,
        id_number=body.id_number,
        region_code=body.region_code,
        country=body.country,
        office_certificate=body.office_certificate,
    )


@router.post("/v1/identity/staff/tokens", response_model=TokenRead)
async def create_staff_token(body: TokenCreate, request: Request, ports: Ports) -> dict:
    """Staff sign-in (MB-6.1): a token carrying the staff member's roles, separate from user sign-in;
    failed sign-ins limited like users' (429 with Retry-After)."""
    token = await handlers.throttled_sign_in(
        ports,
        scope="staff",
        username=body.username,
        address=_address(request),
        attempt=lambda: staff.sign_in(
            ports.pool, ports.hasher, ports.issuer, username=body.username, password=body.password
        ),
    )
    return {"access_token": token, "expires_in": ports.issuer.ttl_s}


@router.get("/v1/identity/jwks.json")
async def jwks(ports: Ports) -> dict:
    """The public keys access tokens are signed with (RFC 7517)."""
    return ports.issuer.jwks()


class ReversalCreate(RequestModel):
    note: VisibleText = Field(min_length=3, max_length=2000)


def _standing_read(view: dict, entries: list[dict]) -> dict:
    until = view["suspended_until"]
    return {**view, "suspended_until": until.isoformat() if until else None, "ledger": entries}


@router.get("/v1/accounts/me/credit")
async def read_my_credit(account_id: ActiveAccount, ports: Ports) -> dict:
    """Your credit score, level and the limits in force, your active sanctions with their legal basis,
    and every ledger entry with its cause (MB-9, MB-15, PA-6.2, PA-13.1)."""
    # One snapshot: the score and the ledger it is derived from must agree.
    async with ports.pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        view = await standing.standing_view(conn, ports.credit, account_id)
        return _standing_read(view, await standing.ledger(conn, account_id))


@router.get("/v1/identity/staff/accounts/{account_id}/standing")
async def read_standing(account_id: uuid.UUID, principal: StandingReader, ports: Ports) -> dict:
    async with ports.pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        if await conn.fetchval("SELECT 1 FROM account WHERE id = $1", account_id) is None:
            raise NotFound("No such account.")
        view = await standing.standing_view(conn, ports.credit, account_id)
        return _standing_read(view, await standing.ledger(conn, account_id))


@router.post("/v1/identity/staff/credit-entries/{entry_id}/reversal")
async def reverse_credit_entry(entry_id: RowId, body: ReversalCreate, principal: AppealReviewer, ports: Ports) -> dict:
    """An appeal upheld (senior reviewer or chief editor): the penalty is reversed by a new entry and
    the sanction it caused is lifted; content enforces the change at once."""
    view = await standing.reverse(ports.pool, ports.credit, entry_id, by=principal.actor, note=body.note)
    return _standing_read(view, [])


@router.get("/v1/identity/staff/accounts/{account_id}/personal-data")
async def read_personal_data(
    account_id: uuid.UUID,
    request: Request,
    principal: PersonalDataReader,
    ports: Ports,
    reason: Annotated[VisibleText, Query(min_length=10, max_length=500, description="why it is read (recorded)")],
) -> dict:
    """The decrypted personal data of an account (MB-7.3, PA-9.1), with the names on the proofs of its
    V applications, for an operator or the chief editor with a stated reason; the read is recorded
    with who, when and why before anything is decrypted. Nothing of it reaches a log."""
    await record_staff_action(request, principal, reason=reason)
    async with ports.pool.acquire() as conn:
        account = await conn.fetchrow("SELECT phone_ciphertext FROM account WHERE id = $1", account_id)
        if account is None:
            raise NotFound("No such account.")
        real = await conn.fetchrow("SELECT * FROM real_name_verification WHERE account_id = $1", account_id)
    vault = ports.vault
    return {
        "account_id": str(account_id),
        "mobile": vault.open(account["phone_ciphertext"], purpose=handlers.PHONE),
        "legal_name": vault.open(real["legal_name_ciphertext"], purpose=handlers.LEGAL_NAME) if real else None,
        "id_number": vault.open(real["id_number_ciphertext"], purpose=handlers.ID_NUMBER) if real else None,
        "subject_type": real["subject_type"] if real else None,
        # MB-7.3: the names on the proofs of its V applications are read here only, audited.
        "verified_applications": await verified.proof_names(ports.pool, vault, account_id),
    }


class CancellationCreate(RequestModel):
    password: str = Field(min_length=1, max_length=256)


@router.post("/v1/accounts/me/cancellation", status_code=status.HTTP_202_ACCEPTED)
async def cancel_account(body: CancellationCreate, account_id: ActiveAccount, ports: Ports) -> dict:
    """Cancel your account (PA-9.2): it stops at once and its public content goes; the records the law
    requires are kept until `purge_after`, then your personal data is purged."""
    return await cancellation.cancel(ports, account_id, password=body.password, retention=ports.cancelled_retention)


class ProfileUpdate(RequestModel):
    display_name: VisibleText = Field(min_length=1, max_length=40)


class ProofFileIn(RequestModel):
    filename: VisibleText = Field(min_length=1, max_length=200)
    content_type: str = Field(pattern=r"^(image/(png|jpeg)|application/pdf)$")
    content_base64: str = Field(min_length=4, max_length=700_000)


class VerifiedApplicationCreate(RequestModel):
    v_type: verified.VType
    proof_name: VisibleText = Field(
        min_length=1, max_length=200, description="the name on the proof materials (sealed, never shown, MB-7.3)"
    )
    display_name: VisibleText | None = Field(
        default=None,
        min_length=1,
        max_length=40,
        description="the name the account shows (checked against impersonation, CM); required of an individual, "
        "an organization shows its proof name when omitted (MB-7.3)",
    )
    proof_number: str = Field(min_length=3, max_length=80, description="the ID, credit or registration number on them")
    files: list[ProofFileIn] = Field(min_length=1, max_length=5)


class ApplicationDecision(RequestModel):
    approve: Bool
    reason: VisibleText = Field(min_length=3, max_length=2000)


@router.put("/v1/accounts/me/profile")
async def update_profile(body: ProfileUpdate, account_id: ActiveAccount, ports: Ports) -> dict:
    """Set the display name; one that imitates a verified account, a government body or the platform is
    refused (CM)."""
    async with transaction(ports.pool) as conn:
        await verified.check_display_name(conn, account_id, body.display_name)
        await conn.execute("UPDATE account SET display_name = $2 WHERE id = $1", account_id, body.display_name)
        return await verified.profile(conn, account_id)


@router.get("/v1/accounts/{account_id}/profile")
async def read_profile(account_id: uuid.UUID, ports: Ports) -> dict:
    """An account's public profile: display name and, for a verified account, its type and verified name."""
    return await verified.profile(ports.pool, account_id)


@router.post("/v1/accounts/me/verified-applications", status_code=status.HTTP_201_CREATED)
async def apply_for_verification(body: VerifiedApplicationCreate, account_id: ActiveAccount, ports: Ports) -> dict:
    """Apply for a verified ("V") account (MB-8) with proof materials; the proof must match the verified
    identity, or the application is refused at once with the reason. Staff review the rest."""
    return await verified.apply(
        ports,
        account_id,
        v_type=body.v_type,
        proof_name=body.proof_name,
        proof_number=body.proof_number,
        files=[f.model_dump() for f in body.files],
        display_name=body.display_name,
    )


@router.get("/v1/identity/staff/verified-applications")
async def verification_queue(principal: Verifier, ports: Ports) -> list[dict]:
    """Applications waiting for review, oldest first (the roles that decide them): the name each shows,
    never the name on its proof (MB-7.3; read through the audited personal-data route)."""
    ids = await ports.pool.fetch(
        "SELECT id FROM verified_application WHERE status = 'submitted' ORDER BY submitted_at LIMIT 200"
    )
    return [await verified.application_view(ports.pool, r["id"]) for r in ids]


@router.post("/v1/identity/staff/verified-applications/{application_id}/decision")
async def decide_application(
    application_id: uuid.UUID, body: ApplicationDecision, principal: Verifier, ports: Ports
) -> dict:
    """Approve (shown on the account, filed with the office of its province, MB-10.1) or refuse with a reason."""
    return await verified.decide(ports, application_id, approve=body.approve, reason=body.reason, by=principal.actor)


class OperatorDeclarationCreate(RequestModel):
    registrant: VisibleText = Field(min_length=2, max_length=200)
    business_scope: VisibleText = Field(min_length=2, max_length=2000)
    accounts: list[uuid.UUID] = Field(min_length=2, max_length=1000)


@router.get("/v1/identity/grading-rules")
async def read_grading_rules(ports: Ports) -> dict:
    """The grading rules in force (MB-9): public, and filed with the regulator."""
    version, rules = await grades.current(ports.pool)
    return {"version": version, "rules": rules.model_dump()}


@router.post("/v1/identity/grading-rules", status_code=status.HTTP_201_CREATED)
async def publish_grading_rules(body: grades.GradingRules, principal: ChiefEditor, ports: Ports) -> dict:
    """Publish new grading rules (chief editor, MB-9): filed with the regulator; every account regraded."""
    return await filings.publish_grading_rules(ports, body, by=principal.actor)


@router.post("/v1/accounts/me/operator-declaration", status_code=status.HTTP_201_CREATED)
async def declare_operator(body: OperatorDeclarationCreate, account_id: ActiveAccount, ports: Ports) -> dict:
    """PA-7.3: an organization operating several public accounts declares registrant, business scope
    and account list; filed with the office of its province."""
    return await filings.declare_operator(
        ports,
        account_id,
        registrant=body.registrant,
        business_scope=body.business_scope,
        accounts=list(dict.fromkeys(body.accounts)),
    )


class ApiClientCreate(RequestModel):
    name: VisibleText = Field(min_length=2, max_length=200)
    icp_number: str = Field(min_length=8, max_length=40, description="ICP licence or filing number")


class ClientTokenCreate(RequestModel):
    client_id: str = Field(min_length=1, max_length=64)
    client_secret: str = Field(min_length=1, max_length=128)


class RevocationCreate(RequestModel):
    reason: VisibleText = Field(min_length=3, max_length=2000)


@router.post("/v1/identity/staff/api-clients", status_code=status.HTTP_201_CREATED)
async def register_api_client(body: ApiClientCreate, principal: ClientRegistrar, ports: Ports) -> dict:
    """Register a third-party application with its ICP number (BJ-7(6)); its secret is shown once."""
    return await clients.register(ports.pool, name=body.name, icp_number=body.icp_number, by=principal.actor)


@router.get("/v1/identity/staff/api-clients")
async def list_api_clients(principal: ClientRegistrar, ports: Ports) -> list[dict]:
    """Registered applications (operator or chief editor, BJ-7(6))."""
    return [clients.view(r) for r in await ports.pool.fetch("SELECT * FROM api_client ORDER BY registered_at")]


@router.post("/v1/identity/staff/api-clients/{client_id}/revocation")
async def revoke_api_client(
    client_id: uuid.UUID, body: RevocationCreate, principal: ClientRegistrar, ports: Ports
) -> dict:
    """Revoke a registration: every token issued through the client is refused everywhere at once."""
    return await clients.revoke(ports.pool, client_id, reason=body.reason, by=principal.actor)


@router.post("/v1/identity/client-tokens", response_model=TokenRead)
async def create_client_token(body: ClientTokenCreate, ports: Ports) -> dict:
    """A registered application's own token (client credentials), carrying its id."""
    client = await clients.authenticate(ports.pool, body.client_id, body.client_secret)
    token = ports.issuer.issue(str(client["id"]), kind="client", cid=str(client["id"]))
    return {"access_token": token, "expires_in": ports.issuer.ttl_s}
