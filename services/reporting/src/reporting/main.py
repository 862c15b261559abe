"""Reporting service: the public's complaint entry (MB-14), complaint cases with deadlines, screening and
feedback (PA-15.2, BJ-13)."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from contracts.userlog import USER_LOG_TOPICS
from fastapi import FastAPI
from kit.bus import Subscription
from kit.service import Runtime, ServiceSpec, create_service_app
from kit.unit import on_event

from reporting import events, handlers
from reporting.api import router
from reporting.settings import ReportingSettings
from reporting.store import PgDatabase, PgStore

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
log = logging.getLogger(__name__)
_BATCH = 200


async def watch_deadlines(runtime: Runtime) -> None:
    """MB-14 / PA-15.2: every ``COMPLAINT_DEADLINE_SCAN_S``, cases unhandled at their escalation point are
    escalated (announced again), and deadlines passed unhandled recorded as breaches. Claims are taken
    with FOR UPDATE SKIP LOCKED, so any number of workers share the work."""
    settings: ReportingSettings = runtime.settings  # type: ignore[assignment]
    db = PgDatabase(runtime.pool)
    while True:
        while (escalated := await handlers.escalate_due(db, _BATCH)) == _BATCH:
            pass
        while (breached := await handlers.record_breaches(db, _BATCH)) == _BATCH:
            pass
        if escalated or breached:
            log.info("complaint deadlines", extra={"escalated": escalated, "breached": breached})
        await asyncio.sleep(settings.complaint_deadline_scan_s)


def build_app(settings: ReportingSettings | None = None) -> FastAPI:
    settings = settings or ReportingSettings()
    return create_service_app(
        ServiceSpec(
            name="reporting",
            title="Qinglang reporting",
            description="Complaints from the public about posts, comments, articles and accounts, grouped into "
            "cases with deadlines (MB-14 / PA-15.2 / BJ-13).",
            settings=settings,
            migrations_dir=MIGRATIONS,
            routers=[router],
            produces=[*events.PRODUCES, USER_LOG_TOPICS["reporting"]],
            subscriptions=[
                # MB-14: who wrote each post and what it is, so complaints name real targets and outcomes
                # their authors.
                Subscription(
                    group="reporting.posts",
                    handlers={events.POST_CREATED: handlers.on_post_created},
                ),
                # MB-14: accounts (targets), their registration and credit (恶意举报甄别 reads them).
                Subscription(
                    group="reporting.accounts",
                    handlers={
                        events.ACCOUNT_REGISTERED: on_event(PgStore, events.account_registered, handlers.note_account),
                        events.PUBLIC_ACCOUNT_APPROVED: on_event(
                            PgStore, events.public_account_approved, handlers.note_account
                        ),
                        events.STANDING_CHANGED: on_event(PgStore, events.standing_changed, handlers.note_account),
                    },
                ),
                # MB-14 / PA-6.2: moderation's reviewer decided a case: its outcome on every complaint of it.
                Subscription(
                    group="reporting.reviews",
                    handlers={events.CASE_DECIDED: handlers.on_case_decided},
                ),
            ],
            background=[watch_deadlines],
        )
    )
