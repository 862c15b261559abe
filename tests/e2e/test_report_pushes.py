"""Reports pushed to an office's own endpoint (issue 15; MB-12.2, MB-16.1): an office sets its endpoint through the
gateway; a stop's report is POSTed to it signed with the gateway's Ed25519 key (RFC 9421 message signature over
method, authority, target URI and Content-Digest), retried with back-off while the endpoint is down (refusing
connections, then answering 503) until the office answers with its reference, which is then the report's
acknowledgement. The office is an outside party: devstack's office simulator stands in for it, over real HTTP."""

from __future__ import annotations

import base64
import socket
import uuid

import httpx
import pytest
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from devstack.cli import create_regulator_office
from devstack.stack import StackInfo
from devstack.testing import Infra, poll
from http_message_signatures import HTTPMessageVerifier, HTTPSignatureKeyResolver, algorithms
from journeys import Flow, resident_id

PROHIBITED = "出售枪支，价格私聊"


class GatewayKey(HTTPSignatureKeyResolver):
    """The office's copy of the gateway's public key (development: derived from the run's secret)."""

    def __init__(self, infra: Infra) -> None:
        pem = base64.b64decode(infra.stack.dev_secrets()["ARCHIVE_SIGNING_KEY"])
        self.public = load_pem_private_key(pem, password=None).public_key()

    def resolve_public_key(self, key_id: str):
        return self.public


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}/pushes"  # nothing listens once the socket is closed


@pytest.mark.requirement("MB-12.2")
@pytest.mark.requirement("MB-16.1")
def test_a_report_is_pushed_signed_and_survives_the_offices_endpoint_being_down(
    flow: Flow, gateway: httpx.Client, platform: StackInfo, infra: Infra
) -> None:
    office = create_regulator_office(
        platform.database_urls["regulator-gateway"], name="推送测试", jurisdiction="110000"
    )
    key = {"Authorization": f"Bearer {office['api_key']}"}
    name = f"beijing-{uuid.uuid4().hex[:8]}"
    sim = httpx.Client(base_url=platform.office_sim_url, timeout=10)
    refused = gateway.put("/v1/regulator/endpoint", headers=key, json={"url": "ftp://office.example/pushes"})
    assert refused.status_code == 422
    # Down: nothing listens at the endpoint (connections refused).
    assert gateway.put("/v1/regulator/endpoint", headers=key, json={"url": closed_port_url()}).status_code == 204

    user = flow.register()
    flow.confirm_phone(user)
    user.token = flow.verify_real_name(user, resident_id(region="110108")).json()["access_token"]
    post = flow.post(user, PROHIBITED)

    def deliveries() -> list[dict]:  # the reports' (a run across midnight would push the day's anchor too)
        items = gateway.get("/v1/regulator/deliveries", headers=key).json()["items"]
        return [d for d in items if d["item_kind"] == "report"]

    [failing] = poll(lambda: [d for d in deliveries() if d["last_error"]] or None, what="a push that failed")
    assert failing["state"] == "pending" and failing["last_status"] is None and failing["reference"] is None

    # Up, but answering 503 twice more; then it acknowledges.
    assert sim.put(f"/control/offices/{name}/outage", json={"failures": 2}).status_code == 204
    endpoint = f"{platform.office_sim_url}/offices/{name}/pushes"
    assert gateway.put("/v1/regulator/endpoint", headers=key, json={"url": endpoint}).status_code == 204
    [delivered] = poll(
        lambda: [d for d in deliveries() if d["state"] == "delivered"] or None, what="the push acknowledged"
    )
    assert delivered["id"] == failing["id"] and delivered["attempts"] >= 4 and delivered["reference"] == f"{name}-1"
    seen = sim.get(f"/control/offices/{name}/received").json()
    assert seen["attempts"] >= 3
    [push] = seen["received"]
    assert push["json"]["report"]["post_id"] == post["id"] and push["json"]["version"] == 1

    # The office verifies the gateway's signature over what it received; a changed body fails.
    verifier = HTTPMessageVerifier(signature_algorithm=algorithms.ED25519, key_resolver=GatewayKey(infra))
    received = httpx.Request("POST", push["url"], headers=push["headers"], content=push["body"].encode())
    [result] = verifier.verify(received, body=push["body"].encode())
    assert set(result.covered_components) >= {'"@method"', '"@target-uri"', '"content-digest"'}
    tampered = push["body"].replace(post["id"], str(uuid.uuid4())).encode()
    with pytest.raises(Exception):  # noqa: B017 - the library's own error types vary by failure
        verifier.verify(httpx.Request("POST", push["url"], headers=push["headers"], content=tampered), body=tampered)

    # The push's reference is the report's acknowledgement.
    report = gateway.get(f"/v1/regulator/reports/{push['json']['report']['id']}", headers=key).json()
    assert report["ack_reference"] == f"{name}-1" and report["acknowledged_at"]
