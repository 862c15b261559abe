"""SQL of uploaded media (table ``media``, migration 0007) and of who may be served one."""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg
from kit.unit import Unit

from content.media.domain import NewMedium, Quota
from content.posts.store import visible_sql


class MediaStore(Unit):
    async def uploaded_since(self, owner_id: uuid.UUID, since: datetime) -> tuple[int, int]:
        """How many media, and how many bytes, the account uploaded since ``since``."""
        row = await self.conn.fetchrow(
            """SELECT count(*) AS uploads, coalesce(sum(size), 0)::bigint AS bytes
                 FROM media WHERE owner_id = $1 AND created_at >= $2""",
            owner_id,
            since,
        )
        return row["uploads"], row["bytes"]

    async def insert_within_quota(self, medium: NewMedium, since: datetime, quota: Quota) -> bool:
        """Record the upload unless it takes the account over its quota since ``since``; uploads of one
        account are counted one at a time (a transaction-scoped lock on the account), so two at once
        cannot both pass. Run in a transaction."""
        await self.conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", str(medium.owner_id))
        return (
            await self.conn.fetchval(
                """WITH used AS (SELECT count(*) AS uploads, coalesce(sum(size), 0) AS bytes
                               FROM media WHERE owner_id = $2 AND created_at >= $7)
               INSERT INTO media (id, owner_id, content_type, size, sha256, storage_key)
               SELECT $1, $2, $3, $4::bigint, $5, $6 FROM used
                WHERE used.uploads + 1 <= $8::bigint AND used.bytes + $4::bigint <= $9::bigint
               RETURNING true""",
                medium.id,
                medium.owner_id,
                medium.content_type,
                medium.size,
                medium.sha256,
                medium.storage_key,
                since,
                quota.uploads,
                quota.bytes,
            )
            is not None
        )

    async def serving(self, media_id: uuid.UUID, viewer: uuid.UUID | None) -> asyncpg.Record | None:
        """A medium and what decides whether this viewer may be served it: the posts carrying it, how
        many of them were stopped (with the stops' legal basis), and whether the viewer may see one
        (the read rule, visible_sql)."""
        return await self.conn.fetchrow(
            f"""SELECT m.*, c.carriers, c.stopped, c.visible,
                       (SELECT coalesce(array_agg(DISTINCT b ORDER BY b), '{{}}')
                          FROM post_media pm
                          JOIN transmission_stop ts ON ts.post_id = pm.post_id AND ts.restored_at IS NULL,
                               unnest(ts.legal_basis) AS b
                         WHERE pm.media_id = m.id) AS legal_basis
                  FROM media m,
                       LATERAL (SELECT count(*) AS carriers,
                                       count(*) FILTER (WHERE p.status = 'stopped') AS stopped,
                                       coalesce(bool_or({visible_sql("p", "$2::uuid")}), false) AS visible
                                  FROM post_media pm JOIN post p ON p.id = pm.post_id
                                 WHERE pm.media_id = m.id) AS c
                 WHERE m.id = $1""",  # noqa: S608 - fixed SQL, values are parameters
            media_id,
            viewer,
        )
