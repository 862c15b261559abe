"""Content service: posts and their visibility; applies moderation's decisions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import asyncpg
from contracts import content, identity, moderation
from fastapi import FastAPI
from kit.bus import Subscription
from kit.cloudevents import Event
from kit.service import ServiceSpec, create_service_app

from content import events, handlers
from content.api import router
from content.settings import ContentSettings
from content.store import Database, PostStore

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def _on(
    parse: Callable[[Any], Any], handle: Callable[[PostStore, Any], Awaitable[None]]
) -> Callable[[asyncpg.Connection, Event], Awaitable[None]]:
    """A kit handler: map the event's message to domain values (events.py), then handle them in the
    consumer's transaction."""

    async def handler(conn: asyncpg.Connection, event: Event) -> None:
        await handle(PostStore(conn), parse(event.message))

    handler.__name__ = handle.__name__
    return handler


async def _on_approvals(conn: asyncpg.Connection, batch: list[Event]) -> None:
    await handlers.publish_approved(PostStore(conn), [events.decision(e.message) for e in batch])


def subscriptions(settings: ContentSettings) -> list[Subscription]:
    return [
        Subscription(
            group="content.decisions",
            handlers={
                moderation.TRANSMISSION_STOPPED: _on(events.decision, handlers.stop_transmission),
                moderation.DECISION_HELD: _on(events.decision, handlers.hold),
                moderation.DECISION_LABELLED: _on(events.decision, handlers.publish_labelled),
            },
            batch_handlers={moderation.DECISION_APPROVED: _on_approvals},
            fetch_max_wait_ms=settings.decision_fetch_max_wait_ms,
        ),
        Subscription(
            group="content.accounts",
            handlers={
                identity.STANDING_CHANGED: _on(events.standing_changed, handlers.note_standing),
                identity.ACCOUNT_CANCELLED: _on(events.account_cancelled, handlers.withdraw_author),
            },
        ),
    ]


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
            produces=[content.POST_TOPIC],
            subscriptions=subscriptions(settings),
            background=[handlers.reannounce_waiting_posts, handlers.purge_withdrawn_posts],
        )
    )
    app.state.settings = settings
    return app


def database(app: FastAPI) -> Database:
    return Database(app.state.runtime.pool)
