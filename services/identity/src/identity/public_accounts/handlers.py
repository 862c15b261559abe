"""Public accounts (公众账号, PA-2, PA-6, PA-7, CM): registration by a verified subject, the staff review
queue and decision, operators and the acting tokens they act with. One async function per command; each
owns its transaction (state and announcements together).

The approval is one transaction under the subject's lock (the lock real-name verification and the V
review take): the cap and the operator declaration are counted there (PA-7.3), and the account row
(kind 'public': no password, no mobile number), the public account, its owner operator and its first
standing are written with their announcements (AccountRegistered, PublicAccountApproved,
AccountStandingChanged). Removing an editor revokes the acting tokens it holds everywhere (claim "act").
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from kit.auth import Principal, TokenRevoked
from kit.pagination import decode_cursor, page
from kit.problems import Conflict, NotFound

from identity import events
from identity.accounts.domain import CANCELLATION_BASIS
from identity.accounts.handlers import check_password, end_sessions
from identity.licences import handlers as licences
from identity.ports import IdentityPorts, Tx
from identity.public_accounts.domain import (
    AlreadyDecided,
    ApplicationStatus,
    NameTaken,
    NotAnOperator,
    NotTheOwner,
    OperatorRole,
    PublicAccountClosed,
    PublicAccountKind,
    acting_claims,
    check_cap,
    check_declaration,
    check_kind,
    check_may_add_editor,
    check_name,
    check_registrant,
    label_of,
)
from identity.realname.domain import check_not_blacklisted
from identity.standing.handlers import announce_standing

APPROVAL_BASIS = ["PA-7.1", "PA-7.3", "PA-2"]
# A minute past the acting tokens' lifetime every token a removal revokes has expired anyway.
REVOCATION_MARGIN = timedelta(minutes=1)


async def register(
    ports: IdentityPorts,
    registrant: uuid.UUID,
    *,
    name: str,
    kind: PublicAccountKind,
    category: str,
    business_scope: str,
    qualifications: list[dict],
) -> Any:
    """Submit a public account for review (PA-7.1): refused at once when the registrant is not verified
    (MB-7.1, MB-7.2), its subject is blacklisted (PA-13.2), the kind does not suit the subject (PA-7.1), the
    name imitates another (CM) or the subject is at its cap (PA-7.3, counted again at approval)."""
    now = datetime.now(UTC)
    async with ports.db.transaction() as tx:
        real = await tx.realname.of_account(registrant)
        check_registrant(real, now)
        account = await tx.accounts.by_id(registrant)
        check_kind(kind, subject_type=real["subject_type"], verified_type=account["verified_type"])
        folded = check_name(
            name,
            own_verified=account["verified_display_name"],
            others_verified=await tx.verified.others_verified_names(registrant),
            live_names=await tx.public_accounts.live_names(exclude_subject=bytes(real["id_number_lookup"])),
        )
        lookup = bytes(real["id_number_lookup"])
        check_not_blacklisted(await tx.realname.blacklisted(lookup))  # PA-13.2: no new account for it
        live = await tx.public_accounts.live_of_subject(lookup)
        check_cap(real["subject_type"], len(live), ports.public_account_caps)
        await licences.check_qualifications(tx, lookup, qualifications)  # PA-8: 422 unknown-licence
        application_id = uuid.uuid4()
        inserted = await tx.public_accounts.insert_application(
            application_id,
            registrant=registrant,
            subject_lookup=lookup,
            name=name.strip(),
            name_folded=folded,
            kind=kind.value,
            category=category,
            business_scope=business_scope,
            qualifications=qualifications,
            province_code=real["province_code"],
        )
        if not inserted:
            raise NameTaken("A public account or a waiting application has this name.", requirement="CM")
        return await tx.public_accounts.application(application_id)


async def queue(
    ports: IdentityPorts, *, status: str | None, cursor: str | None, limit: int
) -> tuple[list[Any], str | None]:
    after = decode_cursor(cursor, datetime, uuid.UUID) if cursor else None
    async with ports.db.connection() as tx:
        rows = await tx.public_accounts.applications(status=status, after=after, limit=limit + 1)
    found = page(rows, limit, lambda r: (r["submitted_at"], r["id"]))
    return found["items"], found["next_cursor"]


async def decide(ports: IdentityPorts, application_id: uuid.UUID, *, approve: bool, reason: str, by: str) -> Any:
    """Staff decide an application (PA-7.1). An approval counts the subject's live public accounts under
    the subject's lock (cap and operator declaration, PA-7.3) and creates the account in the same
    transaction as its announcements."""
    async with ports.db.transaction() as tx:
        row = await tx.public_accounts.application(application_id)
        if row is None:
            raise NotFound("No such application.")
        lookup = bytes(row["subject_lookup"])
        if approve:
            await tx.realname.lock_subject(lookup)  # before the row lock: the order verification takes
        row = await tx.public_accounts.application(application_id, for_update=True)
        if row["status"] != ApplicationStatus.SUBMITTED:
            raise AlreadyDecided(f"This application was {row['status']} already.", requirement="PA-7.1")
        now = datetime.now(UTC)
        if not approve:
            await tx.public_accounts.decide(
                application_id, status=ApplicationStatus.REFUSED, reason=reason, by=by, at=now, public_account_id=None
            )
            return await tx.public_accounts.application(application_id)
        real = await tx.realname.of_account(row["registrant_account_id"])
        subject_type = real["subject_type"] if real else "individual"
        check_not_blacklisted(await tx.realname.blacklisted(lookup))  # PA-13.2: listed since it applied
        live = await tx.public_accounts.live_of_subject(lookup)
        check_cap(subject_type, len(live), ports.public_account_caps)
        check_declaration(subject_type, live, await tx.public_accounts.declarations_of_subject(lookup))
        public_id = uuid.uuid4()
        label = label_of(row["kind"])
        await tx.public_accounts.insert_account(public_id, name=row["name"])
        await tx.public_accounts.insert_public_account(row, public_id, label=label, at=now)
        await tx.public_accounts.add_operator(
            public_id, row["registrant_account_id"], role=OperatorRole.OWNER, by=row["registrant_account_id"], at=now
        )
        await tx.public_accounts.decide(
            application_id, status=ApplicationStatus.APPROVED, reason=reason, by=by, at=now, public_account_id=public_id
        )
        await tx.announce(events.account_registered(public_id, now))
        await tx.announce(
            events.public_account_approved(
                public_id,
                owner_account_id=row["registrant_account_id"],
                name=row["name"],
                kind=row["kind"],
                label=label,
                category=row["category"],
                business_scope=row["business_scope"],
                qualifications=_qualifications(row),
                province_code=row["province_code"],
                approved_at=now,
                reviewed_by=by,
                legal_basis=APPROVAL_BASIS,
            )
        )
        await announce_standing(tx, ports.credit, public_id, cause="public_account_approved", basis=APPROVAL_BASIS)
        await licences.announce_for_account(tx, public_id, lookup)  # MB-4, PA-8: the subject's news licences
        return await tx.public_accounts.application(application_id)


def _qualifications(row: Any) -> list[dict]:
    value = row["qualifications"]
    return json.loads(value) if isinstance(value, str) else list(value)


async def read(ports: IdentityPorts, public_account_id: uuid.UUID, principal: Principal | None) -> dict[str, Any]:
    """A public account as anyone sees it; an acting token of it also learns its operator's role (refused
    when that operator was removed after the token was issued)."""
    async with ports.db.connection() as tx:
        found = await tx.public_accounts.get(public_account_id)
        if found is None or found["cancelled_at"] is not None:
            raise NotFound("No such public account.")
        acting = None
        if principal is not None and principal.access.actor and principal.subject == str(public_account_id):
            operator = await tx.public_accounts.operator(public_account_id, uuid.UUID(principal.access.actor))
            _check_acting(operator, float(principal.claim("iat", 0)))
            acting = {"operator_id": operator["account_id"], "role": operator["role"]}
    return {"account": found, "acting": acting}


def _check_acting(operator: Any, issued_at: float) -> None:
    """Identity refuses at once, before the revocation announcement reaches this process."""
    if operator is None:
        raise NotAnOperator("This token's operator does not operate this public account.", requirement="PA-7.1")
    removed = operator["removed_at"]
    if removed is not None and issued_at < removed.timestamp():
        raise TokenRevoked("This operator was removed; the acting token is revoked.", requirement="PA-7.1")


async def mine(ports: IdentityPorts, account_id: uuid.UUID) -> dict[str, Any]:
    async with ports.db.connection() as tx:
        return {
            "applications": await tx.public_accounts.applications_of(account_id),
            "operated": await tx.public_accounts.operated_by(account_id),
        }


async def _live(tx: Tx, public_account_id: uuid.UUID) -> Any:
    found = await tx.public_accounts.get(public_account_id)
    if found is None or found["cancelled_at"] is not None:
        raise NotFound("No such public account.")
    return found


async def _owned(tx: Tx, public_account_id: uuid.UUID, caller: uuid.UUID) -> Any:
    found = await _live(tx, public_account_id)
    if found["owner_account_id"] != caller:
        raise NotTheOwner("Only the public account's owner manages its operators.", requirement="PA-7.1")
    return found


async def put_operator(
    ports: IdentityPorts, public_account_id: uuid.UUID, caller: uuid.UUID, account_id: uuid.UUID
) -> list[Any]:
    """The owner adds an editor (PA-7.1): a real-name verified user account (MB-7.1)."""
    now = datetime.now(UTC)
    async with ports.db.transaction() as tx:
        await _owned(tx, public_account_id, caller)
        editor = await tx.accounts.by_id(account_id)
        if editor is None or editor["kind"] != "user" or editor["cancelled_at"] is not None:
            raise NotFound("No such account.")
        check_may_add_editor(await tx.realname.of_account(account_id), now)
        await tx.public_accounts.add_operator(
            public_account_id, account_id, role=OperatorRole.EDITOR, by=caller, at=now
        )
        return await tx.public_accounts.operators(public_account_id)


async def delete_operator(
    ports: IdentityPorts, public_account_id: uuid.UUID, caller: uuid.UUID, account_id: uuid.UUID
) -> None:
    """The owner removes an editor: the editor's acting tokens issued before now are refused everywhere
    (claim "act"; it ends them for every account the editor operates, who signs for a new one)."""
    now = datetime.now(UTC)
    async with ports.db.transaction() as tx:
        await _owned(tx, public_account_id, caller)
        if not await tx.public_accounts.remove_operator(public_account_id, account_id, now):
            existing = await tx.public_accounts.operator(public_account_id, account_id)
            if existing is not None and existing["role"] == OperatorRole.OWNER:
                raise Conflict("The owner cannot be removed.", requirement="PA-7.1")
            raise NotFound("No such operator.")
        await _announce_removal(tx, account_id, now, ports.acting_token_ttl_s)


async def _announce_removal(tx: Tx, operator: uuid.UUID, at: datetime, ttl_s: int) -> None:
    await tx.announce_revocation(
        claim="act",
        value=str(operator),
        reason="operator removed from a public account",
        legal_basis=["PA-7.1"],
        revoked_at=at,
        issued_before=at,
        expires_at=at + timedelta(seconds=ttl_s) + REVOCATION_MARGIN,
    )


async def reannounce_removals(tx: Tx, ttl_s: int) -> None:
    """Operator removals whose revoked tokens may still be unexpired, again (a broker may forget)."""
    since = datetime.now(UTC) - timedelta(seconds=ttl_s) - REVOCATION_MARGIN
    for row in await tx.public_accounts.removals_since(since):
        await _announce_removal(tx, row["account_id"], row["removed_at"], ttl_s)


async def acting_token(ports: IdentityPorts, public_account_id: uuid.UUID, operator_id: uuid.UUID) -> str:
    """An acting token (PA-7.1): ``sub`` the public account, ``act`` the operator, short-lived."""
    async with ports.db.connection() as tx:
        found = await _live(tx, public_account_id)
        if found["closed_at"] is not None:
            raise PublicAccountClosed("This public account was closed.", requirement="PA-13.1")
        operator = await tx.public_accounts.operator(public_account_id, operator_id)
        if operator is None or operator["removed_at"] is not None:
            raise NotAnOperator("You do not operate this public account.", requirement="PA-7.1")
        account = await tx.accounts.by_id(operator_id)
    now = datetime.now(UTC)
    if account["verified_at"] is None or account["expires_at"] <= now:
        raise NotAnOperator("An operator acts as a public account with a verified real name.", requirement="MB-7.1")
    return ports.issuer.issue_access(acting_claims(account, found, now), ttl_s=ports.acting_token_ttl_s)


async def cancel(
    ports: IdentityPorts, public_account_id: uuid.UUID, owner: uuid.UUID, *, password: str
) -> dict[str, Any]:
    """The owner cancels a public account (PA-9.2), confirming with its own password: it goes at once (its
    acting tokens end everywhere, its public content goes as for any cancelled account: AccountCancelled),
    it frees its slot under the subject's cap (PA-7.3), and its records are kept for the retention."""
    async with ports.db.connection() as tx:
        found = await _live(tx, public_account_id)
        if found["owner_account_id"] != owner:
            raise NotTheOwner("Only the public account's owner cancels it.", requirement="PA-9.2")
        account = await tx.accounts.by_id(owner)
    await check_password(ports, account["password_hash"], password, "The password is wrong.")
    now = datetime.now(UTC)
    purge_after = now + ports.cancelled_retention
    async with ports.db.transaction() as tx:
        await tx.realname.lock_subject(bytes(found["subject_lookup"]))
        if not await tx.accounts.cancel(public_account_id, now, purge_after):
            raise Conflict("This public account is cancelled already.", requirement="PA-9.2")
        await tx.public_accounts.cancel(public_account_id, now)
        # Every acting token of it (sub = the public account) ends at once, everywhere.
        await end_sessions(
            tx,
            public_account_id,
            at=now,
            token_ttl_s=ports.acting_token_ttl_s,
            reason="public account cancelled",
            legal_basis=CANCELLATION_BASIS,
        )
        await tx.announce(
            events.account_cancelled(
                public_account_id, cancelled_at=now, purge_after=purge_after, legal_basis=CANCELLATION_BASIS
            )
        )
    return {"cancelled_at": now.isoformat(), "purge_after": purge_after.isoformat(), "legal_basis": CANCELLATION_BASIS}
