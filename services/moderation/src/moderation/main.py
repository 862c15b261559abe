"""Moderation service: decides every post (MB-6.1) with the decision engine: lexicons (MB-12, BJ-10),
refuted rumours (MB-11), authors' standing (MB-9) and emergency modes; staff change policy with the
chief editor's approval and review what is held."""

from __future__ import annotations

import os
import socket
from dataclasses import asdict
from pathlib import Path

from fastapi import FastAPI
from kit.bus import Subscription
from kit.service import Runtime, ServiceSpec, create_service_app

from moderation import events, policy_store
from moderation.admin import router as admin_router
from moderation.api import router
from moderation.engine.decide import RoutingRules
from moderation.handlers import (
    on_account_registered,
    on_real_name_verified,
    on_report_filed,
    on_standing_changed,
    policy_published_handler,
    posts_created_handler,
    reannounce_unreported_stops,
    refresh_policy_loop,
    retro_scan_loop,
)
from moderation.settings import ModerationSettings
from moderation.state import PolicyHolder

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def build_app(settings: ModerationSettings | None = None) -> FastAPI:
    settings = settings or ModerationSettings()
    holder = PolicyHolder(settings)
    seed_routing = asdict(
        RoutingRules(
            review_below_credit=settings.routing_review_below_credit,
            new_account_hours=settings.routing_new_account_hours,
            high_reach_followers=settings.routing_high_reach_followers,
        )
    )

    async def on_ready(runtime: Runtime, app: FastAPI) -> None:
        await policy_store.seed_if_empty(runtime.pool, settings.lexicon_seed_path, seed_routing)
        await holder.current(runtime.pool)

    app = create_service_app(
        ServiceSpec(
            name="moderation",
            title="Qinglang moderation",
            description=__doc__ or "",
            settings=settings,
            migrations_dir=MIGRATIONS,
            routers=[router, admin_router],
            produces=[events.DECISION_TOPIC, events.POLICY_TOPIC],
            subscriptions=[
                Subscription(
                    group="moderation.posts",
                    batch_handlers={events.POST_CREATED: posts_created_handler(holder)},
                    fetch_max_wait_ms=settings.post_fetch_max_wait_ms,
                ),
                Subscription(
                    group="moderation.reports",
                    handlers={events.REPORT_FILED: on_report_filed},
                ),
                Subscription(
                    group="moderation.accounts",
                    handlers={
                        events.ACCOUNT_REGISTERED: on_account_registered,
                        events.REAL_NAME_VERIFIED: on_real_name_verified,
                        events.STANDING_CHANGED: on_standing_changed,
                    },
                ),
                # Every process reloads on a policy change: a consumer group of its own.
                Subscription(
                    group=f"moderation.policy.{socket.gethostname()}.{os.getpid()}",
                    handlers={events.POLICY_PUBLISHED: policy_published_handler(holder)},
                ),
            ],
            background=[reannounce_unreported_stops, refresh_policy_loop(holder), retro_scan_loop(holder)],
            on_ready=on_ready,
        )
    )
    app.state.policy = holder
    return app
