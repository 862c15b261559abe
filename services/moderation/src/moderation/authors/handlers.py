"""MB-9: what identity announces of an author, kept for routing posts by their author's standing."""

from __future__ import annotations

from moderation.authors.domain import AuthorFacts
from moderation.database import Stores


async def note_author(stores: Stores, facts: AuthorFacts) -> None:
    await stores.authors.note(facts)
