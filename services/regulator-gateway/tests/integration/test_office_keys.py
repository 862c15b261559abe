"""Offices' keys on a real PostgreSQL (issue 15, MB-16.1, MB-3): migration 0010 moves every existing key to the
key table without losing one; a rotation's new key works at once and the old one for the overlap only; a revoked
or expired key is refused like an unknown one; the operator commands print a key once and list only ids."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import pytest
from devstack.testing import Infra
from kit.db import apply_migrations
from regulator_gateway.database import PgDatabase
from regulator_gateway.main import MIGRATIONS
from regulator_gateway.offices import domain, handlers
from regulator_gateway.offices.domain import KeyNotFound, OfficeNotFound, UnknownApiKey
from regulator_gateway.offices.store import PgOfficeStore

pytestmark = pytest.mark.requirement("MB-16.1")


@pytest.fixture
def db(pool: asyncpg.Pool) -> PgDatabase:
    return PgDatabase(pool, PgOfficeStore)


async def _works(db: PgDatabase, api_key: str) -> bool:
    try:
        await handlers.authenticate(db, api_key)
    except UnknownApiKey:
        return False
    return True


async def test_the_key_table_migration_keeps_every_existing_key(infra: Infra, tmp_path: Path) -> None:
    url = infra.fresh_database()
    before = tmp_path / "migrations"
    before.mkdir()
    for migration in sorted(MIGRATIONS.glob("*.sql")):
        if migration.name < "0010":
            shutil.copy(migration, before)
    apply_migrations(url, before)
    live, revoked = domain.new_api_key(), domain.new_api_key()
    conn = await asyncpg.connect(url)
    try:
        live_id, revoked_id = uuid.uuid4(), uuid.uuid4()
        await conn.execute(
            """INSERT INTO regulator_office (id, name, jurisdiction, key_hash, revoked_at)
               VALUES ($1, 'Beijing', '110000', $2, NULL), ($3, 'Old', 'national', $4, now())""",
            live_id,
            domain.key_hash(live),
            revoked_id,
            domain.key_hash(revoked),
        )
    finally:
        await conn.close()
    assert "0010_office_keys" in apply_migrations(url, MIGRATIONS)
    pool = await asyncpg.create_pool(url, min_size=1, max_size=1)
    try:
        db = PgDatabase(pool, PgOfficeStore)
        caller = await handlers.authenticate(db, live)
        assert (caller.office.id, caller.key_id) == (live_id, domain.key_id(live))
        assert not await _works(db, revoked)  # revoked before, revoked after
        [kept] = await handlers.list_keys(db, revoked_id)
        assert kept.id == domain.key_id(revoked) and kept.revoked_at is not None
    finally:
        await pool.close()


async def test_a_rotated_key_keeps_working_for_the_overlap_then_stops(db: PgDatabase) -> None:
    office, old = await handlers.create_office(db, name="Shanghai", jurisdiction="310000")
    now = datetime.now(UTC)
    new, api_key, replaced = await handlers.rotate_key(db, office.id, overlap_hours=24, now=now)
    assert [k.id for k in replaced] == [domain.key_id(old)] and new.id == domain.key_id(api_key)
    assert replaced[0].expires_at == now + timedelta(hours=24)
    assert await _works(db, old) and await _works(db, api_key)  # both within the overlap
    assert (await handlers.authenticate(db, old)).key_id != (await handlers.authenticate(db, api_key)).key_id

    # A second rotation with a one-second overlap: both earlier keys stop a second later, the newest works.
    newest, newest_key, replaced = await handlers.rotate_key(db, office.id, overlap_hours=1 / 3600, now=now)
    assert {k.id for k in replaced} == {domain.key_id(old), new.id}
    deadline = time.monotonic() + 10
    while await _works(db, old) or await _works(db, api_key):
        assert time.monotonic() < deadline, "the rotated-away keys still work after their overlap"
        await _pause()
    assert await _works(db, newest_key)
    listed = {k.id: k for k in await handlers.list_keys(db, office.id)}
    assert set(listed) == {domain.key_id(old), new.id, newest.id} and listed[newest.id].expires_at is None


async def _pause() -> None:
    await asyncio.sleep(0.1)  # back-off between polls, not synchronisation


async def test_a_revoked_key_stops_at_once_like_an_unknown_one(db: PgDatabase) -> None:
    office, first = await handlers.create_office(db, name="Guangdong", jurisdiction="440000")
    _, second, _ = await handlers.rotate_key(db, office.id, overlap_hours=24, now=datetime.now(UTC))
    [revoked] = await handlers.revoke_key(db, office.id, domain.key_id(first))
    assert revoked.id == domain.key_id(first) and revoked.revoked_at is not None
    with pytest.raises(UnknownApiKey) as refused:
        await handlers.authenticate(db, first)
    assert refused.value.status == 401
    assert await _works(db, second)
    with pytest.raises(KeyNotFound):  # revoked already: no live key with that id
        await handlers.revoke_key(db, office.id, domain.key_id(first))
    assert len(await handlers.revoke_key(db, office.id, None)) == 1  # every live key of the office
    assert not await _works(db, second)
    with pytest.raises(OfficeNotFound):
        await handlers.rotate_key(db, uuid.uuid4(), overlap_hours=1, now=datetime.now(UTC))


def _cli(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "regulator_gateway.cli", *args],
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        check=False,
    )


async def test_the_operator_commands_print_a_key_once_and_list_only_ids(infra: Infra) -> None:
    url = infra.fresh_database()
    created = json.loads(_cli(url, "create-office", "--name", "Jiangsu", "--jurisdiction", "320000").stdout)
    office = created["office_id"]
    rotated = _cli(url, "rotate-office-key", "--office", office, "--overlap-hours", "2")
    assert rotated.returncode == 0, rotated.stderr
    new = json.loads(rotated.stdout)
    assert new["api_key"].startswith("qlr_") and new["key_id"] == domain.key_id(new["api_key"])
    assert [k["key_id"] for k in new["replaced"]] == [domain.key_id(created["api_key"])]
    listing = _cli(url, "list-office-keys", "--office", office)
    assert created["api_key"] not in listing.stdout and new["api_key"] not in listing.stdout
    keys = json.loads(listing.stdout)["keys"]
    assert [k["key_id"] for k in keys] == [domain.key_id(created["api_key"]), new["key_id"]]
    assert keys[0]["expires_at"] is not None and keys[1]["expires_at"] is None
    revoked = json.loads(_cli(url, "revoke-office-key", "--office", office, "--key-id", new["key_id"]).stdout)
    assert [k["key_id"] for k in revoked["revoked"]] == [new["key_id"]]
    unknown = _cli(url, "revoke-office-key", "--office", str(uuid.uuid4()))
    assert unknown.returncode == 2 and "No such office" in unknown.stderr and "Traceback" not in unknown.stderr
    too_long = _cli(url, "rotate-office-key", "--office", office, "--overlap-hours", "100000")
    assert too_long.returncode == 2 and "overlap" in too_long.stderr
