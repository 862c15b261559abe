"""MB-7.3: personal data never appears in logs or events, and is not stored in plaintext."""

from __future__ import annotations

import asyncio
import uuid

import psycopg
import pytest
from aiokafka import AIOKafkaConsumer
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
    secrets = [user.mobile, user.mobile[3:], id_number, legal_name]

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

    # Not in plaintext at rest.
    with psycopg.connect(platform.database_urls["identity"]) as conn:
        dump = str(
            conn.execute(
                "SELECT a.*, r.* FROM account a JOIN real_name_verification r ON r.account_id = a.id WHERE a.id = %s",
                (user.id,),
            ).fetchall()
        )
    assert dump and all(secret not in dump for secret in secrets)
    assert id_number.encode().hex() not in dump
