"""asyncpg SQL for what moderation knows of authors (MB-9), from identity's and content's events."""

from __future__ import annotations

import uuid

import asyncpg

from moderation.authors.domain import AuthorFacts, FollowerCount
from moderation.engine.decide import REVIEW_HOLD, Standing


class AuthorStore:
    """Authors' standing as identity announced it."""

    def __init__(self, conn: asyncpg.Connection | asyncpg.Pool) -> None:
        self.conn = conn

    async def standings(self, author_ids: list[uuid.UUID]) -> dict[uuid.UUID, Standing]:
        """The standing the engine routes by (MB-9); an author identity said nothing of yet is absent."""
        rows = await self.conn.fetch("SELECT * FROM author_standing WHERE account_id = ANY($1::uuid[])", author_ids)
        defaults = Standing()
        return {
            r["account_id"]: Standing(
                grade=r["grade"] if r["grade"] is not None else defaults.grade,
                credit=r["credit"] if r["credit"] is not None else defaults.credit,
                followers=r["followers"] if r["followers"] is not None else defaults.followers,
                registered_at=r["registered_at"],
                province_code=r["province_code"] or "",
                review_hold=r["review_mode"] == REVIEW_HOLD,
            )
            for r in rows
        }

    async def note(self, facts: AuthorFacts) -> None:
        fields = facts.known()
        if not fields:
            return
        columns = list(fields)
        sets = ", ".join(f"{c} = coalesce(EXCLUDED.{c}, author_standing.{c})" for c in columns)
        await self.conn.execute(
            f"""INSERT INTO author_standing (account_id, {", ".join(columns)}) VALUES ($1, {
                ", ".join(f"${i}" for i in range(2, len(columns) + 2))
            })
                ON CONFLICT (account_id) DO UPDATE SET {sets}, updated_at = now()""",  # noqa: S608 - fixed names
            facts.account_id,
            *fields.values(),
        )

    async def note_followers(self, count: FollowerCount) -> None:
        """Take the follower count when its version is newer than the one held (or none is)."""
        await self.conn.execute(
            """INSERT INTO author_standing (account_id, followers, followers_version) VALUES ($1, $2, $3)
               ON CONFLICT (account_id) DO UPDATE
                  SET followers = EXCLUDED.followers, followers_version = EXCLUDED.followers_version,
                      updated_at = now()
                WHERE author_standing.followers_version IS NULL
                   OR author_standing.followers_version < EXCLUDED.followers_version""",
            count.account_id,
            count.followers,
            count.version,
        )
