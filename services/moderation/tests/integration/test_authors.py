"""MB-9 / MB-6.1: what moderation keeps of authors, on a real PostgreSQL: content's follower counts are
taken only when newer, and identity's facts and content's counts do not overwrite each other."""

from __future__ import annotations

import uuid

import asyncpg
import pytest
from devstack.testing import Infra
from kit.db import apply_migrations
from moderation.authors.domain import AuthorFacts, FollowerCount
from moderation.authors.store import AuthorStore
from moderation.main import MIGRATIONS


@pytest.mark.requirement("MB-6.1")
@pytest.mark.requirement("MB-9")
async def test_only_a_newer_follower_count_is_taken(infra: Infra) -> None:
    url = infra.fresh_database()
    apply_migrations(url, MIGRATIONS)
    conn = await asyncpg.connect(url)
    try:
        store, author, newcomer = AuthorStore(conn), uuid.uuid4(), uuid.uuid4()
        await store.note(AuthorFacts(author, credit=100, grade=3))
        await store.note_followers(FollowerCount(author, 1_500_000, 4))
        await store.note_followers(FollowerCount(author, 10, 3))  # late
        await store.note_followers(FollowerCount(newcomer, 7, 1))  # before identity said anything
        await store.note(AuthorFacts(newcomer, credit=120))
        standings = await store.standings([author, newcomer])
        assert (standings[author].followers, standings[author].credit, standings[author].grade) == (1_500_000, 100, 3)
        assert (standings[newcomer].followers, standings[newcomer].credit) == (7, 120)
        await store.note_followers(FollowerCount(author, 10, 5))
        assert (await store.standings([author]))[author].followers == 10
    finally:
        await conn.close()


@pytest.mark.requirement("MB-9")
@pytest.mark.requirement("PA-7.2")
async def test_a_grades_review_mode_is_kept_until_identity_changes_it(infra: Infra) -> None:
    url = infra.fresh_database()
    apply_migrations(url, MIGRATIONS)
    conn = await asyncpg.connect(url)
    try:
        store, author = AuthorStore(conn), uuid.uuid4()
        await store.note(AuthorFacts(author, credit=120, grade=1))
        assert (await store.standings([author]))[author].review_hold is False
        await store.note(AuthorFacts(author, credit=120, grade=1, review_mode="hold"))
        await store.note(AuthorFacts(author, credit=110))  # a fact without privileges keeps the mode
        assert (await store.standings([author]))[author].review_hold is True
        await store.note(AuthorFacts(author, grade=2, review_mode="publish_then_check"))
        assert (await store.standings([author]))[author].review_hold is False
    finally:
        await conn.close()
