"""Accounts registered in bulk (CM, BJ-9.2, BJ-7(7)), on a stack of its own (the shared platform registers
every account from the gateway's one address, so it sets no cohort threshold): the BULK_COHORT_MIN-th
registration from one network within the window flags every account of the window, then each later one;
nothing is refused, and the address never leaves identity."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator

import httpx
import pytest
from aiokafka import AIOKafkaConsumer
from contracts import identity
from devstack.stack import StackInfo
from devstack.testing import make_stack
from journeys import Flow
from qinglang.identity.v1 import account_pb2


@pytest.fixture(scope="module")
def cohort_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flow, StackInfo]]:
    stack = make_stack(tmp_path_factory.mktemp("cohorts"), external_ok=False)
    stack.config.service_env["identity"] = {**stack.config.service_env["identity"], "BULK_COHORT_MIN": "5"}
    try:
        info = stack.up()
        with httpx.Client(base_url=info.gateway_url, timeout=15) as gw:
            yield Flow(gw, info), info
    finally:
        stack.down()


async def cohort_events(
    kafka: str, accounts: int, timeout_s: float = 30
) -> list[account_pb2.RegistrationCohortFlagged]:
    """Every RegistrationCohortFlagged announced, in order, once they name ``accounts`` accounts in all."""
    consumer = AIOKafkaConsumer(
        identity.ACCOUNT_TOPIC.name,
        bootstrap_servers=kafka,
        group_id=f"test-{uuid.uuid4()}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    found: list[account_pb2.RegistrationCohortFlagged] = []
    try:
        async with asyncio.timeout(timeout_s):
            while sum(len(f.account_ids) for f in found) < accounts:
                for records in (await consumer.getmany(timeout_ms=500)).values():
                    for record in records:
                        if dict(record.headers).get("ce_type") == identity.REGISTRATION_COHORT_FLAGGED.name.encode():
                            found.append(account_pb2.RegistrationCohortFlagged.FromString(record.value))
    finally:
        await consumer.stop()
    return found


@pytest.mark.requirement("CM")
@pytest.mark.requirement("BJ-9.2")
def test_a_bulk_cohort_is_flagged_from_its_fifth_registration_and_later_ones_join(
    cohort_stack: tuple[Flow, StackInfo],
) -> None:
    flow, info = cohort_stack
    users = [flow.register() for _ in range(6)]  # all from the gateway's one address; none refused
    events = asyncio.run(cohort_events(info.kafka_bootstrap_servers, accounts=6))
    opened, joined = events[0], events[1:]
    assert list(opened.account_ids) == [u.id for u in users[:5]] and opened.cohort_size == 5
    assert [list(e.account_ids) for e in joined] == [[users[5].id]]
    assert joined[0].cohort_id == opened.cohort_id and joined[0].cohort_size == 6
    assert "CM" in opened.legal_basis and "127.0.0" not in str(events)
