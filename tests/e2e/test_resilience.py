"""Nothing lost, nothing doubled: redelivered events and a broker that forgets everything."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from devstack.cli import ensure_dev_regulator_key
from devstack.stack import Stack
from devstack.testing import make_stack, poll
from journeys import Flow, find_event, regulator_reports
from qinglang.moderation.v1 import decision_pb2

DECISION_TOPIC = "moderation.decision.v1"
PROHIBITED = "出售枪支，价格私聊"
CLEAN = "周末一起去爬山吧"


def national_key(stack: Stack) -> dict[str, str]:
    return {"Authorization": f"Bearer {ensure_dev_regulator_key(stack, stack.info.database_urls['regulator-gateway'])}"}


def report_count(gw: httpx.Client, key: dict[str, str], post_id: str) -> int:
    return sum(1 for r in regulator_reports(gw, key) if r["post_id"] == post_id)


async def _produce(kafka: str, records: list[tuple[bytes, bytes, list[tuple[str, bytes]]]]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=kafka, enable_idempotence=False, acks="all")
    await producer.start()
    try:
        for key, value, headers in records:
            await producer.send_and_wait(DECISION_TOPIC, value=value, key=key, headers=headers)
    finally:
        await producer.stop()


def test_the_same_decision_delivered_twice_has_one_effect(flow: Flow, gateway: httpx.Client, infra) -> None:
    key = national_key(infra.stack)
    user = flow.verified_user()
    post = flow.post(user, PROHIBITED)
    poll(lambda: report_count(gateway, key, post["id"]) == 1, what="first report")

    record = asyncio.run(find_event(infra.kafka, DECISION_TOPIC, post["id"]))
    # A marker decision after the duplicates, on the same partition (same key): once its report
    # exists, the duplicates before it have been consumed.
    marker = decision_pb2.DecisionIssued()
    marker.ParseFromString(record.value)
    marker.decision_id, marker.post_id = str(uuid.uuid4()), str(uuid.uuid4())
    marker_headers = [(k, str(uuid.uuid4()).encode() if k == "ce_id" else v) for k, v in record.headers]
    asyncio.run(
        _produce(
            infra.kafka,
            [
                (record.key, record.value, list(record.headers)),  # the very same event, twice more
                (record.key, record.value, list(record.headers)),
                (record.key, marker.SerializeToString(), marker_headers),
            ],
        )
    )
    poll(lambda: report_count(gateway, key, marker.post_id) == 1, what="marker decision reported")
    assert report_count(gateway, key, post["id"]) == 1
    assert gateway.get(f"/v1/posts/{post['id']}").status_code == 451


@pytest.fixture(scope="module")
def restartable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Stack, Flow, httpx.Client]]:
    # Its own embedded PostgreSQL and Tansu, so restarting the broker disturbs no other test; and
    # two processes of content and moderation, so consumer groups and relays share the work.
    stack = make_stack(tmp_path_factory.mktemp("restart"), external_ok=False)
    stack.config.workers = {"content": 2, "moderation": 2}
    try:
        info = stack.up()
        with httpx.Client(base_url=info.gateway_url, timeout=15) as gw:
            yield stack, Flow(gw, info), gw
    finally:
        stack.down()


def test_broker_restart_mid_flow_loses_no_post_and_doubles_no_report(restartable) -> None:
    stack, flow, gw = restartable
    key = national_key(stack)
    users = [flow.verified_user() for _ in range(3)]
    # Each offender posts at most two prohibited posts: a third would suspend the account (PA-13.1).
    offenders = iter([u for u in (flow.verified_user() for _ in range(8)) for _ in range(2)])

    def post(i: int) -> dict:
        bad = bool(i % 2)
        return flow.post(next(offenders) if bad else users[i % 3], PROHIBITED if bad else CLEAN) | {"bad": bad}

    before = [post(i) for i in range(20)]

    stack.restart_broker()  # Tansu keeps everything in memory: topics, messages and offsets are gone

    after = [post(i) for i in range(10)]
    posts = before + after

    def decided() -> bool:
        codes = {p["id"]: gw.get(f"/v1/posts/{p['id']}").status_code for p in posts}
        return all(codes[p["id"]] == (451 if p["bad"] else 200) for p in posts)

    poll(decided, timeout_s=90, interval_s=0.5, what="every post decided after the broker restart")
    stopped = [p for p in posts if p["bad"]]

    def all_reported() -> bool:
        items = regulator_reports(gw, key)
        counts = {p["id"]: sum(1 for r in items if r["post_id"] == p["id"]) for p in stopped}
        assert all(c <= 1 for c in counts.values()), f"a stop-transmission was reported twice: {counts}"
        return all(c == 1 for c in counts.values())

    poll(all_reported, timeout_s=90, interval_s=0.5, what="every stop-transmission reported exactly once")
    # And the platform keeps working on the new broker without any restart by hand.
    fresh = flow.post(next(offenders), PROHIBITED)
    poll(lambda: report_count(gw, key, fresh["id"]) == 1, timeout_s=30, what="report after recovery")
