"""MB-16.2, PA-16.2: sign-ins and posts made through the gateway reach the regulator's user log with their
network address and source port, the hash chain verifies, and rows altered, deleted or inserted directly in
regulator-gateway's database make the verification fail at the first broken record (each tampering is
undone before the next, under the archive's lock, so the consumer keeps appending meanwhile)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import httpx
import psycopg
import pytest
from devstack.stack import StackInfo
from devstack.testing import poll
from journeys import Flow, every_page

pytestmark = [pytest.mark.requirement("MB-16.2"), pytest.mark.requirement("PA-16.2")]

LOCK = "SELECT pg_advisory_xact_lock(hashtextextended('qinglang.user_log_archive', 0))"


def tamper(platform: StackInfo, change: Callable[[psycopg.Connection], None]) -> None:
    """As the database owner, past the append-only triggers (this session only), under the chain's lock."""
    with psycopg.connect(platform.database_urls["regulator-gateway"]) as conn, conn.transaction():
        conn.execute(LOCK)
        conn.execute("SET LOCAL session_replication_role = replica")
        change(conn)


def verification(gateway: httpx.Client, key: dict[str, str]) -> dict:
    answer = gateway.get("/v1/regulator/archive/verification", headers=key)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_the_log_reaches_the_regulator_and_tampering_is_named(
    flow: Flow, gateway: httpx.Client, platform: StackInfo, national_key: dict[str, str]
) -> None:
    user = flow.verified_user()
    refused = gateway.post("/v1/tokens", json={"username": user.username, "password": "not the password"})
    assert refused.status_code == 401
    post = flow.post(user, "周末一起去爬山吧")

    def logged() -> list[dict] | None:
        items = every_page(gateway, "/v1/regulator/logs", national_key, account_id=user.id, limit=1000)
        kinds = {i["kind"] for i in items}
        wanted = {"account.registered", "session.signed_in", "post.published"}
        return items if wanted <= kinds else None

    items = poll(logged, timeout_s=60, what="the user's sign-in and post in the regulator's log")
    signed_in = next(i for i in items if i["kind"] == "session.signed_in")
    published = next(i for i in items if i["kind"] == "post.published")
    assert published["subject_id"] == post["id"] and published["source"] == "content"
    assert signed_in["source"] == "identity" and signed_in["legal_basis"] == ["MB-16.2", "PA-16.2"]
    assert signed_in["address"] == "127.0.0.1" and isinstance(signed_in["port"], int) and signed_in["port"] > 0
    by_address = gateway.get("/v1/regulator/logs", headers=national_key, params={"address": "127.0.0.1", "limit": 2})
    assert by_address.status_code == 200 and by_address.json()["next_cursor"]
    assert [i["address"] for i in by_address.json()["items"]] == ["127.0.0.1"] * 2
    from_here = {i["seq"] for i in every_page(gateway, "/v1/regulator/logs", national_key, address="::ffff:127.0.0.1")}
    assert {signed_in["seq"], published["seq"]} <= from_here
    assert gateway.get("/v1/regulator/logs", headers=national_key, params={"limit": 1001}).status_code == 422
    queries = gateway.get("/v1/regulator/logs/queries", headers=national_key).json()["items"]
    assert any(q["rows"] == 2 and q["address_hash"] for q in queries)  # the query by address, recorded
    assert all("127.0.0.1" not in str(q) for q in queries)
    key = gateway.get("/v1/regulator/archive/public-key", headers=national_key).json()
    assert key["algorithm"] == "Ed25519" and len(key["key_id"]) == 16
    assert gateway.get("/v1/regulator/archive/anchors", headers=national_key).status_code == 200

    assert verification(gateway, national_key)["ok"] is True
    auditor = flow.staff("auditor")
    staff_view = gateway.get("/v1/regulator/staff/archive/verification", headers=auditor.auth)
    assert staff_view.status_code == 200 and staff_view.json()["ok"] is True

    seq = signed_in["seq"]
    # altered: the sign-in's kind rewritten
    tamper(platform, lambda c: c.execute("UPDATE user_log_record SET kind = 'profile.changed' WHERE seq = %s", (seq,)))
    broken = verification(gateway, national_key)["broken"]
    assert (broken["kind"], broken["seq"]) == ("altered", seq), broken
    tamper(
        platform, lambda c: c.execute("UPDATE user_log_record SET kind = 'session.signed_in' WHERE seq = %s", (seq,))
    )
    assert verification(gateway, national_key)["ok"] is True

    # deleted: the sign-in gone (kept aside, then put back)
    kept: list[tuple] = []

    def delete(c: psycopg.Connection) -> None:
        kept.append(c.execute("SELECT * FROM user_log_record WHERE seq = %s", (seq,)).fetchone())
        c.execute("DELETE FROM user_log_record WHERE seq = %s", (seq,))

    tamper(platform, delete)
    broken = verification(gateway, national_key)["broken"]
    assert (broken["kind"], broken["seq"]) == ("missing", seq), broken
    placeholders = ", ".join(["%s"] * len(kept[0]))
    tamper(platform, lambda c: c.execute(f"INSERT INTO user_log_record VALUES ({placeholders})", kept[0]))  # noqa: S608
    assert verification(gateway, national_key)["ok"] is True

    # inserted: a copy of the record before the sign-in put in at its place, the rest renumbered
    def insert(c: psycopg.Connection) -> None:
        c.execute("UPDATE user_log_record SET seq = seq + 1000000000 WHERE seq >= %s", (seq,))
        c.execute("UPDATE user_log_record SET seq = seq - 999999999 WHERE seq >= 1000000000")
        c.execute(
            """INSERT INTO user_log_record
               SELECT %s, day, recorded_at, %s, source, kind, occurred_at, account_id, actor_id, sealed_address,
                      address_hash, client_id, subject_type, subject_id, succeeded, detail, legal_basis, prev_hash, hash
                 FROM user_log_record WHERE seq = %s""",
            (seq, uuid.uuid4(), seq - 1),
        )

    tamper(platform, insert)
    broken = verification(gateway, national_key)["broken"]
    assert (broken["kind"], broken["seq"]) == ("inserted", seq), broken

    def undo_insert(c: psycopg.Connection) -> None:
        c.execute("DELETE FROM user_log_record WHERE seq = %s", (seq,))
        c.execute("UPDATE user_log_record SET seq = seq + 999999999 WHERE seq > %s", (seq,))
        c.execute("UPDATE user_log_record SET seq = seq - 1000000000 WHERE seq >= 1000000000")

    tamper(platform, undo_insert)
    assert verification(gateway, national_key)["ok"] is True
