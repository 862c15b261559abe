"""Turning stop-transmissions into reports, and the regulator's view of them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import asyncpg
from google.protobuf.timestamp_pb2 import Timestamp
from kit.cloudevents import Event
from kit.db import transaction
from kit.outbox import announce
from kit.problems import Conflict, NotFound
from qinglang.moderation.v1 import decision_pb2
from qinglang.regulator.v1 import report_pb2

from regulator_gateway import events
from regulator_gateway.offices import Office


async def on_decision(conn: asyncpg.Connection, event: Event) -> None:
    """MB-12.2: every stop-transmission becomes exactly one report. A repeated decision finds the
    report already there and only confirms it again to moderation."""
    decision = event.message
    if decision.outcome != decision_pb2.OUTCOME_STOP_TRANSMISSION:
        return
    account_id = uuid.UUID(decision.author_id)
    report = await conn.fetchrow(
        """INSERT INTO report (id, decision_id, post_id, account_id, category, legal_basis, reason, decided_at,
                               content_sha256, province_code)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,
                   (SELECT province_code FROM account_jurisdiction WHERE account_id = $4))
           ON CONFLICT (decision_id) DO NOTHING
           RETURNING id, filed_at""",
        uuid.uuid4(),
        uuid.UUID(decision.decision_id),
        uuid.UUID(decision.post_id),
        account_id,
        decision.category,
        list(decision.legal_basis),
        decision.reason,
        decision.decided_at.ToDatetime(tzinfo=UTC),
        decision.content_sha256,
    )
    if report is None:
        report = await conn.fetchrow(
            "SELECT id, filed_at FROM report WHERE decision_id = $1", uuid.UUID(decision.decision_id)
        )
    filed = Timestamp()
    filed.FromDatetime(report["filed_at"])
    await announce(
        conn,
        events.REPORT_FILED,
        key=decision.decision_id,
        subject=str(report["id"]),
        message=report_pb2.ReportFiled(
            report_id=str(report["id"]), decision_id=decision.decision_id, post_id=decision.post_id, filed_at=filed
        ),
    )


async def on_real_name_verified(conn: asyncpg.Connection, event: Event) -> None:
    """Learn an account's province of registration, so its reports reach the right office."""
    verified = event.message
    account_id = uuid.UUID(verified.account_id)
    await conn.execute(
        """INSERT INTO account_jurisdiction (account_id, province_code) VALUES ($1, $2)
           ON CONFLICT (account_id) DO UPDATE SET province_code = excluded.province_code""",
        account_id,
        verified.province_code,
    )
    await conn.execute(
        "UPDATE report SET province_code = $2 WHERE account_id = $1 AND province_code IS NULL",
        account_id,
        verified.province_code,
    )


def report_view(row: asyncpg.Record) -> dict:
    return {
        "id": str(row["id"]),
        "decision_id": str(row["decision_id"]),
        "post_id": str(row["post_id"]),
        "account_id": str(row["account_id"]),
        "category": row["category"],
        "legal_basis": list(row["legal_basis"]),
        "reason": row["reason"],
        "decided_at": row["decided_at"],
        "content_sha256": row["content_sha256"],
        "province_code": row["province_code"],
        "filed_at": row["filed_at"],
        "acknowledged_at": row["acknowledged_at"],
        "ack_reference": row["ack_reference"],
    }


async def list_reports(
    pool: asyncpg.Pool,
    office: Office,
    *,
    acknowledged: bool | None,
    limit: int,
    after: tuple[datetime, uuid.UUID] | None,
) -> list[asyncpg.Record]:
    national = office.jurisdiction == "national"
    return await pool.fetch(
        """SELECT * FROM report
            WHERE ($1 OR province_code = $2)
              AND ($3::boolean IS NULL OR (acknowledged_at IS NOT NULL) = $3)
              AND ($4::timestamptz IS NULL OR (filed_at, id) > ($4, $5))
            ORDER BY filed_at, id LIMIT $6""",
        national,
        office.jurisdiction,
        acknowledged,
        after[0] if after else None,
        after[1] if after else None,
        limit,
    )


async def get_report(
    pool: asyncpg.Pool | asyncpg.Connection, office: Office, report_id: uuid.UUID, *, for_update: bool = False
) -> asyncpg.Record:
    lock = " FOR UPDATE" if for_update else ""
    row = await pool.fetchrow(f"SELECT * FROM report WHERE id = $1{lock}", report_id)  # noqa: S608 - fixed clause
    if row is None or not office.may_see(row["province_code"]):
        raise NotFound("No such report in your jurisdiction.")
    return row


class AlreadyAcknowledged(Conflict):
    type = "already-acknowledged"
    title = "Already acknowledged"


async def acknowledge(
    pool: asyncpg.Pool, office: Office, report_id: uuid.UUID, reference: str | None
) -> asyncpg.Record:
    """Record the regulator's receipt. Repeating the same acknowledgement is harmless."""
    async with transaction(pool) as conn:
        row = await get_report(conn, office, report_id, for_update=True)
        if row["acknowledged_at"] is not None:
            if row["acknowledged_by"] == office.id and row["ack_reference"] == reference:
                return row
            raise AlreadyAcknowledged(
                "This report was already acknowledged.", acknowledged_at=row["acknowledged_at"].isoformat()
            )
        return await conn.fetchrow(
            """UPDATE report SET acknowledged_at = now(), acknowledged_by = $2, ack_reference = $3
               WHERE id = $1 RETURNING *""",
            report_id,
            office.id,
            reference,
        )
