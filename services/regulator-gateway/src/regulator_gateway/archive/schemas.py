"""HTTP models of the user-log archive (MB-16.2): records with everything their hash covers, the signed
anchors and the public key to verify them without trusting the platform, verifications, recorded queries."""

from __future__ import annotations

import base64
from datetime import date, datetime

from pydantic import BaseModel, Field

from regulator_gateway.archive.domain import AddressKeys, Anchor, Record, RecordedQuery, Verification


def _b64(value: bytes) -> str:
    return base64.b64encode(value).decode()


class LogRecordRead(BaseModel):
    seq: int = Field(description="Place in the chain (consecutive)")
    day: date = Field(description="The archive's UTC day (the anchor that closes it)")
    recorded_at: datetime
    record_id: str
    source: str = Field(description="The service that announced it")
    kind: str
    occurred_at: datetime
    account_id: str | None
    actor_id: str | None
    address: str | None = Field(description="The client's network address (opened from sealed_address)")
    port: int | None = Field(description="The client's source port")
    client_id: str
    subject_type: str
    subject_id: str
    succeeded: bool
    detail: str
    legal_basis: list[str]
    sealed_address: str = Field(description="base64: the sealed address as archived (the hash covers it)")
    address_hash: str | None = Field(description="hex: HMAC lookup hash of the address (the hash covers it)")
    prev_hash: str = Field(description="hex: the hash of record seq - 1")
    hash: str = Field(description="hex: SHA-256 of the record's canonical encoding (README)")

    @classmethod
    def of(cls, r: Record, keys: AddressKeys) -> LogRecordRead:
        opened = keys.open(r.sealed_address)
        return cls(
            seq=r.seq,
            day=r.day,
            recorded_at=r.recorded_at,
            record_id=str(r.record_id),
            source=r.source,
            kind=r.kind,
            occurred_at=r.occurred_at,
            account_id=str(r.account_id) if r.account_id else None,
            actor_id=r.actor_id,
            address=opened.address if opened else None,
            port=opened.port if opened else None,
            client_id=r.client_id,
            subject_type=r.subject_type,
            subject_id=r.subject_id,
            succeeded=r.succeeded,
            detail=r.detail,
            legal_basis=list(r.legal_basis),
            sealed_address=_b64(r.sealed_address),
            address_hash=r.address_hash.hex() if r.address_hash is not None else None,
            prev_hash=r.prev_hash.hex(),
            hash=r.hash.hex(),
        )


class AnchorRead(BaseModel):
    day: date
    first_seq: int
    last_seq: int
    count: int
    head_hash: str = Field(description="hex: the hash of record last_seq, the chain's head at the day's end")
    prev_anchor_hash: str = Field(description="hex: SHA-256 of the previous day's anchor message")
    signed_at: datetime
    key_id: str
    signature: str = Field(description="base64: Ed25519 over `message`")
    message: str = Field(description="base64: the canonical encoding signed (README)")
    anchor_hash: str = Field(description="hex: SHA-256 of `message` (the next anchor's prev_anchor_hash)")

    @classmethod
    def of(cls, a: Anchor) -> AnchorRead:
        return cls(
            day=a.day,
            first_seq=a.first_seq,
            last_seq=a.last_seq,
            count=a.count,
            head_hash=a.head_hash.hex(),
            prev_anchor_hash=a.prev_anchor_hash.hex(),
            signed_at=a.signed_at,
            key_id=a.key_id,
            signature=_b64(a.signature),
            message=_b64(a.message),
            anchor_hash=a.hash.hex(),
        )


class ArchiveKeysRead(BaseModel):
    algorithm: str = "Ed25519"
    key_id: str
    public_key: str = Field(description="base64: the raw 32-byte Ed25519 public key that signs the anchors")
    public_key_pem: str
    seal_public_key: str = Field(description="base64: the X25519 key the services seal addresses to")


class BreakRead(BaseModel):
    kind: str = Field(description="altered, missing, inserted or anchor-mismatch")
    seq: int | None = Field(description="The first broken record (null: an anchor of a day without records)")
    day: date | None
    reason: str


class VerificationRead(BaseModel):
    ok: bool
    since: date = Field(alias="from")
    until: date = Field(alias="to")
    records: int
    anchors: int
    first_seq: int | None
    last_seq: int | None
    broken: BreakRead | None
    legal_basis: list[str] = ["MB-16.2", "PA-16.2"]

    model_config = {"populate_by_name": True}

    @classmethod
    def of(cls, v: Verification) -> VerificationRead:
        b = v.broken
        return cls(
            ok=v.ok,
            since=v.since,
            until=v.until,
            records=v.records,
            anchors=v.anchors,
            first_seq=v.first_seq,
            last_seq=v.last_seq,
            broken=BreakRead(kind=b.kind.value, seq=b.seq, day=b.day, reason=b.reason) if b else None,
        )


class LogQueryRead(BaseModel):
    id: int
    account_id: str | None
    address_hash: str | None = Field(description="hex: the address asked for, as its lookup hash only")
    since: datetime | None = Field(alias="from")
    until: datetime | None = Field(alias="to")
    cursor_after_seq: int | None
    rows: int
    at: datetime

    model_config = {"populate_by_name": True}

    @classmethod
    def of(cls, q: RecordedQuery) -> LogQueryRead:
        return cls(
            id=q.id,
            account_id=str(q.account_id) if q.account_id else None,
            address_hash=q.address_hash.hex() if q.address_hash is not None else None,
            since=q.since,
            until=q.until,
            cursor_after_seq=q.after_seq,
            rows=q.rows,
            at=q.at,
        )
