"""The access token's claims: the contract between identity (the issuer) and every service that
reads a bearer token. Identity builds an ``AccessClaims`` and signs ``to_claims()``; the kit's verifier
checks the signature and gives services ``AccessClaims.from_claims(...)`` (``Principal.access``).

The wire names are short (every request carries them); the attribute names say what they mean.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from contracts.staff import StaffRole


class TokenKind(StrEnum):
    USER = "user"  # an account holder (through the app, or a registered client: ``client_id``)
    STAFF = "staff"  # a staff member with ``roles``
    CLIENT = "client"  # a registered third-party client itself (BJ-7(6))


def _moment(seconds: Any) -> datetime | None:
    return datetime.fromtimestamp(float(seconds), UTC) if seconds is not None else None


def _seconds(moment: datetime | None) -> int | None:
    return int(moment.timestamp()) if moment is not None else None


@dataclass(frozen=True, slots=True)
class AccessClaims:
    """What the issuer vouches for about the bearer (registered claims ``iss``, ``aud``, ``iat``, ``exp``
    are the issuer's and the verifier's business, not this object's)."""

    subject: str  # sub: the account, staff member or client id
    kind: TokenKind = TokenKind.USER  # kind
    # rnv: real-name verified (MB-7.1); content refuses publishing without it.
    real_name_verified: bool = False
    # rnx: when the verification expires (MB-7.2); publishing is refused after it, even with a token
    # issued before.
    real_name_expires_at: datetime | None = None
    # tos: the holder accepted the service agreement in force when the token was issued (MB-6.2).
    accepted_agreement: bool = False
    # tosv: the version of the agreement the holder accepted (MB-6.2): a newer one revokes older tokens.
    agreement_version: int | None = None
    # prov: the province of registration (GB/T 2260; not personal data on its own), for regional
    # emergency modes (MB-6.1) and regulators' jurisdiction.
    province: str | None = None
    # reg: when the account was registered (MB-9: new accounts may be reviewed more strictly).
    registered_at: datetime | None = None
    # cid: issued through (or to) a registered third-party client (BJ-7(6)).
    client_id: str | None = None
    roles: tuple[StaffRole, ...] = ()  # roles: a staff member's roles
    name: str | None = None  # name: a staff member's username, for audit records
    # act: on an acting token only, the operator (a user account) acting as the public account in ``sub``
    # (PA-7.1); recorded as the editor of what it publishes.
    actor: str | None = None

    def to_claims(self) -> dict[str, Any]:
        """The JWT claims (only those set)."""
        claims: dict[str, Any] = {"sub": self.subject, "kind": str(self.kind)}
        if self.kind is TokenKind.USER:
            claims.update(rnv=self.real_name_verified, tos=self.accepted_agreement)
        optional = {
            "rnx": _seconds(self.real_name_expires_at),
            "tosv": self.agreement_version,
            "prov": self.province,
            "reg": _seconds(self.registered_at),
            "cid": self.client_id,
            "roles": [str(r) for r in self.roles] or None,
            "name": self.name,
            "act": self.actor,
        }
        claims.update({k: v for k, v in optional.items() if v is not None})
        return claims

    @classmethod
    def from_claims(cls, claims: dict[str, Any]) -> AccessClaims:
        """Read verified claims; unknown roles are ignored (a newer issuer may know more)."""
        known_roles = {r.value for r in StaffRole}
        return cls(
            subject=str(claims["sub"]),
            kind=TokenKind(claims.get("kind", TokenKind.USER)),
            real_name_verified=claims.get("rnv") is True,
            real_name_expires_at=_moment(claims.get("rnx")),
            accepted_agreement=claims.get("tos") is True,
            agreement_version=int(claims["tosv"]) if claims.get("tosv") is not None else None,
            province=str(claims["prov"]) if claims.get("prov") else None,
            registered_at=_moment(claims.get("reg")),
            client_id=str(claims["cid"]) if claims.get("cid") is not None else None,
            roles=tuple(StaffRole(r) for r in claims.get("roles", ()) if r in known_roles),
            name=claims.get("name"),
            actor=str(claims["act"]) if claims.get("act") is not None else None,
        )
