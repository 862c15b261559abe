"""SQL for an account's standing: the credit ledger, sanctions, the blacklist, grades and their rules,
and operator declarations."""

from __future__ import annotations

import json
import uuid
from datetime import datetime

import asyncpg

from identity.standing.domain import REPORTED_SANCTIONS

_GRADING_RULES_LOCK = 7100201  # one publisher at a time: versions are consecutive


class StandingStore:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    # ---- the ledger (MB-9, MB-15, PA-6.2) ----

    async def deltas(self, account_ids: list[uuid.UUID]) -> list[int]:
        rows = await self.conn.fetch(
            "SELECT delta FROM credit_entry WHERE account_id = ANY($1::uuid[]) ORDER BY created_at, id", account_ids
        )
        return [r["delta"] for r in rows]

    async def ledger(self, account_id: uuid.UUID) -> list[asyncpg.Record]:
        return await self.conn.fetch(
            "SELECT * FROM credit_entry WHERE account_id = $1 ORDER BY created_at, id", account_id
        )

    async def add_entry(
        self,
        account_id: uuid.UUID,
        *,
        delta: int,
        cause: str,
        legal_basis: list[str],
        source: str,
        created_by: str,
        reverses: int | None = None,
    ) -> int | None:
        """The new entry's id; None when an entry of this source exists (a repeated event changes nothing)."""
        return await self.conn.fetchval(
            """INSERT INTO credit_entry (account_id, delta, cause, legal_basis, source, reverses, created_by)
               VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING id""",
            account_id,
            delta,
            cause,
            legal_basis,
            source,
            reverses,
            created_by,
        )

    async def entry_for_update(self, entry_id: int) -> asyncpg.Record | None:
        return await self.conn.fetchrow("SELECT * FROM credit_entry WHERE id = $1 FOR UPDATE", entry_id)

    async def stops_since(self, account_id: uuid.UUID, causes: list[str], since: datetime) -> int:
        """The account's stops of transmission since then, not reversed (the sanctions ladder counts them)."""
        return await self.conn.fetchval(
            """SELECT count(*) FROM credit_entry e
                WHERE e.account_id = $1 AND e.cause = ANY($2::text[]) AND e.created_at > $3
                  AND NOT EXISTS (SELECT 1 FROM credit_entry r WHERE r.reverses = e.id)""",
            account_id,
            causes,
            since,
        )

    async def latest_entries(self) -> list[asyncpg.Record]:
        """Each account's latest entry (good standing is counted from it)."""
        return await self.conn.fetch(
            """SELECT DISTINCT ON (account_id) account_id, id, created_at FROM credit_entry
                ORDER BY account_id, created_at DESC, id DESC"""
        )

    # ---- sanctions and the blacklist (PA-13) ----

    async def sanctions_in_force(self, account_id: uuid.UUID, now: datetime) -> list[asyncpg.Record]:
        return await self.conn.fetch(
            """SELECT * FROM sanction WHERE account_id = $1 AND lifted_at IS NULL
                  AND (ends_at IS NULL OR ends_at > $2) ORDER BY starts_at""",
            account_id,
            now,
        )

    async def add_sanction(
        self,
        account_id: uuid.UUID,
        *,
        kind: str,
        features: list[str],
        reason: str,
        legal_basis: list[str],
        source: str,
        ends_at: datetime | None,
        created_by: str,
    ) -> asyncpg.Record | None:
        """The sanction as inserted, or None when its source had one already (a repeated decision)."""
        return await self.conn.fetchrow(
            """INSERT INTO sanction (id, account_id, kind, features, reason, legal_basis, source, ends_at, created_by,
                                     report_announced_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now()) ON CONFLICT (source) DO NOTHING RETURNING *""",
            uuid.uuid4(),
            account_id,
            kind,
            features,
            reason,
            legal_basis,
            source,
            ends_at,
            created_by,
        )

    async def lift_sanctions_of(self, source: str, by: str) -> list[asyncpg.Record]:
        """The sanctions the source caused, lifted now (those in force), as lifted."""
        return await self.conn.fetch(
            """UPDATE sanction SET lifted_at = now(), lifted_by = $2, lift_reason = coalesce(lift_reason, $2),
                                  report_announced_at = now()
                WHERE source = $1 AND lifted_at IS NULL RETURNING *""",
            source,
            by,
        )

    # ---- sanctions reported to the regulator (PA-13; issue 15) ----

    async def note_report_confirmed(self, sanction_id: uuid.UUID, version: int) -> None:
        await self.conn.execute(
            "UPDATE sanction SET reported_version = greatest(reported_version, $2) WHERE id = $1", sanction_id, version
        )

    async def claim_unreported_sanctions(self, *, older_than_s: float, limit: int) -> list[asyncpg.Record]:
        """Reported kinds whose report the regulator gateway has not confirmed at the version due (1 as imposed,
        2 once lifted), last announced longer ago than the threshold (or never), marked announced again."""
        return await self.conn.fetch(
            """UPDATE sanction SET report_announced_at = now()
                WHERE id IN (SELECT id FROM sanction
                              WHERE kind = ANY($3::text[])
                                AND reported_version < CASE WHEN lifted_at IS NULL THEN 1 ELSE 2 END
                                AND (report_announced_at IS NULL
                                     OR report_announced_at < now() - make_interval(secs => $1))
                              ORDER BY report_announced_at NULLS FIRST LIMIT $2 FOR UPDATE SKIP LOCKED)
            RETURNING *""",
            older_than_s,
            limit,
            sorted(REPORTED_SANCTIONS),
        )

    async def close(self, account_id: uuid.UUID) -> None:
        await self.conn.execute("UPDATE account SET closed_at = coalesce(closed_at, now()) WHERE id = $1", account_id)

    async def subject_of(self, account_id: uuid.UUID) -> asyncpg.Record | None:
        """The subject behind the account (subject_type, id_number_lookup, province_code): a user account's
        from its verification; a public account's is its registrant's, kept on the public account with the
        province it was registered in (PA-7.1, PA-13.2)."""
        return await self.conn.fetchrow(
            """SELECT subject_type, id_number_lookup, province_code FROM real_name_verification
                WHERE account_id = $1
               UNION ALL
               SELECT r.subject_type, p.subject_lookup, p.province_code FROM public_account p
                 LEFT JOIN real_name_verification r ON r.account_id = p.owner_account_id
                WHERE p.account_id = $1
               LIMIT 1""",
            account_id,
        )

    async def blacklist(
        self, subject_lookup: bytes, account_id: uuid.UUID, *, reason: str, legal_basis: list[str], by: str
    ) -> asyncpg.Record | None:
        """(id, listed_at); None when the subject is listed already (a lifted listing is listed again)."""
        return await self.conn.fetchrow(
            """INSERT INTO blacklist (id, subject_lookup, account_id, reason, legal_basis, listed_by)
               VALUES ($1, $2, $3, $4, $5, $6)
               ON CONFLICT (subject_lookup) DO UPDATE
                  SET account_id = EXCLUDED.account_id, reason = EXCLUDED.reason, legal_basis = EXCLUDED.legal_basis,
                      listed_by = EXCLUDED.listed_by, listed_at = now(), lifted_at = NULL, lifted_by = NULL,
                      lift_reason = NULL
                WHERE blacklist.lifted_at IS NOT NULL  -- a lifted blacklisting is listed again (PA-13.2)
               RETURNING id, listed_at""",
            uuid.uuid4(),
            subject_lookup,
            account_id,
            reason,
            legal_basis,
            by,
        )

    # ---- the account's standing and grade ----

    async def account(self, account_id: uuid.UUID) -> asyncpg.Record | None:
        return await self.conn.fetchrow(
            # A public account's subject is its registrant's (PA-7.2: grades by subject kind and category).
            """SELECT a.closed_at, a.standing_version, a.followers, a.reads, a.verified_type, a.grade, a.grade_rules,
                      coalesce(r.subject_type, ro.subject_type) AS subject_type, a.kind AS account_kind,
                      p.kind AS public_account_kind, p.category AS content_category
                 FROM account a LEFT JOIN real_name_verification r ON r.account_id = a.id
                 LEFT JOIN public_account p ON p.account_id = a.id
                 LEFT JOIN real_name_verification ro ON ro.account_id = p.owner_account_id
                WHERE a.id = $1""",
            account_id,
        )

    async def subject_accounts(self, account_id: uuid.UUID) -> list[uuid.UUID]:
        """Every account of the same subject as this one (itself included): the user accounts verified as
        it and the public accounts it registered (PA-6.2: a subject's credit counts all of them)."""
        rows = await self.conn.fetch(
            """WITH subject AS (
                   SELECT id_number_lookup AS lookup FROM real_name_verification WHERE account_id = $1
                   UNION SELECT subject_lookup FROM public_account WHERE account_id = $1)
               SELECT r.account_id FROM real_name_verification r JOIN subject s ON r.id_number_lookup = s.lookup
               UNION
               SELECT p.account_id FROM public_account p JOIN subject s ON p.subject_lookup = s.lookup""",
            account_id,
        )
        return [r["account_id"] for r in rows]

    async def note_followers(self, account_id: uuid.UUID, followers: int, version: int) -> bool:
        """MB-9: take the follower count content announced when its version is newer than the one held
        (a cancelled account keeps its last); whether it was taken."""
        return (
            await self.conn.fetchval(
                """UPDATE account SET followers = $2, followers_version = $3
                WHERE id = $1 AND followers_version < $3 AND cancelled_at IS NULL RETURNING true""",
                account_id,
                followers,
                version,
            )
            is not None
        )

    async def note_reads(self, account_id: uuid.UUID, reads: int, version: int) -> bool:
        """MB-9, PA-7.2: take the read count content announced when its version is newer than the one held
        (a cancelled account keeps its last); whether it was taken."""
        return (
            await self.conn.fetchval(
                """UPDATE account SET reads = $2, reads_version = $3
                WHERE id = $1 AND reads_version < $3 AND cancelled_at IS NULL RETURNING true""",
                account_id,
                reads,
                version,
            )
            is not None
        )

    async def bump_version(self, account_id: uuid.UUID) -> None:
        await self.conn.execute("UPDATE account SET standing_version = standing_version + 1 WHERE id = $1", account_id)

    async def set_grade(self, account_id: uuid.UUID, grade: int | None, rules_version: int) -> None:
        """``grade`` None: only note the rules it was graded by."""
        await self.conn.execute(
            "UPDATE account SET grade = coalesce($2, grade), grade_rules = $3 WHERE id = $1",
            account_id,
            grade,
            rules_version,
        )

    async def accounts_to_regrade(self, rules_version: int) -> list[uuid.UUID]:
        rows = await self.conn.fetch(
            "SELECT id FROM account WHERE cancelled_at IS NULL AND (grade_rules IS DISTINCT FROM $1)", rules_version
        )
        return [r["id"] for r in rows]

    # ---- grading rules (MB-9) ----

    async def seed_grading_rules(self, rules_json: str) -> None:
        await self.conn.execute(
            """INSERT INTO grading_rules (version, rules, published_by) VALUES (1, $1, 'system:seed')
               ON CONFLICT DO NOTHING""",
            rules_json,
        )

    async def grading_rules(self, version: int | None = None) -> tuple[int, dict]:
        """The rules in force, or the ones of ``version`` (an account's ``grade_rules``: the last it was graded by)."""
        if version is None:
            row = await self.conn.fetchrow("SELECT version, rules FROM grading_rules ORDER BY version DESC LIMIT 1")
        else:
            row = await self.conn.fetchrow("SELECT version, rules FROM grading_rules WHERE version = $1", version)
        return row["version"], json.loads(row["rules"])

    async def publish_grading_rules(self, rules_json: str, by: str) -> int:
        await self.conn.execute("SELECT pg_advisory_xact_lock($1)", _GRADING_RULES_LOCK)
        return await self.conn.fetchval(
            """INSERT INTO grading_rules (version, rules, published_by)
               SELECT coalesce(max(version), 0) + 1, $1, $2 FROM grading_rules RETURNING version""",
            rules_json,
            by,
        )

    # ---- operators of many public accounts (PA-7.3) ----

    async def subjects_of(self, account_ids: list[uuid.UUID]) -> dict[uuid.UUID, bytes]:
        # A user account by its verification; a public account by its registrant's subject (PA-7.3).
        rows = await self.conn.fetch(
            """SELECT account_id, id_number_lookup FROM real_name_verification WHERE account_id = ANY($1::uuid[])
               UNION ALL
               SELECT account_id, subject_lookup FROM public_account
                WHERE account_id = ANY($1::uuid[]) AND cancelled_at IS NULL""",
            account_ids,
        )
        return {r["account_id"]: bytes(r["id_number_lookup"]) for r in rows}

    async def insert_declaration(
        self,
        declaration_id: uuid.UUID,
        account_id: uuid.UUID,
        *,
        registrant: str,
        business_scope: str,
        accounts: list[uuid.UUID],
        declared_at: datetime,
    ) -> None:
        await self.conn.execute(
            """INSERT INTO operator_declaration (id, account_id, registrant, business_scope, accounts, declared_at)
               VALUES ($1, $2, $3, $4, $5, $6)""",
            declaration_id,
            account_id,
            registrant,
            business_scope,
            accounts,
            declared_at,
        )
