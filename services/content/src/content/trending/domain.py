"""The trending list (热搜), free of I/O (MB-13, CM, MB-12.2): the terms of posts and searches, and the
score that ranks them, protected against manipulation.

- A term is a ``#话题#`` of a published post or repost (folded: NFKC, case-folded, no spaces; 2-30
  characters), or a signed-in caller's search.
- Score: a sum over *distinct accounts* (post 1, repost 0.5, search 0.2), decaying linearly over the window.
- Weight 0 (CM) for accounts with the credit limit ``no_trending``, in a bulk registration cohort,
  younger than TRENDING_MIN_ACCOUNT_AGE_H, or not real-name verified.
- Coordinated bursts (CM): contributions beyond the first TRENDING_BURST_KEEP that share a text, or that
  arrive in a TRENDING_BURST_SECONDS span holding more than TRENDING_BURST_SHARE of the term's window,
  weigh TRENDING_BURST_WEIGHT; the entry is flagged ``burst_discounted``.
- Eligible only with TRENDING_MIN_AUTHORS distinct authors of posts public now: searches alone never make
  an entry. Terms under an active staff removal are skipped.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from kit.problems import Conflict, NotFound

TERM_MIN_CHARS = 2
TERM_MAX_CHARS = 30
_HASHTAG = re.compile(r"#([^#\n]{1,60})#")


class Source(StrEnum):
    POST = "post"
    REPOST = "repost"
    SEARCH = "search"


SOURCE_WEIGHT = {Source.POST: 1.0, Source.REPOST: 0.5, Source.SEARCH: 0.2}


class Flag(StrEnum):
    BURST_DISCOUNTED = "burst_discounted"  # a coordinated burst was discounted (CM)
    ACCOUNTS_DISCOUNTED = "accounts_discounted"  # bulk, new, unverified or no_trending accounts weighed 0


def fold_term(raw: str) -> str | None:
    """The term as matched (NFKC, case-folded, no spaces), or None when it is too short or too long."""
    folded = "".join(unicodedata.normalize("NFKC", raw).casefold().split())
    return folded if TERM_MIN_CHARS <= len(folded) <= TERM_MAX_CHARS else None


def terms_of(text: str) -> list[tuple[str, str]]:
    """The distinct ``#话题#`` terms of a text: (folded, as written), in order of appearance."""
    seen: dict[str, str] = {}
    for match in _HASHTAG.finditer(text):
        display = match.group(1).strip()
        folded = fold_term(display)
        if folded is not None and folded not in seen:
            seen[folded] = display
    return list(seen.items())


def search_term(query: str) -> tuple[str, str] | None:
    """A search's term (the whole query, ``#`` marks dropped), or None when it cannot be one."""
    display = query.strip().strip("#").strip()
    folded = fold_term(display)
    return (folded, display) if folded is not None else None


@dataclass(frozen=True, slots=True)
class Signal:
    term: str
    display: str
    source: Source
    account_id: uuid.UUID
    at: datetime
    post_id: uuid.UUID | None = None
    text_sha256: str | None = None
    discounted: bool = False  # the account weighs 0 (no_trending, bulk cohort, new, unverified)


@dataclass(frozen=True, slots=True)
class Rules:
    window: timedelta
    min_authors: int
    size: int
    burst_keep: int
    burst_seconds: float
    burst_share: float
    burst_weight: float


@dataclass(frozen=True, slots=True)
class Entry:
    term: str
    display: str
    score: float
    authors: int
    backing_post_ids: tuple[uuid.UUID, ...]
    flags: tuple[str, ...] = field(default=())


def _burst_factors(signals: Sequence[Signal], rules: Rules) -> dict[int, float]:
    """Index in ``signals`` -> the weight factor of a burst-discounted contribution (others: 1)."""
    factors: dict[int, float] = {}
    # Identical texts: beyond the first burst_keep posts sharing a text.
    by_text: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(signals):
        if s.text_sha256 and s.source is not Source.SEARCH:
            by_text[s.text_sha256].append(i)
    for indexes in by_text.values():
        for i in sorted(indexes, key=lambda i: signals[i].at)[rules.burst_keep :]:
            factors[i] = factors.get(i, 1.0) * rules.burst_weight
    # Time bursts: a span of burst_seconds holding more than burst_share of the term's contributions.
    order = sorted(range(len(signals)), key=lambda i: signals[i].at)
    total = len(order)
    span = timedelta(seconds=rules.burst_seconds)
    timed: set[int] = set()
    start = 0
    for end in range(total):
        while signals[order[end]].at - signals[order[start]].at > span:
            start += 1
        inside = end - start + 1
        if inside > rules.burst_keep and inside > rules.burst_share * total:
            timed.update(order[start + rules.burst_keep : end + 1])
    for i in timed:  # both kinds of burst: the factors multiply
        factors[i] = factors.get(i, 1.0) * rules.burst_weight
    return factors


def score_term(signals: Sequence[Signal], *, now: datetime, rules: Rules) -> Entry:
    """One term's entry: each account's best contribution, summed; authors are distinct accounts whose
    posts or reposts weigh something."""
    counted = [s for s in signals if not s.discounted]
    factors = _burst_factors(counted, rules)
    best: dict[uuid.UUID, float] = {}
    backing: dict[uuid.UUID, tuple[datetime, uuid.UUID]] = {}
    for i, s in enumerate(counted):
        age = (now - s.at) / rules.window
        decay = max(0.0, 1.0 - age)
        weight = SOURCE_WEIGHT[s.source] * factors.get(i, 1.0) * decay
        best[s.account_id] = max(best.get(s.account_id, 0.0), weight)
        if s.post_id is not None and (s.account_id not in backing or backing[s.account_id][0] < s.at):
            backing[s.account_id] = (s.at, s.post_id)
    flags = []
    if factors:
        flags.append(Flag.BURST_DISCOUNTED)
    if len(counted) < len(signals):
        flags.append(Flag.ACCOUNTS_DISCOUNTED)
    newest = sorted(backing.values(), reverse=True)
    return Entry(
        term=signals[0].term,
        display=_most_written(signals),
        score=round(sum(best.values()), 6),
        authors=len(backing),
        backing_post_ids=tuple(post_id for _, post_id in newest),
        flags=tuple(str(f) for f in flags),
    )


def _most_written(signals: Iterable[Signal]) -> str:
    """How the term is shown: its most frequent spelling among posts (searches only if none)."""
    written: dict[str, int] = defaultdict(int)
    for s in signals:
        written[s.display] += 2 if s.source is not Source.SEARCH else 1
    return max(sorted(written), key=lambda d: written[d])


def compute(signals: Iterable[Signal], *, now: datetime, rules: Rules, removed: set[str]) -> list[Entry]:
    """The list: eligible terms (MIN_AUTHORS authors, not removed) by score, the top ``size``."""
    by_term: dict[str, list[Signal]] = defaultdict(list)
    for s in signals:
        if now - s.at <= rules.window:
            by_term[s.term].append(s)
    entries = [score_term(found, now=now, rules=rules) for term, found in by_term.items() if term not in removed]
    eligible = [e for e in entries if e.authors >= rules.min_authors and e.score > 0]
    return sorted(eligible, key=lambda e: (-e.score, e.term))[: rules.size]


# --- refusals -----------------------------------------------------------------------------------


class NotTrending(NotFound):
    type = "not-trending"
    title = "Not on the trending list"


class RemovalLifted(Conflict):
    type = "removal-lifted"
    title = "Removal already lifted"


def check_not_lifted(lifted_at: datetime | None) -> None:
    if lifted_at is not None:
        raise RemovalLifted("This removal was lifted already.", requirement="CM")


# identity's credit limit (identity.standing.domain.Limit.NO_TRENDING): not shown in trending lists.
NO_TRENDING_LIMIT = "no_trending"
# identity's grade feature (identity.standing.domain.GradeFeature.TRENDING_LISTED, MB-9): without it in the
# privileges of the account's grade, its signals weigh 0.
TRENDING_LISTED_FEATURE = "trending_listed"
