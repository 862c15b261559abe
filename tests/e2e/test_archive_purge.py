"""MB-16.2, PA-16.2: a purge of old days through a whole platform leaves the archive verifiable.

A stack's chain only holds today's records (a record's day is the archive's UTC day at append time) and
retention is 183 days at least, so this platform of its own starts on a history written before any of its
services runs: the archive's migrations applied to its fresh database, then records on three days more than
183 days ago and on one day inside retention, and every day from the first through the last of them closed by
its anchor, each built with the archive's own functions (``archive.domain.chain``, ``sign_anchor``) and the
stack's keys, and inserted with SQL as the archive's owner would (the triggers allow INSERT). Then the platform
starts: its anchor loop closes the days since, sign-ins and a post through the gateway append today's records
to the same chain, and verification through the gateway (an office's and the staff route) passes over the
whole range. The purge then runs, in a second regulator-gateway process (a worker, as a rolling update of the
setting would start) with a short ``ARCHIVE_PURGE_INTERVAL_S``: set on the whole stack instead, the purge would
run at the platform's start, before the whole range could be verified once. The old days' records go, their
anchors are still served and still check with the public key, verification passes from the first kept day, and
a kept record altered directly in the database (past the append-only trigger) is named as the first break.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable, Iterator
from dataclasses import astuple, dataclass, fields, replace
from datetime import UTC, date, datetime, time, timedelta

import httpx
import psycopg
import pytest
from contracts.userlog import USER_LOG_BASIS, UserLogKind
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from devstack.cli import ensure_dev_regulator_key
from devstack.stack import Stack, StackInfo
from devstack.testing import make_stack, poll
from journeys import Flow, every_page
from kit.db import apply_migrations
from nacl.public import PublicKey, SealedBox
from regulator_gateway.archive import domain
from regulator_gateway.archive.domain import GENESIS, AddressKeys, Anchor, ChainHead, DayTally, Entry, Record
from regulator_gateway.main import MIGRATIONS

pytestmark = [pytest.mark.requirement("MB-16.2"), pytest.mark.requirement("PA-16.2")]

LOCK = "SELECT pg_advisory_xact_lock(hashtextextended('qinglang.user_log_archive', 0))"
RETENTION_DAYS = 183  # ARCHIVE_RETENTION_DAYS' default: the stack keeps it
TODAY = datetime.now(UTC).date()
# The history: records per day, by days before today; every day from the first to the last is anchored.
OLD_DAYS = {200: 2, 198: 3, 190: 1}  # past retention (199 and 191..184: anchored days without records)
KEPT_DAYS = {10: 2}  # inside retention
HISTORY = {TODAY - timedelta(days=ago): n for ago, n in {**OLD_DAYS, **KEPT_DAYS}.items()}
FIRST_DAY, LAST_HISTORY_DAY = min(HISTORY), max(HISTORY)
LAST_PURGED = TODAY - timedelta(days=min(OLD_DAYS))
ADDRESS, PORT = "198.51.100.7", 40123


@dataclass
class History:
    records: list[Record]
    anchors: list[Anchor]

    def on(self, day: date) -> list[Record]:
        return [r for r in self.records if r.day == day]


@dataclass
class Archive:
    stack: Stack
    info: StackInfo
    history: History
    gw: httpx.Client
    flow: Flow
    office: dict[str, str]

    @property
    def database_url(self) -> str:
        return self.info.database_urls["regulator-gateway"]


def history_entry(kind: UserLogKind, source: str, at: datetime, seal: SealedBox) -> Entry:
    """An entry as a service would have announced it then (the address sealed to the archive's key)."""
    return Entry(
        record_id=uuid.uuid4(),
        source=source,
        kind=str(kind),
        occurred_at=at - timedelta(seconds=2),
        account_id=uuid.uuid4(),
        actor_id=None,
        sealed_address=seal.encrypt(f"{ADDRESS} {PORT}".encode()),
        client_id="web",
        subject_type="post" if kind is UserLogKind.POST_PUBLISHED else "",
        subject_id=str(uuid.uuid4()) if kind is UserLogKind.POST_PUBLISHED else "",
        succeeded=True,
        detail="",
        legal_basis=USER_LOG_BASIS,
    )


def past_history(secrets: dict[str, str]) -> History:
    """The chain as the archive would have written it on earlier days: each day's entries appended at noon
    (``domain.chain``), each day closed ten minutes after it ended by its signed anchor (``domain.sign_anchor``,
    days without records too), with the stack's keys."""
    keys = AddressKeys(base64.b64decode(secrets["USER_LOG_OPEN_KEY"]), base64.b64decode(secrets["ARCHIVE_LOOKUP_KEY"]))
    signer = domain.signing_key(secrets["ARCHIVE_SIGNING_KEY"])
    seal = SealedBox(PublicKey(base64.b64decode(secrets["USER_LOG_SEAL_KEY"])))
    head, previous = ChainHead(0, GENESIS, None, None), None
    records: list[Record] = []
    anchors: list[Anchor] = []
    day = FIRST_DAY
    while day <= LAST_HISTORY_DAY:
        noon = datetime.combine(day, time(12), UTC)
        kinds = [(UserLogKind.SIGNED_IN, "identity"), (UserLogKind.POST_PUBLISHED, "content")]
        entries = [history_entry(*kinds[i % 2], noon, seal) for i in range(HISTORY.get(day, 0))]
        batch = domain.chain(head, [(e, keys.lookup_hash_of_sealed(e.sealed_address)) for e in entries], noon)
        assert all(r.day == day for r in batch)
        records += batch
        if batch:
            head = replace(head, seq=batch[-1].seq, hash=batch[-1].hash, day=day)
            tally = DayTally(day, batch[0].seq, batch[-1].seq, len(batch), batch[-1].hash)
        else:
            tally = DayTally(day, None, None, 0, None)
        anchor = domain.sign_anchor(
            signer, tally, previous, datetime.combine(day + timedelta(days=1), time(0, 10), UTC)
        )
        anchors.append(anchor)
        head, previous = replace(head, last_anchored_day=day), anchor
        day += timedelta(days=1)
    return History(records, anchors)


def write(database_url: str, history: History) -> None:
    """INSERT, as the archive's owner, under the chain's lock (the append-only triggers allow INSERT); the
    columns are the domain's fields, in order."""
    records = [tuple(list(v) if isinstance(v, tuple) else v for v in astuple(r)) for r in history.records]
    with psycopg.connect(database_url) as conn, conn.transaction():
        conn.execute(LOCK)
        assert conn.execute("SELECT count(*) FROM user_log_record").fetchone() == (0,)  # nothing written yet
        for table, kind, rows in [
            ("user_log_record", Record, records),
            ("user_log_anchor", Anchor, [astuple(a) for a in history.anchors]),
        ]:
            columns = [f.name for f in fields(kind)]
            conn.cursor().executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})",  # noqa: S608 - fixed names
                rows,
            )


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Archive]:
    # Its own PostgreSQL and broker: the shared stack's archive is untouched.
    stack = make_stack(tmp_path_factory.mktemp("archive-purge"), external_ok=False)
    # The live anchor loop closes the days after the history's last at once (not 60 s and 5 min after).
    stack.config.service_env.setdefault("regulator-gateway", {}).update(
        {"ARCHIVE_ANCHOR_INTERVAL_S": "0.5", "ARCHIVE_ANCHOR_GRACE_S": "0"}
    )
    try:
        admin_url, kafka = stack.start_infra()
        # The history, before any service runs: the archive's tables as regulator-gateway makes them at its start.
        database_url = stack.create_databases(admin_url)["regulator-gateway"]
        apply_migrations(database_url, MIGRATIONS)
        history = past_history(stack.dev_secrets())
        write(database_url, history)
        info = stack.start_platform(admin_url, kafka)
        office = {"Authorization": f"Bearer {ensure_dev_regulator_key(stack, database_url)}"}
        with httpx.Client(base_url=info.gateway_url, timeout=15) as gw:
            yield Archive(stack, info, history, gw, Flow(gw, info), office)
    finally:
        stack.down()


def verification(archive: Archive, staff: dict[str, str] | None = None, since: date | None = None) -> dict:
    """The office's verification (or, with a staff member's token, the staff route's), from ``since``."""
    path = "/v1/regulator/staff/archive/verification" if staff else "/v1/regulator/archive/verification"
    params = {"from": str(since)} if since else {}
    answer = archive.gw.get(path, headers=staff or archive.office, params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


def assert_whole(result: dict, *, since: date, first_seq: int, at_least_seq: int) -> None:
    """Verified: from ``since``, every record from ``first_seq`` (consecutive) and every anchor through
    yesterday."""
    assert result["ok"] is True, result["broken"]
    assert (result["from"], result["to"], result["first_seq"]) == (str(since), str(TODAY), first_seq), result
    assert result["last_seq"] >= at_least_seq and result["records"] == result["last_seq"] - first_seq + 1, result
    assert result["anchors"] == (TODAY - since).days, result


def tamper(archive: Archive, change: Callable[[psycopg.Connection], None]) -> None:
    """As the database owner, past the append-only triggers (this transaction only), under the chain's lock."""
    with psycopg.connect(archive.database_url) as conn, conn.transaction():
        conn.execute(LOCK)
        conn.execute("SET LOCAL session_replication_role = replica")
        change(conn)


def test_a_purge_of_old_days_leaves_verification_passing(archive: Archive) -> None:
    gw, office, history = archive.gw, archive.office, archive.history
    yesterday = TODAY - timedelta(days=1)
    # The live archive continues the history: its loop closes the days after the history's last, empty.
    poll(
        lambda: gw.get("/v1/regulator/archive/anchors", headers=office, params={"from": str(yesterday)}).json(),
        timeout_s=60,
        what="the platform's anchor of yesterday",
    )
    old = history.on(TODAY - timedelta(days=max(OLD_DAYS)))[0]
    [kept_first, *_] = history.on(TODAY - timedelta(days=min(KEPT_DAYS)))
    listed = every_page(gw, "/v1/regulator/logs", office, account_id=str(old.account_id))
    assert [(i["seq"], i["hash"], i["address"], i["port"]) for i in listed] == [
        (old.seq, old.hash.hex(), ADDRESS, PORT)
    ]

    # Today's records, appended to the history's chain by the platform.
    user = archive.flow.verified_user()
    post = archive.flow.post(user, "周末一起去爬山吧")

    def logged() -> list[dict] | None:
        items = every_page(gw, "/v1/regulator/logs", office, account_id=user.id)
        return items if {"session.signed_in", "post.published"} <= {i["kind"] for i in items} else None

    items = poll(logged, timeout_s=60, what="the user's sign-in and post in the archive")
    assert {i["day"] for i in items} == {str(TODAY)}
    assert min(i["seq"] for i in items) > history.records[-1].seq
    published = next(i for i in items if i["kind"] == "post.published")
    assert published["subject_id"] == post["id"]

    # The whole range verifies: the history, the live anchors after it and today's records.
    assert_whole(verification(archive), since=FIRST_DAY, first_seq=1, at_least_seq=published["seq"])
    auditor = archive.flow.staff("auditor")
    assert_whole(verification(archive, auditor.auth), since=FIRST_DAY, first_seq=1, at_least_seq=published["seq"])

    # The purge: a worker process of regulator-gateway with a short ARCHIVE_PURGE_INTERVAL_S.
    purger = "regulator-gateway-purger"
    archive.stack.start_service_process(
        "regulator-gateway", purger, {"SERVICE_ROLE": "worker", "ARCHIVE_PURGE_INTERVAL_S": "0.2"}
    )
    try:

        def purged() -> list[tuple] | None:
            with psycopg.connect(archive.database_url) as conn:
                rows = conn.execute("SELECT day, records, legal_basis FROM user_log_purge ORDER BY day").fetchall()
            return rows if len(rows) == len(OLD_DAYS) else None

        rows = poll(purged, timeout_s=60, what="the old days in user_log_purge")
    finally:
        archive.stack.stop_process(purger)
    old_days = {TODAY - timedelta(days=ago): n for ago, n in OLD_DAYS.items()}
    assert rows == [(day, n, ["MB-16.2", "PA-16.2"]) for day, n in sorted(old_days.items())]
    with psycopg.connect(archive.database_url) as conn:
        left = conn.execute(
            "SELECT min(seq), count(*) FILTER (WHERE day <= %s) FROM user_log_record", (LAST_PURGED,)
        ).fetchone()
    assert left == (kept_first.seq, 0)
    assert every_page(gw, "/v1/regulator/logs", office, account_id=str(old.account_id)) == []
    assert len(every_page(gw, "/v1/regulator/logs", office, account_id=str(kept_first.account_id))) == 1

    # The anchors stay: served as signed, and they check with the archive's public key.
    served = gw.get("/v1/regulator/archive/anchors", headers=office, params={"from": str(FIRST_DAY)}).json()
    assert [(a["day"], a["count"], a["head_hash"], a["anchor_hash"]) for a in served[: len(history.anchors)]] == [
        (str(a.day), a.count, a.head_hash.hex(), a.hash.hex()) for a in history.anchors
    ]
    key = gw.get("/v1/regulator/archive/public-key", headers=office).json()
    public = Ed25519PublicKey.from_public_bytes(base64.b64decode(key["public_key"]))
    for anchor in served:
        assert anchor["key_id"] == key["key_id"]
        public.verify(base64.b64decode(anchor["signature"]), base64.b64decode(anchor["message"]))

    # Verification passes from the first kept day (the last purged day's anchor vouches for what went),
    # also when asked from a purged day.
    first_kept = LAST_PURGED + timedelta(days=1)
    for result in (verification(archive), verification(archive, since=FIRST_DAY)):
        assert_whole(result, since=first_kept, first_seq=kept_first.seq, at_least_seq=published["seq"])
    assert_whole(
        verification(archive, auditor.auth), since=first_kept, first_seq=kept_first.seq, at_least_seq=published["seq"]
    )

    # A kept record altered in the database is named as the first break; undone, the chain verifies again.
    seq = kept_first.seq
    tamper(archive, lambda c: c.execute("UPDATE user_log_record SET detail = 'rewritten' WHERE seq = %s", (seq,)))
    try:
        for result in (verification(archive), verification(archive, auditor.auth)):
            assert result["ok"] is False
            assert (result["broken"]["kind"], result["broken"]["seq"]) == ("altered", seq), result["broken"]
            assert result["broken"]["day"] == str(kept_first.day)
    finally:
        tamper(
            archive,
            lambda c: c.execute("UPDATE user_log_record SET detail = %s WHERE seq = %s", (kept_first.detail, seq)),
        )
    assert_whole(verification(archive), since=first_kept, first_seq=kept_first.seq, at_least_seq=published["seq"])
