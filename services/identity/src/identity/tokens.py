"""Access tokens: EdDSA (Ed25519) JWTs, and the JWKS every service verifies them with."""

from __future__ import annotations

import base64
import hashlib
import json
import math
import time
from typing import Any

import jwt
from contracts.claims import AccessClaims
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm


class TokenIssuer:
    def __init__(self, signing_key_pem_b64: str, *, issuer: str, audience: str, ttl_s: int) -> None:
        key = serialization.load_pem_private_key(base64.b64decode(signing_key_pem_b64), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("TOKEN_SIGNING_KEY must be an Ed25519 private key")
        self._key = key
        public_raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.kid = base64.urlsafe_b64encode(hashlib.sha256(public_raw).digest()[:16]).decode().rstrip("=")
        self._issuer = issuer
        self._audience = audience
        self.ttl_s = ttl_s

    def issue(self, subject: str, *, ttl_s: int | None = None, **claims: Any) -> str:
        now = time.time()
        payload = {
            "iss": self._issuer,
            "aud": self._audience,
            "sub": subject,
            # Milliseconds (RFC 7519 allows a fractional NumericDate): an account's sessions end at a
            # moment (auth.revocation.v1 "issued_before"); a sign-in in the same second after it counts.
            "iat": math.floor(now * 1000) / 1000,  # down: never later than the moment it was issued
            "exp": int(now) + (ttl_s or self.ttl_s),
            **claims,
        }
        return jwt.encode(payload, self._key, algorithm="EdDSA", headers={"kid": self.kid})

    def issue_access(self, claims: AccessClaims, *, ttl_s: int | None = None) -> str:
        """A token saying what ``claims`` say (the contract's names, contracts.claims); ``ttl_s``: a
        lifetime other than the default (an acting token's, say)."""
        payload = claims.to_claims()
        return self.issue(payload.pop("sub"), ttl_s=ttl_s, **payload)

    def jwks(self) -> dict[str, Any]:
        jwk = json.loads(OKPAlgorithm.to_jwk(self._key.public_key()))
        jwk.update({"kid": self.kid, "use": "sig", "alg": "EdDSA"})
        return {"keys": [jwk]}
