"""Token revocations every service honours at once, on ``auth.revocation.v1`` (announced by
identity, the token issuer; read by every process through the kit's revocation machinery)."""

from __future__ import annotations

from qinglang.auth.v1 import revocation_pb2

from contracts.catalogue import CATALOGUE

OWNER = "identity"

REVOCATION_TOPIC = CATALOGUE.topic("auth.revocation.v1", owner=OWNER)

TOKEN_REVOKED = CATALOGUE.event("qinglang.auth.token_revoked.v1", REVOCATION_TOPIC, revocation_pb2.TokenRevocation)
