"""The user-log archive on a real PostgreSQL (MB-16.2, PA-16.2): appends are idempotent and chained, the
database refuses to change or delete records (only the purge's function deletes, whole anchored days),
days are closed by signed anchors, a purge past retention leaves the chain verifiable, rows altered, deleted
or inserted behind the triggers' back are named at the first broken record (by the API's handler and the
operator command), and each office reads the log of its own jurisdiction, every query recorded (MB-16.1)."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import sys
import uuid
from asyncio.subprocess import PIPE
from datetime import UTC, date, datetime, timedelta

import asyncpg
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from devstack.testing import Infra
from kit.db import apply_migrations
from nacl.public import PrivateKey, PublicKey, SealedBox
from regulator_gateway.archive import api, domain, handlers
from regulator_gateway.archive.domain import AddressKeys, BreakKind, Entry
from regulator_gateway.archive.store import PgArchiveStore
from regulator_gateway.database import PgDatabase
from regulator_gateway.main import MIGRATIONS
from regulator_gateway.offices.domain import NATIONAL, Office

pytestmark = [pytest.mark.requirement("MB-16.2"), pytest.mark.requirement("PA-16.2")]

OPEN_KEY = PrivateKey.generate()
LOOKUP_KEY = os.urandom(32)
KEYS = AddressKeys(bytes(OPEN_KEY), LOOKUP_KEY)
SIGNER = Ed25519PrivateKey.generate()
PUBLIC = {domain.key_id(SIGNER.public_key()): SIGNER.public_key()}
GRACE = timedelta(minutes=5)


def sealed(address: str, port: int) -> bytes:
    return SealedBox(PublicKey(KEYS.public_key)).encrypt(f"{address} {port}".encode())


def entry(account: uuid.UUID | None = None, *, address: str = "203.0.113.9", kind: str = "session.signed_in") -> Entry:
    return Entry(
        record_id=uuid.uuid4(),
        source="identity",
        kind=kind,
        occurred_at=datetime.now(UTC) - timedelta(minutes=1),
        account_id=account or uuid.uuid4(),
        actor_id=None,
        sealed_address=sealed(address, 40123),
        client_id="web",
        subject_type="",
        subject_id="",
        succeeded=True,
        detail="",
        legal_basis=("MB-16.2", "PA-16.2"),
    )


@pytest.fixture
def db(pool: asyncpg.Pool) -> PgDatabase:
    return PgDatabase(pool, PgArchiveStore)


async def append(db: PgDatabase, entries: list[Entry], now: datetime | None = None) -> int:
    async with db.transaction() as store:
        return await handlers.append(store, entries, KEYS, now)


async def days_of_records(db: PgDatabase, first: date, days: int, per_day: int = 3) -> None:
    """Records on ``days`` past days from ``first``, each day closed by its anchor."""
    for d in range(days):
        noon = datetime(first.year, first.month, first.day, 12, tzinfo=UTC) + timedelta(days=d)
        await append(db, [entry() for _ in range(per_day)], noon)
    last = first + timedelta(days=days)
    await handlers.close_days(db, SIGNER, grace=GRACE, now=datetime(last.year, last.month, last.day, 1, tzinfo=UTC))


async def verify(db: PgDatabase, **kwargs) -> domain.Verification:
    return await handlers.verify(db, PUBLIC, since=None, until=None, **kwargs)


async def test_appends_are_chained_and_a_redelivery_adds_nothing(db: PgDatabase, pool: asyncpg.Pool) -> None:
    first = [entry(), entry()]
    assert await append(db, first) == 2
    again = entry()
    assert await append(db, [first[1], again, again]) == 1  # redelivered, and twice in one batch
    rows = await pool.fetch("SELECT seq, record_id, prev_hash, hash, address_hash FROM user_log_record ORDER BY seq")
    assert [r["seq"] for r in rows] == [1, 2, 3]
    assert [r["record_id"] for r in rows] == [first[0].record_id, first[1].record_id, again.record_id]
    assert bytes(rows[0]["prev_hash"]) == domain.GENESIS and bytes(rows[2]["prev_hash"]) == bytes(rows[1]["hash"])
    assert bytes(rows[0]["address_hash"]) == KEYS.lookup_hash("203.0.113.9")
    stored = await pool.fetchval("SELECT count(*) FROM user_log_record WHERE sealed_address::text LIKE '%203.0.113%'")
    assert stored == 0  # the address is never stored in plaintext
    assert (await verify(db)).ok


async def test_the_database_refuses_to_change_or_delete_records_and_anchors(db: PgDatabase, pool: asyncpg.Pool) -> None:
    await days_of_records(db, datetime.now(UTC).date() - timedelta(days=2), 1)
    for statement in [
        "UPDATE user_log_record SET detail = 'x' WHERE seq = 1",
        "DELETE FROM user_log_record WHERE seq = 1",
        "TRUNCATE user_log_record",
        "UPDATE user_log_anchor SET count = 0",
        "DELETE FROM user_log_anchor",
    ]:
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match=r"MB-16\.2"):
            await pool.execute(statement)
    day = await pool.fetchval("SELECT day FROM user_log_record LIMIT 1")
    with pytest.raises(asyncpg.RaiseError, match="no anchor"):
        await pool.execute("SELECT user_log_purge_day($1)", day + timedelta(days=1))
    assert await pool.fetchval("SELECT count(*) FROM user_log_record") == 3


async def test_days_are_closed_by_signed_anchors_and_late_records_join_the_next_day(
    db: PgDatabase, pool: asyncpg.Pool
) -> None:
    d1 = datetime.now(UTC).date() - timedelta(days=3)
    await append(db, [entry(), entry()], datetime(d1.year, d1.month, d1.day, 23, 59, tzinfo=UTC))
    early = datetime(d1.year, d1.month, d1.day, tzinfo=UTC) + timedelta(days=1, minutes=2)
    assert await handlers.close_days(db, SIGNER, grace=GRACE, now=early) == []  # within the grace
    [a1] = await handlers.close_days(db, SIGNER, grace=GRACE, now=early + GRACE)
    assert (a1.day, a1.first_seq, a1.last_seq, a1.count) == (d1, 1, 2, 2)
    await append(db, [entry()], datetime(d1.year, d1.month, d1.day, 23, 59, 59, tzinfo=UTC))  # a slow clock
    assert await pool.fetchval("SELECT day FROM user_log_record WHERE seq = 3") == d1 + timedelta(days=1)
    anchors = await handlers.close_days(db, SIGNER, grace=GRACE)  # through yesterday: one with, one without
    assert [(a.day, a.count) for a in anchors] == [(d1 + timedelta(days=1), 1), (d1 + timedelta(days=2), 0)]
    assert anchors[1].head_hash == anchors[0].head_hash and anchors[1].prev_anchor_hash == anchors[0].hash
    assert await handlers.close_days(db, SIGNER, grace=GRACE) == []
    result = await verify(db)
    assert result.ok and (result.records, result.anchors) == (3, 3)
    listed = await handlers.anchors(db, since=d1 + timedelta(days=1), until=None)
    assert [a.day for a in listed] == [d1 + timedelta(days=1), d1 + timedelta(days=2)]


async def test_a_purge_past_retention_takes_whole_days_and_the_chain_still_verifies(
    db: PgDatabase, pool: asyncpg.Pool
) -> None:
    today = datetime.now(UTC).date()
    await days_of_records(db, today - timedelta(days=186), 5)  # days 186..182 ago
    await append(db, [entry()])  # today
    purged = await handlers.purge(db, retention_days=183)
    assert [d for d, _ in purged] == [today - timedelta(days=186 - i) for i in range(3)]
    assert all(n == 3 for _, n in purged)
    assert await pool.fetchval("SELECT count(*) FROM user_log_record") == 7
    assert await pool.fetchval("SELECT count(*) FROM user_log_anchor") >= 5  # the anchors stay
    assert await pool.fetchval("SELECT legal_basis FROM user_log_purge LIMIT 1") == ["MB-16.2", "PA-16.2"]
    assert await handlers.purge(db, retention_days=183) == []
    result = await verify(db)
    assert result.ok, result.broken
    assert (result.first_seq, result.records, result.since) == (10, 7, today - timedelta(days=183))
    # ARCHIVE_RETENTION_DAYS raised after the purge (it can only go up): what went is still honoured as purged
    assert await handlers.purge(db, retention_days=365) == []
    assert (await verify(db)).ok
    # a day within retention deleted behind the triggers' back is not taken for a purge
    await pool.execute("ALTER TABLE user_log_record DISABLE TRIGGER user_log_record_append_only")
    await pool.execute("DELETE FROM user_log_record WHERE day = $1", today - timedelta(days=183))
    await pool.execute("ALTER TABLE user_log_record ENABLE TRIGGER user_log_record_append_only")
    broken = (await verify(db)).broken
    assert broken is not None and (broken.kind, broken.seq) == (BreakKind.MISSING, 10)


@pytest.mark.parametrize("tampering", ["altered", "deleted", "inserted"])
async def test_rows_changed_behind_the_triggers_back_are_named_at_the_first_broken_record(
    db: PgDatabase, pool: asyncpg.Pool, tampering: str
) -> None:
    await days_of_records(db, datetime.now(UTC).date() - timedelta(days=3), 3, per_day=4)
    await append(db, [entry(), entry()])  # today's, not anchored yet
    assert (await verify(db)).ok
    await pool.execute("ALTER TABLE user_log_record DISABLE TRIGGER user_log_record_append_only")
    if tampering == "altered":
        await pool.execute("UPDATE user_log_record SET kind = 'profile.changed' WHERE seq = 6")
        expected = (BreakKind.ALTERED, 6)
    elif tampering == "deleted":
        await pool.execute("DELETE FROM user_log_record WHERE seq = 6")
        expected = (BreakKind.MISSING, 6)
    else:  # a forged record put in at seq 6, hashed properly onto record 5, the rest renumbered
        await pool.execute("UPDATE user_log_record SET seq = seq + 1000000 WHERE seq >= 6")
        await pool.execute("UPDATE user_log_record SET seq = seq - 999999 WHERE seq >= 1000000")
        five = await pool.fetchrow("SELECT seq, hash, day FROM user_log_record WHERE seq = 5")
        head = domain.ChainHead(5, bytes(five["hash"]), five["day"], None)
        noon = datetime(five["day"].year, five["day"].month, five["day"].day, 12, tzinfo=UTC)
        [forged] = domain.chain(head, [(entry(), None)], noon)
        await PgArchiveStore(pool).insert([forged])
        expected = (BreakKind.INSERTED, 6)
    await pool.execute("ALTER TABLE user_log_record ENABLE TRIGGER user_log_record_append_only")
    broken = (await verify(db)).broken
    assert broken is not None and (broken.kind, broken.seq) == expected, broken


async def test_the_operator_command_exits_non_zero_on_a_break(infra: Infra) -> None:
    url = infra.fresh_database()
    apply_migrations(url, MIGRATIONS)
    pool = await asyncpg.create_pool(url, min_size=1, max_size=2)
    try:
        await _operator_command(PgDatabase(pool, PgArchiveStore), pool, url)
    finally:
        await pool.close()


async def run(argv: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(*argv, env=env, stdout=PIPE, stderr=PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), timeout=60)
    return proc.returncode or 0, out.decode(), err.decode()


async def _operator_command(db: PgDatabase, pool: asyncpg.Pool, url: str) -> None:
    await days_of_records(db, datetime.now(UTC).date() - timedelta(days=2), 2)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "USER_LOG_OPEN_KEY": base64.b64encode(bytes(OPEN_KEY)).decode(),
        "ARCHIVE_LOOKUP_KEY": base64.b64encode(LOOKUP_KEY).decode(),
        "ARCHIVE_SIGNING_KEY": base64.b64encode(SIGNER.private_bytes_raw()).decode(),
    }
    argv = [sys.executable, "-m", "regulator_gateway.cli", "verify-archive"]
    code, out, err = await run(argv, env)
    assert code == 0, err
    assert json.loads(out)["ok"] is True and json.loads(out)["records"] == 6
    await pool.execute("ALTER TABLE user_log_record DISABLE TRIGGER user_log_record_append_only")
    await pool.execute("UPDATE user_log_record SET detail = 'edited' WHERE seq = 4")
    await pool.execute("ALTER TABLE user_log_record ENABLE TRIGGER user_log_record_append_only")
    code, out, err = await run([*argv, "--from", "2000-01-01"], env)
    assert code == 1, err
    assert json.loads(out)["broken"] == {
        "kind": "altered",
        "seq": 4,
        "day": (datetime.now(UTC).date() - timedelta(days=1)).isoformat(),
        "reason": "its content does not match its hash",
    }


@pytest.mark.requirement("MB-16.1")
async def test_each_office_reads_its_jurisdictions_log_and_every_query_is_recorded(
    db: PgDatabase, pool: asyncpg.Pool
) -> None:
    beijing_account, shanghai_account = uuid.uuid4(), uuid.uuid4()
    await pool.execute(
        "INSERT INTO account_jurisdiction (account_id, province_code) VALUES ($1, '110000'), ($2, '310000')",
        beijing_account,
        shanghai_account,
    )
    await append(db, [entry(beijing_account, address="198.51.100.1") for _ in range(5)])
    await append(db, [entry(shanghai_account, address="198.51.100.1"), entry(None, address="2001:db8::1")])
    beijing_office = Office(uuid.uuid4(), "Beijing", "110000")
    national = Office(uuid.uuid4(), "CAC", NATIONAL)
    for office in (beijing_office, national):
        await pool.execute(
            "INSERT INTO regulator_office (id, name, jurisdiction, key_hash) VALUES ($1, $2, $3, $4)",
            office.id, office.name, office.jurisdiction, os.urandom(32),
        )  # fmt: skip

    async def read(office: Office, **filters) -> list:
        items, cursor = [], None
        while True:
            page = await api.list_logs(
                office,
                db,
                KEYS,
                cursor=cursor,
                limit=2,
                **{"account_id": None, "address": None, "since": None, "until": None, **filters},
            )
            items += page.items
            if page.next_cursor is None:
                return items
            cursor = page.next_cursor

    beijing = await read(beijing_office)
    assert len(beijing) == 5 and {r.account_id for r in beijing} == {str(beijing_account)}
    assert [r.seq for r in beijing] == [1, 2, 3, 4, 5]
    assert (beijing[0].address, beijing[0].port) == ("198.51.100.1", 40123)
    assert await read(beijing_office, account_id=shanghai_account) == []  # outside its jurisdiction
    by_address = await read(national, address="198.51.100.1")
    assert len(by_address) == 6
    assert [r.address for r in await read(national, address="2001:0db8::0001")] == ["2001:db8::1"]
    assert len(await read(national)) == 7
    queries = await api.list_log_queries(beijing_office, db, cursor=None, limit=100)
    assert [q.rows for q in queries.items] == [0, 1, 2, 2]  # newest first: each page recorded
    national_queries = await api.list_log_queries(national, db, cursor=None, limit=100)
    addressed = [q for q in national_queries.items if q.address_hash]
    assert addressed and addressed[-1].address_hash == KEYS.lookup_hash("198.51.100.1").hex()
    stored = await pool.fetch("SELECT * FROM log_query")
    assert all("198.51.100" not in str(dict(r)) for r in stored)
    with pytest.raises(domain.InvalidAddress):
        await read(national, address="not-an-address")
