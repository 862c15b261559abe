"""Reporting service: the public's complaint entry (MB-14)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from kit.service import ServiceSpec, create_service_app

from reporting import events
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
            staff_auditors=("auditor", "chief_editor"),
            migrations_dir=MIGRATIONS,
            routers=[router],
            produces=[events.COMPLAINT_TOPIC],
        )
    )
