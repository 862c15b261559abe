"""SQL of the feature gates (MB-13, PA-12.1): the regulator gateway's news of each (feature, version)."""

from __future__ import annotations

import asyncpg
from kit.unit import Unit

from content.gates.domain import Gate


def _gate(row: asyncpg.Record | None) -> Gate | None:
    if row is None:
        return None
    return Gate(
        feature=row["feature"],
        version=row["version"],
        assessment_id=row["assessment_id"],
        acknowledged_at=row["acknowledged_at"],
        withdrawn_at=row["withdrawn_at"],
        receipt_number=row["receipt_number"],
        level=row["level"],
        province_code=row["province_code"],
        withdraw_reason=row["withdraw_reason"],
        legal_basis=tuple(row["legal_basis"]),
    )


class GateStore(Unit):
    async def gate(self, feature: str, version: int, *, lock: bool = False) -> Gate | None:
        """The gate of one version of a feature, or None; ``lock`` to change it. (The facts of one feature
        arrive in order on one partition, keyed by feature, to one consumer: a missing row needs no lock.)"""
        sql = "SELECT * FROM feature_gate WHERE feature = $1 AND version = $2"
        return _gate(await self.conn.fetchrow(sql + " FOR UPDATE" if lock else sql, feature, version))

    async def gates(self) -> list[Gate]:
        rows = await self.conn.fetch("SELECT * FROM feature_gate ORDER BY feature, version")
        return [g for g in map(_gate, rows) if g is not None]

    async def save(self, gate: Gate) -> None:
        await self.conn.execute(
            """INSERT INTO feature_gate (feature, version, assessment_id, receipt_number, level, province_code,
                                         acknowledged_at, withdrawn_at, withdraw_reason, legal_basis)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
               ON CONFLICT (feature, version) DO UPDATE SET
                      assessment_id = EXCLUDED.assessment_id, receipt_number = EXCLUDED.receipt_number,
                      level = EXCLUDED.level, province_code = EXCLUDED.province_code,
                      acknowledged_at = EXCLUDED.acknowledged_at, withdrawn_at = EXCLUDED.withdrawn_at,
                      withdraw_reason = EXCLUDED.withdraw_reason, legal_basis = EXCLUDED.legal_basis,
                      updated_at = now()""",
            gate.feature,
            gate.version,
            gate.assessment_id,
            gate.receipt_number,
            gate.level,
            gate.province_code,
            gate.acknowledged_at,
            gate.withdrawn_at,
            gate.withdraw_reason,
            list(gate.legal_basis),
        )
