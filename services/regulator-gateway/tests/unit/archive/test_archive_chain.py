"""The user-log archive's chain without I/O (MB-16.2, PA-16.2): the canonical hash, the daily signed anchors,
and a verification that names the first broken record for an alteration, a deletion, an insertion, a
rewritten day and a forged anchor, and that still passes across a purge of whole days."""

from __future__ import annotations

import base64
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from nacl.public import PrivateKey, PublicKey, SealedBox
from pydantic import ValidationError
from regulator_gateway.archive import domain
from regulator_gateway.archive.domain import (
    GENESIS,
    AddressKeys,
    Anchor,
    BreakKind,
    ChainHead,
    ChainStart,
    DayTally,
    Entry,
    Record,
)
from regulator_gateway.settings import RegulatorGatewaySettings

pytestmark = [pytest.mark.requirement("MB-16.2"), pytest.mark.requirement("PA-16.2")]

KEY = Ed25519PrivateKey.generate()
KEYS = {domain.key_id(KEY.public_key()): KEY.public_key()}
DAY1 = date(2026, 5, 1)


def entry(n: int = 0, **changes) -> Entry:
    base = Entry(
        record_id=uuid.uuid4(),
        source="identity",
        kind="session.signed_in",
        occurred_at=datetime(2026, 5, 1, 8, 0, n % 60, 123456, tzinfo=UTC),
        account_id=uuid.uuid4(),
        actor_id=None,
        sealed_address=b"sealed-%d" % n,
        client_id="web",
        subject_type="",
        subject_id="",
        succeeded=True,
        detail="",
        legal_basis=("MB-16.2", "PA-16.2"),
    )
    return replace(base, **changes)


def build(days: int = 3, per_day: int = 4, *, anchored: int | None = None) -> tuple[list[Record], list[Anchor]]:
    """``days`` days of ``per_day`` records, the first ``anchored`` (default all) closed by their anchors."""
    records: list[Record] = []
    anchors: list[Anchor] = []
    anchored = days if anchored is None else anchored
    for d in range(days):
        day = DAY1 + timedelta(days=d)
        last = records[-1] if records else None
        head = ChainHead(
            last.seq if last else 0, last.hash if last else GENESIS, last.day if last else None,
            anchors[-1].day if anchors else None,
        )  # fmt: skip
        now = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
        new = domain.chain(head, [(entry(i), bytes(32)) for i in range(per_day)], now)
        assert all(r.day == day for r in new)
        records += new
        if d < anchored:
            tally = DayTally(day, new[0].seq, new[-1].seq, len(new), new[-1].hash)
            anchors.append(domain.sign_anchor(KEY, tally, anchors[-1] if anchors else None, now + timedelta(days=1)))
    return records, anchors


def check(records: list[Record], anchors: list[Anchor], start: ChainStart | None = None) -> domain.Verification:
    return domain.verify(records, anchors, start or ChainStart.genesis(), KEYS, DAY1, DAY1 + timedelta(days=9))


def test_the_hash_covers_every_field_and_its_encoding_is_unambiguous() -> None:
    e = entry()
    at = datetime(2026, 5, 1, tzinfo=UTC)
    digest = domain.record_hash(GENESIS, seq=1, day=DAY1, recorded_at=at, entry=e, address_hash=None)
    assert digest == domain.record_hash(GENESIS, seq=1, day=DAY1, recorded_at=at, entry=e, address_hash=None)
    for changed in [
        replace(e, detail="x"),
        replace(e, succeeded=False),
        replace(e, account_id=None),
        replace(e, occurred_at=e.occurred_at + timedelta(microseconds=1)),
        replace(e, legal_basis=("MB-16.2",)),
    ]:
        assert domain.record_hash(GENESIS, seq=1, day=DAY1, recorded_at=at, entry=changed, address_hash=None) != digest
    assert domain.record_hash(GENESIS, seq=2, day=DAY1, recorded_at=at, entry=e, address_hash=None) != digest
    assert domain.record_hash(GENESIS, seq=1, day=DAY1, recorded_at=at, entry=e, address_hash=b"") != digest
    # moving a character from one field into the next changes the hash (length prefixes)
    a = replace(e, subject_type="ab", subject_id="")
    b = replace(e, subject_type="a", subject_id="b")
    hashes = {domain.record_hash(GENESIS, seq=1, day=DAY1, recorded_at=at, entry=x, address_hash=None) for x in (a, b)}
    assert len(hashes) == 2


def test_an_untouched_chain_verifies_with_its_anchors_and_an_open_day() -> None:
    records, anchors = build(days=3, anchored=2)
    result = check(records, anchors)
    assert result.ok, result.broken
    assert (result.records, result.anchors, result.first_seq, result.last_seq) == (12, 2, 1, 12)
    assert records[4].prev_hash == records[3].hash and records[0].prev_hash == GENESIS


def test_an_altered_record_is_named() -> None:
    records, anchors = build()
    records[5] = replace(records[5], detail="changed afterwards")
    broken = check(records, anchors).broken
    assert broken is not None and (broken.kind, broken.seq) == (BreakKind.ALTERED, 6)


def test_an_altered_record_whose_hash_was_recomputed_is_named() -> None:
    records, anchors = build()
    forged = replace(records[5], detail="changed")
    records[5] = replace(forged, hash=domain.recomputed(forged))
    broken = check(records, anchors).broken
    assert broken is not None and (broken.kind, broken.seq) == (BreakKind.ALTERED, 6)


def test_a_deleted_record_is_named_in_the_middle_and_at_a_day_end() -> None:
    records, anchors = build()
    broken = check(records[:6] + records[7:], anchors).broken
    assert broken is not None and (broken.kind, broken.seq) == (BreakKind.MISSING, 7)
    broken = check(records[:-1], anchors).broken  # the last record of the last anchored day
    assert broken is not None and (broken.kind, broken.seq) == (BreakKind.MISSING, 12)
    broken = check(records[:4] + records[8:], anchors).broken  # a whole day
    assert broken is not None and (broken.kind, broken.seq) == (BreakKind.MISSING, 5)


def test_an_inserted_record_is_named() -> None:
    records, anchors = build()
    # put in at seq 6, the rest renumbered, its hash linked to record 5 properly
    fake = domain.chain(
        ChainHead(5, records[4].hash, records[4].day, None), [(entry(), None)], datetime(2026, 5, 2, 13, tzinfo=UTC)
    )[0]
    shifted = [replace(r, seq=r.seq + 1) for r in records[5:]]
    broken = check([*records[:5], fake, *shifted], anchors).broken
    assert broken is not None and (broken.kind, broken.seq) == (BreakKind.INSERTED, 6)
    # a copy of record 5 put in at seq 6 (its hash no longer matches: seq is hashed), the rest renumbered
    copy = replace(records[4], seq=6)
    broken = check([*records[:5], copy, *shifted], anchors).broken
    assert broken is not None and (broken.kind, broken.seq) == (BreakKind.INSERTED, 6)
    # appended to a closed day
    closed = records[:8]
    extra = domain.chain(
        ChainHead(8, closed[-1].hash, closed[-1].day, None), [(entry(), None)], datetime(2026, 5, 2, 23, tzinfo=UTC)
    )
    broken = check(closed + extra, anchors[:2]).broken
    assert broken is not None and (broken.kind, broken.seq) == (BreakKind.INSERTED, 9)


def test_a_day_rewritten_with_recomputed_hashes_breaks_its_anchor() -> None:
    records, anchors = build()
    rewritten = records[:4]
    head = ChainHead(4, rewritten[-1].hash, DAY1, DAY1)
    rewritten += domain.chain(head, [(entry(i), None) for i in range(4)], datetime(2026, 5, 2, 12, tzinfo=UTC))
    broken = check(rewritten + records[8:], anchors).broken
    assert broken is not None and broken.kind is BreakKind.ANCHOR and broken.day == DAY1 + timedelta(days=1)


def test_a_forged_anchor_signature_is_refused() -> None:
    records, anchors = build()
    anchors[1] = replace(anchors[1], signature=Ed25519PrivateKey.generate().sign(anchors[1].message))
    broken = check(records, anchors).broken
    assert broken is not None and broken.kind is BreakKind.ANCHOR and broken.day == anchors[1].day
    assert "signature" in broken.reason


def test_verification_starts_from_the_last_purged_days_anchor() -> None:
    records, anchors = build(days=4)
    kept = [r for r in records if r.day > DAY1 + timedelta(days=1)]  # two days purged
    result = check(kept, anchors[2:], ChainStart.after(anchors[1]))
    assert result.ok, result.broken
    assert (result.first_seq, result.records) == (9, 8)
    tampered = [kept[0], replace(kept[1], kind="post.published"), *kept[2:]]
    broken = check(tampered, anchors[2:], ChainStart.after(anchors[1])).broken
    assert broken is not None and (broken.kind, broken.seq) == (BreakKind.ALTERED, 10)


def test_empty_days_are_anchored_on_the_head_and_verify() -> None:
    records, anchors = build(days=1)
    empty_day = DAY1 + timedelta(days=1)
    empty = domain.sign_anchor(KEY, DayTally(empty_day, None, None, 0, None), anchors[-1], datetime.now(UTC))
    assert (empty.first_seq, empty.last_seq, empty.head_hash) == (5, 4, records[-1].hash)
    head = ChainHead(4, records[-1].hash, DAY1, empty_day)
    later = domain.chain(head, [(entry(), None)], datetime(2026, 5, 2, 23, tzinfo=UTC))
    assert later[0].day == DAY1 + timedelta(days=2)  # the closed day takes no late record
    assert check(records + later, [*anchors, empty]).ok


def test_days_close_after_their_grace_and_retention_is_six_months_at_least() -> None:
    now = datetime(2026, 5, 4, 0, 3, tzinfo=UTC)
    assert domain.days_to_close(None, DAY1, now, timedelta(minutes=5)) == [DAY1, DAY1 + timedelta(days=1)]
    assert domain.days_to_close(DAY1, None, now, timedelta(minutes=1)) == [date(2026, 5, 2), date(2026, 5, 3)]
    assert domain.days_to_close(None, None, now, timedelta()) == []
    assert domain.purgeable_before(now, 183) == date(2025, 11, 2)
    with pytest.raises(ValueError, match="183"):
        domain.purgeable_before(now, 90)


def test_a_purge_is_honoured_for_days_past_the_legal_six_months_whatever_the_retention_now() -> None:
    now = datetime(2026, 5, 4, 12, tzinfo=UTC)
    past, young = date(2025, 11, 1), date(2025, 11, 2)  # 184 and 183 days before
    assert domain.verification_start(date.min, past, now) == past + timedelta(days=1)
    assert domain.verification_start(past - timedelta(days=30), past, now) == past + timedelta(days=1)
    assert domain.verification_start(date(2026, 1, 1), past, now) == date(2026, 1, 1)  # after the purge
    assert domain.verification_start(date.min, None, now) == date.min
    # a younger day's "purge" (deleted behind the triggers' back) is not honoured: its records count as missing
    assert domain.verification_start(date.min, young, now) == date.min


def test_addresses_are_opened_and_looked_up_by_a_keyed_hash() -> None:
    private = PrivateKey.generate()
    keys = AddressKeys(bytes(private), b"k" * 32)
    sealed = SealedBox(PublicKey(keys.public_key)).encrypt(b"::ffff:203.0.113.7 51234")
    opened = keys.open(sealed)
    assert opened is not None and (opened.address, opened.port) == ("::ffff:203.0.113.7", 51234)
    assert keys.lookup_hash_of_sealed(sealed) == keys.lookup_hash("203.0.113.7")
    assert keys.open(b"") is None and keys.open(b"not sealed to us") is None
    assert AddressKeys(bytes(PrivateKey.generate()), b"k" * 32).open(sealed) is None


def test_settings_refuse_a_short_retention_and_name_a_bad_key(monkeypatch: pytest.MonkeyPatch) -> None:
    good = {
        "DATABASE_URL": "postgresql://x/y",
        "USER_LOG_OPEN_KEY": base64.b64encode(bytes(PrivateKey.generate())).decode(),
        "ARCHIVE_LOOKUP_KEY": base64.b64encode(b"l" * 32).decode(),
        "ARCHIVE_SIGNING_KEY": base64.b64encode(b"s" * 32).decode(),
    }
    for name, value in good.items():
        monkeypatch.setenv(name, value)
    settings = RegulatorGatewaySettings()
    assert settings.archive_retention_days == 183 and len(settings.archive_public_keys()) == 1
    monkeypatch.setenv("ARCHIVE_RETENTION_DAYS", "90")
    with pytest.raises(ValidationError, match="183"):
        RegulatorGatewaySettings()
    monkeypatch.delenv("ARCHIVE_RETENTION_DAYS")
    monkeypatch.setenv("USER_LOG_OPEN_KEY", "c2hvcnQ=")
    with pytest.raises(ValidationError, match="USER_LOG_OPEN_KEY"):
        RegulatorGatewaySettings()
    monkeypatch.setenv("USER_LOG_OPEN_KEY", good["USER_LOG_OPEN_KEY"])
    monkeypatch.setenv("ARCHIVE_SIGNING_KEY", "bm90IGEga2V5")
    with pytest.raises(ValidationError, match="ARCHIVE_SIGNING_KEY"):
        RegulatorGatewaySettings()
