"""MB-7.3: proof names an earlier version stored in plaintext are sealed, and the plaintext emptied,
on a real database migrated from before migration 0011."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from devstack.testing import Infra
from identity import events
from identity.main import MIGRATIONS
from identity.pii import PersonalDataVault
from kit.db import apply_migrations
from qinglang.identity.v1 import account_pb2


def _key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


@pytest.mark.requirement("MB-7.3")
def test_plaintext_proof_names_are_sealed_and_the_legal_name_no_longer_shown(infra: Infra, tmp_path: Path) -> None:
    url = infra.fresh_database()
    before_0011 = tmp_path / "migrations"
    before_0011.mkdir()
    for migration in sorted(MIGRATIONS.glob("*.sql")):
        if migration.name < "0011":
            shutil.copy(migration, before_0011)
    apply_migrations(url, before_0011)
    person, company = uuid.uuid4(), uuid.uuid4()
    with psycopg.connect(url) as conn:
        for account_id, name, v_type, shown in (
            (person, "欧阳明", "individual", "摄影师小明"),
            (company, "上海某某科技有限公司", "enterprise", None),
        ):
            conn.execute(
                """INSERT INTO account (id, username, password_hash, phone_ciphertext, phone_lookup, display_name,
                                        verified_type, verified_name)
                   VALUES (%s, %s, 'x', 'x', %s, %s, %s, %s)""",
                (account_id, f"u{account_id.hex[:8]}", account_id.bytes, shown, v_type, name),
            )
            conn.execute(
                """INSERT INTO verified_application (id, account_id, v_type, proof_name, status)
                   VALUES (%s, %s, %s, %s, 'approved')""",
                (uuid.uuid4(), account_id, v_type, name),
            )
        # Approvals announced by the earlier version carried the legal name: one published, one not yet.
        announced = account_pb2.VerifiedAccountApproved(
            account_id=str(person), verified_type="individual", verified_name="欧阳明"
        ).SerializeToString()
        approved = events.VERIFIED_ACCOUNT_APPROVED
        for published in (True, False):
            conn.execute(
                """INSERT INTO outbox_event (ce_id, ce_type, ce_source, topic, payload, published_at)
                   VALUES (%s, %s, '/identity', %s, %s, CASE WHEN %s THEN now() END)""",
                (uuid.uuid4(), approved.name, approved.topic.name, announced, published),
            )
    key, lookup = _key(), _key()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "PII_ENCRYPTION_KEY": key,
        "PII_LOOKUP_KEY": lookup,
        "TOKEN_SIGNING_KEY": "unused-by-this-command",
    }
    out = subprocess.run(
        [sys.executable, "-m", "identity.cli", "seal-proof-names"], env=env, check=True, capture_output=True, text=True
    )
    assert json.loads(out.stdout)["sealed"] == 2
    vault = PersonalDataVault(key, lookup)
    with psycopg.connect(url) as conn:
        rows = {
            r[0]: r[1:]
            for r in conn.execute(
                """SELECT v.account_id, v.proof_name, v.proof_name_ciphertext, v.display_name, a.verified_display_name
                     FROM verified_application v JOIN account a ON a.id = v.account_id"""
            ).fetchall()
        }
    assert rows[person][0] is None and vault.open(rows[person][1], purpose="proof-name") == "欧阳明"
    assert rows[person][2:] == ("摄影师小明", "摄影师小明")  # the legal name is no longer what it shows
    # An organization's registered name is public: it keeps showing it; its proof name is sealed too.
    assert rows[company][0] is None and vault.open(rows[company][1], purpose="proof-name") == "上海某某科技有限公司"
    assert rows[company][2:] == ("上海某某科技有限公司", "上海某某科技有限公司")
    again = subprocess.run(
        [sys.executable, "-m", "identity.cli", "seal-proof-names"], env=env, check=True, capture_output=True, text=True
    )
    assert json.loads(again.stdout)["sealed"] == 0
    # Nor does the outbox keep the legal name: the published announcement is gone, the pending one lost it.
    with psycopg.connect(url) as conn:
        payloads = conn.execute("SELECT payload, published_at FROM outbox_event").fetchall()
    assert len(payloads) == 1 and payloads[0][1] is None
    assert "欧阳明".encode() not in bytes(payloads[0][0])
    assert account_pb2.VerifiedAccountApproved.FromString(payloads[0][0]).account_id == str(person)
    # And no plaintext can be written again.
    with psycopg.connect(url) as conn, pytest.raises(psycopg.errors.CheckViolation):
        conn.execute("UPDATE verified_application SET proof_name = '欧阳明' WHERE account_id = %s", (person,))
