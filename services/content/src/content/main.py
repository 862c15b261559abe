"""Content service: the microblog (MB-2): posts, reposts, comments, media, follows and blocks, and their
visibility; applies moderation's decisions on every read path (MB-12.2).

Each feature keeps the same plan: api.py (thin routes), schemas.py (HTTP bodies and views), handlers.py
(one function per command or event, owning its transaction), domain.py (pure rules), store.py (SQL),
events.py (protobuf <-> domain). `database.py` puts every feature's store on one connection."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path

import asyncpg
from contracts import content, identity, moderation, regulator, reporting
from contracts.userlog import USER_LOG_TOPICS
from fastapi import FastAPI
from kit.bus import BatchHandler, Subscription
from kit.cloudevents import Event
from kit.service import ServiceSpec, create_service_app
from kit.unit import on_event

from content.articles import events as article_events
from content.articles import handlers as articles
from content.articles.api import router as articles_router
from content.database import Database, Stores
from content.gates import events as gate_events
from content.gates import handlers as gates
from content.interactions import events as interaction_events
from content.interactions import handlers as interactions
from content.interactions.api import router as interactions_router
from content.interactions.api import staff_router as interactions_staff_router
from content.media.api import router as media_router
from content.media.storage import storage_from_settings
from content.notifications import events as notification_events
from content.notifications import handlers as notify
from content.notifications.api import router as notifications_router
from content.notifications.domain import Followed
from content.posts import events, handlers
from content.posts.api import router
from content.posts.domain import Decision, Published, Restoration, StandingChanged
from content.posts.store import PostStore
from content.reads import events as read_events
from content.reads import handlers as reads
from content.reads.api import router as reads_router
from content.reads.api import staff_router as reads_staff_router
from content.search.api import router as search_router
from content.settings import ContentSettings
from content.social import handlers as social
from content.social.api import router as social_router
from content.social.api import subscriptions_router
from content.timelines import handlers as timelines
from content.timelines.api import router as timelines_router
from content.trending import handlers as trending
from content.trending.api import router as trending_router
from content.trending.api import staff_router as trending_staff_router

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


async def _on_approvals(conn: asyncpg.Connection, batch: list[Event]) -> None:
    await handlers.publish_approved(PostStore(conn), [events.decision(e.message) for e in batch])


async def deliver_published(stores: Stores, published: list[Published], settings: ContentSettings) -> None:
    """MB-2: what moderation published goes into home timelines (fan-out on write) and tells the parent's
    author, a batch in one transaction; then the reconciler announces it no more."""
    await timelines.fan_out(stores, published, settings=settings)
    await notify.on_published(stores, published)
    await trending.note_published(stores, published)  # S4 (issue 13): #话题# terms become trending signals
    await stores.posts.note_delivered([p.post_id for p in published])


async def deliver_follow(stores: Stores, followed: Followed, *, settings: ContentSettings) -> None:
    """MB-2: a new follow brings the followee's recent posts into the follower's home timeline and tells
    the followee; each notes it did, or the reconciler announces the follow again."""
    await timelines.backfill(stores, followed, settings=settings)
    await notify.on_followed(stores, followed)


def _on_published(settings: ContentSettings) -> BatchHandler:
    async def on_published(conn: asyncpg.Connection, batch: list[Event]) -> None:
        await deliver_published(Stores(conn), [events.published(e.message) for e in batch], settings)

    return on_published


def _and_tell(
    apply: Callable[[PostStore, Decision], Awaitable[None]], tell: Callable[[Stores, Decision], Awaitable[None]]
):
    """A decision applied to its post and told to its author in one transaction (one fetch of the topic)."""

    async def handler(stores: Stores, decision: Decision) -> None:
        await apply(stores.posts, decision)
        await tell(stores, decision)

    return handler


async def _restore(stores: Stores, restoration: Restoration) -> None:
    """A restore applied to its post and told to its author in one transaction."""
    await handlers.restore(stores.posts, restoration)
    await notify.on_restored(stores, restoration)


async def _standing_changed(stores: Stores, standing: StandingChanged) -> None:
    """The author's standing held (the bar, PA-13.1) and, when it matters to them, told (PA-13, PA-6.2)."""
    await handlers.note_standing(stores.posts, standing)
    await notify.on_standing(stores, standing)


def subscriptions(settings: ContentSettings) -> list[Subscription]:
    """One consumer group per topic content reads, so each event is fetched once: a decision is applied
    and its author told in one transaction, and so on."""
    return [
        Subscription(
            group="content.decisions",
            handlers={
                moderation.TRANSMISSION_STOPPED: on_event(
                    Stores, events.decision, _and_tell(handlers.stop_transmission, notify.on_stopped)
                ),
                moderation.DECISION_HELD: on_event(Stores, events.decision, _and_tell(handlers.hold, notify.on_held)),
                moderation.DECISION_LABELLED: on_event(
                    Stores, events.decision, _and_tell(handlers.publish_labelled, notify.on_labelled)
                ),
                # Issue 14 (MB-12.2, MB-6.1): a wrongly stopped post restored by staff is served again.
                moderation.DECISION_RESTORED: on_event(Stores, events.restoration, _restore),
            },
            batch_handlers={moderation.DECISION_APPROVED: _on_approvals},
            fetch_max_wait_ms=settings.decision_fetch_max_wait_ms,
        ),
        Subscription(
            group="content.accounts",
            handlers={
                identity.STANDING_CHANGED: on_event(Stores, events.standing_changed, _standing_changed),
                identity.ACCOUNT_CANCELLED: on_event(Stores, events.account_cancelled, social.account_cancelled),
                identity.VERIFIED_ACCOUNT_APPROVED: on_event(
                    Stores, interaction_events.verified_account, interactions.note_verified_account
                ),
                identity.REAL_NAME_EXPIRED: on_event(
                    Stores, notification_events.real_name_expired, notify.on_real_name_expired
                ),
                # CM, BJ-9.2 (S4, issue 13): reads by accounts registered in bulk are discounted.
                identity.REGISTRATION_COHORT_FLAGGED: on_event(Stores, read_events.cohort_flagged, reads.note_cohort),
                identity.REGISTRATION_COHORT_CLEARED: on_event(Stores, read_events.cohort_cleared, reads.clear_cohort),
                # Issue 13 (S3): public accounts may write articles (PA-7.1); news needs a licence (MB-4, PA-8).
                identity.PUBLIC_ACCOUNT_APPROVED: on_event(
                    Stores, article_events.public_account_approved, articles.note_public_account
                ),
                identity.NEWS_LICENCE_CHANGED: on_event(
                    Stores, article_events.news_licence_changed, articles.note_licence
                ),
            },
        ),
        # MB-2: content's own news (content.social.v1): what was published, fanned out and told in
        # batches; a new follow backfilled and told.
        Subscription(
            group="content.published",
            handlers={
                content.FOLLOW_STARTED: on_event(
                    Stores, notification_events.followed, partial(deliver_follow, settings=settings)
                ),
            },
            batch_handlers={content.POST_PUBLISHED: _on_published(settings)},
        ),
        # MB-14 (issue 14): a complaint's outcome is told to its complainant.
        # MB-12.2: the regulator gateway holds a stop's evidence (its ReportFiled carries the evidence hash).
        Subscription(
            group="content.reports",
            handlers={regulator.REPORT_FILED: on_event(Stores, events.evidence_held, handlers.note_evidence_held)},
        ),
        Subscription(
            group="content.complaints",
            handlers={
                reporting.COMPLAINT_RESOLVED: on_event(
                    Stores, notification_events.complaint_resolved, notify.on_complaint_outcome
                ),
            },
        ),
        # MB-13, PA-12.1 (S4, issue 13): the regulator's acknowledgements and withdrawals of features'
        # security assessments open and close content's feature gates (newer state only).
        Subscription(
            group="content.assessments",
            handlers={
                regulator.ASSESSMENT_ACKNOWLEDGED: on_event(
                    Stores, gate_events.assessment_acknowledged, gates.note_assessment
                ),
                regulator.ASSESSMENT_WITHDRAWN: on_event(
                    Stores, gate_events.assessment_withdrawn, gates.note_assessment
                ),
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
            routers=[
                router,
                social_router,
                timelines_router,
                notifications_router,
                interactions_router,
                interactions_staff_router,
                search_router,
                media_router,
                # S4 (issue 13): subscriptions, read beacons, trending.
                subscriptions_router,
                reads_router,
                reads_staff_router,
                trending_router,
                trending_staff_router,
                articles_router,  # issue 13 (S3)
            ],
            produces=[content.POST_TOPIC, content.SOCIAL_TOPIC, USER_LOG_TOPICS["content"]],
            subscriptions=subscriptions(settings),
            background=[
                handlers.reannounce_waiting_posts,
                handlers.reannounce_unheld_evidence,
                handlers.reannounce_undelivered,
                social.reannounce_undelivered_follows,
                handlers.purge_withdrawn_posts,
                timelines.trim_timelines,
                # S4 (issue 13): article reads counted and announced (MB-9), reader ids purged (MB-16.2).
                reads.aggregate_reads,
                reads.purge_reads,
                trending.compute_trending,
            ],
        )
    )
    app.state.settings = settings
    app.state.media_storage = storage_from_settings(settings)
    return app


def database(app: FastAPI) -> Database:
    return Database(app.state.runtime.pool)
