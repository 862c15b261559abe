"""MB-9: content's follower counts on identity's real database: only a newer version is taken, so a
late or repeated announcement never moves the count back; a cancelled account keeps its last."""

from __future__ import annotations

import uuid

import asyncpg
import pytest
from identity.standing.store import StandingStore

from .conftest import new_account


@pytest.mark.requirement("MB-9")
async def test_only_a_newer_follower_count_is_taken(conn: asyncpg.Connection) -> None:
    account = await new_account(conn)
    store = StandingStore(conn)
    assert await store.note_followers(account, 5, 2) is True
    assert await store.note_followers(account, 3, 1) is False  # late
    assert await store.note_followers(account, 3, 2) is False  # repeated
    assert (await store.account(account))["followers"] == 5
    assert await store.note_followers(account, 4, 3) is True
    await conn.execute("UPDATE account SET cancelled_at = now() WHERE id = $1", account)
    assert await store.note_followers(account, 0, 4) is False
    assert (await store.account(account))["followers"] == 4
    assert await store.note_followers(uuid.uuid4(), 1, 1) is False  # not an account of ours
