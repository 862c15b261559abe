"""Content service: posts and their visibility; applies moderation's decisions."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from kit.bus import Subscription
from kit.service import ServiceSpec, create_service_app

from content import events
from content.api import router
from content.handlers import (
    on_account_cancelled,
    on_approvals,
    on_held,
    on_labelled,
    on_standing_changed,
    on_stop,
    purge_withdrawn_posts,
    reannounce_waiting_posts,
)
from content.settings import ContentSettings

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def build_app(settings: ContentSettings | None = None) -> FastAPI:
    settings = settings or ContentSettings()
    app = create_service_app(
        ServiceSpec(
            name="content",
            title="Qinglang content",
            description="Posts, their visibility, and stop transmission (MB-12.2).",
            settings=settings,
            migrations_dir=MIGRATIONS,
            routers=[router],
            produces=[events.POST_TOPIC],
            subscriptions=[
                Subscription(
                    group="content.decisions",
                    handlers={
                        events.TRANSMISSION_STOPPED: on_stop,
                        events.DECISION_HELD: on_held,
                        events.DECISION_LABELLED: on_labelled,
                    },
                    batch_handlers={events.DECISION_APPROVED: on_approvals},
                    fetch_max_wait_ms=settings.decision_fetch_max_wait_ms,
                ),
                Subscription(
                    group="content.accounts",
                    handlers={
                        events.STANDING_CHANGED: on_standing_changed,
                        events.ACCOUNT_CANCELLED: on_account_cancelled,
                    },
                ),
            ],
            background=[reannounce_waiting_posts, purge_withdrawn_posts],
        )
    )
    app.state.settings = settings
    return app
