"""identity/agreement/handlers.py against the in-memory database (conftest.py)."""

from __future__ import annotations

import pytest
from identity.agreement import handlers


@pytest.mark.requirement("MB-6.2")
async def test_a_new_agreement_revokes_at_once_the_tokens_of_the_one_it_replaces(ports, db) -> None:
    published = await handlers.publish(ports, title="Agreement v2", body="The new rules, in full.", by="staff:op")
    assert published["version"] == 2
    [revocation] = db.state.revocations
    assert (revocation["claim"], revocation["value"], revocation["legal_basis"]) == ("tosv", "1", ["MB-6.2"])
    # Every token saying version 1 was accepted has expired by the time the revocation is forgotten.
    assert (revocation["expires_at"] - published["published_at"]).total_seconds() > ports.issuer.ttl_s
