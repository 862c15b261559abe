"""Article reads (MB-9, PA-7.2, CM), free of I/O: a read counts once per reader per Beijing day; the
author's and operators' own reads are not counted; reads that could inflate a count weigh 0 with a flag
(accounts registered in bulk, new accounts, a reader's daily cap); and the refusals of a beacon for an
article the reader may not see (MB-12.2)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

from kit.problems import NotFound

from content.media.domain import BEIJING
from content.posts.domain import PostDeleted, PostStatus, UnavailableForLegalReasons


class ReadFlag(StrEnum):
    """Why a read weighs 0 (CM: inflation discounted, never refused)."""

    BULK_REGISTRATION = "bulk_registration"  # the reader is in a bulk registration cohort (BJ-9.2)
    NEW_ACCOUNT = "new_account"  # the reader's account is younger than READ_MIN_ACCOUNT_AGE_H
    READER_DAILY_CAP = "reader_daily_cap"  # beyond READS_COUNTED_PER_READER_PER_DAY today


def beijing_day(now: datetime) -> date:
    """The Beijing (UTC+8) date of a moment: reads count once per reader per Beijing day."""
    return now.astimezone(BEIJING).date()


def own_read(reader_id: uuid.UUID, actor: str | None, author_id: uuid.UUID, owner_id: uuid.UUID | None) -> bool:
    """MB-9: the account's own reads do not count: an acting token (any operator acting as a public
    account, ``act``), the account itself, or its owner reading with their own token."""
    return actor is not None or reader_id == author_id or reader_id == owner_id


def first_weight(registered_at: datetime | None, now: datetime, *, min_age_h: float) -> tuple[int, ReadFlag | None]:
    """The weight a read is stored with, as far as the token tells (bulk cohorts are known to the
    database, the daily cap to the aggregator)."""
    if registered_at is not None and now - registered_at < timedelta(hours=min_age_h):
        return 0, ReadFlag.NEW_ACCOUNT
    return 1, None


@dataclass(frozen=True, slots=True)
class ClaimedRead:
    """An uncounted read the aggregator claimed."""

    article_id: uuid.UUID
    day: date
    reader_id: uuid.UUID
    account_id: uuid.UUID
    weight: int
    flag: ReadFlag | None
    reader_flagged: bool = False  # the reader is in reader_flag now (flagged after the beacon)


def weigh(
    claimed: Sequence[ClaimedRead], counted_before: Mapping[tuple[uuid.UUID, date], int], *, cap: int
) -> list[ClaimedRead]:
    """The claimed reads with their final weights (in order): a reader flagged meanwhile weighs 0; of a
    reader's weighted reads in a day only ``cap`` count (those before in this batch first)."""
    used = dict(counted_before)
    weighed = []
    for read in claimed:
        if read.weight and read.reader_flagged:
            read = replace(read, weight=0, flag=ReadFlag.BULK_REGISTRATION)
        if read.weight:
            key = (read.reader_id, read.day)
            if used.get(key, 0) >= cap:
                read = replace(read, weight=0, flag=ReadFlag.READER_DAILY_CAP)
            else:
                used[key] = used.get(key, 0) + 1
        weighed.append(read)
    return weighed


@dataclass(frozen=True, slots=True)
class CountDelta:
    reads: int = 0
    flagged_reads: int = 0


def count_deltas(reads: Sequence[ClaimedRead], key: str, *, discounted: bool = False) -> dict[uuid.UUID, CountDelta]:
    """How much each article's (``key='article_id'``) or account's (``'account_id'``) counts move when
    these reads are counted; ``discounted``: these reads were counted with weight 1 and weigh 0 now."""
    deltas: dict[uuid.UUID, CountDelta] = {}
    for read in reads:
        at = getattr(read, key)
        d = deltas.get(at, CountDelta())
        if discounted:
            deltas[at] = CountDelta(d.reads - 1, d.flagged_reads + 1)
        else:
            deltas[at] = CountDelta(d.reads + read.weight, d.flagged_reads + (0 if read.weight else 1))
    return dict(sorted(deltas.items()))


@dataclass(frozen=True, slots=True)
class ReadCount:
    """A public account's read count as announced (ReadCountChanged); ``version`` orders them."""

    account_id: uuid.UUID
    reads: int
    flagged_reads: int
    version: int
    changed_at: datetime


@dataclass(frozen=True, slots=True)
class CohortFlagged:
    """CM, BJ-9.2: identity saw these accounts registered in bulk (RegistrationCohortFlagged)."""

    cohort_id: uuid.UUID
    account_ids: tuple[uuid.UUID, ...]
    flagged_at: datetime


@dataclass(frozen=True, slots=True)
class CohortCleared:
    """CM, BJ-9.2: staff cleared a flagged cohort (RegistrationCohortCleared): its members' reads count again."""

    cohort_id: uuid.UUID
    account_ids: tuple[uuid.UUID, ...]
    cleared_at: datetime


def check_readable(row: Mapping[str, object] | None) -> None:
    """A beacon for an article the reader may not see is refused as every read path refuses it: 404
    (none, or under review and not theirs), 410 (withdrawn), 451 (stopped, with its legal basis)."""
    if row is None:
        raise NotFound("No such article.")
    if row["status"] == PostStatus.STOPPED:
        decided_at = row["stop_decided_at"]
        raise UnavailableForLegalReasons(
            "Transmission of this article was stopped under the regulations.",
            requirement="MB-12.2",
            legal_basis=list(row["stop_legal_basis"] or ()),  # type: ignore[call-overload]
            category=row["stop_category"],
            decided_at=decided_at.isoformat() if isinstance(decided_at, datetime) else None,
        )
    if row["status"] == PostStatus.DELETED:
        raise PostDeleted("This article was withdrawn.")
    if not row["visible"]:
        raise NotFound("No such article.")
