"""The user-log archive for regulators (MB-16.2, PA-16.2, MB-16.1): logs by account, time and network
address within the office's jurisdiction (every query recorded), the office's own queries, the signed
anchors and their public key, and the chain's verification; staff (auditors, operators) verify too."""

from __future__ import annotations

import base64
import uuid
from datetime import date
from typing import Annotated

from contracts.staff import StaffRole
from cryptography.hazmat.primitives import serialization
from fastapi import APIRouter, Depends, Query, Request
from kit.auth import Principal, staff_with
from kit.inputs import Text
from kit.pagination import CursorQuery, Page, decode_cursor, encode_cursor
from kit.periods import Since, Until, open_period
from kit.problems import problems

from regulator_gateway.archive import domain, handlers
from regulator_gateway.archive.domain import AddressKeys, key_id
from regulator_gateway.archive.schemas import (
    AnchorRead,
    ArchiveKeysRead,
    LogQueryRead,
    LogRecordRead,
    VerificationRead,
)
from regulator_gateway.archive.store import ArchiveStore, PgArchiveStore
from regulator_gateway.database import Database, PgDatabase
from regulator_gateway.offices.api import CurrentOffice
from regulator_gateway.settings import RegulatorGatewaySettings

router = APIRouter(tags=["regulator"])
staff_router = APIRouter(tags=["regulator staff"])

MAX_LIMIT = 1000  # MB-16.2: a page of the log holds at most this many records


async def archive_database(request: Request) -> Database[ArchiveStore]:
    return PgDatabase(request.app.state.runtime.pool, PgArchiveStore)


async def _settings(request: Request) -> RegulatorGatewaySettings:
    return request.app.state.runtime.settings


async def address_keys(request: Request) -> AddressKeys:
    keys = getattr(request.app.state, "archive_address_keys", None)
    if keys is None:
        keys = request.app.state.archive_address_keys = request.app.state.runtime.settings.address_keys()
    return keys


Archive = Annotated[Database[ArchiveStore], Depends(archive_database)]
Keys = Annotated[AddressKeys, Depends(address_keys)]
Settings = Annotated[RegulatorGatewaySettings, Depends(_settings)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page at most (1..1000)")]
FromDay = Annotated[date | None, Query(alias="from", description="First UTC day (inclusive)")]
ToDay = Annotated[date | None, Query(alias="to", description="Last UTC day (inclusive)")]
Verifier = Annotated[
    Principal, staff_with(StaffRole.AUDITOR, StaffRole.OPERATOR, StaffRole.CHIEF_EDITOR, requirement="MB-16.2")
]


@router.get("/v1/regulator/logs", response_model=Page[LogRecordRead], responses=problems(422))
async def list_logs(
    office: CurrentOffice,
    db: Archive,
    keys: Keys,
    account_id: Annotated[uuid.UUID | None, Query(description="One account's records")] = None,
    address: Annotated[Text | None, Query(max_length=64, description="Records from this IPv4/IPv6 address")] = None,
    since: Since = None,
    until: Until = None,
    cursor: CursorQuery = None,
    limit: Limit = 100,
) -> Page[LogRecordRead]:
    """MB-16.2, PA-16.2: the user log (sign-ins, publications, ... with time, network address and port) of the
    office's jurisdiction (MB-16.1: a provincial office sees the accounts registered in its province), by
    account, time of occurrence (`from`, `to`) and address, oldest first. Each record carries what its hash
    covers, so the chain can be recomputed. Every query is recorded (`GET /v1/regulator/logs/queries`)."""
    since, until = open_period(since, until, requirement="MB-16.2")
    after = decode_cursor(cursor, int)[0] if cursor else None
    found = await handlers.query_logs(
        db,
        office,
        account_id=account_id,
        address_hash=keys.lookup_hash(domain.checked_address(address)) if address else None,
        since=since,
        until=until,
        after_seq=after,
        limit=limit,
    )
    shown = found[:limit]
    more = len(found) > limit and shown
    return Page[LogRecordRead](
        items=[LogRecordRead.of(r, keys) for r in shown], next_cursor=encode_cursor(shown[-1].seq) if more else None
    )


@router.get("/v1/regulator/logs/queries", response_model=Page[LogQueryRead], responses=problems(422))
async def list_log_queries(
    office: CurrentOffice, db: Archive, cursor: CursorQuery = None, limit: Limit = 100
) -> Page[LogQueryRead]:
    """MB-16.1: the office's own queries of the log, newest first: when, what filter (an address as its lookup
    hash), how many rows."""
    before = decode_cursor(cursor, int)[0] if cursor else None
    found = await handlers.recorded_queries(db, office, before_id=before, limit=limit + 1)
    shown = found[:limit]
    more = len(found) > limit and shown
    return Page[LogQueryRead](
        items=[LogQueryRead.of(q) for q in shown], next_cursor=encode_cursor(shown[-1].id) if more else None
    )


@router.get("/v1/regulator/archive/anchors", response_model=list[AnchorRead], responses=problems(422))
async def list_anchors(
    office: CurrentOffice, db: Archive, since: FromDay = None, until: ToDay = None
) -> list[AnchorRead]:
    """MB-16.2: the signed anchors of the days `from`..`to` (inclusive; at most 1,000 days a call): keep them,
    and any later change, deletion or insertion of a record is detectable without trusting the platform."""
    since, until = _days(since, until)
    return [AnchorRead.of(a) for a in await handlers.anchors(db, since=since, until=until)]


@router.get("/v1/regulator/archive/public-key", response_model=ArchiveKeysRead)
async def archive_public_key(office: CurrentOffice, settings: Settings, keys: Keys) -> ArchiveKeysRead:
    """MB-16.2: the Ed25519 public key that signs the anchors (and the X25519 key addresses are sealed to)."""
    public = settings.archive_signer().public_key()
    return ArchiveKeysRead(
        key_id=key_id(public),
        public_key=base64.b64encode(
            public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        ).decode(),
        public_key_pem=public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode(),
        seal_public_key=base64.b64encode(keys.public_key).decode(),
    )


@router.get("/v1/regulator/archive/verification", response_model=VerificationRead, responses=problems(422))
async def verify_archive(
    office: CurrentOffice, db: Archive, settings: Settings, since: FromDay = None, until: ToDay = None
) -> VerificationRead:
    """MB-16.2: the chain of the days `from`..`to` (default: all that is kept, through today) recomputed
    against the signed anchors; `ok`, or the first broken record (`broken`: kind and seq)."""
    return await _verify(db, settings, since, until)


@staff_router.get("/v1/regulator/staff/archive/verification", response_model=VerificationRead, responses=problems(422))
async def staff_verify_archive(
    staff: Verifier, db: Archive, settings: Settings, since: FromDay = None, until: ToDay = None
) -> VerificationRead:
    """MB-16.2: as the regulator's verification, for auditors, operators and the chief editor."""
    return await _verify(db, settings, since, until)


async def _verify(
    db: Database[ArchiveStore], settings: RegulatorGatewaySettings, since: date | None, until: date | None
) -> VerificationRead:
    domain.day_range(since, until, date.max)  # a reversed range is a 422
    result = await handlers.verify(
        db,
        settings.archive_public_keys(),
        since=since,
        until=until,
    )
    return VerificationRead.of(result)


def _days(since: date | None, until: date | None) -> tuple[date | None, date | None]:
    domain.day_range(since, until, date.max)
    if since is not None and until is not None and (until - since).days >= MAX_LIMIT:
        raise domain.InvalidRange("At most 1,000 days of anchors a call.", requirement="MB-16.2")
    return since, until
