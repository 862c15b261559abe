"""SQL of reports and of the accounts' jurisdictions they are filed by, and the outbox rows that
announce reports."""

from __future__ import annotations

import json
import uuid
from typing import Protocol

import asyncpg
from kit.outbox import OutboxRow
from kit.unit import Unit

from regulator_gateway.reports.domain import (
    Amendment,
    Jurisdiction,
    Referral,
    Report,
    ReportKind,
    ReportQuery,
    SanctionReported,
    StoppedPost,
)


class ReportStore(Protocol):
    async def file_report(self, stopped: StoppedPost) -> Report: ...
    async def file_sanction_report(self, sanction: SanctionReported) -> Report: ...
    async def report_of_decision(self, decision_id: uuid.UUID) -> Report | None: ...
    async def file_referral_report(self, referral: Referral) -> Report: ...
    async def stop_report_of_post(self, post_id: uuid.UUID) -> uuid.UUID | None: ...
    async def learn_jurisdiction(self, jurisdiction: Jurisdiction) -> None: ...
    async def report(self, report_id: uuid.UUID, *, for_update: bool = False) -> Report | None: ...
    async def reports(self, query: ReportQuery) -> list[Report]: ...
    async def acknowledge(self, report_id: uuid.UUID, office_id: uuid.UUID, reference: str | None) -> Report: ...
    async def reports_for_update(self, report_ids: list[uuid.UUID]) -> dict[uuid.UUID, Report]: ...
    async def acknowledge_many(self, office_id: uuid.UUID, items: list[tuple[uuid.UUID, str | None]]) -> int: ...
    async def amend(self, amendment: Amendment) -> None: ...
    async def announce(self, row: OutboxRow) -> None: ...


def _amendment(row: asyncpg.Record) -> Amendment:
    return Amendment(
        id=row["id"],
        decision_id=row["decision_id"],
        amending_decision_id=row["amending_decision_id"],
        kind=row["kind"],
        reason=row["reason"],
        legal_basis=list(row["legal_basis"]),
        decided_by=row["decided_by"],
        decided_at=row["decided_at"],
        recorded_at=row["recorded_at"],
    )


def _report(row: asyncpg.Record, amendments: tuple[Amendment, ...] = ()) -> Report:
    return Report(
        id=row["id"],
        decision_id=row["decision_id"],
        post_id=row["post_id"],
        account_id=row["account_id"],
        category=row["category"],
        legal_basis=list(row["legal_basis"]),
        reason=row["reason"],
        decided_at=row["decided_at"],
        content_sha256=row["content_sha256"],
        province_code=row["province_code"],
        filed_at=row["filed_at"],
        acknowledged_at=row["acknowledged_at"],
        acknowledged_by=row["acknowledged_by"],
        ack_reference=row["ack_reference"],
        amendments=amendments,
        stage=row["stage"],
        kind=ReportKind(row["kind"]),
        details=json.loads(row["details"]) if isinstance(row["details"], str) else dict(row["details"] or {}),
    )


class PgReportStore(Unit):
    async def file_report(self, stopped: StoppedPost) -> Report:
        """MB-12.2: the decision's one report (never two), in the author's province when known."""
        await self._lock_account(stopped.account_id)
        row = await self.conn.fetchrow(
            """INSERT INTO report (id, decision_id, post_id, account_id, category, legal_basis, reason, decided_at,
                                   content_sha256, stage, province_code)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,
                       (SELECT province_code FROM account_jurisdiction WHERE account_id = $4))
               ON CONFLICT (decision_id) DO NOTHING
               RETURNING *""",
            uuid.uuid4(),
            stopped.decision_id,
            stopped.post_id,
            stopped.account_id,
            stopped.category,
            stopped.legal_basis,
            stopped.reason,
            stopped.decided_at,
            stopped.content_sha256,
            stopped.stage,
        )
        if row is None:
            row = await self.conn.fetchrow("SELECT * FROM report WHERE decision_id = $1", stopped.decision_id)
        return (await self._with_amendments([row]))[0]  # a restore may have arrived first (0007)

    async def file_sanction_report(self, sanction: SanctionReported) -> Report:
        """PA-13: the sanction's one report (never two), in the account's province when known."""
        await self._lock_account(sanction.account_id)
        row = await self.conn.fetchrow(
            """INSERT INTO report (id, decision_id, post_id, account_id, category, legal_basis, reason, decided_at,
                                   content_sha256, kind, details, province_code)
               VALUES ($1, $2, NULL, $3, '', $4, $5, $6, NULL, 'sanction', $7,
                       (SELECT province_code FROM account_jurisdiction WHERE account_id = $3))
               ON CONFLICT (decision_id) DO NOTHING
               RETURNING *""",
            uuid.uuid4(),
            sanction.sanction_id,
            sanction.account_id,
            sanction.legal_basis,
            sanction.reason,
            sanction.starts_at,
            json.dumps(sanction.details),
        )
        if row is None:
            row = await self.conn.fetchrow("SELECT * FROM report WHERE decision_id = $1", sanction.sanction_id)
        return (await self._with_amendments([row]))[0]  # a lift may have arrived first

    async def learn_jurisdiction(self, jurisdiction: Jurisdiction) -> None:
        """The account's province; its reports filed before it was known move to that province."""
        await self._lock_account(jurisdiction.account_id)
        await self.conn.execute(
            """INSERT INTO account_jurisdiction (account_id, province_code) VALUES ($1, $2)
               ON CONFLICT (account_id) DO UPDATE SET province_code = excluded.province_code""",
            jurisdiction.account_id,
            jurisdiction.province_code,
        )
        await self.conn.execute(
            "UPDATE report SET province_code = $2 WHERE account_id = $1 AND province_code IS NULL",
            jurisdiction.account_id,
            jurisdiction.province_code,
        )

    async def _lock_account(self, account_id: uuid.UUID) -> None:
        """Serialise a report's filing with its author's jurisdiction becoming known. The two arrive on
        different topics and are handled concurrently; without the lock each transaction could miss the
        other's uncommitted row (the report filed without a province, the province's update finding no
        report), leaving the report with the national office only. Each statement after the lock reads a
        fresh snapshot (READ COMMITTED), so whichever runs second sees the first."""
        await self.conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 16))", str(account_id))

    async def file_referral_report(self, referral: Referral) -> Report:
        """BJ-7(8): a referral's report, in the account's province when known (a referral is never a repeat)."""
        await self._lock_account(referral.account_id)
        row = await self.conn.fetchrow(
            """INSERT INTO report (id, decision_id, post_id, account_id, category, legal_basis, reason, decided_at,
                                   content_sha256, kind, details, province_code)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8,
                       (SELECT content_sha256 FROM report WHERE id = $9), 'referral', $10,
                       (SELECT province_code FROM account_jurisdiction WHERE account_id = $4))
               RETURNING *""",
            uuid.uuid4(),
            referral.id,
            referral.post_id,
            referral.account_id,
            referral.category,
            referral.legal_basis,
            referral.offence,
            referral.referred_at,
            referral.stop_report_id,
            json.dumps(referral.details),
        )
        return _report(row)

    async def stop_report_of_post(self, post_id: uuid.UUID) -> uuid.UUID | None:
        """The report of the post's stop, if it was stopped (its evidence goes with a referral)."""
        return await self.conn.fetchval(
            "SELECT id FROM report WHERE post_id = $1 AND kind = 'stop' ORDER BY filed_at DESC LIMIT 1", post_id
        )

    async def report_of_decision(self, decision_id: uuid.UUID) -> Report | None:
        """The report filed for a decision (a stop's, or a sanction's id), if filed."""
        row = await self.conn.fetchrow("SELECT * FROM report WHERE decision_id = $1", decision_id)
        return (await self._with_amendments([row]))[0] if row else None

    async def report(self, report_id: uuid.UUID, *, for_update: bool = False) -> Report | None:
        lock = " FOR UPDATE" if for_update else ""
        row = await self.conn.fetchrow(f"SELECT * FROM report WHERE id = $1{lock}", report_id)  # noqa: S608 - fixed clause
        return (await self._with_amendments([row]))[0] if row else None

    async def reports(self, query: ReportQuery) -> list[Report]:
        """Keyset pages in (filed_at, id) order, narrowed by the query's filters (issue 15)."""
        f = query.filters
        rows = await self.conn.fetch(
            """SELECT * FROM report
                WHERE ($1::text IS NULL OR province_code = $1)
                  AND ($2::boolean IS NULL OR (acknowledged_at IS NOT NULL) = $2)
                  AND ($3::timestamptz IS NULL OR (filed_at, id) > ($3, $4))
                  AND ($6::text IS NULL OR legal_basis @> ARRAY[$6::text])
                  AND ($7::text IS NULL OR category = $7)
                  AND ($8::text IS NULL OR province_code = $8)
                  AND ($9::text IS NULL OR stage = $9)
                  AND ($10::timestamptz IS NULL OR filed_at >= $10)
                  AND ($11::timestamptz IS NULL OR filed_at < $11)
                  AND ($12::text IS NULL OR kind = $12)
                ORDER BY filed_at, id LIMIT $5""",
            query.province_code,
            query.acknowledged,
            query.after[0] if query.after else None,
            query.after[1] if query.after else None,
            query.limit,
            f.requirement,
            f.category,
            f.province_code,
            f.stage,
            f.since,
            f.until,
            f.kind,
        )
        return await self._with_amendments(rows)

    async def _with_amendments(self, rows: list[asyncpg.Record]) -> list[Report]:
        """The reports with their amendments, oldest first (one more round trip for a whole page)."""
        found = await self.conn.fetch(
            """SELECT * FROM report_amendment WHERE decision_id = ANY($1::uuid[])
                ORDER BY decision_id, recorded_at, id""",
            [r["decision_id"] for r in rows],
        )
        by_decision: dict[uuid.UUID, list[Amendment]] = {}
        for a in found:
            by_decision.setdefault(a["decision_id"], []).append(_amendment(a))
        return [_report(r, tuple(by_decision.get(r["decision_id"], ()))) for r in rows]

    async def amend(self, amendment: Amendment) -> None:
        await self.conn.execute(
            """INSERT INTO report_amendment (id, decision_id, amending_decision_id, kind, reason, legal_basis,
                                             decided_by, decided_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (amending_decision_id) DO NOTHING""",
            amendment.id,
            amendment.decision_id,
            amendment.amending_decision_id,
            amendment.kind,
            amendment.reason,
            amendment.legal_basis,
            amendment.decided_by,
            amendment.decided_at,
        )

    async def acknowledge(self, report_id: uuid.UUID, office_id: uuid.UUID, reference: str | None) -> Report:
        row = await self.conn.fetchrow(
            """UPDATE report SET acknowledged_at = now(), acknowledged_by = $2, ack_reference = $3
               WHERE id = $1 RETURNING *""",
            report_id,
            office_id,
            reference,
        )
        return (await self._with_amendments([row]))[0]

    async def reports_for_update(self, report_ids: list[uuid.UUID]) -> dict[uuid.UUID, Report]:
        """The reports there are among these, locked in id order (two batches never deadlock); their
        amendments are not read (an acknowledgement does not need them)."""
        rows = await self.conn.fetch(
            "SELECT * FROM report WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE", report_ids
        )
        return {r["id"]: _report(r) for r in rows}

    async def acknowledge_many(self, office_id: uuid.UUID, items: list[tuple[uuid.UUID, str | None]]) -> int:
        """One UPDATE for the whole batch: each report with its own reference."""
        done = await self.conn.execute(
            """UPDATE report r SET acknowledged_at = now(), acknowledged_by = $1, ack_reference = i.reference
                 FROM unnest($2::uuid[], $3::text[]) AS i(id, reference)
                WHERE r.id = i.id""",
            office_id,
            [report_id for report_id, _ in items],
            [reference for _, reference in items],
        )
        return int(done.split()[-1])
