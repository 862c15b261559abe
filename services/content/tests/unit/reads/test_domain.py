"""Read weights (MB-9, CM): once per reader per Beijing day, own reads not counted, inflation
discounted (bulk cohorts, new accounts, a reader's daily cap), and the beacon's refusals (MB-12.2)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from content.posts.domain import PostDeleted, UnavailableForLegalReasons
from content.reads import events
from content.reads.domain import (
    ClaimedRead,
    CountDelta,
    ReadCount,
    ReadFlag,
    beijing_day,
    check_readable,
    count_deltas,
    first_weight,
    own_read,
    weigh,
)
from contracts import content
from kit.problems import NotFound
from qinglang.content.v1 import social_pb2

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
DAY = date(2026, 3, 1)
A1, A2 = sorted(uuid.uuid4() for _ in range(2))
ACCOUNT = uuid.uuid4()


def read(reader: uuid.UUID, article: uuid.UUID = A1, *, weight: int = 1, flagged: bool = False) -> ClaimedRead:
    return ClaimedRead(article, DAY, reader, ACCOUNT, weight, None if weight else ReadFlag.NEW_ACCOUNT, flagged)


def test_the_day_is_beijings() -> None:
    assert beijing_day(datetime(2026, 3, 1, 15, 59, tzinfo=UTC)) == date(2026, 3, 1)
    assert beijing_day(datetime(2026, 3, 1, 16, 0, tzinfo=UTC)) == date(2026, 3, 2)


@pytest.mark.requirement("MB-9")
def test_own_reads_are_not_counted() -> None:
    reader, owner = uuid.uuid4(), uuid.uuid4()
    assert own_read(ACCOUNT, None, ACCOUNT, owner)  # the account itself
    assert own_read(owner, None, ACCOUNT, owner)  # its owner, with their own token
    assert own_read(reader, str(uuid.uuid4()), ACCOUNT, owner)  # any acting token
    assert not own_read(reader, None, ACCOUNT, owner)


@pytest.mark.requirement("CM")
def test_a_new_account_reads_with_weight_zero() -> None:
    assert first_weight(NOW - timedelta(hours=2), NOW, min_age_h=24) == (0, ReadFlag.NEW_ACCOUNT)
    assert first_weight(NOW - timedelta(hours=25), NOW, min_age_h=24) == (1, None)
    assert first_weight(None, NOW, min_age_h=24) == (1, None)
    assert first_weight(NOW, NOW, min_age_h=0) == (1, None)


@pytest.mark.requirement("MB-9")
def test_a_readers_daily_cap_and_a_late_bulk_flag_discount_reads() -> None:
    me, bulk = uuid.uuid4(), uuid.uuid4()
    claimed = [read(me), read(me, A2), read(bulk, flagged=True), read(me, weight=0)]
    weighed = weigh(claimed, {(me, DAY): 1}, cap=2)
    assert [(r.weight, r.flag) for r in weighed] == [
        (1, None),
        (0, ReadFlag.READER_DAILY_CAP),
        (0, ReadFlag.BULK_REGISTRATION),
        (0, ReadFlag.NEW_ACCOUNT),
    ]
    assert count_deltas(weighed, "article_id") == {A1: CountDelta(1, 2), A2: CountDelta(0, 1)}
    assert count_deltas(weighed, "account_id") == {ACCOUNT: CountDelta(1, 3)}
    assert count_deltas([read(me), read(bulk)], "account_id", discounted=True) == {ACCOUNT: CountDelta(-2, 2)}


@pytest.mark.requirement("MB-12.2")
def test_a_beacon_for_an_article_the_reader_may_not_see_is_refused() -> None:
    with pytest.raises(NotFound):
        check_readable(None)
    with pytest.raises(NotFound):
        check_readable({"status": "pending", "visible": False})
    with pytest.raises(PostDeleted):
        check_readable({"status": "deleted", "visible": False})
    stopped = {
        "status": "stopped",
        "visible": False,
        "stop_legal_basis": ["MB-12.2"],
        "stop_category": "bj10.rumour_disturbing_order",
        "stop_decided_at": NOW,
    }
    with pytest.raises(UnavailableForLegalReasons) as refused:
        check_readable(stopped)
    assert refused.value.extensions["legal_basis"] == ["MB-12.2"]
    check_readable({"status": "published", "visible": True})


def test_the_count_is_announced_keyed_by_its_account() -> None:
    row = events.read_count_changed(ReadCount(ACCOUNT, 7, 3, 2, NOW))
    assert row.ce_type == content.READ_COUNT_CHANGED.name and row.key == str(ACCOUNT)
    message = social_pb2.ReadCountChanged.FromString(row.payload)
    assert (message.reads, message.flagged_reads, message.version) == (7, 3, 2)
