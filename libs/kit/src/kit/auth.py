"""Access-token checks: every service verifies the signed token itself, against identity's JWKS."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Annotated, Any

import httpx
import jwt
from contracts.claims import AccessClaims, TokenKind
from contracts.staff import StaffRole
from contracts.userlog import UserLogKind
from fastapi import APIRouter, Depends, Query, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from kit.db import transaction
from kit.inputs import Text
from kit.outbox import enqueue_row
from kit.problems import Forbidden, Unauthorized
from kit.userlog import Client

ALGORITHMS = ["EdDSA"]


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the account id and the claims the issuer vouched for."""

    subject: str
    claims: dict[str, Any] = field(default_factory=dict)
    # The claims as the contract types them (contracts.claims): read once, when the token is verified
    # (the verifier caches the principal per token, so a request pays nothing for it).
    access: AccessClaims = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "access", AccessClaims.from_claims({"sub": self.subject, **self.claims}))

    def claim(self, name: str, default: Any = None) -> Any:
        return self.claims.get(name, default)

    @property
    def actor(self) -> str:
        """How records name who acted: `staff:<id>` or `user:<id>`."""
        return f"{self.access.kind}:{self.subject}"


class TokenRevoked(Forbidden):
    type = "token-revoked"
    title = "Token revoked"


@dataclass(frozen=True, slots=True)
class Revocation:
    issued_before: float | None  # epoch seconds; None: every token
    expires_at: float | None  # epoch seconds; None: for good
    requirement: str | None
    reason: str


class TokenVerifier:
    """Verifies EdDSA-signed JWTs with keys fetched from a JWKS URL, refreshed on an unknown key id."""

    def __init__(
        self, jwks_url: str, *, issuer: str, audience: str, min_refresh_s: float = 5.0, cache_size: int = 10_000
    ) -> None:
        self._jwks_url = jwks_url
        self._issuer = issuer
        self._audience = audience
        self._keys: dict[str, jwt.PyJWK] = {}
        self._lock = asyncio.Lock()
        self._fetched_at = 0.0
        self._min_refresh_s = min_refresh_s
        # Verified tokens, until they expire: a client sends the same token with many requests,
        # and checking an EdDSA signature again each time is the costliest part of a request.
        self._verified: dict[str, tuple[float, Principal]] = {}
        self._cache_size = cache_size
        # claim -> value -> revocation (auth.revocation.v1): a third-party client's tokens (claim
        # "cid", all of them) or an account's sessions (claim "sub", the tokens issued before a moment).
        self.revocations: dict[str, dict[str, Revocation]] = {}

    def revoke(
        self,
        claim: str,
        value: str,
        *,
        issued_before: float | None = None,
        expires_at: float | None = None,
        requirement: str | None = None,
        reason: str = "",
    ) -> None:
        """Refuse tokens carrying ``claim == value``: every one, or (``issued_before``, epoch seconds)
        those issued before that moment. ``expires_at``: when the revocation may be forgotten (every
        token it refuses has expired by then). A later revocation of the same value only widens it."""
        by_value = self.revocations.setdefault(claim, {})
        known = by_value.get(value)
        if known is not None:
            if known.issued_before is None:
                return  # everything is refused already
            if issued_before is not None and issued_before <= known.issued_before:
                return
        by_value[value] = Revocation(issued_before, expires_at, requirement, reason)
        self._forget_expired()

    def _forget_expired(self) -> None:
        now = time.time()
        for by_value in self.revocations.values():
            for value in [v for v, r in by_value.items() if r.expires_at is not None and r.expires_at < now]:
                del by_value[value]

    def _check_revoked(self, principal: Principal) -> Principal:
        for claim, by_value in self.revocations.items():
            revocation = by_value.get(str(principal.claim(claim)))
            if revocation is None:
                continue
            if revocation.issued_before is None:
                what = "the application this token was issued through" if claim == "cid" else f"this {claim}"
                raise TokenRevoked(
                    f"Every token of {what} was revoked ({revocation.reason or 'no reason given'}).",
                    requirement=revocation.requirement,
                    revoked_claim=claim,
                )
            if float(principal.claim("iat", 0)) < revocation.issued_before:
                raise TokenRevoked(
                    f"This session was ended ({revocation.reason or 'revoked'}); sign in again where the account "
                    "may still be used.",
                    requirement=revocation.requirement,
                    revoked_claim=claim,
                )
        return principal

    def use_keys(self, jwks: dict[str, Any]) -> None:
        self._keys = {k["kid"]: jwt.PyJWK(k) for k in jwks.get("keys", []) if "kid" in k}
        self._fetched_at = time.monotonic()
        self._verified = {}  # a key may have been withdrawn: verify everything again

    async def _refresh(self) -> None:
        async with self._lock:
            if time.monotonic() - self._fetched_at < self._min_refresh_s and self._keys:
                return
            async with httpx.AsyncClient(timeout=5) as client:
                response = await client.get(self._jwks_url)
                response.raise_for_status()
            self.use_keys(response.json())

    async def verify(self, token: str) -> Principal:
        cached = self._verified.get(token)
        if cached is not None and cached[0] > time.time():
            return self._check_revoked(cached[1]) if self.revocations else cached[1]
        principal = await self._verify_signature(token)
        if len(self._verified) >= self._cache_size:
            self._verified.clear()  # simplest bound: start over; the next requests refill it
        self._verified[token] = (float(principal.claims["exp"]), principal)
        return self._check_revoked(principal) if self.revocations else principal

    async def _verify_signature(self, token: str) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise Unauthorized("The access token is malformed.") from exc
        kid = header.get("kid")
        if kid not in self._keys:
            try:
                await self._refresh()
            except (httpx.HTTPError, json.JSONDecodeError, jwt.PyJWTError) as exc:
                raise Unauthorized("The token's signing keys cannot be fetched right now.") from exc
        key = self._keys.get(kid)
        if key is None:
            raise Unauthorized("The access token was signed by an unknown key.")
        try:
            claims = jwt.decode(
                token,
                key=key,
                algorithms=ALGORITHMS,
                audience=self._audience,
                issuer=self._issuer,
                options={"require": ["exp", "iat", "sub"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise Unauthorized("The access token has expired; sign in again.") from exc
        except jwt.PyJWTError as exc:
            raise Unauthorized("The access token is not valid.") from exc
        try:
            return Principal(subject=str(claims["sub"]), claims=claims)
        except (TypeError, ValueError, OverflowError) as exc:  # signed, yet not the contract's claims
            raise Unauthorized("The access token's claims are not ones this platform issues.") from exc


_bearer = HTTPBearer(auto_error=False)
# Staff routes name their own scheme, so their OpenAPI document tells them apart (and lists, as the
# scheme's roles, the staff roles each admits: OpenAPI 3.1 allows role names for any scheme).
_staff_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="StaffToken",
    description="A staff token (`kind: staff`, from POST /v1/identity/staff/tokens). Each operation lists the "
    "staff roles it admits; none listed: any staff role.",
)


async def current_principal(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("Send an access token: 'Authorization: Bearer <token>'.")
    verifier: TokenVerifier = request.app.state.token_verifier
    return await verifier.verify(credentials.credentials)


async def current_user(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
    """The caller of a user route: a user's own token. A staff member's token or an application's
    own client token names no user account, so it is refused here, before any route reads its subject."""
    kind = principal.access.kind
    if kind is not TokenKind.USER:
        raise Forbidden(
            f"This route acts for a signed-in user; a {kind} token cannot use it (sign in at POST /v1/tokens)."
        )
    return principal


async def optional_principal(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Principal | None:
    if credentials is None:
        return None
    return await current_principal(request, credentials)


# Any valid token: a user's, a staff member's or an application's (check the kind yourself).
AnyPrincipal = Annotated[Principal, Depends(current_principal)]
# A user's token; every user route takes this one.
CurrentPrincipal = Annotated[Principal, Depends(current_user)]
OptionalPrincipal = Annotated[Principal | None, Depends(optional_principal)]


def staff_with(*roles: StaffRole, requirement: str | None = None) -> Any:
    """A dependency admitting a staff token (`kind: staff`) holding one of `roles` (any staff role
    when none are named; the roles are the contract's, contracts.staff). The route's OpenAPI operation
    carries the `StaffToken` scheme with the roles it admits."""

    async def admit(
        request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_staff_bearer)]
    ) -> Principal:
        principal = await current_principal(request, credentials)
        access = principal.access
        if access.kind is not TokenKind.STAFF:
            raise Forbidden("Staff only: sign in at /v1/identity/staff/tokens.", requirement=requirement)
        held = {str(r) for r in access.roles}
        allowed = not roles or bool(held & {str(r) for r in roles})
        await record_staff_action(request, principal, allowed=allowed)
        if not allowed:
            raise Forbidden(
                f"This needs the role {' or '.join(roles)}; the token holds {', '.join(sorted(held)) or 'none'}.",
                requirement=requirement,
            )
        return principal

    return Security(admit, scopes=[str(r) for r in roles])


async def record_staff_action(
    request: Request, principal: Principal, *, allowed: bool = True, reason: str | None = None
) -> None:
    """Append what a staff member asked of this service to its `staff_action` table (every staff
    action is recorded, refused ones too); `reason` says why personal data was read. The same action joins
    the user log (MB-16.2, MB-6.1: the regulator's archive chains staff audit trails with the users' logs),
    announced in the same transaction."""
    runtime = request.app.state.runtime
    async with transaction(runtime.pool) as conn:
        await conn.execute(
            "INSERT INTO staff_action (actor, roles, method, path, allowed, reason) VALUES ($1, $2, $3, $4, $5, $6)",
            principal.actor,
            list(principal.claim("roles", [])),
            request.method,
            request.url.path,
            allowed,
            reason,
        )
        if runtime.user_log is not None:
            await enqueue_row(
                conn,
                runtime.user_log.entry(
                    UserLogKind.STAFF_ACTION,
                    Client.of(request),
                    actor_id=principal.actor,
                    succeeded=allowed,
                    detail=f"{request.method} {request.url.path}",
                ),
            )


def staff_actions_router(prefix: str, *roles: str) -> APIRouter:
    """`GET {prefix}/staff-actions`: this service's record of staff actions, for the given roles
    (an auditor, say), newest first."""
    router = APIRouter(tags=["staff audit"])
    auditor = staff_with(*roles)  # a default, not an annotation: annotations here are strings

    @router.get(f"{prefix}/staff-actions")
    async def staff_actions(
        request: Request,
        actor: Text | None = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        principal: Principal = auditor,
    ) -> list[dict]:
        rows = await request.app.state.runtime.pool.fetch(
            """SELECT * FROM staff_action WHERE ($1::text IS NULL OR actor = $1) ORDER BY id DESC LIMIT $2""",
            actor,
            limit,
        )
        return [
            {
                "id": r["id"],
                "actor": r["actor"],
                "roles": list(r["roles"]),
                "method": r["method"],
                "path": r["path"],
                "allowed": r["allowed"],
                "reason": r["reason"],
                "at": r["at"].isoformat(),
            }
            for r in rows
        ]

    return router
