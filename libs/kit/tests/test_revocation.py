"""Token revocations as every service applies them (auth.revocation.v1): a whole claim value, or an
account's tokens issued before a moment (PA-9.2, PA-13.1), forgotten once they can refuse nothing."""

from __future__ import annotations

import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from google.protobuf.timestamp_pb2 import Timestamp
from jwt.algorithms import OKPAlgorithm
from kit.auth import TokenRevoked, TokenVerifier
from kit.revocation import apply_revocation
from qinglang.auth.v1 import revocation_pb2

KEY = Ed25519PrivateKey.generate()


def verifier() -> TokenVerifier:
    v = TokenVerifier("http://127.0.0.1:9/unused", issuer="iss", audience="aud")
    v.use_keys({"keys": [{**json.loads(OKPAlgorithm.to_jwk(KEY.public_key())), "kid": "k1"}]})
    return v


def token(sub: str, iat: float, **claims: object) -> str:
    body = {"iss": "iss", "aud": "aud", "sub": sub, "iat": iat, "exp": int(time.time()) + 600, **claims}
    return jwt.encode(body, KEY, algorithm="EdDSA", headers={"kid": "k1"})


def stamp(seconds: float) -> Timestamp:
    ts = Timestamp()
    ts.FromNanoseconds(int(seconds * 1e9))
    return ts


@pytest.mark.requirement("PA-9.2")
async def test_an_accounts_tokens_issued_before_the_moment_are_refused_and_later_ones_accepted() -> None:
    v = verifier()
    moment = time.time() - 0.2  # within one second: milliseconds decide
    old, new = token("acct-1", round(moment - 0.4, 3)), token("acct-1", round(moment + 0.1, 3))
    other = token("acct-2", round(moment - 0.4, 3))
    assert (await v.verify(old)).subject == "acct-1"  # cached as verified before the revocation
    apply_revocation(
        v,
        revocation_pb2.TokenRevocation(
            claim="sub",
            value="acct-1",
            reason="account cancelled",
            legal_basis=["PA-9.2"],
            issued_before=stamp(moment),
            expires_at=stamp(moment + 3600),
        ),
    )
    with pytest.raises(TokenRevoked) as refused:
        await v.verify(old)
    assert refused.value.requirement == "PA-9.2" and refused.value.status == 403
    assert (await v.verify(new)).subject == "acct-1"  # a sign-in after the moment (milliseconds count)
    assert (await v.verify(other)).subject == "acct-2"


async def test_a_full_revocation_stays_full_and_an_expired_one_is_forgotten() -> None:
    v = verifier()
    now = time.time()
    v.revoke("cid", "app-1", requirement="BJ-7(6)", reason="ICP filing cancelled")
    v.revoke("cid", "app-1", issued_before=now - 10, expires_at=now + 60)  # cannot narrow a full revocation
    with pytest.raises(TokenRevoked):
        await v.verify(token("acct-3", round(now - 1, 3), cid="app-1"))
    v.revoke("sub", "acct-4", issued_before=now, expires_at=now - 1)  # every token it refuses has expired
    v.revoke("sub", "acct-5", issued_before=now, expires_at=now + 60)  # a later revocation sweeps
    assert "acct-4" not in v.revocations["sub"] and "acct-5" in v.revocations["sub"]
