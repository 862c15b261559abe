"""SQL for manual sanctions and appeals (PA-13.1, PA-13.2, PA-6.2)."""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg

# A sanction with its appeal's state (none: not appealed).
_SANCTION = """SELECT s.*, a.id AS appeal_id, a.state AS appeal_state
                 FROM sanction s LEFT JOIN appeal a ON a.sanction_id = s.id"""

# An appeal with what it contests: the imposer and the moment it was imposed.
_APPEAL = """SELECT a.*, coalesce(s.created_by, e.created_by) AS imposed_by,
                    coalesce(s.starts_at, e.created_at) AS imposed_at
               FROM appeal a LEFT JOIN sanction s ON s.id = a.sanction_id
               LEFT JOIN credit_entry e ON e.id = a.credit_entry_id"""


class SanctionStore:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    # ---- sanctions ----

    async def insert(
        self,
        sanction_id: uuid.UUID,
        account_id: uuid.UUID,
        *,
        kind: str,
        features: list[str],
        reason: str,
        legal_basis: list[str],
        starts_at: datetime,
        ends_at: datetime | None,
        created_by: str,
    ) -> None:
        await self.conn.execute(
            """INSERT INTO sanction (id, account_id, kind, features, reason, legal_basis, source, starts_at, ends_at,
                                     created_by, report_announced_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now())""",
            sanction_id,
            account_id,
            kind,
            features,
            reason,
            legal_basis,
            f"manual:{sanction_id}",  # not `'manual:' || $1::text`: $1 is the uuid id too (PostgreSQL refuses)
            starts_at,
            ends_at,
            created_by,
        )

    async def get(self, sanction_id: uuid.UUID, *, for_update: bool = False) -> asyncpg.Record | None:
        if for_update:
            await self.conn.execute("SELECT 1 FROM sanction WHERE id = $1 FOR UPDATE", sanction_id)
        return await self.conn.fetchrow(f"{_SANCTION} WHERE s.id = $1", sanction_id)

    async def of_account(
        self, account_id: uuid.UUID, *, after: tuple[datetime, uuid.UUID] | None, limit: int
    ) -> list[asyncpg.Record]:
        """The account's sanctions, newest first, after the cursor (starts_at, id)."""
        return await self.conn.fetch(
            f"""{_SANCTION} WHERE s.account_id = $1
                  AND ($2::timestamptz IS NULL OR (s.starts_at, s.id) < ($2, $3))
                ORDER BY s.starts_at DESC, s.id DESC LIMIT $4""",
            account_id,
            after[0] if after else None,
            after[1] if after else None,
            limit,
        )

    async def lift(self, sanction_id: uuid.UUID, *, by: str, reason: str, at: datetime) -> None:
        await self.conn.execute(
            """UPDATE sanction SET lifted_at = $2, lifted_by = $3, lift_reason = $4, report_announced_at = now()
                WHERE id = $1 AND lifted_at IS NULL""",
            sanction_id,
            at,
            by,
            reason,
        )

    async def closing_in_force(self, account_id: uuid.UUID, now: datetime) -> int:
        """Closures and blacklistings of the account still in force (a lifted one reopens it when none is left)."""
        return await self.conn.fetchval(
            """SELECT count(*) FROM sanction WHERE account_id = $1 AND kind IN ('close', 'blacklist')
                  AND lifted_at IS NULL AND (ends_at IS NULL OR ends_at > $2)""",
            account_id,
            now,
        )

    async def closing_sanction(self, account_id: uuid.UUID) -> asyncpg.Record | None:
        """The newest closure or blacklisting of the account not lifted (what its holder appeals, PA-6.2)."""
        return await self.conn.fetchrow(
            """SELECT * FROM sanction WHERE account_id = $1 AND kind IN ('close', 'blacklist') AND lifted_at IS NULL
                ORDER BY starts_at DESC, id LIMIT 1""",
            account_id,
        )

    async def reopen(self, account_id: uuid.UUID) -> None:
        await self.conn.execute("UPDATE account SET closed_at = NULL WHERE id = $1", account_id)

    async def lift_blacklisting(self, account_id: uuid.UUID, *, by: str, reason: str, at: datetime) -> None:
        """The subject's blacklisting through this account stays on record, lifted (PA-13.2)."""
        await self.conn.execute(
            """UPDATE blacklist SET lifted_at = $2, lifted_by = $3, lift_reason = $4
                WHERE account_id = $1 AND lifted_at IS NULL""",
            account_id,
            at,
            by,
            reason,
        )

    # ---- appeals ----

    async def file_appeal(
        self,
        appeal_id: uuid.UUID,
        account_id: uuid.UUID,
        *,
        sanction_id: uuid.UUID | None,
        credit_entry_id: int | None,
        statement: str,
        at: datetime,
    ) -> bool:
        """False when the target was appealed already (one appeal each)."""
        created = await self.conn.fetchval(
            """INSERT INTO appeal (id, account_id, sanction_id, credit_entry_id, statement, filed_at)
               VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING true""",
            appeal_id,
            account_id,
            sanction_id,
            credit_entry_id,
            statement,
            at,
        )
        return bool(created)

    async def appeal(self, appeal_id: uuid.UUID, *, for_update: bool = False) -> asyncpg.Record | None:
        if for_update:
            await self.conn.execute("SELECT 1 FROM appeal WHERE id = $1 FOR UPDATE", appeal_id)
        return await self.conn.fetchrow(f"{_APPEAL} WHERE a.id = $1", appeal_id)

    async def appeals_of(
        self, account_id: uuid.UUID, *, after: tuple[datetime, uuid.UUID] | None, limit: int
    ) -> list[asyncpg.Record]:
        """The account's appeals, newest first, after the cursor (filed_at, id)."""
        return await self.conn.fetch(
            f"""{_APPEAL} WHERE a.account_id = $1
                  AND ($2::timestamptz IS NULL OR (a.filed_at, a.id) < ($2, $3))
                ORDER BY a.filed_at DESC, a.id DESC LIMIT $4""",
            account_id,
            after[0] if after else None,
            after[1] if after else None,
            limit,
        )

    async def appeals(
        self, *, open_: bool, after: tuple[datetime, uuid.UUID] | None, limit: int
    ) -> list[asyncpg.Record]:
        """Open appeals (or decided ones), oldest first, after the cursor (filed_at, id)."""
        state = "a.state = 'open'" if open_ else "a.state <> 'open'"
        return await self.conn.fetch(
            f"""{_APPEAL} WHERE {state}
                  AND ($1::timestamptz IS NULL OR (a.filed_at, a.id) > ($1, $2))
                ORDER BY a.filed_at, a.id LIMIT $3""",
            after[0] if after else None,
            after[1] if after else None,
            limit,
        )

    async def decide_appeal(self, appeal_id: uuid.UUID, *, state: str, by: str, reason: str, at: datetime) -> None:
        await self.conn.execute(
            """UPDATE appeal SET state = $2, decided_by = $3, decision_reason = $4, decided_at = $5
                WHERE id = $1 AND state = 'open'""",
            appeal_id,
            state,
            by,
            reason,
            at,
        )
