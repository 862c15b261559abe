"""Reports on an in-memory store (fast): a stop becomes one report, announced; an office reads and
acknowledges only its jurisdiction's (MB-12.2, MB-16.1)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from contracts import regulator
from kit.outbox import OutboxRow
from qinglang.regulator.v1 import report_pb2
from regulator_gateway.offices.domain import NATIONAL, Office
from regulator_gateway.reports import handlers
from regulator_gateway.reports.domain import (
    AlreadyAcknowledged,
    Jurisdiction,
    Report,
    ReportNotFound,
    ReportQuery,
    StoppedPost,
)


class FakeReportStore:
    """Reports and jurisdictions in memory; the handlers' port (reports.store.ReportStore)."""

    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, Report] = {}
        self.provinces: dict[uuid.UUID, str] = {}
        self.announced: list[OutboxRow] = []
        self.clock = datetime(2026, 1, 1, tzinfo=UTC)

    async def file_report(self, stopped: StoppedPost) -> Report:
        for report in self.rows.values():
            if report.decision_id == stopped.decision_id:
                return report
        self.clock += timedelta(seconds=1)
        report = Report(
            id=uuid.uuid4(),
            decision_id=stopped.decision_id,
            post_id=stopped.post_id,
            account_id=stopped.account_id,
            category=stopped.category,
            legal_basis=stopped.legal_basis,
            reason=stopped.reason,
            decided_at=stopped.decided_at,
            content_sha256=stopped.content_sha256,
            province_code=self.provinces.get(stopped.account_id),
            filed_at=self.clock,
        )
        self.rows[report.id] = report
        return report

    async def learn_jurisdiction(self, jurisdiction: Jurisdiction) -> None:
        self.provinces[jurisdiction.account_id] = jurisdiction.province_code
        for report in list(self.rows.values()):
            if report.account_id == jurisdiction.account_id and report.province_code is None:
                self.rows[report.id] = replace(report, province_code=jurisdiction.province_code)

    async def report(self, report_id: uuid.UUID, *, for_update: bool = False) -> Report | None:
        return self.rows.get(report_id)

    async def reports(self, query: ReportQuery) -> list[Report]:
        listed = sorted(self.rows.values(), key=lambda r: (r.filed_at, r.id))
        return [
            r
            for r in listed
            if (query.province_code is None or r.province_code == query.province_code)
            and (query.acknowledged is None or (r.acknowledged_at is not None) == query.acknowledged)
            and (query.after is None or (r.filed_at, r.id) > query.after)
        ][: query.limit]

    async def acknowledge(self, report_id: uuid.UUID, office_id: uuid.UUID, reference: str | None) -> Report:
        acknowledged = replace(
            self.rows[report_id],
            acknowledged_at=datetime.now(UTC),
            acknowledged_by=office_id,
            ack_reference=reference,
        )
        self.rows[report_id] = acknowledged
        return acknowledged

    async def announce(self, row: OutboxRow) -> None:
        self.announced.append(row)


class FakeDatabase:
    def __init__(self) -> None:
        self.store = FakeReportStore()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[FakeReportStore]:
        yield self.store


BEIJING = Office(uuid.uuid4(), "Beijing", "110000")
SHANGHAI = Office(uuid.uuid4(), "Shanghai", "310000")
NATION = Office(uuid.uuid4(), "CAC", NATIONAL)


def stop(account_id: uuid.UUID | None = None) -> StoppedPost:
    return StoppedPost(
        decision_id=uuid.uuid4(),
        post_id=uuid.uuid4(),
        account_id=account_id or uuid.uuid4(),
        category="bj10.obscenity_gambling_violence_terror_crime",
        legal_basis=["MB-12.2", "BJ-10(7)"],
        reason="gambling",
        decided_at=datetime.now(UTC),
        content_sha256="ab" * 32,
    )


@pytest.fixture
def db() -> FakeDatabase:
    return FakeDatabase()


@pytest.mark.requirement("MB-12.2")
async def test_a_stop_becomes_one_report_announced_again_when_the_decision_repeats(db: FakeDatabase) -> None:
    stopped = stop()
    report = await handlers.file_report(db.store, stopped)
    again = await handlers.file_report(db.store, stopped)
    assert again == report and len(db.store.rows) == 1
    assert [r.subject for r in db.store.announced] == [str(report.id), str(report.id)]  # confirmed to moderation
    row = db.store.announced[0]
    assert (row.topic, row.ce_type, row.source, row.key) == (
        regulator.REPORT_TOPIC.name,
        regulator.REPORT_FILED.name,
        "/qinglang/regulator-gateway",
        str(stopped.decision_id),
    )
    filed = report_pb2.ReportFiled.FromString(row.payload)
    assert (filed.report_id, filed.decision_id, filed.post_id) == (
        str(report.id),
        str(stopped.decision_id),
        str(stopped.post_id),
    )


@pytest.mark.requirement("MB-16.1")
async def test_a_report_reaches_the_office_of_the_authors_province_once_it_is_known(db: FakeDatabase) -> None:
    author = uuid.uuid4()
    early = await handlers.file_report(db.store, stop(author))
    assert early.province_code is None
    await handlers.learn_jurisdiction(db.store, Jurisdiction(author, "110000"))
    late = await handlers.file_report(db.store, stop(author))
    assert late.province_code == "110000"
    listed = await handlers.list_reports(db, BEIJING, acknowledged=None, after=None, limit=10)
    assert [r.id for r in listed] == [early.id, late.id]
    assert await handlers.list_reports(db, SHANGHAI, acknowledged=None, after=None, limit=10) == []
    with pytest.raises(ReportNotFound):
        await handlers.read_report(db, SHANGHAI, early.id)


@pytest.mark.requirement("MB-16.1")
async def test_reports_are_listed_a_page_after_another(db: FakeDatabase) -> None:
    filed = [await handlers.file_report(db.store, stop()) for _ in range(5)]
    first = await handlers.list_reports(db, NATION, acknowledged=None, after=None, limit=3)
    rest = await handlers.list_reports(db, NATION, acknowledged=None, after=(first[-1].filed_at, first[-1].id), limit=3)
    assert [r.id for r in first + rest] == [r.id for r in filed]


async def test_an_office_acknowledges_its_report_once(db: FakeDatabase) -> None:
    author = uuid.uuid4()
    await handlers.learn_jurisdiction(db.store, Jurisdiction(author, "110000"))
    report = await handlers.file_report(db.store, stop(author))
    with pytest.raises(ReportNotFound):
        await handlers.acknowledge_report(db, SHANGHAI, report.id, None)
    acknowledged = await handlers.acknowledge_report(db, BEIJING, report.id, "BJ-2026-1")
    assert acknowledged.acknowledged_by == BEIJING.id and acknowledged.ack_reference == "BJ-2026-1"
    assert await handlers.acknowledge_report(db, BEIJING, report.id, "BJ-2026-1") == acknowledged
    with pytest.raises(AlreadyAcknowledged):
        await handlers.acknowledge_report(db, NATION, report.id, "CAC-1")
    assert await handlers.list_reports(db, BEIJING, acknowledged=False, after=None, limit=10) == []
