"""Moderation's event handlers and reconciler."""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import Mapping

import asyncpg
from google.protobuf.timestamp_pb2 import Timestamp
from kit.bus import BatchHandler
from kit.cloudevents import Event
from kit.db import transaction
from kit.outbox import OutboxRow, enqueue_row, outbox_row
from kit.service import Runtime
from qinglang.content.v1 import post_pb2
from qinglang.moderation.v1 import decision_pb2
from qinglang.regulator.v1 import report_pb2

from moderation import events, store
from moderation.domain import Outcome, decide
from moderation.lexicon import Lexicon
from moderation.settings import ModerationSettings

log = logging.getLogger(__name__)

_OUTCOMES = {
    Outcome.APPROVE.value: decision_pb2.OUTCOME_APPROVE,
    Outcome.STOP_TRANSMISSION.value: decision_pb2.OUTCOME_STOP_TRANSMISSION,
}
_SUGGESTIONS = {
    Outcome.APPROVE.value: decision_pb2.SUGGESTION_PASS,
    Outcome.STOP_TRANSMISSION.value: decision_pb2.SUGGESTION_BLOCK,
}


def decision_message(row: Mapping) -> decision_pb2.DecisionIssued:
    decided = Timestamp()
    decided.FromDatetime(row["decided_at"])
    return decision_pb2.DecisionIssued(
        decision_id=str(row["id"]),
        post_id=str(row["post_id"]),
        author_id=str(row["author_id"]),
        outcome=_OUTCOMES[row["outcome"]],
        category=row["category"],
        legal_basis=list(row["legal_basis"]),
        reason=row["reason"],
        matches=[decision_pb2.Match(**m) for m in json.loads(row["matches"])],
        content_sha256=row["content_sha256"],
        decided_at=decided,
        engine_version=row["engine_version"],
        lexicon_version=row["lexicon_version"],
        suggestion=_SUGGESTIONS[row["outcome"]],
    )


def decision_announcement(row: Mapping) -> OutboxRow:
    stopped = row["outcome"] == Outcome.STOP_TRANSMISSION.value
    return outbox_row(
        topic=events.DECISION_TOPIC,
        ce_type=events.TRANSMISSION_STOPPED if stopped else events.DECISION_APPROVED,
        source=events.SOURCE,
        key=str(row["post_id"]),
        subject=str(row["post_id"]),
        message=decision_message(row),
    )


async def announce_decision(conn: asyncpg.Connection, row: Mapping) -> None:
    await enqueue_row(conn, decision_announcement(row))


def posts_created_handler(lexicon: Lexicon) -> BatchHandler:
    async def on_posts_created(conn: asyncpg.Connection, events: list[Event]) -> None:
        """MB-6.1: every post is checked; a burst of new posts is decided and stored in one round
        trip. A repeated announcement of a post decided before gets the same decision again (the
        first may have been lost with a broker's memory)."""
        decisions = []
        for event in events:
            post = event.parse(post_pb2.PostCreated)
            verdict = decide(post.text, lexicon)
            decisions.append(
                store.new_decision(
                    post_id=uuid.UUID(post.post_id), author_id=uuid.UUID(post.author_id), verdict=verdict
                )
            )
        await store.insert_decisions_announced(conn, [(d, decision_announcement(d)) for d in decisions])
        for existing in await store.decided_before(conn, decisions):
            await store.mark_announced(conn, existing["id"])
            await announce_decision(conn, existing)

    return on_posts_created


async def on_report_filed(conn: asyncpg.Connection, event: Event) -> None:
    report = event.parse(report_pb2.ReportFiled)
    await store.mark_reported(conn, uuid.UUID(report.decision_id))


async def reannounce_unreported_stops(runtime: Runtime) -> None:
    """Reconciler: a stop-transmission the regulator gateway has not confirmed is announced again;
    the gateway keeps one report per decision, so a repeat never makes a second one."""
    settings: ModerationSettings = runtime.settings  # type: ignore[assignment]
    while True:
        await asyncio.sleep(settings.reconcile_interval_s)  # a period, not synchronisation
        async with transaction(runtime.pool) as conn:
            rows = await store.claim_unreported(conn, older_than_s=settings.report_confirm_after_s, limit=500)
            for row in rows:
                await announce_decision(conn, row)
        if rows:
            log.info("re-announced unconfirmed stop-transmissions", extra={"count": len(rows)})
