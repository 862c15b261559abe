"""Regulator gateway: one report per stop-transmission, the filings identity announces, the security
assessments of gated features (MB-13) and the tamper-evident user-log archive (MB-16.2), served to regulator
offices by jurisdiction. One subpackage per feature (offices, reports, filings, assessments, complaints,
archive), each with
the house plan: api → handlers → domain, store, events."""

from __future__ import annotations

from pathlib import Path

from contracts import regulator
from contracts.userlog import USER_LOG_TOPICS
from fastapi import FastAPI
from kit.bus import Subscription
from kit.service import ServiceSpec, create_service_app
from kit.unit import on_event

from regulator_gateway.archive import events as archive_events
from regulator_gateway.archive import handlers as archive
from regulator_gateway.archive.api import router as archive_router
from regulator_gateway.archive.api import staff_router as archive_staff_router
from regulator_gateway.archive.domain import key_id
from regulator_gateway.assessments import handlers as assessments
from regulator_gateway.assessments.api import router as assessments_router
from regulator_gateway.complaints import events as complaint_events
from regulator_gateway.complaints import handlers as complaints
from regulator_gateway.complaints.api import router as complaints_router
from regulator_gateway.complaints.store import PgComplaintStore
from regulator_gateway.deliveries import handlers as deliveries
from regulator_gateway.deliveries.api import router as deliveries_router
from regulator_gateway.evidence import events as evidence_events
from regulator_gateway.evidence import handlers as evidence
from regulator_gateway.evidence.api import router as evidence_router
from regulator_gateway.evidence.store import PgEvidenceStore
from regulator_gateway.filings import events as filing_events
from regulator_gateway.filings import handlers as filings
from regulator_gateway.filings.api import router as filings_router
from regulator_gateway.offices import handlers as offices
from regulator_gateway.offices.api import OfficeAccessRecord
from regulator_gateway.offices.api import router as offices_router
from regulator_gateway.reports import events as report_events
from regulator_gateway.reports import handlers as reports
from regulator_gateway.reports.api import router as reports_router
from regulator_gateway.settings import RegulatorGatewaySettings

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def build_app(settings: RegulatorGatewaySettings | None = None) -> FastAPI:
    settings = settings or RegulatorGatewaySettings()
    app = create_service_app(
        ServiceSpec(
            name="regulator",
            title="Qinglang regulator gateway",
            description="The filing API for internet information offices: reports of stopped content (MB-12.2), "
            "each office seeing its own jurisdiction (MB-16.1). Authenticate with the office's API key.",
            settings=settings,
            migrations_dir=MIGRATIONS,
            routers=[
                reports_router,
                evidence_router,
                filings_router,
                assessments_router,
                complaints_router,
                offices_router,
                archive_router,
                archive_staff_router,
                deliveries_router,
            ],
            # regulator.assessment.v1: the acknowledgements of features' security assessments (MB-13).
            produces=[report_events.REPORT_TOPIC, regulator.ASSESSMENT_TOPIC, USER_LOG_TOPICS["regulator-gateway"]],
            subscriptions=[
                Subscription(
                    group="regulator-gateway.decisions",
                    handlers={
                        report_events.TRANSMISSION_STOPPED: reports.on_transmission_stopped,
                        # issue 14: restored content amends its stop's report (same key, after the stop)
                        report_events.DECISION_RESTORED: reports.on_decision_restored,
                    },
                ),
                Subscription(
                    group="regulator-gateway.accounts",
                    handlers={
                        report_events.REAL_NAME_VERIFIED: reports.on_real_name_verified,
                        # PA-13 (issue 15): sanctions reported, and amended when lifted (same key, after the imposing)
                        report_events.SANCTION_IMPOSED: reports.on_sanction_imposed,
                        report_events.SANCTION_LIFTED: reports.on_sanction_lifted,
                        filing_events.SUBJECT_BLACKLISTED: filings.on_subject_blacklisted,
                        filing_events.VERIFIED_ACCOUNT_APPROVED: filings.on_verified_account_approved,
                        filing_events.OPERATOR_DECLARED: filings.on_operator_declared,
                        filing_events.GRADING_RULES_PUBLISHED: filings.on_grading_rules_published,
                        filing_events.PUBLIC_ACCOUNT_APPROVED: filings.on_public_account_approved,  # PA-7.1
                    },
                ),
                # MB-12.2, PA-11.2 (issue 15): content's sealed snapshots of stopped posts, the reports' evidence.
                Subscription(
                    group="regulator-gateway.evidence",
                    handlers={
                        evidence_events.STOP_SNAPSHOT_SEALED: on_event(
                            PgEvidenceStore, evidence_events.snapshot, evidence.record_snapshot
                        ),
                    },
                ),
                # PA-15.2 (issue 14): complaint cases, for each office's handling statistics.
                Subscription(
                    group="regulator-gateway.complaints",
                    handlers={
                        complaint_events.CASE_OPENED: on_event(
                            PgComplaintStore, complaint_events.case_seen, complaints.see_case
                        ),
                        complaint_events.CASE_CHANGED: on_event(
                            PgComplaintStore, complaint_events.case_seen, complaints.see_case
                        ),
                        complaint_events.CASE_RESOLVED: on_event(
                            PgComplaintStore, complaint_events.case_resolved, complaints.resolve_case
                        ),
                    },
                ),
                # MB-16.2, PA-16.2 (issue 15): every service's user log, appended to the hash-chained archive
                # (a batch per transaction: one lock of the chain, one COPY).
                Subscription(
                    group="regulator-gateway.userlog",
                    batch_handlers={
                        t: archive.on_entries(settings.address_keys()) for t in archive_events.USER_LOG_TYPES
                    },
                ),
            ],
            background=[
                # MB-13: every assessment in force announced again now and then, and at once after a broker loss.
                assessments.reannounce_assessments,
                offices.prune_rate_windows,  # issue 15: offices' rate windows of past minutes dropped
                # MB-16.2: each UTC day closed by its signed anchor; whole days purged past retention.
                archive.anchor_days,
                archive.purge_past_retention,
                # MB-12.2, MB-16.1: reports pushed to offices' own endpoints, signed with the same key as the anchors.
                deliveries.push_loop(
                    lambda: (settings.archive_signer(), key_id(settings.archive_signer().public_key()))
                ),
            ],
        )
    )
    app.add_middleware(OfficeAccessRecord)  # MB-16.1: every office's request recorded with its answer
    return app
