"""The user-log archive's rules, without I/O (MB-16.2, PA-16.2): the chain's canonical encoding and hashes,
the daily signed anchors, the addresses' sealing and lookup hash, retention, and the verification that names
the first broken record.

**The encoding** (written once, here; a regulator re-implements it to verify without trusting us). Every
value is a *field*: a 4-byte big-endian length then its bytes; an absent value (None) is the length
0xFFFFFFFF and no bytes. Text is UTF-8; a uuid its 16 bytes; an instant the 8-byte big-endian signed count of
microseconds since 1970-01-01T00:00:00Z; a day its ISO text (``2026-11-30``); an integer 8 bytes big-endian
signed; a boolean one byte (0 or 1); a list a 4-byte count followed by its items as fields.

- record hash = SHA-256( field("qinglang.userlog.record.v1"), field(prev_hash), seq, day, recorded_at,
  record_id, source, kind, occurred_at, account_id (a uuid), actor_id (text), sealed_address, address_hash, client_id,
  subject_type, subject_id, succeeded, detail, legal_basis ) — each a field, in this order. The first record's
  prev_hash is 32 zero bytes; every other's the hash of the record before it (seq - 1).
- anchor message = field("qinglang.userlog.anchor.v1"), day, first_seq, last_seq, count, head_hash,
  prev_anchor_hash, signed_at, key_id — each a field; the signature is Ed25519 over the message, and the
  anchor's hash (the next anchor's prev_anchor_hash) is SHA-256 of the message. The first anchor's
  prev_anchor_hash is 32 zero bytes. key_id: the first 16 hex digits of SHA-256 of the raw public key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import ipaddress
import struct
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from kit.problems import InvalidInput, NotFound
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, SealedBox

LEGAL_BASIS = ["MB-16.2", "PA-16.2"]
MIN_RETENTION_DAYS = 183  # MB-16.2: six months at least (the longest six months)
GENESIS = bytes(32)
_NONE = 0xFFFFFFFF
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_RECORD_TAG = b"qinglang.userlog.record.v1"
_ANCHOR_TAG = b"qinglang.userlog.anchor.v1"


# ---- the canonical encoding ---------------------------------------------------------------------------


def _field(value: bytes | None) -> bytes:
    if value is None:
        return struct.pack(">I", _NONE)
    return struct.pack(">I", len(value)) + value


def _text(value: str | None) -> bytes:
    return _field(None if value is None else value.encode())


def _uuid(value: uuid.UUID | None) -> bytes:
    return _field(None if value is None else value.bytes)


def _int(value: int) -> bytes:
    return _field(struct.pack(">q", value))


def micros(moment: datetime) -> int:
    """An instant as microseconds since the epoch (PostgreSQL keeps timestamptz to the microsecond)."""
    delta = moment.astimezone(UTC) - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _instant(value: datetime) -> bytes:
    return _int(micros(value))


def _day(value: date) -> bytes:
    return _text(value.isoformat())


def _bool(value: bool) -> bytes:
    return _field(b"\x01" if value else b"\x00")


def _list(values: Sequence[str]) -> bytes:
    return struct.pack(">I", len(values)) + b"".join(_text(v) for v in values)


# ---- records --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Entry:
    """A user log entry as a service announced it (UserLogRecorded), before it is archived."""

    record_id: uuid.UUID
    source: str  # the announcing service
    kind: str
    occurred_at: datetime
    account_id: uuid.UUID | None
    actor_id: str | None
    sealed_address: bytes
    client_id: str
    subject_type: str
    subject_id: str
    succeeded: bool
    detail: str
    legal_basis: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Record:
    """One archived record: its place in the chain and everything its hash covers."""

    seq: int
    day: date
    recorded_at: datetime
    record_id: uuid.UUID
    source: str
    kind: str
    occurred_at: datetime
    account_id: uuid.UUID | None
    actor_id: str | None
    sealed_address: bytes
    address_hash: bytes | None
    client_id: str
    subject_type: str
    subject_id: str
    succeeded: bool
    detail: str
    legal_basis: tuple[str, ...]
    prev_hash: bytes
    hash: bytes


def record_hash(
    prev_hash: bytes,
    *,
    seq: int,
    day: date,
    recorded_at: datetime,
    entry: Entry | Record,
    address_hash: bytes | None,
) -> bytes:
    """SHA-256 of the record's canonical encoding (see the module's docstring)."""
    return hashlib.sha256(
        b"".join(
            (
                _field(_RECORD_TAG),
                _field(prev_hash),
                _int(seq),
                _day(day),
                _instant(recorded_at),
                _uuid(entry.record_id),
                _text(entry.source),
                _text(entry.kind),
                _instant(entry.occurred_at),
                _uuid(entry.account_id),
                _text(entry.actor_id),
                _field(entry.sealed_address),
                _field(address_hash),
                _text(entry.client_id),
                _text(entry.subject_type),
                _text(entry.subject_id),
                _bool(entry.succeeded),
                _text(entry.detail),
                _list(entry.legal_basis),
            )
        )
    ).digest()


def recomputed(record: Record) -> bytes:
    """The hash the record should carry, from its own fields and prev_hash."""
    return record_hash(
        record.prev_hash,
        seq=record.seq,
        day=record.day,
        recorded_at=record.recorded_at,
        entry=record,
        address_hash=record.address_hash,
    )


@dataclass(frozen=True, slots=True)
class ChainHead:
    """Where the chain stands when an append starts (under the archive's lock)."""

    seq: int  # the last record's (0: none yet)
    hash: bytes  # the last record's (GENESIS: none yet)
    day: date | None  # the last record's day
    last_anchored_day: date | None  # the latest closed day


def archive_day(head: ChainHead, now: datetime) -> date:
    """The day a record appended now belongs to: today (UTC), never a day already closed by its anchor, never
    before the chain's last record (another process's clock)."""
    day = now.astimezone(UTC).date()
    if head.day is not None and head.day > day:
        day = head.day
    if head.last_anchored_day is not None and head.last_anchored_day >= day:
        day = head.last_anchored_day + timedelta(days=1)
    return day


def chain(head: ChainHead, entries: Iterable[tuple[Entry, bytes | None]], now: datetime) -> list[Record]:
    """The entries (each with its address lookup hash) as the next records of the chain, consecutive seqs."""
    recorded_at = now.astimezone(UTC)
    day = archive_day(head, recorded_at)
    seq, prev = head.seq, head.hash
    records = []
    for entry, address_hash in entries:
        seq += 1
        digest = record_hash(prev, seq=seq, day=day, recorded_at=recorded_at, entry=entry, address_hash=address_hash)
        records.append(
            Record(
                seq=seq,
                day=day,
                recorded_at=recorded_at,
                record_id=entry.record_id,
                source=entry.source,
                kind=entry.kind,
                occurred_at=entry.occurred_at,
                account_id=entry.account_id,
                actor_id=entry.actor_id,
                sealed_address=entry.sealed_address,
                address_hash=address_hash,
                client_id=entry.client_id,
                subject_type=entry.subject_type,
                subject_id=entry.subject_id,
                succeeded=entry.succeeded,
                detail=entry.detail,
                legal_basis=tuple(entry.legal_basis),
                prev_hash=prev,
                hash=digest,
            )
        )
        prev = digest
    return records


def new_entries(entries: Iterable[Entry], archived: set[uuid.UUID]) -> list[Entry]:
    """Idempotence: the entries not archived yet, each once (a redelivery adds nothing)."""
    seen = set(archived)
    fresh = []
    for entry in entries:
        if entry.record_id not in seen:
            seen.add(entry.record_id)
            fresh.append(entry)
    return fresh


# ---- addresses ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OpenedAddress:
    address: str
    port: int | None


class AddressKeys:
    """Opens the sealed "<address> <port>" (X25519, libsodium sealed box) and hashes an address for lookup
    (HMAC-SHA256): the archive stores the sealed bytes and the hash, never the address in plaintext."""

    def __init__(self, open_key: bytes, lookup_key: bytes) -> None:
        self._box = SealedBox(PrivateKey(open_key))
        self._lookup_key = lookup_key
        self.public_key = bytes(PrivateKey(open_key).public_key)

    def open(self, sealed: bytes) -> OpenedAddress | None:
        """The address and port, or None (nothing sealed, or not sealed to our key)."""
        if not sealed:
            return None
        try:
            plain = self._box.decrypt(sealed).decode()
        except (CryptoError, UnicodeDecodeError):
            return None
        address, _, port = plain.partition(" ")
        return OpenedAddress(address, int(port) if port.isdigit() and int(port) > 0 else None)  # 0: unknown

    def lookup_hash(self, address: str) -> bytes:
        """HMAC of the address in its canonical form (``::ffff:1.2.3.4`` and ``1.2.3.4`` alike)."""
        return hmac.new(self._lookup_key, canonical_address(address).encode(), hashlib.sha256).digest()

    def lookup_hash_of_sealed(self, sealed: bytes) -> bytes | None:
        opened = self.open(sealed)
        return self.lookup_hash(opened.address) if opened else None


class InvalidAddress(InvalidInput):
    type = "invalid-address"
    title = "Invalid network address"


def canonical_address(address: str) -> str:
    try:
        parsed = ipaddress.ip_address(address.strip())
    except ValueError:
        return address.strip().lower()
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
        parsed = parsed.ipv4_mapped
    return parsed.compressed


def checked_address(address: str) -> str:
    """A queried address must be an IPv4 or IPv6 address (MB-16.2)."""
    try:
        ipaddress.ip_address(address.strip())
    except ValueError:
        raise InvalidAddress(f"{address!r} is not an IPv4 or IPv6 address.", requirement="MB-16.2") from None
    return canonical_address(address)


# ---- anchors --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Anchor:
    day: date
    first_seq: int
    last_seq: int
    count: int
    head_hash: bytes
    prev_anchor_hash: bytes
    signed_at: datetime
    key_id: str
    signature: bytes

    @property
    def message(self) -> bytes:
        return anchor_message(self)

    @property
    def hash(self) -> bytes:
        return hashlib.sha256(self.message).digest()


def anchor_message(a: Anchor) -> bytes:
    return b"".join(
        (
            _field(_ANCHOR_TAG),
            _day(a.day),
            _int(a.first_seq),
            _int(a.last_seq),
            _int(a.count),
            _field(a.head_hash),
            _field(a.prev_anchor_hash),
            _instant(a.signed_at),
            _text(a.key_id),
        )
    )


def key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def signing_key(value: str) -> Ed25519PrivateKey:
    """ARCHIVE_SIGNING_KEY: base64 of a PEM (PKCS#8) Ed25519 private key, or base64 of its raw 32-byte seed."""
    try:
        raw = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("must be base64 (of a PEM Ed25519 private key, or of a raw 32-byte seed)") from None
    if raw.lstrip().startswith(b"-----BEGIN"):
        key = serialization.load_pem_private_key(raw, password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("the PEM key is not an Ed25519 private key")
        return key
    if len(raw) != 32:
        raise ValueError(f"a raw Ed25519 seed is 32 bytes; this one is {len(raw)}")
    return Ed25519PrivateKey.from_private_bytes(raw)


@dataclass(frozen=True, slots=True)
class DayTally:
    """What the archive holds of one day when it is closed: its seq range and head (None: no record)."""

    day: date
    first_seq: int | None
    last_seq: int | None
    count: int
    head_hash: bytes | None


def sign_anchor(key: Ed25519PrivateKey, tally: DayTally, previous: Anchor | None, now: datetime) -> Anchor:
    """The day's anchor: its records' range and the chain's head at its end, linked to the previous anchor,
    signed. An empty day anchors the head as it stood (count 0, last_seq = first_seq - 1)."""
    if tally.count:
        assert tally.first_seq is not None and tally.last_seq is not None and tally.head_hash is not None
        first, last, head = tally.first_seq, tally.last_seq, tally.head_hash
    else:
        last = previous.last_seq if previous else 0
        head = previous.head_hash if previous else GENESIS
        first = last + 1
    unsigned = Anchor(
        day=tally.day,
        first_seq=first,
        last_seq=last,
        count=tally.count,
        head_hash=head,
        prev_anchor_hash=previous.hash if previous else GENESIS,
        signed_at=now.astimezone(UTC),
        key_id=key_id(key.public_key()),
        signature=b"",
    )
    return replace(unsigned, signature=key.sign(unsigned.message))


def days_to_close(
    last_anchored: date | None, first_record_day: date | None, now: datetime, grace: timedelta
) -> list[date]:
    """The days whose anchor is due: every day after the last anchored one (or from the first record's day)
    that ended more than ``grace`` ago (late records of a closed day join the current one)."""
    start = last_anchored + timedelta(days=1) if last_anchored else first_record_day
    if start is None:
        return []
    last_closable = (now.astimezone(UTC) - grace).date() - timedelta(days=1)
    days = []
    day = start
    while day <= last_closable:
        days.append(day)
        day += timedelta(days=1)
    return days


# ---- retention ----------------------------------------------------------------------------------------


def purgeable_before(now: datetime, retention_days: int) -> date:
    """MB-16.2: whole days strictly before this one are past retention (kept ``retention_days`` at least)."""
    if retention_days < MIN_RETENTION_DAYS:
        raise ValueError(f"MB-16.2: user logs are kept at least {MIN_RETENTION_DAYS} days")
    return now.astimezone(UTC).date() - timedelta(days=retention_days)


def verification_start(since: date, last_purged: date | None, now: datetime) -> date:
    """MB-16.2: the first day a verification from ``since`` reads: after the last purged day when the range
    reaches into it and that day is past the six months the law requires (the minimum, not the
    ARCHIVE_RETENTION_DAYS of now: raised after a purge, the days purged under the lower setting are still
    honoured as purged); a younger day's "purge" is not honoured, so nothing still required can vanish as
    purged (its records are then reported missing)."""
    if last_purged is not None and since <= last_purged < purgeable_before(now, MIN_RETENTION_DAYS):
        return last_purged + timedelta(days=1)
    return since


# ---- verification -------------------------------------------------------------------------------------


class BreakKind(StrEnum):
    ALTERED = "altered"  # a record's content does not match its hash, or its hash was recomputed
    MISSING = "missing"  # a record of the chain is gone
    INSERTED = "inserted"  # a record that the chain (or the day's anchor) does not hold
    ANCHOR = "anchor-mismatch"  # an anchor's signature, link, count or head does not hold


@dataclass(frozen=True, slots=True)
class Break:
    kind: BreakKind
    seq: int | None  # the first broken record (None: an anchor of a day without records)
    day: date | None
    reason: str


@dataclass(frozen=True, slots=True)
class ChainStart:
    """Where a verification starts: after the anchor of the day before the range (purged or not), trusted
    once its signature holds; or at the chain's beginning."""

    next_seq: int
    prev_hash: bytes
    anchor: Anchor | None

    @classmethod
    def genesis(cls) -> ChainStart:
        return cls(1, GENESIS, None)

    @classmethod
    def after(cls, anchor: Anchor) -> ChainStart:
        return cls(anchor.last_seq + 1, anchor.head_hash, anchor)


@dataclass(slots=True)
class Verification:
    since: date
    until: date
    records: int = 0
    anchors: int = 0
    first_seq: int | None = None
    last_seq: int | None = None
    broken: Break | None = None

    @property
    def ok(self) -> bool:
        return self.broken is None


@dataclass(slots=True)
class _Day:
    day: date
    first_seq: int
    last_seq: int
    count: int
    head: bytes


@dataclass(slots=True)
class ChainVerifier:
    """Verifies records fed in seq order (streamed: nothing is held but the last two records), with the
    anchors of the range, and names the first break. ``feed`` each record; ``finish`` closes the range."""

    start: ChainStart
    anchors: Sequence[Anchor]  # of the range's days, by day
    public_keys: Mapping[str, Ed25519PublicKey]
    result: Verification
    _expected_seq: int = 0
    _prev: bytes = b""
    _pending: Record | None = None
    _last: Record | None = None  # the last record accepted
    _anchors: dict[date, Anchor] = field(default_factory=dict)
    _next_anchor: int = 0
    _day: _Day | None = None
    _prev_anchor: Anchor | None = None

    def __post_init__(self) -> None:
        self._expected_seq = self.start.next_seq
        self._prev = self.start.prev_hash
        self._anchors = {a.day: a for a in self.anchors}
        self._prev_anchor = self.start.anchor
        if self.start.anchor is not None and not self._signature_holds(self.start.anchor):
            self._break(BreakKind.ANCHOR, None, self.start.anchor.day, "the starting anchor's signature does not hold")

    @property
    def broken(self) -> bool:
        return self.result.broken is not None

    def feed(self, record: Record) -> None:
        """The next record (one record of look-ahead: a record is judged when the one after it is seen)."""
        if self.broken:
            return
        if self._pending is not None:
            self._judge(self._pending, record)
        self._pending = record

    def feed_all(self, records: Iterable[Record]) -> None:
        for record in records:
            self.feed(record)
            if self.broken:
                return

    def finish(self) -> Verification:
        if not self.broken and self._pending is not None:
            self._judge(self._pending, None)
        self._pending = None
        if not self.broken:
            self._close_day()
        if not self.broken:
            self._check_anchors_before(None)
        return self.result

    # -- the checks --
    def _judge(self, record: Record, following: Record | None) -> None:
        if self.broken:
            return
        if self._day is None or record.day != self._day.day:
            if self._day is not None and record.day < self._day.day:
                self._break(BreakKind.INSERTED, record.seq, record.day, "its day precedes the record before it")
                return
            self._close_day()
            if not self.broken:
                self._check_anchors_before(record.day)
            if self.broken:
                return
            self._day = _Day(record.day, record.seq, record.seq - 1, 0, self._prev)
        if record.seq > self._expected_seq:
            self._break(
                BreakKind.MISSING,
                self._expected_seq,
                record.day,
                f"records {self._expected_seq}..{record.seq - 1} are missing before record {record.seq}",
            )
            return
        if record.seq < self._expected_seq:
            self._break(BreakKind.INSERTED, record.seq, record.day, f"seq {record.seq} again, or out of order")
            return
        anchor = self._anchors.get(record.day)
        if anchor is not None and record.seq > anchor.last_seq:
            self._break(
                BreakKind.INSERTED,
                record.seq,
                record.day,
                f"the anchor of {record.day} closed the day at record {anchor.last_seq}",
            )
            return
        content_holds = recomputed(record) == record.hash
        if record.prev_hash != self._prev or not content_holds:
            self._name_break(record, following, content_holds=content_holds)
            return
        self.result.records += 1
        if self.result.first_seq is None:
            self.result.first_seq = record.seq
        self.result.last_seq = record.seq
        self._day.last_seq = record.seq
        self._day.count += 1
        self._day.head = record.hash
        self._prev = record.hash
        self._expected_seq = record.seq + 1
        self._last = record

    def _name_break(self, record: Record, following: Record | None, *, content_holds: bool) -> None:
        """Which record broke the chain, and how, from the record, its neighbours and their links."""
        last = self._last
        if following is not None and following.prev_hash == self._prev:
            self._break(
                BreakKind.INSERTED,
                record.seq,
                record.day,
                "the record after it continues the chain from the record before it",
            )
        elif last is not None and record.prev_hash == last.prev_hash and record.prev_hash != self._prev:
            self._break(
                BreakKind.INSERTED,
                last.seq,
                last.day,
                f"record {last.seq} was put into the chain: record {record.seq} names the record before it as its "
                "predecessor",
            )
        elif not content_holds:
            self._break(BreakKind.ALTERED, record.seq, record.day, "its content does not match its hash")
        elif last is not None:
            self._break(
                BreakKind.ALTERED,
                last.seq,
                last.day,
                f"its hash was recomputed after a change: record {record.seq} names another hash before it",
            )
        else:
            self._break(BreakKind.ALTERED, record.seq, record.day, "it does not link to the chain before it")

    def _close_day(self) -> None:
        """The day just read ends: the anchors before it, then its own (if the day is closed) must match."""
        day = self._day
        if day is None:
            return
        self._day = None
        self._check_anchors_before(day.day)
        if self.broken:
            return
        if self._next_anchor < len(self.anchors) and self.anchors[self._next_anchor].day == day.day:
            self._next_anchor += 1
            self._check_anchor(self.anchors[self._next_anchor - 1], seen=day)
        # else an open day (today, or not closed yet): the chain alone vouches for it

    def _check_anchors_before(self, before: date | None) -> None:
        """The anchors of days before ``before`` (all: None) not checked yet: days no record was read of."""
        while self._next_anchor < len(self.anchors) and not self.broken:
            anchor = self.anchors[self._next_anchor]
            if before is not None and anchor.day >= before:
                return
            self._next_anchor += 1
            self._check_anchor(anchor, seen=None)

    def _check_anchor(self, anchor: Anchor, *, seen: _Day | None) -> None:
        self.result.anchors += 1
        if not self._signature_holds(anchor):
            self._break(
                BreakKind.ANCHOR, anchor.first_seq if anchor.count else None, anchor.day, "its signature does not hold"
            )
            return
        previous = self._prev_anchor
        expected_link = previous.hash if previous else GENESIS
        if anchor.prev_anchor_hash != expected_link or (
            previous is not None
            and (anchor.day != previous.day + timedelta(days=1) or anchor.first_seq != previous.last_seq + 1)
        ):
            after = f"the anchor of {previous.day}" if previous else "the chain's beginning"
            self._break(BreakKind.ANCHOR, None, anchor.day, f"it does not follow {after} (a day missing or replaced)")
            return
        self._prev_anchor = anchor
        read = seen.count if seen else 0
        if read < anchor.count:
            first_missing = (seen.last_seq + 1) if seen else anchor.first_seq
            self._break(
                BreakKind.MISSING,
                first_missing,
                anchor.day,
                f"the anchor of {anchor.day} holds {anchor.count} records ({anchor.first_seq}..{anchor.last_seq}); "
                f"{read} were found",
            )
            return
        if seen is not None and (seen.first_seq, seen.last_seq) != (anchor.first_seq, anchor.last_seq):
            self._break(
                BreakKind.ANCHOR,
                seen.first_seq,
                anchor.day,
                f"the day holds records {seen.first_seq}..{seen.last_seq}; its anchor "
                f"{anchor.first_seq}..{anchor.last_seq}",
            )
            return
        head = seen.head if seen else self._prev
        if head != anchor.head_hash:
            self._break(
                BreakKind.ANCHOR,
                anchor.last_seq if anchor.count else None,
                anchor.day,
                "the chain's head at the day's end is not the one its anchor signed: the day's records were "
                "rewritten with recomputed hashes",
            )

    def _signature_holds(self, anchor: Anchor) -> bool:
        key = self.public_keys.get(anchor.key_id)
        if key is None:
            return False
        try:
            key.verify(anchor.signature, anchor.message)
        except InvalidSignature:
            return False
        return True

    def _break(self, kind: BreakKind, seq: int | None, day: date | None, reason: str) -> None:
        if self.result.broken is None:
            self.result.broken = Break(kind, seq, day, reason)


def verify(
    records: Iterable[Record],
    anchors: Sequence[Anchor],
    start: ChainStart,
    public_keys: Mapping[str, Ed25519PublicKey],
    since: date,
    until: date,
) -> Verification:
    """MB-16.2: the chain from ``start`` through the records and the range's anchors; the first break named."""
    verifier = ChainVerifier(start, anchors, public_keys, Verification(since, until))
    verifier.feed_all(records)
    return verifier.finish()


# ---- the regulator's queries --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LogQuery:
    """MB-16.2: what a regulator asked the archive for (within its jurisdiction, MB-16.1)."""

    province: str | None  # None: every province (the national office)
    account_id: uuid.UUID | None
    address_hash: bytes | None
    since: datetime | None
    until: datetime | None
    after_seq: int | None
    limit: int


@dataclass(frozen=True, slots=True)
class RecordedQuery:
    """MB-16.1: a query of the log as recorded (the address only as its lookup hash)."""

    id: int
    account_id: uuid.UUID | None
    address_hash: bytes | None
    since: datetime | None
    until: datetime | None
    after_seq: int | None
    rows: int
    at: datetime


class InvalidRange(InvalidInput):
    type = "invalid-range"
    title = "Invalid range of days"


class NothingArchived(NotFound):
    pass


def day_range(since: date | None, until: date | None, today: date) -> tuple[date, date]:
    """A verification's days (inclusive); default: from the chain's start (the caller's) to today."""
    until = until or today
    if since is not None and since > until:
        raise InvalidRange("`from` must not be after `to`.", requirement="MB-16.2")
    return since or date.min, until
