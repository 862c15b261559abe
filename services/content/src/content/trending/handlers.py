"""The trending list (热搜) (MB-13, CM, MB-12.2): signals from published posts and searches, the
computation loop, the gated reads, and staff removals with their recorded reasons."""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from contracts.claims import TokenKind
from kit.auth import Principal
from kit.db import transaction
from kit.pagination import decode_cursor, page
from kit.problems import InvalidInput, NotFound
from kit.service import Runtime

from content.database import Database, Stores
from content.posts.domain import Published
from content.search import handlers as search
from content.settings import ContentSettings
from content.trending.domain import (
    NotTrending,
    Rules,
    Source,
    check_not_lifted,
    compute,
    fold_term,
    search_term,
    terms_of,
)
from content.trending.schemas import (
    TrendingEntryRead,
    TrendingRead,
    TrendingRemovalCreate,
    TrendingRemovalRead,
    TrendingStaffRead,
    removal_read,
    staff_entry_read,
)

log = logging.getLogger(__name__)


def rules(settings: ContentSettings) -> Rules:
    return Rules(
        window=timedelta(minutes=settings.trending_window_min),
        min_authors=settings.trending_min_authors,
        size=settings.trending_size,
        burst_keep=settings.trending_burst_keep,
        burst_seconds=settings.trending_burst_seconds,
        burst_share=settings.trending_burst_share,
        burst_weight=settings.trending_burst_weight,
    )


# --- signals ------------------------------------------------------------------------------------


async def note_published(stores: Stores, published: Sequence[Published]) -> None:
    """The #话题# terms of published posts and reposts become signals (in the content.published
    consumer's transaction; a repeat changes nothing)."""
    rows = await stores.trending.published_texts([p.post_id for p in published])
    signals = []
    for r in rows:
        sha = hashlib.sha256(" ".join(r["text"].split()).encode()).hexdigest()
        for term, display in terms_of(r["text"]):
            signals.append(
                (
                    term,
                    display,
                    str(Source.POST if r["kind"] == "post" else Source.REPOST),
                    r["author_id"],
                    r["id"],
                    sha,
                    r["created_at"],
                    r["author_registered_at"],
                    True,  # published: its author was real-name verified (MB-7.1)
                )
            )
    await stores.trending.add_signals(signals)


async def note_search(db: Database, viewer: Principal | None, query: str) -> None:
    """A signed-in user's search is a (weak) signal: once per account, term and hour."""
    if viewer is None or viewer.access.kind is not TokenKind.USER or viewer.access.actor is not None:
        return
    term = search_term(query)
    if term is None:
        return
    now = datetime.now(UTC)
    hour = now.replace(minute=0, second=0, microsecond=0)
    await db.reader().trending.add_signals(
        [
            (
                term[0],
                term[1],
                str(Source.SEARCH),
                uuid.UUID(viewer.subject),
                None,
                None,
                hour,
                viewer.access.registered_at,
                viewer.access.real_name_verified,
            )
        ]
    )


# --- the computation ----------------------------------------------------------------------------


async def recompute(stores: Stores, settings: ContentSettings, *, now: datetime | None = None) -> int:
    """One computation: the window's signals scored, the top TRENDING_SIZE kept as a snapshot. Its id."""
    now = now or datetime.now(UTC)
    the_rules = rules(settings)
    signals = await stores.trending.signals(
        since=now - the_rules.window,
        registered_before=now - timedelta(hours=settings.trending_min_account_age_h),
    )
    entries = compute(signals, now=now, rules=the_rules, removed=await stores.trending.removed_terms())
    snapshot = await stores.trending.save_snapshot(entries)
    await stores.trending.purge(
        signals_before=now - timedelta(hours=settings.trending_signal_retention_h),
        snapshots_before=now - timedelta(hours=24),
    )
    return snapshot


async def compute_trending(runtime: Runtime) -> None:
    """Worker loop: the list recomputed every TRENDING_INTERVAL_S."""
    settings: ContentSettings = runtime.settings  # type: ignore[assignment]
    async for _round in runtime.reconcile_periods(settings.trending_interval_s):
        async with transaction(runtime.pool) as conn:
            await recompute(Stores(conn), settings)


# --- reads (gated: MB-13) -----------------------------------------------------------------------


async def trending(db: Database, settings: ContentSettings) -> TrendingRead:
    rows = await db.reader().trending.trending(min_authors=settings.trending_min_authors, limit=settings.trending_size)
    return TrendingRead(
        computed_at=rows[0]["computed_at"] if rows else None,
        items=[TrendingEntryRead(rank=i, term=r["display"], score=r["score"]) for i, r in enumerate(rows, start=1)],
    )


async def term_posts(
    db: Database, term: str, viewer: Principal | None, *, cursor: str | None, limit: int
) -> dict[str, Any]:
    """A term's posts: the search path (every post visible to the viewer, MB-12.2); 404 for a term
    under a staff removal."""
    folded = fold_term(term)
    if folded is None or await db.reader().trending.is_removed(folded):
        raise NotTrending("No such trending term.", requirement="CM")
    return await search.search_posts(db, term, viewer, cursor=cursor, limit=limit)


# --- staff ----------------------------------------------------------------------------------------


async def staff_view(db: Database) -> TrendingStaffRead:
    rows = await db.reader().trending.staff_view()
    return TrendingStaffRead(
        computed_at=rows[0]["computed_at"] if rows else None, items=[staff_entry_read(r) for r in rows]
    )


async def remove(db: Database, staff: Principal, body: TrendingRemovalCreate) -> TrendingRemovalRead:
    """CM, MB-12.2: staff take a term off the list with a recorded reason and legal basis (the record
    is kept for good; the list leaves it out at once)."""
    term = fold_term(body.term)
    if term is None:
        raise InvalidInput("A term has 2 to 30 characters once folded (spaces and case do not count).")
    async with db.transaction() as stores:
        row = await stores.trending.add_removal(
            term=term, reason=body.reason, legal_basis=body.legal_basis, removed_by=staff.actor, until=body.until
        )
    return removal_read(row)


async def lift(db: Database, staff: Principal, removal_id: uuid.UUID, reason: str) -> TrendingRemovalRead:
    async with db.transaction() as stores:
        row = await stores.trending.removal(removal_id, lock=True)
        if row is None:
            raise NotFound("No such removal.")
        check_not_lifted(row["lifted_at"])
        return removal_read(await stores.trending.lift_removal(removal_id, lifted_by=staff.actor, reason=reason))


async def removals(db: Database, cursor: str | None, limit: int) -> dict:
    after = decode_cursor(cursor, datetime, uuid.UUID) if cursor else None
    rows = await db.reader().trending.removals(after, limit + 1)  # type: ignore[arg-type]
    return page([removal_read(r) for r in rows], limit, lambda r: (r.removed_at, uuid.UUID(r.id)))
