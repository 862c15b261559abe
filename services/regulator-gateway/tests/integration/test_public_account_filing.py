"""PA-7.1: an approved public account is filed with the office of its province, once per announcement,
and its province is learned so the reports of its stopped articles reach that office (MB-12.2, MB-16.1).
On a real database; the announcement handled as the consumer handles it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import asyncpg
import pytest
from contracts.categories import Bj10Category
from devstack.testing import Infra
from kit.cloudevents import Event, timestamp
from kit.db import apply_migrations
from qinglang.identity.v1 import public_account_pb2
from regulator_gateway.filings import handlers
from regulator_gateway.filings.domain import FilingQuery
from regulator_gateway.filings.store import PgFilingStore
from regulator_gateway.main import MIGRATIONS
from regulator_gateway.reports import handlers as reports
from regulator_gateway.reports.domain import StoppedPost
from regulator_gateway.reports.store import PgReportStore


def approved(account: uuid.UUID) -> Event:
    message = public_account_pb2.PublicAccountApproved(
        public_account_id=str(account),
        owner_account_id=str(uuid.uuid4()),
        name="青朗晚报",
        kind="media",
        label="媒体",
        category="news",
        business_scope="新闻资讯",
        qualifications=[public_account_pb2.Qualification(kind="news_licence", number="10120170002")],
        province_code="330000",
        approved_at=timestamp(datetime.now(UTC)),
        legal_basis=["PA-7.1"],
    )
    return Event(
        id=str(uuid.uuid4()),
        type="test",
        source="/test",
        subject=None,
        time=None,
        data=message.SerializeToString(),
        key=None,
        traceparent=None,
        message=message,
    )


@pytest.mark.requirement("PA-7.1")
@pytest.mark.requirement("MB-16.1")
async def test_a_public_account_is_filed_in_its_province_and_its_stops_reported_there(infra: Infra) -> None:
    url = infra.fresh_database()
    apply_migrations(url, MIGRATIONS)
    conn = await asyncpg.connect(url)
    try:
        account = uuid.uuid4()
        event = approved(account)
        async with conn.transaction():
            await handlers.on_public_account_approved(conn, event)
        async with conn.transaction():
            await handlers.on_public_account_approved(conn, event)  # the same announcement again
        store = PgFilingStore(conn)
        zhejiang = await store.filings(FilingQuery("330000", "public_account", None, 100))
        assert [f.account_id for f in zhejiang] == [account]
        assert zhejiang[0].details["label"] == "媒体" and zhejiang[0].legal_basis == ["PA-7.1"]
        assert await store.filings(FilingQuery("110000", "public_account", None, 100)) == []

        stopped = StoppedPost(
            uuid.uuid4(),
            uuid.uuid4(),
            account,
            Bj10Category.RUMOUR_DISTURBING_ORDER,
            ["MB-12.2"],
            "r",
            datetime.now(UTC),
            "0",
        )
        async with conn.transaction():
            report = await reports.file_report(PgReportStore(conn), stopped)
        assert report.province_code == "330000"
    finally:
        await conn.close()
