"""SQL of security assessments, and the unit their handlers (and the acknowledgement of filings) work in:
the assessment, its filing and the outbox commit together."""

from __future__ import annotations

import uuid
from typing import Protocol

import asyncpg
from kit.outbox import OutboxRow
from kit.unit import Unit

from regulator_gateway.assessments.domain import Assessment, AssessmentQuery, NewAssessment
from regulator_gateway.filings.store import FilingStore, PgFilingStore

_COLUMNS = """id, feature, version, level, province_code, summary, document_sha256, octet_length(document) AS
              document_bytes, filed_by, filed_at, filing_id, status, acknowledged_at, receipt_number, withdrawn_at,
              withdrawn_by, withdraw_reason"""


def _assessment(r: asyncpg.Record) -> Assessment:
    return Assessment(**{k: r[k] for k in r.keys()})


class AssessmentStore(Protocol):
    async def insert(self, assessment: NewAssessment, filing_id: uuid.UUID) -> Assessment | None: ...
    async def assessment(self, assessment_id: uuid.UUID, *, for_update: bool = False) -> Assessment | None: ...
    async def assessments(self, query: AssessmentQuery) -> list[Assessment]: ...
    async def acknowledge(self, filing_id: uuid.UUID, receipt_number: str) -> Assessment | None: ...
    async def withdraw(self, assessment_id: uuid.UUID, by: uuid.UUID, reason: str) -> Assessment: ...
    async def latest_acknowledged(self) -> list[Assessment]: ...


class AssessmentStores(Protocol):
    assessments: AssessmentStore
    filings: FilingStore

    async def announce(self, row: OutboxRow) -> None: ...
    async def announce_all(self, rows: list[OutboxRow]) -> None: ...


class PgAssessmentStore:
    def __init__(self, conn: asyncpg.Connection | asyncpg.Pool) -> None:
        self.conn = conn

    async def insert(self, assessment: NewAssessment, filing_id: uuid.UUID) -> Assessment | None:
        """The assessment, unless one of the same feature's version is filed or in force (None then)."""
        row = await self.conn.fetchrow(
            f"""INSERT INTO feature_assessment (id, feature, version, level, province_code, summary, document,
                                                document_sha256, filed_by, filing_id)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                ON CONFLICT (feature, version) WHERE status <> 'withdrawn' DO NOTHING
                RETURNING {_COLUMNS}""",  # noqa: S608 - fixed columns
            assessment.id,
            assessment.feature,
            assessment.version,
            assessment.level.value,
            assessment.province_code,
            assessment.summary,
            assessment.document,
            assessment.document_sha256,
            assessment.filed_by,
            filing_id,
        )
        return _assessment(row) if row else None

    async def assessment(self, assessment_id: uuid.UUID, *, for_update: bool = False) -> Assessment | None:
        lock = " FOR UPDATE" if for_update else ""
        row = await self.conn.fetchrow(
            f"SELECT {_COLUMNS} FROM feature_assessment WHERE id = $1{lock}",  # noqa: S608 - fixed clauses
            assessment_id,
        )
        return _assessment(row) if row else None

    async def assessments(self, query: AssessmentQuery) -> list[Assessment]:
        """Keyset pages in (filed_at, id) order."""
        rows = await self.conn.fetch(
            f"""SELECT {_COLUMNS} FROM feature_assessment
                 WHERE ($1::text IS NULL OR feature = $1)
                   AND ($2::text IS NULL OR status = $2)
                   AND ($3::timestamptz IS NULL OR (filed_at, id) > ($3, $4))
                 ORDER BY filed_at, id LIMIT $5""",  # noqa: S608 - fixed columns
            query.feature,
            query.status.value if query.status else None,
            query.after[0] if query.after else None,
            query.after[1] if query.after else None,
            query.limit,
        )
        return [_assessment(r) for r in rows]

    async def acknowledge(self, filing_id: uuid.UUID, receipt_number: str) -> Assessment | None:
        """The assessment of this filing comes into force, if it is awaiting acknowledgement (None: it was
        withdrawn, or it is in force already)."""
        row = await self.conn.fetchrow(
            f"""UPDATE feature_assessment SET status = 'acknowledged', acknowledged_at = now(), receipt_number = $2
                 WHERE filing_id = $1 AND status = 'filed'
                RETURNING {_COLUMNS}""",  # noqa: S608 - fixed columns
            filing_id,
            receipt_number,
        )
        return _assessment(row) if row else None

    async def withdraw(self, assessment_id: uuid.UUID, by: uuid.UUID, reason: str) -> Assessment:
        row = await self.conn.fetchrow(
            f"""UPDATE feature_assessment
                   SET status = 'withdrawn', withdrawn_at = now(), withdrawn_by = $2, withdraw_reason = $3
                 WHERE id = $1
                RETURNING {_COLUMNS}""",  # noqa: S608 - fixed columns
            assessment_id,
            by,
            reason,
        )
        return _assessment(row)

    async def latest_acknowledged(self) -> list[Assessment]:
        """Of each feature's version, the assessment acknowledged last: in force, or withdrawn since."""
        rows = await self.conn.fetch(
            f"""SELECT DISTINCT ON (feature, version) {_COLUMNS} FROM feature_assessment
                 WHERE acknowledged_at IS NOT NULL
                 ORDER BY feature, version, acknowledged_at DESC"""  # noqa: S608 - fixed columns
        )
        return [_assessment(r) for r in rows]


class PgAssessmentStores(Unit):
    """An assessment, its filing and their announcements, on one connection."""

    def __init__(self, conn: asyncpg.Connection | asyncpg.Pool) -> None:
        super().__init__(conn)
        self.assessments = PgAssessmentStore(conn)
        self.filings = PgFilingStore(conn)
