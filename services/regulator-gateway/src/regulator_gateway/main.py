"""Regulator gateway: one report per stop-transmission, served to regulators by jurisdiction."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from kit.bus import Subscription
from kit.service import ServiceSpec, create_service_app

from regulator_gateway import events
from regulator_gateway.api import router
from regulator_gateway.filings import (
    on_grading_rules_published,
    on_operator_declared,
    on_subject_blacklisted,
    on_verified_account_approved,
)
from regulator_gateway.filings import router as filings_router
from regulator_gateway.handlers import on_decision, on_real_name_verified
from regulator_gateway.settings import RegulatorGatewaySettings

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def build_app(settings: RegulatorGatewaySettings | None = None) -> FastAPI:
    settings = settings or RegulatorGatewaySettings()
    return create_service_app(
        ServiceSpec(
            name="regulator",
            title="Qinglang regulator gateway",
            description="The filing API for internet information offices: reports of stopped content (MB-12.2), "
            "each office seeing its own jurisdiction (MB-16.1). Authenticate with the office's API key.",
            settings=settings,
            migrations_dir=MIGRATIONS,
            routers=[router, filings_router],
            produces=[events.REPORT_TOPIC],
            subscriptions=[
                Subscription(
                    group="regulator-gateway.decisions",
                    handlers={events.TRANSMISSION_STOPPED: on_decision},
                ),
                Subscription(
                    group="regulator-gateway.accounts",
                    handlers={
                        events.REAL_NAME_VERIFIED: on_real_name_verified,
                        events.SUBJECT_BLACKLISTED: on_subject_blacklisted,
                        events.VERIFIED_ACCOUNT_APPROVED: on_verified_account_approved,
                        events.OPERATOR_DECLARED: on_operator_declared,
                        events.GRADING_RULES_PUBLISHED: on_grading_rules_published,
                    },
                ),
            ],
        )
    )
