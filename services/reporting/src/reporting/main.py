"""Reporting service: the public's complaint entry (MB-14)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from kit.bus import Subscription
from kit.service import ServiceSpec, create_service_app

from reporting import events, handlers
from reporting.api import router
from reporting.settings import ReportingSettings

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def build_app(settings: ReportingSettings | None = None) -> FastAPI:
    settings = settings or ReportingSettings()
    return create_service_app(
        ServiceSpec(
            name="reporting",
            title="Qinglang reporting",
            description="Complaints from the public about posts (MB-14 / PA-15.2 / BJ-13).",
            settings=settings,
            migrations_dir=MIGRATIONS,
            routers=[router],
            produces=events.PRODUCES,
            subscriptions=[
                # MB-14: who wrote each post, so complaints name real posts and outcomes their authors.
                Subscription(
                    group="reporting.posts",
                    handlers={events.POST_CREATED: handlers.on_post_created},
                ),
            ],
        )
    )
