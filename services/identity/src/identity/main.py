"""Identity service: accounts, mobile confirmation, real names, access tokens."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from fastapi import FastAPI
from kit.bus import Subscription
from kit.service import Runtime, ServiceSpec, create_service_app

from identity import agreement, events, grades, verified
from identity.abuse import forget_loop
from identity.api import router
from identity.cancellation import purge_loop
from identity.clients import reannounce_loop
from identity.domain import SubjectType
from identity.handlers import IdentityPorts
from identity.idcheck import IdentityCheckClient
from identity.realname import notify_expired_verifications
from identity.settings import IdentitySettings
from identity.sms import SmsSender
from identity.standing import complaint_handler, good_standing_loop, stop_handler
from identity.tokens import TokenIssuer

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
        await grades.seed_if_empty(runtime.pool)
        vault = settings.vault()
        await verified.seal_plaintext_proof_names(runtime.pool, vault)  # MB-7.3, after migration 0011
        app.state.ports = IdentityPorts(
            pool=runtime.pool,
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
        )

    app = create_service_app(
        ServiceSpec(
            name="identity",
            title="Qinglang identity",
            description="Accounts, mobile confirmation, real-name verification (MB-7.1) and access tokens.",
            settings=settings,
            migrations_dir=MIGRATIONS,
            routers=[router],
            produces=[events.ACCOUNT_TOPIC, events.REVOCATION_TOPIC],
            on_ready=on_ready,
            background=[
                notify_expired_verifications,
                good_standing_loop(settings.credit_policy, settings.good_standing_interval_s),
                purge_loop(settings.purge_interval_s),
                reannounce_loop(settings.revocation_reannounce_interval_s),
                forget_loop(limits, settings.purge_interval_s),
            ],
            subscriptions=[
                Subscription(
                    group="identity.decisions",
                    handlers={events.TRANSMISSION_STOPPED: stop_handler(settings.credit_policy, settings.token_ttl_s)},
                ),
                Subscription(
                    group="identity.complaints",
                    handlers={events.COMPLAINT_RESOLVED: complaint_handler(settings.credit_policy)},
                ),
            ],
        )
    )
    # Identity verifies its own tokens with its own key: no HTTP round trip to itself.
    app.state.token_verifier.use_keys(issuer.jwks())
    return app
