"""Reports listed by filters and acknowledged in batches, on a real PostgreSQL (issue 15, MB-12.2, MB-16.1): by
requirement ID, BJ-10 category, province, kind and filing time within the office's jurisdiction; a batch answers
each item (acknowledged, already acknowledged, not found, outside jurisdiction) and is written in one transaction,
all of it or none; the single acknowledgement keeps its rule."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest
from regulator_gateway.database import PgDatabase
from regulator_gateway.offices.domain import NATIONAL, Office
from regulator_gateway.reports import handlers
from regulator_gateway.reports.domain import (
    Acknowledgement,
    AlreadyAcknowledged,
    Jurisdiction,
    ReportFilters,
    ReportKind,
    StoppedPost,
)
from regulator_gateway.reports.store import PgReportStore

NOW = datetime.now(UTC)


@pytest.fixture
def db(pool: asyncpg.Pool) -> PgDatabase:
    return PgDatabase(pool, PgReportStore)


async def _office(pool: asyncpg.Pool, jurisdiction: str) -> Office:
    office = Office(uuid.uuid4(), jurisdiction, jurisdiction)
    await pool.execute("INSERT INTO regulator_office (id, name, jurisdiction) VALUES ($1, $2, $3)", office.id,
                       office.name, office.jurisdiction)  # fmt: skip
    return office


async def _report(db: PgDatabase, province: str, category: str, basis: list[str], stage: str | None) -> uuid.UUID:
    account = uuid.uuid4()
    async with db.transaction() as store:
        await handlers.learn_jurisdiction(store, Jurisdiction(account, province))
        stop = StoppedPost(uuid.uuid4(), uuid.uuid4(), account, category, basis, "r", NOW, "ab" * 32, stage)
        return (await handlers.file_report(store, stop)).id


@pytest.mark.requirement("MB-12.2")
async def test_reports_are_listed_by_requirement_category_province_stage_kind_and_time(
    db: PgDatabase, pool: asyncpg.Pool
) -> None:
    nation, beijing = await _office(pool, NATIONAL), await _office(pool, "110000")
    a = await _report(db, "110000", "bj10.state_security", ["MB-12.2"], "publication")
    b = await _report(db, "110000", "bj10.rumour_disturbing_order", ["MB-12.2", "MB-11"], "retro_scan")
    c = await _report(db, "310000", "bj10.state_security", ["PA-11.2"], "takedown")
    legacy = await _report(db, "310000", "bj10.state_security", ["PA-11.2"], None)  # filed before stages were kept

    async def listed(office: Office, **filters: object) -> list[uuid.UUID]:
        found = await handlers.list_reports(db, office, acknowledged=None, after=None, limit=1000,
                                            filters=ReportFilters(**filters))  # type: ignore[arg-type]  # fmt: skip
        return [r.id for r in found]

    assert await listed(nation) == [a, b, c, legacy]
    assert await listed(nation, requirement="MB-11") == [b]
    assert await listed(nation, requirement="MB-12.2") == [a, b]
    assert await listed(nation, category="bj10.state_security") == [a, c, legacy]
    assert await listed(nation, province_code="310000") == [c, legacy]
    assert await listed(nation, stage="takedown") == [c]
    assert await listed(nation, kind=ReportKind.STOP) == [a, b, c, legacy]
    assert await listed(nation, kind=ReportKind.SANCTION) == []
    assert await listed(beijing, category="bj10.state_security") == [a]  # its jurisdiction only
    assert await listed(beijing, province_code="310000") == []  # another province: none of its reports
    assert await listed(nation, since=NOW + timedelta(days=1)) == []
    assert await listed(nation, since=NOW - timedelta(days=1), until=NOW + timedelta(days=1)) == [a, b, c, legacy]
    async with db.transaction() as store:
        assert (await store.report(c)).stage == "takedown" and (await store.report(legacy)).stage is None  # type: ignore[union-attr]


@pytest.mark.requirement("MB-12.2")
@pytest.mark.requirement("MB-16.1")
async def test_a_batch_answers_each_item_and_keeps_the_single_acknowledgements_rule(
    db: PgDatabase, pool: asyncpg.Pool
) -> None:
    beijing = await _office(pool, "110000")
    fresh = await _report(db, "110000", "bj10.state_security", ["MB-12.2"], "review")
    earlier = await _report(db, "110000", "bj10.state_security", ["MB-12.2"], "review")
    elsewhere = await _report(db, "310000", "bj10.state_security", ["MB-12.2"], "review")
    await handlers.acknowledge_report(db, beijing, earlier, "BJ-1")
    missing = uuid.uuid4()

    results = await handlers.acknowledge_reports(
        db, beijing, [(fresh, "BJ-2"), (earlier, "BJ-3"), (missing, None), (elsewhere, "BJ-4")]
    )
    assert [(r, outcome) for r, outcome, _ in results] == [
        (fresh, Acknowledgement.ACKNOWLEDGED),
        (earlier, Acknowledgement.ALREADY_ACKNOWLEDGED),
        (missing, Acknowledgement.NOT_FOUND),
        (elsewhere, Acknowledgement.OUTSIDE_JURISDICTION),
    ]
    rows = {r["id"]: r for r in await pool.fetch("SELECT id, acknowledged_by, ack_reference FROM report")}
    assert (rows[fresh]["acknowledged_by"], rows[fresh]["ack_reference"]) == (beijing.id, "BJ-2")
    assert rows[earlier]["ack_reference"] == "BJ-1"  # not overwritten
    assert rows[elsewhere]["acknowledged_by"] is None
    # The single acknowledgement still answers by its rule: the same again is harmless, another a conflict.
    assert (await handlers.acknowledge_report(db, beijing, fresh, "BJ-2")).ack_reference == "BJ-2"
    with pytest.raises(AlreadyAcknowledged):
        await handlers.acknowledge_report(db, beijing, fresh, "BJ-9")


@pytest.mark.requirement("MB-12.2")
async def test_a_batch_is_written_whole_or_not_at_all(db: PgDatabase, pool: asyncpg.Pool) -> None:
    nation = await _office(pool, NATIONAL)
    first = await _report(db, "110000", "bj10.state_security", ["MB-12.2"], "review")
    second = await _report(db, "440000", "bj10.state_security", ["MB-12.2"], "review")
    # The database refuses the second item's write (as a failure mid-batch would): nothing of the batch stays.
    await pool.execute(
        """CREATE FUNCTION refuse_reference() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN IF NEW.ack_reference = 'refused' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$;
           CREATE TRIGGER refuse_reference BEFORE UPDATE ON report FOR EACH ROW EXECUTE FUNCTION refuse_reference();"""
    )
    with pytest.raises(asyncpg.RaiseError):
        await handlers.acknowledge_reports(db, nation, [(first, "fine"), (second, "refused")])
    assert await pool.fetchval("SELECT count(*) FROM report WHERE acknowledged_at IS NOT NULL") == 0
    results = await handlers.acknowledge_reports(db, nation, [(first, "fine"), (second, "also fine")])
    assert [outcome for _, outcome, _ in results] == [Acknowledgement.ACKNOWLEDGED] * 2
    assert await pool.fetchval("SELECT count(*) FROM report WHERE acknowledged_at IS NOT NULL") == 2
