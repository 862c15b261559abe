"""Complaints filed under reporting's former BJ-10 codes read as moderation's after migration 0004,
on a real database migrated from before it (MB-14: a complaint's category matches a decision's)."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import psycopg
import pytest
from devstack.testing import Infra
from kit.db import apply_migrations
from reporting.main import MIGRATIONS

FORMER = {
    "bj10.constitution": "bj10.against_constitution",
    "bj10.rumour": "bj10.rumour_disturbing_order",
    "bj10.religion_cult_superstition": "bj10.religion_cults_superstition",
    "bj10.state_security": "bj10.state_security",
    "spam": "spam",
}


@pytest.mark.requirement("MB-14")
def test_complaints_in_former_codes_are_rewritten_to_moderations(infra: Infra, tmp_path: Path) -> None:
    url = infra.fresh_database()
    before_0004 = tmp_path / "migrations"
    before_0004.mkdir()
    for migration in sorted(MIGRATIONS.glob("*.sql")):
        if migration.name < "0004":
            shutil.copy(migration, before_0004)
    apply_migrations(url, before_0004)
    ids = {old: uuid.uuid4() for old in FORMER}
    with psycopg.connect(url) as conn:
        for old, complaint_id in ids.items():
            conn.execute(
                """INSERT INTO complaint (id, complainant_id, target_type, target_id, reason)
                   VALUES (%s, %s, 'post', %s, %s)""",
                (complaint_id, uuid.uuid4(), uuid.uuid4(), old),
            )

    apply_migrations(url, MIGRATIONS)

    with psycopg.connect(url) as conn:
        stored = dict(conn.execute("SELECT id, reason FROM complaint").fetchall())
    assert {old: stored[complaint_id] for old, complaint_id in ids.items()} == FORMER
