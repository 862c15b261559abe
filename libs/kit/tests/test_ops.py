"""Operator commands and transport retention against the run's PostgreSQL and Tansu: `python -m kit.ops migrate`
on a fresh database (as the Helm Job runs it, with the operator's credentials), the retention round, and a
dead-lettered event handled again in the command's process, by its own group, exactly once."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import types
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
import psycopg
import pytest
from contracts import EventType, Topic
from devstack.testing import Infra
from fastapi import FastAPI
from kit.bus import EventConsumer, Subscription, create_producer, ensure_topics
from kit.cloudevents import Event
from kit.db import apply_migrations_async, create_pool, transaction
from kit.ops import SERVICE_PACKAGES, list_dead_letters, replay_dead_letters
from kit.ops import main as ops_main
from kit.outbox import OutboxRelay, announce, purge_transport_rows, replay_published
from kit.service import ServiceSpec, create_service_app
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
    assert {"kit_0005_jobs", "kit_0006_outbox_replayed"} <= set(applied)
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


class Service:
    """A minimal service for the replay command: a module ``<package>.main`` as an image holds one (its
    ``build_app()`` and ``MIGRATIONS``), registered under ``SERVICE_PACKAGES`` for this test."""

    name = "kit-ops-test"

    def __init__(self, infra: Infra, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("DATABASE_URL", database_url)  # what `list` reads, as in an image
        self.settings = KitSettings(
            database_url=database_url,
            kafka_bootstrap_servers=infra.kafka,
            service_name=self.name,
            kafka_fetch_max_wait_ms=20,
        )
        self.topic = f"kit-ops.{uuid.uuid4().hex[:8]}.v1"
        self.thing = EventType(EVENT_TYPE, Topic(self.topic, owner=self.name), post_pb2.PostCreated)
        self.subscriptions: list[Subscription] = []  # what the service's spec declares
        module = types.ModuleType("kit_ops_test_service.main")
        module.MIGRATIONS = tmp_path / "migrations"  # type: ignore[attr-defined]
        module.build_app = self.build_app  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "kit_ops_test_service.main", module)
        monkeypatch.setitem(SERVICE_PACKAGES, self.name, "kit_ops_test_service")

    def build_app(self) -> FastAPI:
        migrations = Path(sys.modules["kit_ops_test_service.main"].MIGRATIONS)
        return create_service_app(
            ServiceSpec(
                name=self.name,
                title="kit ops test",
                settings=self.settings,
                migrations_dir=migrations,
                subscriptions=list(self.subscriptions),
            )
        )

    @asynccontextmanager
    async def consuming(self, pool: asyncpg.Pool, groups: list[Subscription]) -> AsyncIterator[None]:
        """The groups reading the topic, and the relay publishing the outbox, until the block ends."""
        await ensure_topics(self.settings, [self.topic])
        producer = create_producer(self.settings)
        await producer.start()
        relay = OutboxRelay(pool, producer, database_url=self.settings.database_url, poll_interval_s=0.2)
        consumers = [EventConsumer(group, pool, self.settings) for group in groups]
        tasks = [asyncio.create_task(c.run()) for c in consumers] + [asyncio.create_task(relay.run())]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await producer.stop()

    async def announce_one(self, pool: asyncpg.Pool, key: str = "author-1") -> str:
        async with transaction(pool) as conn:
            return str(await announce(conn, self.thing, post_pb2.PostCreated(post_id="p1"), key=key))


def recorder(group: str, broken: dict[str, bool] | None = None):
    """A handler writing its effect (group, event id) and the key it saw; failing while ``broken["yes"]``."""

    async def record(conn: asyncpg.Connection, event: Event) -> None:
        if broken is not None and broken["yes"]:
            raise RuntimeError(f"{group}: a bug")
        assert isinstance(event.message, post_pb2.PostCreated) and event.message.post_id == "p1"
        await conn.execute("INSERT INTO effect (grp, ce_id) VALUES ($1, $2)", group, f"{event.id}/{event.key}")

    return record


def in_batches(handler):
    async def each(conn: asyncpg.Connection, batch: list[Event]) -> None:
        for event in batch:
            await handler(conn, event)

    return each


async def until(pool: asyncpg.Pool, query: str, expected: object, *args: object, timeout_s: float = 30) -> None:
    async with asyncio.timeout(timeout_s):
        while await pool.fetchval(query, *args) != expected:  # noqa: ASYNC110 - other tasks do the work
            await asyncio.sleep(0.05)  # polling interval under a deadline


async def effects(pool: asyncpg.Pool, group: str) -> list[str]:
    return [r["ce_id"] for r in await pool.fetch("SELECT ce_id FROM effect WHERE grp = $1 ORDER BY ce_id", group)]


async def test_a_dead_lettered_event_is_handled_again_by_its_own_group_only_and_exactly_once(
    infra: Infra, kit_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = Service(infra, kit_db, tmp_path, monkeypatch)
    pool = await create_pool(kit_db)
    broken = {"yes": True}
    ok_group, flaky_group = f"ok-{uuid.uuid4().hex[:6]}", f"flaky-{uuid.uuid4().hex[:6]}"
    ok = Subscription(ok_group, handlers={service.thing: recorder(ok_group)})
    flaky = Subscription(flaky_group, handlers={service.thing: recorder(flaky_group, broken)})
    service.subscriptions = [ok, flaky]
    try:
        async with service.consuming(pool, [ok, flaky]):
            first = await service.announce_one(pool)
            await until(pool, "SELECT count(*) FROM effect WHERE grp = $1", 1, ok_group)
            await until(pool, "SELECT count(*) FROM dead_letter_event WHERE consumer = $1", 1, flaky_group)
            parked = (await list_dead_letters(service.name))["dead_letters"]
            assert [(d["consumer"], d["ce_id"], d["replayed_at"]) for d in parked] == [(flaky_group, first, None)]
            row_id = parked[0]["id"]

            broken["yes"] = False  # the cause is fixed; now replay
            replayed = await replay_dead_letters(service.name, consumer=flaky_group, reason="handler fixed", by="test")
            assert replayed == {
                "service": service.name,
                "replayed": [row_id],
                "handled": [row_id],
                "refused": [],
                "failed": [],
            }
            # Handled by the command itself, with the record's key: nothing published, no other group touched.
            assert await effects(pool, flaky_group) == [f"{first}/author-1"]
            assert await effects(pool, ok_group) == [f"{first}/author-1"]
            assert await pool.fetchval("SELECT count(*) FROM outbox_event") == 1  # the announcement only
            # The groups go on with the next event as usual; the healthy one never saw the first twice.
            second = await service.announce_one(pool)
            await until(pool, "SELECT count(*) FROM effect WHERE grp = $1", 2, ok_group)
            await until(pool, "SELECT count(*) FROM effect WHERE grp = $1", 2, flaky_group)
            for group in (ok_group, flaky_group):
                assert await effects(pool, group) == sorted([f"{first}/author-1", f"{second}/author-1"])

        # Replayed once: the same request again selects nothing ...
        again = await replay_dead_letters(service.name, consumer=flaky_group)
        assert again["replayed"] == [] and again["handled"] == []
        assert (await list_dead_letters(service.name))["dead_letters"] == []
        row = (await list_dead_letters(service.name, include_replayed=True))["dead_letters"][0]
        assert (row["id"], row["replayed_by"], row["replays"]) == (row_id, "test", 1) and row["replayed_at"]
        # ... and forced, the inbox guard still finds the event: marked again, no second effect.
        forced = await replay_dead_letters(service.name, ids=[row_id], force=True, by="test")
        assert forced["replayed"] == [row_id] and forced["handled"] == []
        assert len(await effects(pool, flaky_group)) == 2
        assert await pool.fetchval("SELECT replays FROM dead_letter_event WHERE id = $1", row_id) == 2
    finally:
        await pool.close()


async def test_a_replay_that_fails_again_leaves_the_row_waiting_and_exits_non_zero_and_a_per_process_group_is_refused(
    infra: Infra, kit_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    service = Service(infra, kit_db, tmp_path, monkeypatch)
    pool = await create_pool(kit_db)
    suffix = uuid.uuid4().hex[:6]
    fixed, still = {"yes": True}, {"yes": True}
    fixed_group, still_group = f"fixed-{suffix}", f"still-{suffix}"
    # A per-process group as another pod named it (host and pid its own); the spec built by the command
    # names it after the command's process.
    cache_prefix = f"cache-{suffix}"
    elsewhere = f"{cache_prefix}.other-pod.4242"
    here = f"{cache_prefix}.{socket.gethostname()}.{os.getpid()}"
    gone_group = f"gone-{suffix}"  # a group the service no longer has
    groups = {
        # A batch handler: the replay calls it with the one event, as a consumer isolating a failure does.
        fixed_group: Subscription(
            fixed_group, batch_handlers={service.thing: in_batches(recorder(fixed_group, fixed))}
        ),
        still_group: Subscription(still_group, handlers={service.thing: recorder(still_group, still)}),
        elsewhere: Subscription(elsewhere, handlers={service.thing: recorder(elsewhere, still)}, per_process=True),
        gone_group: Subscription(gone_group, handlers={service.thing: recorder(gone_group, still)}),
    }
    service.subscriptions = [
        groups[fixed_group],
        groups[still_group],
        Subscription(here, handlers={service.thing: recorder(here)}, per_process=True),
    ]
    try:
        async with service.consuming(pool, list(groups.values())):
            event = await service.announce_one(pool)
            await until(pool, "SELECT count(*) FROM dead_letter_event", 4)
        ids = {r["consumer"]: r["id"] for r in await pool.fetch("SELECT consumer, id FROM dead_letter_event")}

        fixed["yes"] = False  # one cause fixed, the other not
        code = await asyncio.to_thread(ops_main, ["dead-letters", "replay", service.name, "--all", "--by", "test"])
        assert code == 1
        result = json.loads(capsys.readouterr().out)
        assert result["replayed"] == result["handled"] == [ids[fixed_group]]  # the other rows did not stop it
        assert [(f["id"], f["consumer"]) for f in result["failed"]] == [(ids[still_group], still_group)]
        assert f"{still_group}: a bug" in result["failed"][0]["error"]
        refused = {r["consumer"]: r["reason"] for r in result["refused"]}
        assert set(refused) == {elsewhere, gone_group}
        assert "per-process group" in refused[elsewhere] and "no consumer group" in refused[gone_group]

        assert await effects(pool, fixed_group) == [f"{event}/author-1"]
        for group in (still_group, elsewhere, gone_group):
            assert await effects(pool, group) == []  # the failed handler's transaction rolled back
        waiting = {d["consumer"] for d in (await list_dead_letters(service.name))["dead_letters"]}
        assert waiting == {still_group, elsewhere, gone_group}
        assert await pool.fetchval("SELECT replays FROM dead_letter_event WHERE id = $1", ids[still_group]) == 0

        still["yes"] = False  # fixed at last: this group's row alone now
        code = await asyncio.to_thread(
            ops_main, ["dead-letters", "replay", service.name, "--id", str(ids[still_group])]
        )
        assert code == 0 and json.loads(capsys.readouterr().out)["handled"] == [ids[still_group]]
        assert await effects(pool, still_group) == [f"{event}/author-1"]
    finally:
        await pool.close()


@pytest.mark.requirement("MB-16.2")
async def test_after_a_broker_loss_the_recent_rows_of_the_replayed_topics_are_published_again(kit_db: str) -> None:
    """A user log entry is a record no reconciler confirms: after a broker lost its state, what was published
    of the given topics within the window goes again (the relay sends unpublished rows); nothing older, and no
    other topic's, which have reconcilers of their own."""
    pool = await create_pool(kit_db)
    try:
        await pool.execute(
            """INSERT INTO outbox_event (ce_id, ce_type, ce_source, topic, payload, published_at)
               SELECT gen_random_uuid(), 't', '/s', topic, convert_to(label, 'UTF8'),
                      now() - make_interval(secs => age)
                 FROM (VALUES ('content.userlog.v1', 60, 'recent'), ('content.userlog.v1', 7200, 'old'),
                              ('content.post.v1', 60, 'other topic')) AS r(topic, age, label)"""
        )
        assert await replay_published(pool, ["content.userlog.v1"], within_s=600) == 1
        again = await pool.fetch(
            "SELECT convert_from(payload, 'UTF8') AS label FROM outbox_event WHERE published_at IS NULL"
        )
        assert [r["label"] for r in again] == ["recent"]
    finally:
        await pool.close()
