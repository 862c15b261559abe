"""SQL for public accounts: applications, the accounts, their operators, and what the cap and the
operator declaration count (PA-7.1, PA-7.3)."""

from __future__ import annotations

import json
import uuid
from datetime import datetime

import asyncpg

_PUBLIC = (
    """SELECT p.*, a.followers, a.closed_at, a.grade FROM public_account p JOIN account a ON a.id = p.account_id"""
)


class PublicAccountStore:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    # ---- applications ----

    async def insert_application(
        self,
        application_id: uuid.UUID,
        *,
        registrant: uuid.UUID,
        subject_lookup: bytes,
        name: str,
        name_folded: str,
        kind: str,
        category: str,
        business_scope: str,
        qualifications: list[dict],
        province_code: str,
    ) -> bool:
        """False when a live public account or a waiting application has the name."""
        try:
            await self.conn.execute(
                """INSERT INTO public_account_application (id, registrant_account_id, subject_lookup, name,
                       name_folded, kind, category, business_scope, qualifications, province_code, status)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, 'submitted')""",
                application_id,
                registrant,
                subject_lookup,
                name,
                name_folded,
                kind,
                category,
                business_scope,
                json.dumps(qualifications),
                province_code,
            )
        except asyncpg.UniqueViolationError:
            return False
        return True

    async def application(self, application_id: uuid.UUID, *, for_update: bool = False) -> asyncpg.Record | None:
        lock = " FOR UPDATE" if for_update else ""
        return await self.conn.fetchrow(f"SELECT * FROM public_account_application WHERE id = $1{lock}", application_id)  # noqa: S608

    async def applications(
        self, *, status: str | None, after: tuple[datetime, uuid.UUID] | None, limit: int
    ) -> list[asyncpg.Record]:
        """Applications, oldest first (the queue: status submitted), after the cursor (submitted_at, id)."""
        return await self.conn.fetch(
            """SELECT * FROM public_account_application WHERE ($1::text IS NULL OR status = $1)
                  AND ($2::timestamptz IS NULL OR (submitted_at, id) > ($2, $3))
                ORDER BY submitted_at, id LIMIT $4""",
            status,
            after[0] if after else None,
            after[1] if after else None,
            limit,
        )

    async def applications_of(self, registrant: uuid.UUID) -> list[asyncpg.Record]:
        return await self.conn.fetch(
            """SELECT * FROM public_account_application WHERE registrant_account_id = $1
                ORDER BY submitted_at DESC, id LIMIT 500""",
            registrant,
        )

    async def decide(
        self,
        application_id: uuid.UUID,
        *,
        status: str,
        reason: str,
        by: str,
        at: datetime,
        public_account_id: uuid.UUID | None,
    ) -> None:
        await self.conn.execute(
            """UPDATE public_account_application SET status = $2, reason = $3, reviewed_by = $4, reviewed_at = $5,
                      public_account_id = $6 WHERE id = $1""",
            application_id,
            status,
            reason,
            by,
            at,
            public_account_id,
        )

    async def live_names(self, *, exclude_subject: bytes) -> list[str]:
        """Names of other subjects' public accounts not cancelled, and of their applications waiting (CM)."""
        rows = await self.conn.fetch(
            """SELECT name FROM public_account WHERE cancelled_at IS NULL AND subject_lookup <> $1
               UNION ALL SELECT name FROM public_account_application
                WHERE status = 'submitted' AND subject_lookup <> $1""",
            exclude_subject,
        )
        return [r["name"] for r in rows]

    # ---- the accounts ----

    async def live_of_subject(self, subject_lookup: bytes) -> list[uuid.UUID]:
        """The subject's public accounts not cancelled (PA-7.3: the cap counts them)."""
        rows = await self.conn.fetch(
            "SELECT account_id FROM public_account WHERE subject_lookup = $1 AND cancelled_at IS NULL", subject_lookup
        )
        return [r["account_id"] for r in rows]

    async def declarations_of_subject(self, subject_lookup: bytes) -> list[list[uuid.UUID]]:
        """The account lists of the operator declarations made by any account of the subject (PA-7.3)."""
        rows = await self.conn.fetch(
            """SELECT d.accounts FROM operator_declaration d
                 JOIN real_name_verification r ON r.account_id = d.account_id
                WHERE r.id_number_lookup = $1""",
            subject_lookup,
        )
        return [list(r["accounts"]) for r in rows]

    async def insert_account(self, account_id: uuid.UUID, *, name: str) -> None:
        """The account row of a public account: no password, no mobile number (it never signs in)."""
        await self.conn.execute(
            """INSERT INTO account (id, username, kind, display_name) VALUES ($1, $2, 'public', $3)""",
            account_id,
            f"public-{account_id}",
            name,
        )

    async def insert_public_account(
        self, application: asyncpg.Record, account_id: uuid.UUID, *, label: str, at: datetime
    ) -> None:
        await self.conn.execute(
            """INSERT INTO public_account (account_id, application_id, owner_account_id, subject_lookup, name, kind,
                   label, category, business_scope, province_code, approved_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)""",
            account_id,
            application["id"],
            application["registrant_account_id"],
            application["subject_lookup"],
            application["name"],
            application["kind"],
            label,
            application["category"],
            application["business_scope"],
            application["province_code"],
            at,
        )

    async def get(self, account_id: uuid.UUID) -> asyncpg.Record | None:
        return await self.conn.fetchrow(f"{_PUBLIC} WHERE p.account_id = $1", account_id)

    async def operated_by(self, operator: uuid.UUID) -> list[asyncpg.Record]:
        """The live public accounts this account operates, with its role."""
        return await self.conn.fetch(
            """SELECT p.*, a.followers, a.closed_at, a.grade, o.role
                 FROM public_account p JOIN account a ON a.id = p.account_id
                 JOIN public_account_operator o ON o.public_account_id = p.account_id
                WHERE o.account_id = $1 AND o.removed_at IS NULL AND p.cancelled_at IS NULL
                ORDER BY p.approved_at, p.account_id""",
            operator,
        )

    # ---- operators ----

    async def operator(self, public_account_id: uuid.UUID, account_id: uuid.UUID) -> asyncpg.Record | None:
        return await self.conn.fetchrow(
            "SELECT * FROM public_account_operator WHERE public_account_id = $1 AND account_id = $2",
            public_account_id,
            account_id,
        )

    async def operators(self, public_account_id: uuid.UUID) -> list[asyncpg.Record]:
        return await self.conn.fetch(
            """SELECT * FROM public_account_operator WHERE public_account_id = $1 AND removed_at IS NULL
                ORDER BY added_at, account_id""",
            public_account_id,
        )

    async def add_operator(
        self, public_account_id: uuid.UUID, account_id: uuid.UUID, *, role: str, by: uuid.UUID, at: datetime
    ) -> None:
        """Add (or add again) an operator; an owner stays the owner."""
        await self.conn.execute(
            """INSERT INTO public_account_operator (public_account_id, account_id, role, added_by, added_at)
               VALUES ($1, $2, $3, $4, $5)
               ON CONFLICT (public_account_id, account_id) DO UPDATE
                  SET removed_at = NULL, added_by = $4, added_at = $5
                WHERE public_account_operator.removed_at IS NOT NULL""",
            public_account_id,
            account_id,
            role,
            by,
            at,
        )

    async def remove_operator(self, public_account_id: uuid.UUID, account_id: uuid.UUID, at: datetime) -> bool:
        return (
            await self.conn.fetchval(
                """UPDATE public_account_operator SET removed_at = $3
                    WHERE public_account_id = $1 AND account_id = $2 AND removed_at IS NULL AND role = 'editor'
                RETURNING true""",
                public_account_id,
                account_id,
                at,
            )
            is not None
        )

    async def removals_since(self, since: datetime) -> list[asyncpg.Record]:
        """Each operator's latest removal since then (its acting tokens issued before it stay revoked)."""
        return await self.conn.fetch(
            """SELECT DISTINCT ON (account_id) account_id, removed_at FROM public_account_operator
                WHERE removed_at > $1 ORDER BY account_id, removed_at DESC""",
            since,
        )
