"""SQL of the complaint-case projection and its statistics (PA-15.2)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from kit.statistics import CategoryStatistics
from kit.unit import Unit

from regulator_gateway.complaints.domain import CaseResolved, CaseSeen


class ComplaintStore(Protocol):
    async def see_case(self, case: CaseSeen) -> None: ...
    async def resolve_case(self, resolved: CaseResolved) -> None: ...
    async def statistics(self, province: str | None, since: datetime, until: datetime) -> list[CategoryStatistics]: ...


class PgComplaintStore(Unit):
    async def see_case(self, case: CaseSeen) -> None:
        """A newer version of the case replaces what is known (a resolution is kept)."""
        await self.conn.execute(
            """INSERT INTO complaint_case_record (case_id, target_type, author_id, category, opened_at, deadline,
                                                  version, complaints)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
               ON CONFLICT (case_id) DO UPDATE SET
                   target_type = excluded.target_type, author_id = coalesce(excluded.author_id,
                   complaint_case_record.author_id), category = excluded.category, opened_at = excluded.opened_at,
                   deadline = excluded.deadline, version = excluded.version, complaints = excluded.complaints
               WHERE complaint_case_record.version < excluded.version""",
            case.case_id,
            case.target_type,
            case.author_id,
            case.category,
            case.opened_at,
            case.deadline,
            case.version,
            case.complaints,
        )

    async def resolve_case(self, resolved: CaseResolved) -> None:
        """The case's outcome, once (a redelivery changes nothing); a case not seen opened is kept too."""
        await self.conn.execute(
            """INSERT INTO complaint_case_record (case_id, target_type, author_id, category, upheld, action,
                                                  decided_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7)
               ON CONFLICT (case_id) DO UPDATE SET upheld = excluded.upheld, action = excluded.action,
                   decided_at = excluded.decided_at,
                   author_id = coalesce(complaint_case_record.author_id, excluded.author_id)
               WHERE complaint_case_record.decided_at IS NULL""",
            resolved.case_id,
            resolved.target_type,
            resolved.author_id,
            resolved.category,
            resolved.upheld,
            resolved.action,
            resolved.decided_at,
        )

    async def statistics(self, province: str | None, since: datetime, until: datetime) -> list[CategoryStatistics]:
        """PA-15.2: per category, the cases opened in [since, until) about accounts of the province (every
        province: None): complaints, handled, handling time (median, p90, s), breaches, upheld, dismissed."""
        rows = await self.conn.fetch(
            """SELECT k.category,
                      count(*) AS cases,
                      coalesce(sum(k.complaints), 0) AS complaints,
                      count(*) FILTER (WHERE k.decided_at IS NOT NULL) AS handled,
                      percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM k.decided_at - k.opened_at))
                          FILTER (WHERE k.decided_at IS NOT NULL) AS median_handling_s,
                      percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM k.decided_at - k.opened_at))
                          FILTER (WHERE k.decided_at IS NOT NULL) AS p90_handling_s,
                      count(*) FILTER (WHERE k.decided_at > k.deadline
                                       OR (k.decided_at IS NULL AND k.deadline <= now())) AS breaches,
                      count(*) FILTER (WHERE k.upheld) AS upheld,
                      count(*) FILTER (WHERE k.upheld = false) AS dismissed
                 FROM complaint_case_record k
                 LEFT JOIN account_jurisdiction j ON j.account_id = k.author_id
                WHERE k.opened_at >= $2 AND k.opened_at < $3
                  AND ($1::text IS NULL OR j.province_code = $1)
                GROUP BY k.category ORDER BY k.category""",
            province,
            since,
            until,
        )
        return [CategoryStatistics.of_row(r) for r in rows]
