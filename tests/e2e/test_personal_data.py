"""MB-7.3: personal data never appears in logs or events, and is not stored in plaintext."""

from __future__ import annotations

import asyncio
import base64
import uuid

import psycopg
import pytest
from aiokafka import AIOKafkaConsumer
from devstack.testing import poll
from journeys import Flow, resident_id

TOPICS = [
    "identity.account.v1",
    "content.post.v1",
    "moderation.decision.v1",
    "reporting.complaint.v1",
    "regulator.report.v1",
]


async def _all_records(kafka: str) -> list[bytes]:
    consumer = AIOKafkaConsumer(
        *TOPICS,
        bootstrap_servers=kafka,
        group_id=f"pii-{uuid.uuid4()}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    seen: list[bytes] = []
    try:
        # Read until a fetch comes back empty twice: every topic read to its end.
        empty = 0
        while empty < 2:
            batch = await consumer.getmany(timeout_ms=1000)
            empty = 0 if batch else empty + 1
            for records in batch.values():
                for r in records:
                    seen.append((r.value or b"") + b"".join(v for _k, v in r.headers) + (r.key or b""))
    finally:
        await consumer.stop()
    return seen


def _apply(flow: Flow, user, legal_name: str, number: str, display_name: str) -> dict:
    applied = flow.gw.post(
        "/v1/accounts/me/verified-applications",
        headers=user.auth,
        json={
            "v_type": "individual",
            "proof_name": legal_name,
            "proof_number": number,
            "display_name": display_name,
            "files": [
                {"filename": "id.png", "content_type": "image/png", "content_base64": base64.b64encode(b"id").decode()}
            ],
        },
    )
    assert applied.status_code == 201, applied.text
    return applied.json()


@pytest.mark.requirement("MB-7.3")
def test_mobile_number_legal_name_and_id_number_stay_secret(flow: Flow, infra, platform) -> None:
    user = flow.register()
    flow.confirm_phone(user)
    id_number = resident_id(region="310104", birth="19851120")
    legal_name = "欧阳" + uuid.uuid4().hex[:6]
    verified = flow.gw.post(
        "/v1/accounts/me/real-name",
        headers=user.auth,
        json={"subject_type": "individual", "legal_name": legal_name, "id_number": id_number},
    )
    assert verified.status_code == 201, verified.text
    user.token = verified.json()["access_token"]
    secrets = [user.mobile, user.mobile[3:], id_number, legal_name]

    # A V application carries the legal name as its proof name: refused (wrong number), then approved.
    shown = "小欧" + uuid.uuid4().hex[:6]
    refused = _apply(flow, user, legal_name, resident_id(region="310104"), shown)
    assert refused["status"] == "refused" and legal_name not in str(refused)
    applied = _apply(flow, user, legal_name, id_number, shown)
    assert applied["status"] == "submitted" and applied["display_name"] == shown
    assert legal_name not in str(applied)
    senior = flow.staff("senior_reviewer")
    queue = flow.gw.get("/v1/identity/staff/verified-applications", headers=senior.auth)
    assert queue.status_code == 200 and applied["id"] in queue.text and legal_name not in queue.text
    decided = flow.gw.post(
        f"/v1/identity/staff/verified-applications/{applied['id']}/decision",
        headers=senior.auth,
        json={"approve": True, "reason": "identity card checked"},
    )
    assert decided.status_code == 200 and legal_name not in decided.text
    assert flow.gw.get(f"/v1/accounts/{user.id}/profile").json()["verified"] == {"type": "individual", "name": shown}
    # The proof name is read through the audited personal-data route only, by a role that may.
    operator = flow.staff("operator")
    audited = flow.gw.get(
        f"/v1/identity/staff/accounts/{user.id}/personal-data",
        headers=operator.auth,
        params={"reason": "MB-7.3 test reads the proof name"},
    )
    assert audited.status_code == 200
    assert [a["proof_name"] for a in audited.json()["verified_applications"]] == [legal_name, legal_name]
    with psycopg.connect(platform.database_urls["regulator-gateway"]) as conn:
        filed = poll(
            lambda: conn.execute("SELECT f.* FROM filing f WHERE account_id = %s", (user.id,)).fetchall(),
            what="the verified account filed",
        )
    assert shown in str(filed)

    # Not in any log: services, gateway access log, broker, database.
    for log in infra.stack.log_dir.glob("*.log"):
        if log.name == "sms-sink.log":
            continue  # the stand-in carrier, which is given the number to deliver the code
        text = log.read_text(errors="replace")
        for secret in secrets:
            assert secret not in text, f"{secret!r} leaked into {log.name}"

    # Not in any event on any topic.
    for record in asyncio.run(_all_records(infra.kafka)):
        for secret in secrets:
            assert secret.encode() not in record, f"{secret!r} leaked into an event"

    # Not in plaintext at rest: the account, its verification, its V applications; the regulator's filing.
    with psycopg.connect(platform.database_urls["identity"]) as conn:
        dump = str(
            conn.execute(
                """SELECT a.*, r.*, v.* FROM account a JOIN real_name_verification r ON r.account_id = a.id
                     JOIN verified_application v ON v.account_id = a.id WHERE a.id = %s""",
                (user.id,),
            ).fetchall()
        )
    assert dump and all(secret not in dump for secret in secrets)
    assert id_number.encode().hex() not in dump and legal_name.encode().hex() not in dump
    assert all(secret not in str(filed) for secret in secrets)
