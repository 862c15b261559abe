"""SQL of the social graph (MB-2): follows, follow counts, blocks."""

from __future__ import annotations

import uuid

from kit.unit import Unit


class SocialStore(Unit):
    async def blocked(self, blocker_id: uuid.UUID, blocked_id: uuid.UUID) -> bool:
        """Has ``blocker_id`` blocked ``blocked_id``? (A blocked account may not follow, comment on or
        repost the blocker.)"""
        return await self.conn.fetchval(
            "SELECT EXISTS (SELECT 1 FROM block WHERE blocker_id = $1 AND blocked_id = $2)", blocker_id, blocked_id
        )

    async def follows(self, follower_id: uuid.UUID, followee_id: uuid.UUID) -> bool:
        return await self.conn.fetchval(
            "SELECT EXISTS (SELECT 1 FROM follow WHERE follower_id = $1 AND followee_id = $2)",
            follower_id,
            followee_id,
        )
