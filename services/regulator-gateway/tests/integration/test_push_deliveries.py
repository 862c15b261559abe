"""Pushes of reports to offices' endpoints on a real PostgreSQL (MB-12.2, MB-16.1; issue 15): deliveries are
derived from the reports an office may see, filed since its endpoint was set; a failure is retried after a back-off
and the office's reference is its acknowledgement (the report's too, unless acknowledged already); an amendment is
pushed again as a new version; one unacknowledged past the deadline escalates. The office is an outside party:
its answers here come from a stand-in for the signed sender (the e2e test pushes over real HTTP)."""

from __future__ import annotations

import base64
import os
import uuid
from datetime import UTC, datetime, time, timedelta
from typing import Any

import asyncpg
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from nacl.public import PrivateKey
from regulator_gateway.archive import handlers as archive_handlers
from regulator_gateway.archive.domain import AddressKeys, Entry
from regulator_gateway.archive.store import PgArchiveStore
from regulator_gateway.database import PgDatabase
from regulator_gateway.deliveries import handlers
from regulator_gateway.deliveries.domain import Backoff, DeliveryState, Outcome
from regulator_gateway.deliveries.store import PushUnit
from regulator_gateway.offices import handlers as offices
from regulator_gateway.offices.store import PgOfficeStore
from regulator_gateway.reports import handlers as reports
from regulator_gateway.reports.domain import Amendment, Jurisdiction, StoppedPost
from regulator_gateway.reports.store import PgReportStore

NOW = datetime.now(UTC)


class Office:
    """What an office's endpoint answers, in turn; every push it was sent."""

    def __init__(self, *answers: Outcome) -> None:
        self.answers = list(answers)
        self.pushed: list[tuple[str, dict[str, Any]]] = []

    async def send(self, url: str, body: dict[str, Any]) -> Outcome:
        self.pushed.append((url, body))
        return self.answers.pop(0) if self.answers else Outcome(200, f"ref-{len(self.pushed)}")


async def _report(pool: asyncpg.Pool, province: str) -> StoppedPost:
    stop = StoppedPost(uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), "bj10.rumour_disturbing_order", ["MB-12.2"], "造谣",
                       NOW, "ab" * 32)  # fmt: skip
    async with pool.acquire() as conn, conn.transaction():
        await reports.learn_jurisdiction(PgReportStore(conn), Jurisdiction(stop.account_id, province))
        await reports.file_report(PgReportStore(conn), stop)
    return stop


async def _office(pool: asyncpg.Pool, jurisdiction: str, url: str | None) -> uuid.UUID:
    office, _key = await offices.create_office(
        PgDatabase(pool, PgOfficeStore), name=jurisdiction, jurisdiction=jurisdiction
    )
    if url is not None:
        await handlers.set_endpoint(PgDatabase(pool, PushUnit), office.id, url, by="test", allow_http=True)
    return office.id


async def _round(pool: asyncpg.Pool, office: Office, *, deadline_s: float = 3600) -> int:
    return await handlers.push_once(
        PgDatabase(pool, PushUnit), office.send, backoff=Backoff(0.001, 0.001), ack_deadline_s=deadline_s,
        lookback_s=86_400, batch=50, lease_s=30,
    )  # fmt: skip


async def _deliveries(pool: asyncpg.Pool, office_id: uuid.UUID, state: DeliveryState | None = None) -> list:
    return await handlers.list_deliveries(
        PgDatabase(pool, PushUnit), office=None, office_id=office_id, state=state, after=None, limit=100
    )


@pytest.mark.requirement("MB-16.1")
async def test_an_office_is_pushed_its_jurisdictions_reports_filed_since_its_endpoint_was_set(
    pool: asyncpg.Pool,
) -> None:
    before = await _report(pool, "110000")  # filed before any endpoint: pulled, never pushed
    beijing = await _office(pool, "110000", "https://beijing.example/pushes")
    national = await _office(pool, "national", "https://national.example/pushes")
    await _office(pool, "310000", None)  # no endpoint: pulls only
    ours, theirs = await _report(pool, "110000"), await _report(pool, "310000")
    office = Office()
    assert await _round(pool, office) == 3  # Beijing's one, the national office's two
    pushed = {(url, body["report"]["decision_id"]) for url, body in office.pushed}
    assert pushed == {
        ("https://beijing.example/pushes", str(ours.decision_id)),
        ("https://national.example/pushes", str(ours.decision_id)),
        ("https://national.example/pushes", str(theirs.decision_id)),
    }
    assert str(before.decision_id) not in {d for _, d in pushed}
    assert await _round(pool, office) == 0  # delivered: nothing more
    [delivered] = await _deliveries(pool, beijing, DeliveryState.DELIVERED)
    assert delivered.reference and delivered.attempts == 1 and len(await _deliveries(pool, national)) == 2


@pytest.mark.requirement("MB-12.2")
async def test_a_failed_push_is_retried_until_the_office_answers_with_its_reference(pool: asyncpg.Pool) -> None:
    office_id = await _office(pool, "110000", "https://beijing.example/pushes")
    stop = await _report(pool, "110000")
    office = Office(Outcome(None, None, "ConnectError"), Outcome(503, None, "answered 503"),
                    Outcome(200, None, "answered without a usable reference"), Outcome(200, "BJ-2026-1"))  # fmt: skip
    for _ in range(3):
        await _round(pool, office)
        [pending] = await _deliveries(pool, office_id, DeliveryState.PENDING)
        assert pending.delivered_at is None and pending.last_error
        await pool.execute("UPDATE push_delivery SET next_attempt_at = now()")  # the back-off has passed
    await _round(pool, office)
    [delivered] = await _deliveries(pool, office_id, DeliveryState.DELIVERED)
    assert (delivered.attempts, delivered.reference, delivered.last_status) == (4, "BJ-2026-1", 200)
    row = await pool.fetchrow(
        "SELECT acknowledged_by, ack_reference FROM report WHERE decision_id = $1", stop.decision_id
    )
    assert (row["acknowledged_by"], row["ack_reference"]) == (office_id, "BJ-2026-1")  # the push's ack is the report's


@pytest.mark.requirement("MB-12.2")
async def test_an_amended_report_is_pushed_again_and_an_unacknowledged_one_escalates(pool: asyncpg.Pool) -> None:
    office_id = await _office(pool, "110000", "https://beijing.example/pushes")
    stop = await _report(pool, "110000")
    await _round(pool, Office())
    async with pool.acquire() as conn, conn.transaction():
        await reports.amend_report(PgReportStore(conn), Amendment(uuid.uuid4(), stop.decision_id, uuid.uuid4(),
                                   "restore", "mistaken", ["MB-12.2"], "staff:s1", NOW))  # fmt: skip
    down = Office(*[Outcome(None, None, "ConnectError")] * 5)
    await _round(pool, down, deadline_s=0)  # version 2 pushed, fails; past a deadline of 0 s at the next round
    [(_, body)] = down.pushed
    assert body["version"] == 2 and body["report"]["status"] == "withdrawn"
    await _round(pool, down, deadline_s=0)
    [overdue] = await _deliveries(pool, office_id, DeliveryState.OVERDUE)
    assert overdue.version == 2 and overdue.escalated_at is not None


@pytest.mark.requirement("MB-16.2")
async def test_every_office_with_an_endpoint_is_pushed_the_archives_anchors_as_they_are_signed(
    pool: asyncpg.Pool,
) -> None:
    beijing = await _office(pool, "110000", "https://beijing.example/pushes")
    archive = PgDatabase(pool, PgArchiveStore)
    keys = AddressKeys(bytes(PrivateKey.generate()), os.urandom(32))
    signer = Ed25519PrivateKey.generate()
    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    entry = Entry(uuid.uuid4(), "identity", "session.signed_in", NOW, uuid.uuid4(), None, b"", "", "", "", True, "",
                  ("MB-16.2", "PA-16.2"))  # fmt: skip
    async with archive.transaction() as store:
        await archive_handlers.append(store, [entry], keys, datetime.combine(yesterday, time(12), UTC))
    [anchor] = await archive_handlers.close_days(archive, signer, grace=timedelta(0))
    office = Office()
    assert await _round(pool, office) == 1
    [(url, body)] = office.pushed
    assert url == "https://beijing.example/pushes" and body["legal_basis"] == ["MB-16.2", "PA-16.2"]
    pushed = body["anchor"]
    assert (pushed["day"], pushed["count"], pushed["anchor_hash"]) == (str(yesterday), 1, anchor.hash.hex())
    signer.public_key().verify(base64.b64decode(pushed["signature"]), base64.b64decode(pushed["message"]))
    [delivered] = await _deliveries(pool, beijing, DeliveryState.DELIVERED)
    assert (delivered.item_kind, delivered.anchor_day, delivered.report_id) == ("anchor", yesterday, None)
    assert await _round(pool, office) == 0  # one push a day and office
