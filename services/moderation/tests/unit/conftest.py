"""In-memory fakes of moderation's store ports, for fast handler tests (no database, no broker)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import pytest
from kit.jobs import MemoryJobStore
from kit.outbox import OutboxRow
from moderation.authors.domain import AuthorFacts, FollowerCount
from moderation.engine.decide import Policy, Standing
from moderation.engine.lexicon import Lexicon, read_tsv
from moderation.engine.rumours import RumourIndex
from moderation.settings import SAMPLE_LEXICON


class FakeDecisions:
    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, dict] = {}
        self.published_texts: dict[uuid.UUID, tuple] = {}
        self.reported: set[uuid.UUID] = set()

    def _publication(self, post_id: uuid.UUID) -> dict | None:
        return next((d for d in self.rows.values() if d["post_id"] == post_id and d["stage"] == "publication"), None)

    async def insert_decisions_announced(self, decisions: list[tuple[dict, OutboxRow]]) -> None:
        for decision, announcement in decisions:
            if self._publication(decision["post_id"]) is None:
                self.rows[decision["id"]] = decision
                self.stores.outbox.append(announcement)

    async def insert_review_announced(self, decision: dict, announcement: OutboxRow) -> bool:
        if any(d["supersedes"] == decision["supersedes"] for d in self.rows.values()):
            return False
        self.rows[decision["id"]] = decision
        self.stores.outbox.append(announcement)
        return True

    async def decided_before(self, decisions: list[dict]) -> list[dict]:
        ids = {d["id"] for d in decisions}
        stored = [self._publication(d["post_id"]) for d in decisions]
        return [d for d in stored if d is not None and d["id"] not in ids]

    async def decision(self, decision_id: uuid.UUID) -> dict | None:
        return self.rows.get(decision_id)

    async def decisions_for_post(self, post_id: uuid.UUID) -> list[dict]:
        return sorted(
            (d for d in self.rows.values() if d["post_id"] == post_id), key=lambda d: (d["decided_at"], d["id"])
        )

    async def mark_announced(self, decision_id: uuid.UUID) -> None:
        pass

    async def mark_reported(self, decision_id: uuid.UUID) -> None:
        self.reported.add(decision_id)

    async def insert_published_texts(self, rows: list[tuple]) -> None:
        for row in rows:
            self.published_texts.setdefault(row[0], row)


class FakeReviews:
    def __init__(self) -> None:
        self.items: dict[uuid.UUID, dict] = {}
        self.actions: list[tuple] = []

    async def insert_review_items(self, rows: list[tuple]) -> None:
        for decision_id, post_id, author_id, text, created_at in rows:
            self.items.setdefault(
                decision_id,
                {
                    "id": uuid.uuid4(),
                    "kind": "held_post",
                    "state": "open",
                    "assignee": None,
                    "decision_id": decision_id,
                    "post_id": post_id,
                    "author_id": author_id,
                    "text": text,
                    "created_at": created_at,
                    "resolved_at": None,
                    "resolved_by": None,
                },
            )

    async def review_item_for_update(self, decision_id: uuid.UUID) -> dict | None:
        return self.items.get(decision_id)

    async def close_item(self, item_id: uuid.UUID, *, by: str, resolution: uuid.UUID | None, **how) -> None:
        item = next(i for i in self.items.values() if i["id"] == item_id)
        item.update(state="closed", resolved_by=by, resolved_at=datetime.now(UTC), resolution=resolution, **how)

    async def record_action(self, item_id: uuid.UUID, action: str, *, actor: str, text: str = "", detail=None):
        self.actions.append((item_id, action, actor, text))


class FakePolicy:
    def __init__(self) -> None:
        self.changes: dict[uuid.UUID, dict] = {}
        self.releases: list[int] = [1]
        self.rumours: dict[uuid.UUID, dict] = {}
        self.sources: dict[uuid.UUID, uuid.UUID] = {}
        self.evaluated: dict[tuple[uuid.UUID, str], dict] = {}

    async def lexicon_release(self) -> int:
        return self.releases[-1]

    async def evaluation(self, change_id: uuid.UUID, stage: str) -> dict | None:
        return self.evaluated.get((change_id, stage))

    async def evaluations(self, change_id: uuid.UUID) -> list[dict]:
        return [e for (c, _), e in self.evaluated.items() if c == change_id]

    async def copy_evaluation(self, change_id: uuid.UUID, *, release: int, lexicon_version: str | None) -> bool:
        proposed = self.evaluated.get((change_id, "proposed"))
        if proposed is None or proposed["status"] != "done" or proposed["basis_release"] != release - 1:
            return False
        self.evaluated[(change_id, "released")] = {**proposed, "stage": "released", "release": release}
        return True

    async def change(self, change_id: uuid.UUID, *, for_update: bool = False) -> dict | None:
        return self.changes.get(change_id)

    async def release(self, change_row: dict, *, approved_by: str, note: str, body: dict | None = None) -> int:
        self.releases.append(self.releases[-1] + 1)
        change_row.update(status="approved", decided_by=approved_by, decision_note=note, release=self.releases[-1])
        return self.releases[-1]

    async def reject(self, change_id: uuid.UUID, *, rejected_by: str, note: str) -> None:
        self.changes[change_id].update(status="rejected", decided_by=rejected_by, decision_note=note)

    async def rumour(self, rumour_id: uuid.UUID) -> dict | None:
        return self.rumours.get(rumour_id)

    async def trace_source(self, rumour_id, post_id, author_id, created_at) -> None:
        self.sources.setdefault(rumour_id, post_id)


class FakeAuthors:
    def __init__(self) -> None:
        self.facts: dict[uuid.UUID, dict] = {}
        self.followers_versions: dict[uuid.UUID, int] = {}

    async def standings(self, author_ids: list[uuid.UUID]) -> dict[uuid.UUID, Standing]:
        return {a: Standing(**self.facts[a]) for a in author_ids if a in self.facts}

    async def note(self, facts: AuthorFacts) -> None:
        self.facts.setdefault(facts.account_id, {}).update(facts.known())

    async def note_followers(self, count: FollowerCount) -> None:
        facts = self.facts.setdefault(count.account_id, {})
        if self.followers_versions.get(count.account_id, -1) < count.version:
            self.followers_versions[count.account_id] = count.version
            facts["followers"] = count.followers


class FakeStores:
    def __init__(self) -> None:
        self.conn = None
        self.outbox: list[OutboxRow] = []
        self.decisions = FakeDecisions()
        self.decisions.stores = self
        self.reviews = FakeReviews()
        self.policy = FakePolicy()
        self.authors = FakeAuthors()
        self.jobs = MemoryJobStore()

    async def announce(self, row: OutboxRow) -> None:
        self.outbox.append(row)


class FakeDatabase:
    pool = None

    def __init__(self, stores: FakeStores) -> None:
        self.stores = stores

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[FakeStores]:
        yield self.stores

    def reader(self) -> FakeStores:
        return self.stores


class FakeHolder:
    """The policy in force, without a database."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.folder = policy.lexicon.folder
        self.refreshed = 0

    async def current(self, pool: object) -> Policy:
        return self.policy

    async def latest(self, conn: object) -> Policy:
        return self.policy

    async def refresh(self, pool: object) -> list[str]:
        self.refreshed += 1
        return []

    @property
    def versions(self) -> dict[str, str]:
        return {}


@pytest.fixture(scope="session")
def policy() -> Policy:
    lexicon = Lexicon.from_rows((f"sample-{i}", *row) for i, row in enumerate(read_tsv(SAMPLE_LEXICON)))
    return Policy(lexicon, RumourIndex([], "0", folder=lexicon.folder))


@pytest.fixture
def stores() -> FakeStores:
    return FakeStores()


@pytest.fixture
def db(stores: FakeStores) -> FakeDatabase:
    return FakeDatabase(stores)


@pytest.fixture
def holder(policy: Policy) -> FakeHolder:
    return FakeHolder(policy)
