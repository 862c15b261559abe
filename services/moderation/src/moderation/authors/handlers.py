"""MB-9: what identity and content announce of an author, kept for routing posts by their author's
standing and reach (MB-6.1)."""

from __future__ import annotations

from moderation.authors.domain import AuthorFacts, FollowerCount
from moderation.database import Stores


async def note_author(stores: Stores, facts: AuthorFacts) -> None:
    await stores.authors.note(facts)


async def note_followers(stores: Stores, count: FollowerCount) -> None:
    """MB-6.1: the high-reach routing uses the author's real follower count; a stale one is ignored."""
    await stores.authors.note_followers(count)
