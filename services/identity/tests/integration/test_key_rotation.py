"""MB-7.3: rotating the personal-data key on a real database — old values stay readable, and the
operator command moves them to the new key."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import uuid

import psycopg
import pytest
from devstack.testing import Infra
from identity.pii import PersonalDataVault


def _key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


@pytest.mark.requirement("MB-7.3")
def test_rewrap_moves_personal_data_to_the_new_key(infra: Infra) -> None:
    url = infra.fresh_database()
    old, new, lookup = _key(), _key(), _key()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "PII_ENCRYPTION_KEY": new,
        "PII_RETIRED_KEYS": old,
        "PII_LOOKUP_KEY": lookup,
        "TOKEN_SIGNING_KEY": "unused-by-this-command",
    }
    # The schema, by the operator command that applies the migrations.
    subprocess.run(
        [sys.executable, "-m", "identity.cli", "create-staff", "--username", "ops", "--role", "operator"],
        env=env,
        check=True,
        capture_output=True,
    )
    before = PersonalDataVault(old, lookup)
    account_id = uuid.uuid4()
    with psycopg.connect(url) as conn:
        conn.execute(
            """INSERT INTO account (id, username, password_hash, phone_ciphertext, phone_lookup)
               VALUES (%s, 'alice', 'x', %s, %s)""",
            (account_id, before.seal("+8613800138000", purpose="phone"), b"lookup"),
        )
    out = subprocess.run(
        [sys.executable, "-m", "identity.cli", "rewrap-personal-data"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    assert json.loads(out.stdout)["rewrapped"] == 1
    with psycopg.connect(url) as conn:
        sealed = conn.execute("SELECT phone_ciphertext FROM account WHERE id = %s", (account_id,)).fetchone()[0]
    after = PersonalDataVault(new, lookup)  # the old key is no longer needed
    assert after.sealed_with_current_key(sealed)
    assert after.open(sealed, purpose="phone") == "+8613800138000"
