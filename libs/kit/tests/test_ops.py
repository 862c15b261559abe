"""Operator commands and transport retention against the run's PostgreSQL and Tansu: `python -m kit.ops migrate`
on a fresh database (as the Helm Job runs it, with the operator's credentials), the retention round, and a
dead-lettered event replayed through the outbox and handled exactly once."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import asyncpg
import psycopg
import pytest
from contracts import EventType, Topic
from devstack.testing import Infra
from kit.bus import EventConsumer, Subscription, create_producer, ensure_topics
from kit.cloudevents import Event
from kit.db import apply_migrations_async, create_pool, transaction
from kit.ops import list_dead_letters, replay_dead_letters
from kit.outbox import OutboxRelay, announce, purge_transport_rows
from kit.settings import KitSettings
from psycopg import sql
from qinglang.content.v1 import post_pb2

EVENT_TYPE = "qinglang.test.thing.happened.v1"


def ops(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kit.ops", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_migrate_applies_the_kits_and_the_services_migrations_with_the_operators_credentials(infra: Infra) -> None:
    database_url = infra.fresh_database()
    database = database_url.rsplit("/", 1)[1]
    role, password = f"ops user@{uuid.uuid4().hex[:4]}", "p@ss:w/rd?#"  # needs quoting in a URL
    with psycopg.connect(infra.admin_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(sql.Identifier(role), sql.Literal(password)))
        admin.execute(sql.SQL("ALTER DATABASE {} OWNER TO {}").format(sql.Identifier(database), sql.Identifier(role)))
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(sql.SQL("ALTER SCHEMA public OWNER TO {}").format(sql.Identifier(role)))
    # The URL names the admin user; DATABASE_USER / DATABASE_PASSWORD (an operator's Secret) replace it.
    env = {"DATABASE_URL": database_url, "DATABASE_USER": role, "DATABASE_PASSWORD": password}

    first = ops("migrate", "content", env=env)
    assert first.returncode == 0, first.stderr
    applied = json.loads(first.stdout)["applied"]
    assert applied[:4] == [
        "kit_0001_outbox_inbox",
        "kit_0002_outbox_notify",
        "kit_0003_staff_action",
        "kit_0004_dead_letter_replay",
    ]
    assert "0001_posts" in applied
    assert password not in first.stdout + first.stderr  # the password never printed or logged
    with psycopg.connect(database_url) as conn:
        owners = dict(
            conn.execute("SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public'").fetchall()
        )
    assert owners["outbox_event"] == role and owners["post"] == role  # made by the operator's user

    again = ops("migrate", "content", env=env)
    assert again.returncode == 0 and json.loads(again.stdout)["applied"] == []
    # The pool (asyncpg) reads the same credentials: the dead-letter listing connects as that user.
    listing = ops("dead-letters", "list", "content", env=env)
    assert listing.returncode == 0, listing.stderr
    assert json.loads(listing.stdout) == {"service": "content", "dead_letters": []}


@pytest.mark.parametrize("service", ["identity", "content", "moderation", "reporting", "regulator-gateway"])
def test_every_service_declares_its_migrations_for_the_migrate_command(service: str) -> None:
    from kit.ops import migrations_of

    folder = migrations_of(service)
    assert folder.is_dir() and any(folder.glob("0001_*.sql"))


def test_a_replay_without_a_selection_or_of_an_unknown_service_is_refused(infra: Infra) -> None:
    env = {"DATABASE_URL": infra.fresh_database()}
    refused = ops("dead-letters", "replay", "content", env=env)
    assert refused.returncode == 2 and "--id, --consumer or --all" in refused.stderr
    unknown = ops("migrate", "timeline", env=env)
    assert unknown.returncode == 2 and "invalid choice" in unknown.stderr


@pytest.fixture
async def kit_db(infra: Infra, tmp_path: Path) -> str:
    database_url = infra.fresh_database()
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    (migrations / "0001_effect.sql").write_text("CREATE TABLE effect (grp text NOT NULL, ce_id text NOT NULL);")
    await apply_migrations_async(database_url, migrations)
    return database_url


async def test_a_retention_round_deletes_exactly_the_old_transport_rows(kit_db: str) -> None:
    pool = await create_pool(kit_db)
    try:
        await pool.execute(
            """INSERT INTO outbox_event (ce_id, ce_type, ce_source, topic, payload, created_at, published_at)
               SELECT gen_random_uuid(), 't', '/s', 'x', ''::bytea, now() - make_interval(hours => h),
                      CASE WHEN published THEN now() - make_interval(hours => h) END
                 FROM (VALUES (200, true, 'old'), (201, true, 'old'), (202, true, 'old'), (203, true, 'old'),
                              (204, true, 'old'), (1, true, 'young'), (300, false, 'unpublished'))
                      AS r(h, published, label)"""
        )
        await pool.execute(
            """INSERT INTO inbox_event (consumer, ce_id, ce_type, handled_at)
               VALUES ('g', 'old-1', 't', now() - interval '400 hours'),
                      ('g', 'old-2', 't', now() - interval '337 hours'),
                      ('g', 'young', 't', now() - interval '335 hours')"""
        )
        await pool.execute(
            """INSERT INTO dead_letter_event (consumer, topic, kafka_partition, kafka_offset, headers, payload, error,
                                              failed_at)
               VALUES ('g', 'x', 0, 0, '{}', ''::bytea, 'e', now() - interval '5000 hours')"""
        )
        # Batches of two: the round keeps going until a batch comes back short.
        deleted = await purge_transport_rows(
            pool, outbox_older_than_s=168 * 3600, inbox_older_than_s=336 * 3600, batch=2
        )
        assert deleted == {"outbox": 5, "inbox": 2}
        left = await pool.fetch(
            """SELECT published_at IS NULL AS unpublished, created_at > now() - interval '2 hours' AS young
                 FROM outbox_event"""
        )
        assert sorted((r["unpublished"], r["young"]) for r in left) == [(False, True), (True, False)]
        assert [r["ce_id"] for r in await pool.fetch("SELECT ce_id FROM inbox_event")] == ["young"]
        assert await pool.fetchval("SELECT count(*) FROM dead_letter_event") == 1  # never purged by it
    finally:
        await pool.close()


async def test_a_dead_lettered_event_is_replayed_through_the_outbox_and_handled_exactly_once(
    infra: Infra, kit_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", kit_db)
    settings = KitSettings(
        database_url=kit_db,
        kafka_bootstrap_servers=infra.kafka,
        service_name="kit-ops-test",
        kafka_fetch_max_wait_ms=20,
    )
    topic = f"kit-ops.{uuid.uuid4().hex[:8]}.v1"
    thing = EventType(EVENT_TYPE, Topic(topic, owner="kit-ops-test"), post_pb2.PostCreated)
    await ensure_topics(settings, [topic])
    pool = await create_pool(kit_db)
    broken = {"yes": True}

    def handler(group: str, *, flaky: bool):
        async def record(conn: asyncpg.Connection, event: Event) -> None:
            if flaky and broken["yes"]:
                raise RuntimeError("a bug, fixed later")
            await conn.execute("INSERT INTO effect (grp, ce_id) VALUES ($1, $2)", group, event.id)

        return record

    ok_group, flaky_group = f"ok-{uuid.uuid4().hex[:6]}", f"flaky-{uuid.uuid4().hex[:6]}"
    consumers = [
        EventConsumer(Subscription(ok_group, handlers={thing: handler(ok_group, flaky=False)}), pool, settings),
        EventConsumer(Subscription(flaky_group, handlers={thing: handler(flaky_group, flaky=True)}), pool, settings),
    ]
    producer = create_producer(settings)
    await producer.start()
    relay = OutboxRelay(pool, producer, database_url=kit_db, poll_interval_s=0.2)
    tasks = [asyncio.create_task(c.run()) for c in consumers] + [asyncio.create_task(relay.run())]

    async def effects(group: str) -> list[str]:
        return [r["ce_id"] for r in await pool.fetch("SELECT ce_id FROM effect WHERE grp = $1 ORDER BY ce_id", group)]

    async def until(query: str, expected: object, *args: object, timeout_s: float = 30) -> None:
        async with asyncio.timeout(timeout_s):
            while await pool.fetchval(query, *args) != expected:  # noqa: ASYNC110 - other tasks do the work
                await asyncio.sleep(0.05)  # polling interval under a deadline

    async def announce_one() -> str:
        async with transaction(pool) as conn:
            return str(await announce(conn, thing, post_pb2.PostCreated(post_id="p1"), key="author-1"))

    try:
        first = await announce_one()
        await until("SELECT count(*) FROM effect WHERE grp = $1", 1, ok_group)
        await until("SELECT count(*) FROM dead_letter_event WHERE consumer = $1", 1, flaky_group)
        parked = await list_dead_letters("content")
        assert [(d["consumer"], d["ce_id"], d["replayed_at"]) for d in parked["dead_letters"]] == [
            (flaky_group, first, None)
        ]
        assert await pool.fetchval("SELECT partition_key FROM dead_letter_event") == "author-1"

        broken["yes"] = False  # the cause is fixed; now replay
        replayed = await replay_dead_letters("content", consumer=flaky_group, reason="handler fixed", by="test")
        assert replayed["replayed"] == [parked["dead_letters"][0]["id"]] and replayed["events"] == 1
        await until("SELECT count(*) FROM effect WHERE grp = $1", 1, flaky_group)
        # A later event on the same key (partition): once the healthy group handled it, it had seen the
        # replayed one before it, and its inbox dropped it.
        second = await announce_one()
        await until("SELECT count(*) FROM effect WHERE grp = $1", 2, ok_group)
        await until("SELECT count(*) FROM effect WHERE grp = $1", 2, flaky_group)
        assert await effects(ok_group) == sorted([first, second])
        assert await effects(flaky_group) == sorted([first, second])  # the replayed one exactly once
        assert await pool.fetchval("SELECT count(*) FROM outbox_event WHERE ce_id = $1::uuid", first) == 2

        # Replayed once: the same request again does nothing, unless forced.
        assert (await replay_dead_letters("content", consumer=flaky_group))["replayed"] == []
        assert (await list_dead_letters("content"))["dead_letters"] == []
        row = (await list_dead_letters("content", include_replayed=True))["dead_letters"][0]
        assert row["replayed_at"] is not None and row["replayed_by"] == "test" and row["replays"] == 1
        forced = await replay_dead_letters("content", ids=[row["id"]], force=True)
        assert forced["replayed"] == [row["id"]]
        await until("SELECT count(*) FROM outbox_event WHERE published_at IS NULL", 0)
        third = await announce_one()
        await until("SELECT count(*) FROM effect WHERE grp = $1", 3, flaky_group)
        assert await effects(flaky_group) == sorted([first, second, third])  # the forced one: no second effect
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await producer.stop()
        await pool.close()
