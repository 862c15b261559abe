"""Security assessments' handlers on in-memory stores (fast): filed with their filing, put in force by the
office's receipt and announced once, withdrawn and announced, and announced again as they stand (MB-13,
PA-12.1, MB-16.1)."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import pytest
from contracts import regulator
from kit.auth import Principal
from kit.outbox import OutboxRow
from regulator_gateway.assessments import domain, handlers
from regulator_gateway.assessments.domain import Assessment, Level, NewAssessment, Status
from regulator_gateway.filings import handlers as filings
from regulator_gateway.filings.domain import Filing, FilingNotFound, NewFiling
from regulator_gateway.offices.domain import NATIONAL, Office

NOW = datetime(2026, 11, 30, tzinfo=UTC)


class FakeFilings:
    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, Filing] = {}

    async def file_new(self, filing: NewFiling) -> Filing:
        row = Filing(
            uuid.uuid4(), filing.kind.value, None, filing.province_code, filing.legal_basis, filing.details, NOW
        )
        self.rows[row.id] = row
        return row

    async def filing(self, filing_id: uuid.UUID, *, for_update: bool = False) -> Filing | None:
        return self.rows.get(filing_id)

    async def acknowledge(self, filing_id: uuid.UUID, office_id: uuid.UUID, receipt_number: str) -> Filing:
        row = dataclasses.replace(
            self.rows[filing_id], acknowledged_at=NOW, acknowledged_by=office_id, receipt_number=receipt_number
        )
        self.rows[filing_id] = row
        return row


class FakeAssessments:
    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, Assessment] = {}

    async def insert(self, new: NewAssessment, filing_id: uuid.UUID) -> Assessment | None:
        if any(
            a.feature == new.feature and a.version == new.version and a.status != Status.WITHDRAWN
            for a in self.rows.values()
        ):
            return None
        row = Assessment(
            new.id, new.feature, new.version, new.level.value, new.province_code, new.summary, new.document_sha256,
            len(new.document), new.filed_by, NOW, filing_id, Status.FILED.value,
        )  # fmt: skip
        self.rows[row.id] = row
        return row

    async def assessment(self, assessment_id: uuid.UUID, *, for_update: bool = False) -> Assessment | None:
        return self.rows.get(assessment_id)

    async def acknowledge(self, filing_id: uuid.UUID, receipt_number: str) -> Assessment | None:
        for a in self.rows.values():
            if a.filing_id == filing_id and a.status == Status.FILED:
                row = dataclasses.replace(
                    a, status=Status.ACKNOWLEDGED.value, acknowledged_at=NOW, receipt_number=receipt_number
                )
                self.rows[a.id] = row
                return row
        return None

    async def withdraw(self, assessment_id: uuid.UUID, by: uuid.UUID, reason: str) -> Assessment:
        row = dataclasses.replace(
            self.rows[assessment_id], status=Status.WITHDRAWN.value, withdrawn_at=NOW, withdrawn_by=by,
            withdraw_reason=reason,
        )  # fmt: skip
        self.rows[assessment_id] = row
        return row

    async def latest_acknowledged(self) -> list[Assessment]:
        return [a for a in self.rows.values() if a.acknowledged_at is not None]


class FakeStores:
    def __init__(self) -> None:
        self.filings = FakeFilings()
        self.assessments = FakeAssessments()
        self.announced: list[OutboxRow] = []

    async def announce(self, row: OutboxRow) -> None:
        self.announced.append(row)

    async def announce_all(self, rows: list[OutboxRow]) -> None:
        self.announced += rows


class FakeDatabase:
    def __init__(self) -> None:
        self.stores = FakeStores()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[FakeStores]:
        yield self.stores


CHIEF = Principal(str(uuid.uuid4()), {"kind": "staff", "roles": ["chief_editor"], "exp": 0, "iat": 0})


async def _file(db: FakeDatabase, level: Level = Level.NATIONAL, province: str | None = None) -> Assessment:
    return await handlers.file_assessment(
        db,
        CHIEF,
        feature="trending",
        version=1,
        level=level,
        province_code=province,
        summary="assessed",
        document=b"report",
        max_document_bytes=1000,
    )


@pytest.mark.requirement("PA-12.1")
@pytest.mark.requirement("MB-13")
async def test_an_assessment_is_filed_with_its_filing_and_a_second_of_the_version_refused() -> None:
    db = FakeDatabase()
    assessment = await _file(db, Level.PROVINCIAL, "310000")
    filing = db.stores.filings.rows[assessment.filing_id]
    assert (filing.kind, filing.province_code) == ("security_assessment", "310000")
    assert filing.details["assessment_id"] == str(assessment.id) and db.stores.announced == []
    with pytest.raises(domain.AlreadyFiled):
        await _file(db)


@pytest.mark.requirement("MB-13")
@pytest.mark.requirement("MB-16.1")
async def test_the_offices_receipt_puts_it_in_force_announced_once() -> None:
    db = FakeDatabase()
    assessment = await _file(db, Level.PROVINCIAL, "310000")
    beijing, shanghai = Office(uuid.uuid4(), "bj", "110000"), Office(uuid.uuid4(), "sh", "310000")
    with pytest.raises(FilingNotFound):
        await filings.acknowledge_filing(db, beijing, assessment.filing_id, "R-1")
    assert db.stores.announced == []
    await filings.acknowledge_filing(db, shanghai, assessment.filing_id, "R-1")
    await filings.acknowledge_filing(db, shanghai, assessment.filing_id, "R-1")  # again: nothing new
    assert [r.ce_type for r in db.stores.announced] == [regulator.ASSESSMENT_ACKNOWLEDGED.name]
    assert db.stores.assessments.rows[assessment.id].receipt_number == "R-1"


@pytest.mark.requirement("MB-13")
async def test_a_withdrawal_is_announced_and_what_stands_is_announced_again() -> None:
    db = FakeDatabase()
    national = Office(uuid.uuid4(), "cac", NATIONAL)
    withdrawn_first = await _file(db)
    await handlers.withdraw(db, CHIEF, withdrawn_first.id, "changed before the receipt")
    await filings.acknowledge_filing(db, national, withdrawn_first.filing_id, "R-0")  # a withdrawn one stays so
    assert [r.ce_type for r in db.stores.announced] == [regulator.ASSESSMENT_WITHDRAWN.name]
    assert db.stores.assessments.rows[withdrawn_first.id].status == Status.WITHDRAWN

    current = await _file(db)  # the version may be assessed anew
    await filings.acknowledge_filing(db, national, current.filing_id, "R-2")
    db.stores.announced.clear()
    assert await handlers.reannounce(db.stores) == 1
    assert [(r.ce_type, r.subject) for r in db.stores.announced] == [
        (regulator.ASSESSMENT_ACKNOWLEDGED.name, str(current.id))
    ]
    await handlers.withdraw(db, CHIEF, current.id, "feature changed")
    with pytest.raises(domain.AlreadyWithdrawn):
        await handlers.withdraw(db, CHIEF, current.id, "again")
    db.stores.announced.clear()
    await handlers.reannounce(db.stores)
    assert [r.ce_type for r in db.stores.announced] == [regulator.ASSESSMENT_WITHDRAWN.name]
