"""Identity service: accounts, mobile confirmation, real names, verified accounts, standing, API clients
and access tokens. The app factory: wires the ports, the feature routers, the consumers and the loops.

Every feature (accounts, agreement, realname, verified, standing, clients, staff, personal_data,
abuse) keeps one
plan: api.py (thin routes), schemas.py (HTTP models and row -> response views), handlers.py (one
function per command or event; owns the transaction), domain.py (pure rules), store.py (all its SQL).
identity/events.py maps every event identity announces or consumes to and from protobuf."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from contracts.userlog import USER_LOG_TOPICS
from fastapi import FastAPI
from kit.bus import Subscription
from kit.service import Runtime, ServiceSpec, create_service_app

from identity import events
from identity.abuse.api import router as abuse_router
from identity.abuse.handlers import forget_loop
from identity.accounts.api import router as accounts_router
from identity.accounts.handlers import purge_loop
from identity.agreement import handlers as agreement
from identity.agreement.api import router as agreement_router
from identity.clients.api import router as clients_router
from identity.clients.handlers import reannounce_loop
from identity.idcheck import IdentityCheckClient
from identity.jobs.api import router as jobs_router
from identity.licences.api import router as licences_router
from identity.personal_data.api import router as personal_data_router
from identity.ports import IdentityPorts, PgDatabase
from identity.public_accounts.api import router as public_accounts_router
from identity.realname.api import router as realname_router
from identity.realname.domain import SubjectType
from identity.realname.handlers import notify_expired_verifications
from identity.sanctions.api import router as sanctions_router
from identity.settings import IdentitySettings
from identity.sms import SmsSender
from identity.staff.api import router as staff_router
from identity.standing import handlers as standing
from identity.standing.api import router as standing_router
from identity.tokens import TokenIssuer
from identity.verified.api import router as verified_router
from identity.verified.handlers import seal_plaintext_proof_names

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def build_app(settings: IdentitySettings | None = None) -> FastAPI:
    settings = settings or IdentitySettings()
    issuer = TokenIssuer(
        settings.token_signing_key.get_secret_value(),
        issuer=settings.token_issuer,
        audience=settings.token_audience,
        ttl_s=settings.token_ttl_s,
    )

    limits = settings.abuse_limits()

    async def on_ready(runtime: Runtime, app: FastAPI) -> None:
        await agreement.seed_if_empty(runtime.pool)
        await standing.seed_if_empty(runtime.pool)
        vault = settings.vault()
        await seal_plaintext_proof_names(runtime.pool, vault)  # MB-7.3, after migration 0011
        app.state.ports = IdentityPorts(
            db=PgDatabase(runtime.pool),
            user_log=runtime.user_log,
            vault=vault,
            hasher=settings.password_hasher(),
            issuer=issuer,
            sms=SmsSender(settings.sms_gateway_url),
            otp_ttl_s=settings.otp_ttl_s,
            otp_max_attempts=settings.otp_max_attempts,
            cancelled_retention=timedelta(days=settings.cancelled_retention_days),
            idcheck=IdentityCheckClient(
                settings.identity_check_url,
                timeout_s=settings.identity_check_timeout_s,
                attempts=settings.identity_check_attempts,
                backoff_s=settings.identity_check_backoff_s,
            ),
            real_name_valid=timedelta(days=settings.real_name_valid_days),
            account_caps={
                SubjectType.INDIVIDUAL: settings.accounts_per_individual,
                SubjectType.ORGANIZATION: settings.accounts_per_organization,
                SubjectType.FOREIGN_ORGANIZATION: settings.accounts_per_foreign_organization,
            },
            credit=settings.credit_policy,
            limits=limits,
            public_account_caps={
                SubjectType.INDIVIDUAL.value: settings.public_accounts_per_individual,
                SubjectType.ORGANIZATION.value: settings.public_accounts_per_organization,
                SubjectType.FOREIGN_ORGANIZATION.value: settings.public_accounts_per_foreign_organization,
            },
            acting_token_ttl_s=settings.public_account_token_ttl_s,
            licence_evidence_max_bytes=settings.news_licence_evidence_max_bytes,
            appeal_window=timedelta(days=settings.appeal_window_days),
        )

    app = create_service_app(
        ServiceSpec(
            name="identity",
            title="Qinglang identity",
            description="Accounts, mobile confirmation, real-name verification (MB-7.1) and access tokens.",
            settings=settings,
            migrations_dir=MIGRATIONS,
            routers=[
                accounts_router,
                agreement_router,
                realname_router,
                verified_router,
                standing_router,
                sanctions_router,
                staff_router,
                clients_router,
                personal_data_router,
                public_accounts_router,
                licences_router,
                abuse_router,
                jobs_router,
            ],
            produces=[*events.PRODUCES, USER_LOG_TOPICS["identity"]],
            on_ready=on_ready,
            # All shared work (SERVICE_ROLE all/worker): each loop works on the database, the abuse limits'
            # counted events included (forget_loop deletes rows, it holds nothing in memory).
            background=[
                notify_expired_verifications,
                standing.good_standing_loop(settings.credit_policy, settings.good_standing_interval_s),
                purge_loop(settings.purge_interval_s),
                reannounce_loop(
                    settings.revocation_reannounce_interval_s,
                    settings.token_ttl_s,
                    acting_token_ttl_s=settings.public_account_token_ttl_s,
                ),
                forget_loop(limits, settings.purge_interval_s),
                standing.sanction_reports_loop(settings.reconcile_interval_s, settings.sanction_reannounce_after_s),
                standing.regrading_loop(
                    settings.regrading_poll_s, settings.regrading_stale_after_s, settings.credit_policy
                ),
            ],
            subscriptions=[
                Subscription(
                    group="identity.decisions",
                    handlers={
                        events.TRANSMISSION_STOPPED: standing.stop_handler(settings.credit_policy, settings.token_ttl_s)
                    },
                ),
                # PA-13 (issue 15): the regulator gateway holds a sanction's report (its ReportFiled).
                Subscription(group="identity.reports", handlers={events.REPORT_FILED: standing.on_report_filed}),
                Subscription(
                    group="identity.complaints",
                    # PA-6.2: one penalty per upheld complaint case (issue 14), not per complaint.
                    handlers={events.CASE_RESOLVED: standing.complaint_handler(settings.credit_policy)},
                ),
                Subscription(
                    group="identity.follows",
                    handlers={
                        events.FOLLOWER_COUNT_CHANGED: standing.follower_count_handler(settings.credit_policy),
                        # MB-9, PA-7.2: reads of public accounts' articles regrade them (issue 13).
                        events.READ_COUNT_CHANGED: standing.read_count_handler(settings.credit_policy),
                    },
                ),
            ],
        )
    )
    # Identity verifies its own tokens with its own key: no HTTP round trip to itself.
    app.state.token_verifier.use_keys(issuer.jwks())
    return app
