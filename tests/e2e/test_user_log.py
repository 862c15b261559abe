"""The user log's producers through the gateway (issue 15; MB-16.2, PA-16.2): registration, sign-ins (a failed one
too), a sign-out, a post and its deletion, and a staff action are each announced once, in the transaction of what they
record, with the account, the subject and the client's network address and source port as the gateway saw them —
sealed, so that only the archive's key opens them, and never in clear on the broker."""

from __future__ import annotations

import base64
import hashlib
import uuid

import httpx
import jwt
import psycopg
import pytest
from contracts.userlog import USER_LOG_RECORDED
from devstack.stack import StackInfo
from devstack.testing import Infra, poll
from journeys import Flow
from nacl.public import PrivateKey, SealedBox


def entries(platform: StackInfo, service: str) -> list:
    """The service's user log announcements, oldest first (its outbox keeps them past publication)."""
    event_type = USER_LOG_RECORDED[service]
    with psycopg.connect(platform.database_urls[service]) as conn:
        rows = conn.execute(
            "SELECT payload FROM outbox_event WHERE ce_type = %s ORDER BY id", (event_type.name,)
        ).fetchall()
    return [event_type.parse(bytes(payload)) for (payload,) in rows]


@pytest.mark.requirement("MB-16.2")
@pytest.mark.requirement("PA-16.2")
def test_sign_ins_posts_deletions_and_staff_actions_are_logged_with_the_sealed_address_and_port(
    flow: Flow, gateway: httpx.Client, platform: StackInfo, infra: Infra
) -> None:
    archive = SealedBox(PrivateKey(base64.b64decode(infra.stack.dev_secrets()["USER_LOG_OPEN_KEY"])))
    user = flow.verified_user()
    refused = gateway.post("/v1/tokens", json={"username": user.username, "password": "not the password"})
    assert refused.status_code == 401
    text = f"今天天气很好 {uuid.uuid4().hex[:6]}"
    post = flow.post(user, text)
    assert gateway.delete(f"/v1/posts/{post['id']}", headers=user.auth).status_code == 204
    auditor = flow.staff("auditor")
    assert gateway.get("/v1/content/staff-actions", headers=auditor.auth).status_code == 200
    # Signing out ends every session at once, everywhere; the user log records it.
    assert gateway.post("/v1/accounts/me/sign-out", headers=user.auth).status_code == 204
    poll(
        lambda: (
            (r := gateway.post("/v1/posts", headers=user.auth, json={"text": "还在吗"})).status_code == 403
            and r.json()["type"].endswith("/token-revoked")
        ),
        what="the signed-out token refused by content",
    )

    mine = [e for e in entries(platform, "identity") if e.account_id == user.id]
    kinds = [e.kind for e in mine]
    assert kinds.count("account.registered") == 1 and kinds.count("session.sign_in_failed") == 1
    assert kinds.count("session.signed_out") == 1
    assert [e.succeeded for e in mine if e.kind == "session.sign_in_failed"] == [False]
    posted = poll(
        lambda: [e for e in entries(platform, "content") if e.subject_id == post["id"]] or None,
        what="the post's user log entries",
    )
    assert [e.kind for e in posted] == ["post.published", "content.deleted"]
    # The published text's hash joins the archive's chain with the entry (MB-16.2: content kept tamper-evident).
    assert posted[0].detail == "sha256:" + hashlib.sha256(text.encode()).hexdigest()
    assert all(e.account_id == user.id for e in posted)
    actor = "staff:" + jwt.decode(auditor.token, options={"verify_signature": False})["sub"]
    [staff] = [e for e in entries(platform, "content") if e.kind == "staff.action" and e.actor_id == actor]
    assert staff.detail == "GET /v1/content/staff-actions" and "MB-6.1" in staff.legal_basis

    for entry in [*mine, *posted, staff]:
        assert list(entry.legal_basis)[:2] == ["MB-16.2", "PA-16.2"]
        assert b"127.0.0.1" not in entry.SerializeToString()  # never in clear on the broker
        address, port = archive.decrypt(entry.sealed_address).decode().split(" ")
        assert address == "127.0.0.1"  # the gateway's client: this test, on loopback
        assert 0 < int(port) < 65536  # the client's own source port, which the gateway passed on
