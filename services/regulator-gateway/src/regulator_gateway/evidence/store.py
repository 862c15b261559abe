"""Evidence's SQL: the decision and snapshot as they arrive, the sealed document (MB-12.2)."""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict
from datetime import datetime
from typing import Any

import asyncpg
from kit.unit import Unit

from regulator_gateway.evidence.domain import DecisionRecord, Evidence, FiledReport, Snapshot
from regulator_gateway.reports.store import PgReportStore


def _decision(record: dict[str, Any]) -> DecisionRecord:
    return DecisionRecord(
        **{
            **record,
            "decision_id": uuid.UUID(record["decision_id"]),
            "post_id": uuid.UUID(record["post_id"]),
            "author_id": uuid.UUID(record["author_id"]),
            "legal_basis": tuple(record["legal_basis"]),
            "decided_at": datetime.fromisoformat(record["decided_at"]),
            "matches": tuple(record["matches"]),
        }
    )


def _snapshot(row: asyncpg.Record) -> Snapshot:
    return Snapshot(
        decision_id=row["decision_id"],
        post_id=row["post_id"],
        author_id=row["author_id"],
        author_province_code=row["author_province_code"],
        kind=row["kind"],
        text=row["text"],
        snapshot_sha256=row["snapshot_sha256"],
        media=tuple(json.loads(row["media"])),
        category=row["category"],
        created_at=row["created_at"],
        was_published=row["was_published"],
        stopped_at=row["stopped_at"],
    )


def _evidence(row: asyncpg.Record) -> Evidence:
    return Evidence(row["decision_id"], row["report_id"], bytes(row["document"]), row["sha256"], row["sealed_at"])


class PgEvidenceStore(Unit):
    """Evidence's rows, and the reports they belong to (read through the reports' own store)."""

    def __init__(self, conn: asyncpg.Connection | asyncpg.Pool) -> None:
        super().__init__(conn)
        self.reports = PgReportStore(conn)

    async def lock_decision(self, decision_id: uuid.UUID) -> None:
        """Serialise the parts of one report's evidence: the decision (with the report) and the snapshot arrive
        on different topics and are handled concurrently; without the lock each transaction could miss the
        other's uncommitted part and neither would seal (a snapshot announced again a minute later did). Each
        statement after the lock reads a fresh snapshot (READ COMMITTED), so whichever runs second sees both."""
        await self.conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 17))", str(decision_id))

    async def save_decision(self, decision: DecisionRecord) -> None:
        record = {
            **asdict(decision),
            "decision_id": str(decision.decision_id),
            "post_id": str(decision.post_id),
            "author_id": str(decision.author_id),
            "decided_at": decision.decided_at.isoformat(),
        }
        await self.conn.execute(
            "INSERT INTO stop_decision_record (decision_id, record) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            decision.decision_id,
            json.dumps(record),
        )

    async def save_snapshot(self, snapshot: Snapshot) -> None:
        await self.conn.execute(
            """INSERT INTO stop_snapshot (decision_id, post_id, author_id, author_province_code, kind, text,
                                          snapshot_sha256, media, category, created_at, was_published, stopped_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING""",
            snapshot.decision_id,
            snapshot.post_id,
            snapshot.author_id,
            snapshot.author_province_code,
            snapshot.kind,
            snapshot.text,
            snapshot.snapshot_sha256,
            json.dumps(list(snapshot.media)),
            snapshot.category,
            snapshot.created_at,
            snapshot.was_published,
            snapshot.stopped_at,
        )

    async def parts(self, decision_id: uuid.UUID) -> tuple[FiledReport, DecisionRecord, Snapshot] | None:
        """The report and both parts of its evidence, or None while one is missing."""
        row = await self.conn.fetchrow(
            """SELECT r.id AS report_id, r.filed_at, r.province_code, d.record, s.*
                 FROM report r
                 JOIN stop_decision_record d ON d.decision_id = r.decision_id
                 JOIN stop_snapshot s ON s.decision_id = r.decision_id
                WHERE r.decision_id = $1""",
            decision_id,
        )
        if row is None:
            return None
        report = FiledReport(row["report_id"], decision_id, row["post_id"], row["filed_at"], row["province_code"])
        return report, _decision(json.loads(row["record"])), _snapshot(row)

    async def seal(self, evidence: Evidence) -> Evidence:
        """Keep the sealed document; one per report, never changed (a second sealing finds the first)."""
        row = await self.conn.fetchrow(
            """INSERT INTO report_evidence (decision_id, report_id, document, sha256) VALUES ($1, $2, $3, $4)
               ON CONFLICT (decision_id) DO NOTHING RETURNING *""",
            evidence.decision_id,
            evidence.report_id,
            evidence.document,
            evidence.sha256,
        )
        return _evidence(row) if row is not None else await self.sealed(evidence.decision_id)  # type: ignore[return-value]

    async def sealed(self, decision_id: uuid.UUID) -> Evidence | None:
        row = await self.conn.fetchrow("SELECT * FROM report_evidence WHERE decision_id = $1", decision_id)
        return _evidence(row) if row is not None else None
