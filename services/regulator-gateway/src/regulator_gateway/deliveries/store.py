"""Pushes' SQL: offices' endpoints, the deliveries derived from the reports, their attempts (MB-12.2, MB-16.1)."""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg
from kit.unit import Unit
from regulator_gateway.archive.store import PgArchiveStore
from regulator_gateway.deliveries.domain import Delivery, DeliveryState, ItemKind, Outcome
from regulator_gateway.reports.store import PgReportStore

_DELIVERY_COLUMNS = """d.id, d.office_id, d.item_kind, d.report_id, d.anchor_day, d.version, d.created_at, d.attempts,
                       d.next_attempt_at, d.last_attempt_at, d.last_status, d.last_error, d.delivered_at, d.reference,
                       d.escalated_at"""


def _delivery(row: asyncpg.Record) -> Delivery:
    return Delivery(**{**{k: row[k] for k in Delivery.__dataclass_fields__}, "item_kind": ItemKind(row["item_kind"])})


class PgDeliveryStore(Unit):
    async def set_endpoint(self, office_id: uuid.UUID, url: str | None, by: str) -> bool:
        """An office's endpoint (None: pushes stop); False when there is no such office."""
        if not await self.conn.fetchval("SELECT EXISTS (SELECT 1 FROM regulator_office WHERE id = $1)", office_id):
            return False
        if url is None:
            await self.conn.execute("DELETE FROM office_endpoint WHERE office_id = $1", office_id)
            return True
        await self.conn.execute(
            """INSERT INTO office_endpoint (office_id, url, set_by) VALUES ($1, $2, $3)
               ON CONFLICT (office_id) DO UPDATE SET url = EXCLUDED.url, set_by = EXCLUDED.set_by, set_at = now()""",
            office_id,
            url,
            by,
        )
        return True

    async def enqueue(self, lookback_s: float) -> int:
        """A delivery for every report version an office with an endpoint may see (its jurisdiction, MB-16.1)
        and has none for: reports filed since the endpoint was set, within the look-back (the amendments of
        those too). Derived from the reports themselves, so a crash between filing and pushing loses nothing."""
        return int(
            (
                await self.conn.execute(
                    """INSERT INTO push_delivery (id, office_id, report_id, version)
                       SELECT gen_random_uuid(), e.office_id, r.id,
                              1 + (SELECT count(*) FROM report_amendment a WHERE a.decision_id = r.decision_id)
                         FROM office_endpoint e
                         JOIN regulator_office o ON o.id = e.office_id
                         JOIN report r ON r.filed_at >= greatest(e.since, now() - make_interval(secs => $1))
                                      AND (o.jurisdiction = 'national' OR o.jurisdiction = r.province_code)
                       ON CONFLICT (office_id, report_id, version) WHERE item_kind = 'report' DO NOTHING""",
                    lookback_s,
                )
            ).split()[-1]
        ) + int(
            (
                # Every office with an endpoint is pushed the archive's anchors signed since it set it (MB-16.2).
                await self.conn.execute(
                    """INSERT INTO push_delivery (id, office_id, item_kind, anchor_day, version)
                       SELECT gen_random_uuid(), e.office_id, 'anchor', a.day, 1
                         FROM office_endpoint e JOIN user_log_anchor a ON a.signed_at >= e.since
                       ON CONFLICT (office_id, anchor_day) WHERE item_kind = 'anchor' DO NOTHING"""
                )
            ).split()[-1]
        )

    async def claim(self, limit: int, lease_s: float) -> list[tuple[Delivery, str]]:
        """Due deliveries taken for one attempt each (leased: another process skips them until the lease ends),
        with their office's endpoint."""
        rows = await self.conn.fetch(
            f"""UPDATE push_delivery d
                   SET attempts = d.attempts + 1, last_attempt_at = now(),
                       next_attempt_at = now() + make_interval(secs => $2)
                  FROM office_endpoint e
                 WHERE e.office_id = d.office_id
                   AND d.id IN (SELECT id FROM push_delivery
                                 WHERE delivered_at IS NULL AND next_attempt_at <= now()
                                 ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
             RETURNING {_DELIVERY_COLUMNS}, e.url""",  # noqa: S608 - fixed SQL
            limit,
            lease_s,
        )
        return [(_delivery(r), r["url"]) for r in rows]

    async def record(self, delivery_id: uuid.UUID, outcome: Outcome, next_attempt_at: datetime | None) -> None:
        """One attempt's outcome: delivered with the office's reference, or retried at ``next_attempt_at``."""
        if outcome.acknowledged:
            await self.conn.execute(
                """UPDATE push_delivery SET delivered_at = now(), reference = $2, last_status = $3, last_error = NULL
                    WHERE id = $1 AND delivered_at IS NULL""",
                delivery_id,
                outcome.reference,
                outcome.status,
            )
            return
        await self.conn.execute(
            """UPDATE push_delivery SET last_status = $2, last_error = $3, next_attempt_at = $4
                WHERE id = $1 AND delivered_at IS NULL""",
            delivery_id,
            outcome.status,
            (outcome.error or "")[:500],
            next_attempt_at,
        )

    async def acknowledge_report(self, report_id: uuid.UUID | None, office_id: uuid.UUID, reference: str) -> None:
        """The push's acknowledgement is the report's, unless an office acknowledged it already."""
        await self.conn.execute(
            """UPDATE report SET acknowledged_at = now(), acknowledged_by = $2, ack_reference = $3
                WHERE id = $1 AND acknowledged_at IS NULL""",
            report_id,
            office_id,
            reference,
        )

    async def escalate(self, created_before: datetime) -> list[Delivery]:
        """Unacknowledged deliveries older than the deadline, marked escalated (once)."""
        rows = await self.conn.fetch(
            f"""UPDATE push_delivery d SET escalated_at = now()
                 WHERE delivered_at IS NULL AND escalated_at IS NULL AND created_at < $1
             RETURNING {_DELIVERY_COLUMNS}""",  # noqa: S608 - fixed SQL
            created_before,
        )
        return [_delivery(r) for r in rows]

    async def deliveries(
        self,
        *,
        office_id: uuid.UUID | None,
        state: DeliveryState | None,
        after: tuple[datetime, uuid.UUID] | None,
        limit: int,
    ) -> list[Delivery]:
        conditions = {
            None: "true",
            DeliveryState.DELIVERED: "d.delivered_at IS NOT NULL",
            DeliveryState.OVERDUE: "d.delivered_at IS NULL AND d.escalated_at IS NOT NULL",
            DeliveryState.PENDING: "d.delivered_at IS NULL AND d.escalated_at IS NULL",
        }
        rows = await self.conn.fetch(
            f"""SELECT {_DELIVERY_COLUMNS} FROM push_delivery d
                 WHERE ($1::uuid IS NULL OR d.office_id = $1) AND {conditions[state]}
                   AND ($2::timestamptz IS NULL OR (d.created_at, d.id) > ($2, $3))
                 ORDER BY d.created_at, d.id LIMIT $4""",  # noqa: S608 - fixed SQL, values are parameters
            office_id,
            after[0] if after else None,
            after[1] if after else None,
            limit,
        )
        return [_delivery(r) for r in rows]


class PushUnit(Unit):
    """The stores of one connection a push needs: its deliveries, and the reports it pushes."""

    def __init__(self, conn: asyncpg.Connection | asyncpg.Pool) -> None:
        super().__init__(conn)
        self.deliveries = PgDeliveryStore(conn)
        self.reports = PgReportStore(conn)
        self.archive = PgArchiveStore(conn)
