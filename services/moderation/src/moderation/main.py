"""Moderation service: decides every post (MB-6.1) against the prohibited-content lexicon."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from kit.bus import Subscription
from kit.service import ServiceSpec, create_service_app

from moderation import events
from moderation.api import router
from moderation.handlers import on_report_filed, posts_created_handler, reannounce_unreported_stops
from moderation.lexicon import Lexicon
from moderation.settings import ModerationSettings

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def build_app(settings: ModerationSettings | None = None) -> FastAPI:
    settings = settings or ModerationSettings()
    lexicon = Lexicon.load(settings.lexicon_path)
    app = create_service_app(
        ServiceSpec(
            name="moderation",
            title="Qinglang moderation",
            description="Publication review (MB-6.1) against prohibited-content lexicons (MB-12, BJ-10).",
            settings=settings,
            migrations_dir=MIGRATIONS,
            routers=[router],
            produces=[events.DECISION_TOPIC],
            subscriptions=[
                Subscription(
                    group="moderation.posts",
                    topics=(events.POST_TOPIC,),
                    batch_handlers={events.POST_CREATED: posts_created_handler(lexicon)},
                    fetch_max_wait_ms=settings.post_fetch_max_wait_ms,
                ),
                Subscription(
                    group="moderation.reports",
                    topics=(events.REPORT_TOPIC,),
                    handlers={events.REPORT_FILED: on_report_filed},
                ),
            ],
            background=[reannounce_unreported_stops],
        )
    )
    app.state.lexicon = lexicon
    return app
