"""Complaint statistics' handlers: reporting's cases projected; an office reads its jurisdiction's
handling statistics (PA-15.2, MB-16.1)."""

from __future__ import annotations

from datetime import datetime

from kit.statistics import CategoryStatistics

from regulator_gateway.complaints import domain
from regulator_gateway.complaints.domain import CaseResolved, CaseSeen
from regulator_gateway.complaints.store import ComplaintStore
from regulator_gateway.database import Database
from regulator_gateway.offices.domain import Office


async def see_case(store: ComplaintStore, case: CaseSeen) -> None:
    await store.see_case(case)


async def resolve_case(store: ComplaintStore, resolved: CaseResolved) -> None:
    await store.resolve_case(resolved)


async def statistics(
    db: Database[ComplaintStore], office: Office, since: datetime, until: datetime
) -> list[CategoryStatistics]:
    async with db.transaction() as store:
        return await store.statistics(domain.province_of(office), since, until)
