"""PA-13.1: a manual sanction is stored on identity's real database (its source named after its id: the
insert once used the id as a uuid and as text in one statement, which PostgreSQL refuses), and read back."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest
from identity.sanctions.store import SanctionStore

from .conftest import new_account


@pytest.mark.requirement("PA-13.1")
async def test_a_manual_sanction_is_stored_and_read_back(conn: asyncpg.Connection) -> None:
    account = await new_account(conn)
    store, sanction = SanctionStore(conn), uuid.uuid4()
    now = datetime.now(UTC)
    await store.insert(
        sanction,
        account,
        kind="restrict_features",  # the ladder's kind of a feature restriction
        features=["no_reposts"],
        reason="repeated spam reposts",
        legal_basis=["PA-13.1"],
        starts_at=now,
        ends_at=now + timedelta(days=7),
        created_by="staff:someone",
    )
    row = await store.get(sanction)
    assert row is not None and row["account_id"] == account and row["kind"] == "restrict_features"
    assert list(row["features"]) == ["no_reposts"] and row["created_by"] == "staff:someone"
    source = await conn.fetchval("SELECT source FROM sanction WHERE id = $1", sanction)
    assert source == f"manual:{sanction}"
