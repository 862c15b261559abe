"""SQL of reposts, comments, likes and comment management (MB-2, MB-10.2, PA-12). Every list filters with
the read rule (content.posts.store.visible_sql) before its LIMIT; views are built by content.posts."""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg
from kit.unit import Unit

from content.interactions.domain import (
    CommentAction,
    CommentSettings,
    OwnerState,
    Restriction,
    VerifiedAccount,
)
from content.posts.store import visible_sql

_KEYSET = "($3::timestamptz IS NULL OR (p.created_at, p.id) < ($3::timestamptz, $4::uuid))"
_IN_FORCE = "r.lifted_at IS NULL AND (r.until IS NULL OR r.until > now())"


def _restriction(row: asyncpg.Record) -> Restriction:
    return Restriction(
        id=row["id"],
        account_id=row["account_id"],
        features=tuple(row["features"]),
        reason=row["reason"],
        legal_basis=tuple(row["legal_basis"]),
        until=row["until"],
    )


def _settings(row: asyncpg.Record | None) -> CommentSettings:
    if row is None:
        return CommentSettings()
    return CommentSettings(closed=row["closed"], followers_only=row["followers_only"], approval=row["approval"])


class InteractionStore(Unit):
    # --- lists: newest first, keyset (created_at, id), the read rule before the LIMIT ---------------

    async def _page(
        self, where: str, post_id: uuid.UUID, viewer: uuid.UUID | None, before: tuple | None, limit: int, *extra
    ) -> list[asyncpg.Record]:
        created_at, last_id = before or (None, None)
        return await self.conn.fetch(
            f"""SELECT p.id, p.created_at FROM post p
                 WHERE {where} AND {visible_sql("p", "$2::uuid")} AND {_KEYSET}
                 ORDER BY p.created_at DESC, p.id DESC LIMIT $5""",  # noqa: S608 - fixed SQL, values are parameters
            post_id,
            viewer,
            created_at,
            last_id,
            limit + 1,
            *extra,
        )

    async def reposts(
        self, post_id: uuid.UUID, viewer: uuid.UUID | None, *, of_original: bool, before: tuple | None, limit: int
    ) -> list[asyncpg.Record]:
        """The reposts of an original post (its whole chain) or of a repost (those reposting it)."""
        column = "root_id" if of_original else "parent_id"
        return await self._page(f"p.kind = 'repost' AND p.{column} = $1", post_id, viewer, before, limit)

    async def comments(
        self, post_id: uuid.UUID, viewer: uuid.UUID | None, *, before: tuple | None, limit: int
    ) -> list[asyncpg.Record]:
        """The comments answering a post or repost (top level), or a comment (its replies): those shown,
        and the viewer's own awaiting approval or hidden."""
        return await self._page(
            "p.kind = 'comment' AND p.parent_id = $1 AND (p.owner_state = 'shown' OR p.author_id = $2::uuid)"
            " AND NOT EXISTS (SELECT 1 FROM comment_pin cp WHERE cp.comment_id = p.id AND cp.root_id = $1)",
            post_id,
            viewer,
            before,
            limit,
        )

    async def comments_in_state(
        self, post_id: uuid.UUID, viewer: uuid.UUID, state: OwnerState, *, before: tuple | None, limit: int
    ) -> list[asyncpg.Record]:
        """A thread's comments (replies included) awaiting approval or hidden, for its managers (the read
        rule shows them only to the managers and each comment's author)."""
        return await self._page(
            "p.kind = 'comment' AND (p.root_id = $1 OR p.parent_id = $1) AND p.owner_state = $6",
            post_id,
            viewer,
            before,
            limit,
            str(state),
        )

    # --- likes ----------------------------------------------------------------------------------

    async def like(self, post_id: uuid.UUID, account_id: uuid.UUID) -> None:
        await self.conn.execute(
            "INSERT INTO post_like (post_id, account_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", post_id, account_id
        )

    async def unlike(self, post_id: uuid.UUID, account_id: uuid.UUID) -> None:
        await self.conn.execute("DELETE FROM post_like WHERE post_id = $1 AND account_id = $2", post_id, account_id)

    # --- comment management -----------------------------------------------------------------------

    async def account_settings(self, account_id: uuid.UUID) -> CommentSettings:
        return _settings(await self.conn.fetchrow("SELECT * FROM comment_settings WHERE account_id = $1", account_id))

    async def post_settings(self, post_id: uuid.UUID) -> CommentSettings:
        return _settings(await self.conn.fetchrow("SELECT * FROM post_comment_settings WHERE post_id = $1", post_id))

    async def set_account_settings(self, account_id: uuid.UUID, settings: CommentSettings) -> None:
        await self.conn.execute(
            """INSERT INTO comment_settings (account_id, closed, followers_only, approval) VALUES ($1, $2, $3, $4)
               ON CONFLICT (account_id) DO UPDATE SET closed = EXCLUDED.closed,
                      followers_only = EXCLUDED.followers_only, approval = EXCLUDED.approval, updated_at = now()""",
            account_id,
            settings.closed,
            settings.followers_only,
            settings.approval,
        )

    async def set_post_settings(self, post_id: uuid.UUID, settings: CommentSettings, by: uuid.UUID) -> None:
        await self.conn.execute(
            """INSERT INTO post_comment_settings (post_id, closed, followers_only, approval, updated_by)
               VALUES ($1, $2, $3, $4, $5)
               ON CONFLICT (post_id) DO UPDATE SET closed = EXCLUDED.closed,
                      followers_only = EXCLUDED.followers_only, approval = EXCLUDED.approval,
                      updated_by = EXCLUDED.updated_by, updated_at = now()""",
            post_id,
            settings.closed,
            settings.followers_only,
            settings.approval,
            by,
        )

    async def verified_type(self, account_id: uuid.UUID) -> str | None:
        return await self.conn.fetchval("SELECT verified_type FROM verified_account WHERE account_id = $1", account_id)

    async def note_verified(self, verified: VerifiedAccount) -> None:
        """The latest approval holds; an older or repeated one changes nothing."""
        await self.conn.execute(
            """INSERT INTO verified_account (account_id, verified_type, approved_at) VALUES ($1, $2, $3)
               ON CONFLICT (account_id) DO UPDATE SET verified_type = EXCLUDED.verified_type,
                      approved_at = EXCLUDED.approved_at
                WHERE verified_account.approved_at < EXCLUDED.approved_at""",
            verified.account_id,
            verified.verified_type,
            verified.approved_at,
        )

    async def manages(self, viewer: uuid.UUID, owner_id: uuid.UUID) -> bool:
        """The viewer is the owner, or a delegate the owner named (MB-10.2)."""
        if viewer == owner_id:
            return True
        return await self.conn.fetchval(
            "SELECT EXISTS (SELECT 1 FROM comment_delegate WHERE owner_id = $1 AND delegate_id = $2)", owner_id, viewer
        )

    async def delegates(self, owner_id: uuid.UUID, *, before: tuple | None, limit: int) -> list[asyncpg.Record]:
        named_at, last = before or (None, None)
        return await self.conn.fetch(
            """SELECT delegate_id, named_at FROM comment_delegate
                WHERE owner_id = $1
                  AND ($2::timestamptz IS NULL OR (named_at, delegate_id) < ($2::timestamptz, $3::uuid))
                ORDER BY named_at DESC, delegate_id DESC LIMIT $4""",
            owner_id,
            named_at,
            last,
            limit + 1,
        )

    async def name_delegate(self, owner_id: uuid.UUID, delegate_id: uuid.UUID) -> bool:
        """True when newly named."""
        return (
            await self.conn.fetchval(
                """INSERT INTO comment_delegate (owner_id, delegate_id) VALUES ($1, $2)
                   ON CONFLICT DO NOTHING RETURNING true""",
                owner_id,
                delegate_id,
            )
            is not None
        )

    async def remove_delegate(self, owner_id: uuid.UUID, delegate_id: uuid.UUID) -> None:
        await self.conn.execute(
            "DELETE FROM comment_delegate WHERE owner_id = $1 AND delegate_id = $2", owner_id, delegate_id
        )

    # --- pins (PA-12.2, issue 13 §4) -----------------------------------------------------------------

    async def pinned(self, root_id: uuid.UUID, viewer: uuid.UUID | None) -> list[asyncpg.Record]:
        """The thread's pinned comments this viewer may see (the read rule), the last pinned first."""
        return await self.conn.fetch(
            f"""SELECT p.id, p.created_at FROM comment_pin cp JOIN post p ON p.id = cp.comment_id
                 WHERE cp.root_id = $1 AND {visible_sql("p", "$2::uuid")}
                 ORDER BY cp.pinned_at DESC, p.id DESC""",  # noqa: S608 - fixed SQL
            root_id,
            viewer,
        )

    async def pins_on(self, root_id: uuid.UUID) -> int:
        return await self.conn.fetchval("SELECT count(*) FROM comment_pin WHERE root_id = $1", root_id)

    async def pin(self, comment_id: uuid.UUID, root_id: uuid.UUID, by: uuid.UUID) -> bool:
        """True when newly pinned."""
        return (
            await self.conn.fetchval(
                """INSERT INTO comment_pin (comment_id, root_id, pinned_by) VALUES ($1, $2, $3)
                   ON CONFLICT DO NOTHING RETURNING true""",
                comment_id,
                root_id,
                by,
            )
            is not None
        )

    async def unpin(self, comment_id: uuid.UUID) -> bool:
        return (
            await self.conn.fetchval("DELETE FROM comment_pin WHERE comment_id = $1 RETURNING true", comment_id)
            is not None
        )

    async def comment_for_update(self, comment_id: uuid.UUID) -> asyncpg.Record | None:
        return await self.conn.fetchrow("SELECT * FROM post WHERE id = $1 AND kind = 'comment' FOR UPDATE", comment_id)

    async def set_owner_state(self, comment_id: uuid.UUID, state: OwnerState) -> None:
        await self.conn.execute("UPDATE post SET owner_state = $2 WHERE id = $1", comment_id, str(state))

    async def record_action(self, comment_id: uuid.UUID, action: CommentAction, actor_id: uuid.UUID) -> None:
        await self.conn.execute(
            "INSERT INTO comment_action (comment_id, action, actor_id) VALUES ($1, $2, $3)",
            comment_id,
            str(action),
            actor_id,
        )

    # --- staff feature restrictions (PA-12.2) ------------------------------------------------------

    async def restrictions_in_force(self, account_ids: list[uuid.UUID]) -> list[Restriction]:
        rows = await self.conn.fetch(
            f"""SELECT * FROM feature_restriction r WHERE r.account_id = ANY($1::uuid[]) AND {_IN_FORCE}
                ORDER BY r.created_at DESC, r.id DESC""",  # noqa: S608 - fixed SQL
            account_ids,
        )
        return [_restriction(r) for r in rows]

    async def restrictions_of(self, account_id: uuid.UUID) -> list[asyncpg.Record]:
        """The restrictions in force on an account, as recorded (shown to it)."""
        return await self.conn.fetch(
            f"""SELECT * FROM feature_restriction r WHERE r.account_id = $1 AND {_IN_FORCE}
                ORDER BY r.created_at DESC, r.id DESC""",  # noqa: S608 - fixed SQL
            account_id,
        )

    async def restrict(
        self,
        *,
        account_id: uuid.UUID,
        features: list[str],
        reason: str,
        legal_basis: list[str],
        until: datetime | None,
        created_by: str,
    ) -> asyncpg.Record:
        return await self.conn.fetchrow(
            """INSERT INTO feature_restriction (id, account_id, features, reason, legal_basis, until, created_by)
               VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *""",
            uuid.uuid4(),
            account_id,
            features,
            reason,
            legal_basis,
            until,
            created_by,
        )

    async def lift(self, restriction_id: uuid.UUID, *, by: str, reason: str) -> asyncpg.Record | None:
        """Lift a restriction (recorded on its row); lifting it again changes nothing."""
        return await self.conn.fetchrow(
            """UPDATE feature_restriction
                  SET lifted_at = coalesce(lifted_at, now()), lifted_by = coalesce(lifted_by, $2),
                      lift_reason = coalesce(lift_reason, $3)
                WHERE id = $1 RETURNING *""",
            restriction_id,
            by,
            reason,
        )

    async def restrictions(
        self, account_id: uuid.UUID | None, *, in_force: bool, before: tuple | None, limit: int
    ) -> list[asyncpg.Record]:
        created_at, last = before or (None, None)
        return await self.conn.fetch(
            f"""SELECT * FROM feature_restriction r
                 WHERE ($1::uuid IS NULL OR r.account_id = $1) AND (NOT $2 OR ({_IN_FORCE}))
                   AND ($3::timestamptz IS NULL OR (r.created_at, r.id) < ($3::timestamptz, $4::uuid))
                 ORDER BY r.created_at DESC, r.id DESC LIMIT $5""",  # noqa: S608 - fixed SQL
            account_id,
            in_force,
            created_at,
            last,
            limit + 1,
        )
