"""An in-memory fake of content's store port, for fast handler tests (no database, no broker)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import pytest
from content.posts.domain import (
    Cancellation,
    Decision,
    NewPost,
    PostKind,
    PostStatus,
    Privileges,
    Published,
    Standing,
    StandingChanged,
    StopSnapshot,
    visible_to,
)
from kit.outbox import OutboxRow


class FakeStore:
    def __init__(self) -> None:
        self.posts: dict[uuid.UUID, dict] = {}
        self.outbox: list[OutboxRow] = []
        self.logged: list[OutboxRow] = []  # user log entries (MB-16.2)
        self.labels: dict[uuid.UUID, dict] = {}
        self.stops: dict[uuid.UUID, dict] = {}
        self.standings: dict[uuid.UUID, Standing] = {}
        self.key_lookups: list[str] = []
        self.bars: dict[uuid.UUID, datetime] = {}
        self.hidden: dict[uuid.UUID, datetime | None] = {}

    async def media_of(self, owner_id, media_ids):
        return ()

    async def insert_post_announced(
        self,
        post: NewPost,
        *,
        idempotency_key,
        request_sha256,
        announcement,
        logged,
        owner_state="shown",
        quota_day=None,
        default_post_quota=0,
    ):
        barred = self.bars.get(post.author_id)
        if barred is not None and barred > post.created_at:
            return None
        if idempotency_key is not None and any(
            p["author_id"] == post.author_id and p["idempotency_key"] == idempotency_key for p in self.posts.values()
        ):
            return None
        row = {
            "id": post.id,
            "author_id": post.author_id,
            "text": post.text,
            "status": "pending",
            "idempotency_key": idempotency_key,
            "request_sha256": request_sha256,
            "created_at": post.created_at,
            "decided_at": None,
            "decision_id": None,
            "kind": str(post.kind),
            "parent_id": post.parent_id,
            "root_id": post.root_id,
            "owner_state": owner_state,
        }
        self.posts[post.id] = row
        self.outbox.append(announcement)
        self.logged.append(logged)  # the publication's user log entry (MB-16.2), with the post or not at all
        return row

    async def post_by_idempotency_key(self, author_id: uuid.UUID, key: str):
        self.key_lookups.append(key)
        return next(
            (p for p in self.posts.values() if p["author_id"] == author_id and p["idempotency_key"] == key), None
        )

    async def post_by_id(self, post_id: uuid.UUID, *, for_update: bool = False):
        return self.posts.get(post_id)

    async def publish_if_pending(self, decisions: list[Decision]) -> list[Published]:
        published = []
        for d in decisions:
            post = self.posts.get(d.post_id)
            if post and post["status"] in ("pending", "held"):
                post.update(status="published", decided_at=datetime.now(UTC), decision_id=d.decision_id)
                published.append(
                    Published(
                        post["id"],
                        post["author_id"],
                        PostKind(post["kind"]),
                        None,
                        None,
                        None,
                        post["created_at"],
                        post["decided_at"],
                    )
                )
        return published

    async def announce(self, row: OutboxRow) -> None:
        self.outbox.append(row)

    async def announce_all(self, rows: list[OutboxRow]) -> None:
        self.outbox.extend(rows)

    async def views(self, ids, viewer):
        """The read model's rule (domain.visible_to) over the fake's rows, then the reposts' originals, as
        content.posts.store.views_sql gives them; the SQL is proven on PostgreSQL."""
        items = [self._view(post_id, viewer, original=False) for post_id in ids]
        items = [r for r in items if r is not None]
        roots = {r["root_id"] for r in items if r["kind"] == "repost" and r.get("root_id") is not None}
        originals = [self._view(post_id, viewer, original=True) for post_id in roots]
        return items + [r for r in originals if r is not None]

    def _view(self, post_id, viewer, *, original):
        post = self.posts.get(post_id)
        if post is None:
            return None
        stop = self.stops.get(post_id) or {}
        label = self.labels.get(post_id) or {}
        hidden = self.hidden.get(post["author_id"])
        return {
            **post,
            "original": original,
            "visible": visible_to(
                PostStatus(post["status"]),
                str(post["author_id"]),
                str(viewer) if viewer else None,
                author_hidden=hidden is not None and hidden > datetime.now(UTC),
                owner_state=post["owner_state"],
            ),
            **{f"label_{k}": v for k, v in label.items()},
            "stop_legal_basis": stop.get("legal_basis"),
            "stop_category": stop.get("category"),
            "stop_decided_at": stop.get("decided_at"),
            "media": None,
        }

    async def hold_if_pending(self, decision: Decision) -> None:
        post = self.posts.get(decision.post_id)
        if post and post["status"] == "pending":
            post.update(status="held", decision_id=decision.decision_id)

    async def attach_label(self, decision: Decision) -> None:
        post = self.posts.get(decision.post_id)
        if post and post["status"] == "published" and decision.post_id not in self.labels:
            r = decision.refutation
            self.labels[decision.post_id] = {
                "rumour_id": r.rumour_id,
                "refutation_text": r.text,
                "refutation_url": r.url,
                "authority": r.authority,
                "legal_basis": list(decision.legal_basis),
                "labelled_at": datetime.now(UTC),
            }

    async def stop_transmission(self, post, decision: Decision, snapshot_sha256: str) -> dict | None:
        was_published = post["status"] == "published"
        post.update(status="stopped", decided_at=datetime.now(UTC), decision_id=decision.decision_id)
        if post["id"] in self.stops:
            return None
        stop = self.stops[post["id"]] = {
            "post_id": post["id"],
            "decision_id": decision.decision_id,
            "category": decision.category,
            "legal_basis": list(decision.legal_basis),
            "reason": decision.reason,
            "snapshot_text": post["text"],
            "snapshot_sha256": snapshot_sha256,
            "decided_at": decision.decided_at,
            "was_published": was_published,
            "stopped_at": datetime.now(UTC),
        }
        return stop

    async def stop_snapshots(self, stops: list[dict]) -> list[StopSnapshot]:
        return [
            StopSnapshot(
                decision_id=s["decision_id"],
                post_id=s["post_id"],
                author_id=self.posts[s["post_id"]]["author_id"],
                author_province_code="110000",
                kind=PostKind(self.posts[s["post_id"]]["kind"]),
                text=s["snapshot_text"],
                snapshot_sha256=s["snapshot_sha256"],
                media=(),
                category="",
                created_at=self.posts[s["post_id"]]["created_at"],
                was_published=s["was_published"],
                stopped_at=s["stopped_at"],
            )
            for s in stops
        ]

    async def author_standing(self, author_id: uuid.UUID) -> Standing | None:
        return self.standings.get(author_id)

    async def privileges(self, author_id: uuid.UUID) -> Privileges:
        return Privileges()  # the daily quotas are proven on PostgreSQL (tests/integration/test_articles.py)

    async def posts_used(self, author_id: uuid.UUID, day) -> int:
        return 0

    async def note_standing(self, standing: StandingChanged, *, barred_until, hidden_until, limit_basis=None) -> None:
        if standing.account_id in self.bars and self.standings[standing.account_id].cancelled_at is not None:
            return  # a cancelled account's standing is final
        self.bars[standing.account_id] = barred_until
        self.hidden[standing.account_id] = hidden_until
        self.standings[standing.account_id] = Standing(
            closed=standing.closed,
            suspended_until=standing.suspended_until,
            limits=standing.limits,
            credit_level=standing.credit_level,
            limit_basis=limit_basis or {},
        )

    async def withdraw_author(self, cancellation: Cancellation, *, barred_until, hidden_until) -> None:
        self.standings[cancellation.account_id] = Standing(cancelled_at=cancellation.cancelled_at)
        self.bars[cancellation.account_id] = barred_until
        self.hidden[cancellation.account_id] = hidden_until
        for post in self.posts.values():
            if post["author_id"] == cancellation.account_id and post["status"] in ("pending", "held", "published"):
                post["status"] = "withdrawn"


class FakeStores:
    def __init__(self, store: FakeStore) -> None:
        self.posts = store


class FakeDatabase:
    def __init__(self, store: FakeStore) -> None:
        self.store = store

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[FakeStores]:
        yield FakeStores(self.store)

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[FakeStores]:
        yield FakeStores(self.store)

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[FakeStores]:
        yield FakeStores(self.store)


@pytest.fixture
def store() -> FakeStore:
    return FakeStore()


@pytest.fixture
def db(store: FakeStore) -> FakeDatabase:
    return FakeDatabase(store)
