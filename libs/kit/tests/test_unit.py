"""The database port (kit.unit) on a real PostgreSQL: a unit's writes and its announcements commit
together or not at all."""

from __future__ import annotations

import pytest
from contracts import EventType, Topic
from devstack.testing import Infra
from kit.db import apply_migrations_async, create_pool
from kit.outbox import announcement
from kit.unit import Database, Unit
from qinglang.content.v1 import post_pb2

THING = EventType("qinglang.test.unit.thing.v1", Topic("kit-test.unit.v1", owner="kit-test"), post_pb2.PostCreated)


class Things(Unit):
    async def add(self, name: str) -> None:
        await self.conn.execute("INSERT INTO thing (name) VALUES ($1)", name)

    async def count(self) -> int:
        return await self.conn.fetchval("SELECT (SELECT count(*) FROM thing) + (SELECT count(*) FROM outbox_event)")


@pytest.fixture
async def db(infra: Infra, tmp_path):
    url = infra.fresh_database()
    (tmp_path / "0001_thing.sql").write_text("CREATE TABLE thing (name text NOT NULL);")
    await apply_migrations_async(url, tmp_path)
    pool = await create_pool(url)
    try:
        yield Database(pool, Things)
    finally:
        await pool.close()


async def test_a_units_rows_and_announcements_commit_together_or_not_at_all(db: Database[Things]) -> None:
    with pytest.raises(RuntimeError):
        async with db.transaction() as tx:
            await tx.add("lost")
            await tx.announce(announcement(THING, post_pb2.PostCreated(post_id="lost"), key=None))
            raise RuntimeError("the handler failed after writing")
    assert await db.reader().count() == 0
    async with db.transaction() as tx:
        await tx.add("kept")
        await tx.announce(announcement(THING, post_pb2.PostCreated(post_id="kept"), key=None))
    assert await db.reader().count() == 2
    async with db.snapshot() as view:
        assert await view.count() == 2
        with pytest.raises(Exception, match="read-only"):
            await view.add("refused in a read-only snapshot")


async def test_announce_all_writes_every_row_in_order_with_the_transaction(db: Database[Things]) -> None:
    rows = [announcement(THING, post_pb2.PostCreated(post_id=f"p{i}"), key="k") for i in range(5)]
    with pytest.raises(RuntimeError):
        async with db.transaction() as tx:
            await tx.announce_all(rows)
            raise RuntimeError("rolled back")
    assert await db.reader().count() == 0
    async with db.transaction() as tx:
        await tx.announce_all(rows)
        await tx.announce_all([])
    ids = await db.reader().conn.fetch("SELECT ce_id FROM outbox_event ORDER BY id")
    assert [r["ce_id"] for r in ids] == [r.ce_id for r in rows]
