"""Moderation service: decides every post (MB-6.1) with the decision engine: lexicons (MB-12, BJ-10),
refuted rumours (MB-11), authors' standing (MB-9) and emergency modes; staff change policy with the
chief editor's approval and review what is held.

Each feature (decisions, policy, reviews, authors) keeps the same plan: api.py (thin routes),
schemas.py (HTTP bodies and views), handlers.py (one function per command or event, owning its
transaction), store.py (SQL), events.py (protobuf <-> domain); engine/ is the pure decision rule."""

from __future__ import annotations

import os
import socket
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from pathlib import Path

import asyncpg
from contracts import content, identity, regulator, reporting
from contracts.moderation import DECISION_TOPIC, POLICY_PUBLISHED, POLICY_TOPIC, REVIEW_TOPIC
from contracts.userlog import USER_LOG_TOPICS
from fastapi import FastAPI
from kit.bus import BatchHandler, Subscription
from kit.cloudevents import Event
from kit.service import Runtime, ServiceSpec, create_service_app
from kit.unit import on_event

from moderation.authors import events as author_events
from moderation.authors import handlers as authors
from moderation.database import Database, Stores
from moderation.decisions import events as decision_events
from moderation.decisions import handlers as decisions
from moderation.decisions.api import router as decisions_router
from moderation.engine.decide import RoutingRules
from moderation.jobs.api import router as jobs_router
from moderation.policy import evaluation_jobs, rumour_jobs
from moderation.policy import handlers as policy
from moderation.policy.api import router as policy_router
from moderation.policy.holder import PolicyHolder
from moderation.reviews import events as review_events
from moderation.reviews import handlers as reviews
from moderation.reviews.api import router as reviews_router
from moderation.settings import ModerationSettings

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def _posts_created(holder: PolicyHolder) -> BatchHandler:
    async def on_posts_created(conn: asyncpg.Connection, batch: list[Event]) -> None:
        policy_now = await holder.latest(conn)  # no post decided on a policy older than the last change
        posts = [decision_events.new_post(e.message) for e in batch]
        await decisions.decide_posts(Stores(conn), policy_now, holder.folder, posts)

    return on_posts_created


def _policy_published(holder: PolicyHolder) -> Callable[[asyncpg.Connection, Event], Awaitable[None]]:
    reload_policy = policy.policy_published(holder)

    async def on_policy_published(conn: asyncpg.Connection, event: Event) -> None:
        await reload_policy(Stores(conn))

    return on_policy_published


def subscriptions(settings: ModerationSettings, holder: PolicyHolder) -> list[Subscription]:
    return [
        Subscription(
            group="moderation.posts",
            batch_handlers={content.POST_CREATED: _posts_created(holder)},
            fetch_max_wait_ms=settings.post_fetch_max_wait_ms,
        ),
        Subscription(
            group="moderation.reports",
            handlers={
                regulator.REPORT_FILED: on_event(Stores, decision_events.reported_decision, decisions.confirm_reported)
            },
        ),
        Subscription(
            group="moderation.accounts",
            handlers={
                identity.ACCOUNT_REGISTERED: on_event(Stores, author_events.registered, authors.note_author),
                identity.REAL_NAME_VERIFIED: on_event(Stores, author_events.real_name_verified, authors.note_author),
                identity.STANDING_CHANGED: on_event(Stores, author_events.standing_changed, authors.note_author),
            },
        ),
        Subscription(
            group="moderation.follows",
            handlers={
                content.FOLLOWER_COUNT_CHANGED: on_event(
                    Stores, author_events.follower_count_changed, authors.note_followers
                )
            },
        ),
        # MB-14 (issue 14): reporting's complaint cases become review items (newest version kept).
        Subscription(
            group="moderation.complaints",
            handlers={
                reporting.CASE_OPENED: on_event(Stores, review_events.complaint_case, reviews.note_case),
                reporting.CASE_CHANGED: on_event(Stores, review_events.complaint_case, reviews.note_case),
            },
        ),
        # Every process reloads on a policy change: a consumer group of its own (api processes too: the
        # policy API and the decisions read the holder).
        Subscription(
            group=f"moderation.policy.{socket.gethostname()}.{os.getpid()}",
            handlers={POLICY_PUBLISHED: _policy_published(holder)},
            per_process=True,
        ),
    ]


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
        async with Database(runtime.pool).transaction() as stores:
            await stores.policy.seed_if_empty(settings.lexicon_seed_path, seed_routing)
        await holder.current(runtime.pool)

    app = create_service_app(
        ServiceSpec(
            name="moderation",
            title="Qinglang moderation",
            description=(__doc__ or "").split("\n\n")[0],
            settings=settings,
            migrations_dir=MIGRATIONS,
            routers=[decisions_router, policy_router, reviews_router, jobs_router],
            produces=[DECISION_TOPIC, POLICY_TOPIC, REVIEW_TOPIC, USER_LOG_TOPICS["moderation"]],
            subscriptions=subscriptions(settings, holder),
            background=[
                decisions.reannounce_unreported_stops,
                rumour_jobs.rumour_job_loop(holder),
                evaluation_jobs.evaluation_job_loop(holder),
            ],
            # The holder is this process's own cache of the policy: refreshed in every process.
            process_loops=[policy.refresh_policy_loop(holder)],
            on_ready=on_ready,
        )
    )
    app.state.policy = holder
    return app
