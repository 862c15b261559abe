"""Operator commands (MB-16.1), each printing its result as JSON:

- `python -m regulator_gateway.cli create-office --name N --jurisdiction J`: a new office and its API key;
- `rotate-office-key --office ID [--overlap-hours N]`: a new key (the old ones keep working N hours, default 24);
- `revoke-office-key --office ID [--key-id K]`: the key (without --key-id: every key of the office) stops at once;
- `list-office-keys --office ID`: the office's key ids, created, expires, revoked (never a key);
- `set-office-endpoint --office ID (--url URL | --none)`: push the office's reports to its endpoint, or stop;
- `verify-archive [--from DAY] [--to DAY]`: the user-log archive's chain verified against its signed anchors
  (MB-16.2); exit code 1 when it is broken (the first broken record named), 0 when it holds.

A key is shown only once, when it is made.
"""

from __future__ import annotations

import argparse
import sys
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from typing import Any

import asyncpg
from kit.cli import run_command
from kit.db import apply_migrations_async

from regulator_gateway.archive import handlers as archive
from regulator_gateway.archive.schemas import VerificationRead
from regulator_gateway.archive.store import PgArchiveStore
from regulator_gateway.database import PgDatabase
from regulator_gateway.deliveries import handlers as deliveries
from regulator_gateway.deliveries.store import PushUnit
from regulator_gateway.main import MIGRATIONS
from regulator_gateway.offices import handlers
from regulator_gateway.offices.domain import DEFAULT_OVERLAP_HOURS, OfficeKey
from regulator_gateway.offices.store import PgOfficeStore
from regulator_gateway.settings import RegulatorCommandSettings, RegulatorGatewaySettings


async def _with_offices(work: Callable[[PgDatabase], Awaitable[dict]], unit=PgOfficeStore) -> dict:
    settings = RegulatorCommandSettings()  # the database is all they need (not the archive's keys)
    await apply_migrations_async(settings.database_url, MIGRATIONS)
    pool = await asyncpg.create_pool(settings.database_url, min_size=1, max_size=1)
    try:
        return await work(PgDatabase(pool, unit))
    finally:
        await pool.close()


async def _endpoint(db: PgDatabase, office_id: uuid.UUID, url: str | None) -> dict:
    allow_http = RegulatorCommandSettings().push_allow_http
    await deliveries.set_endpoint(db, office_id, url, by="operator", allow_http=allow_http)
    return {"office_id": str(office_id), "endpoint": url}


def _key(key: OfficeKey) -> dict[str, Any]:
    def moment(at: datetime | None) -> str | None:
        return at.isoformat() if at else None

    return {
        "key_id": key.id,
        "created_at": moment(key.created_at),
        "expires_at": moment(key.expires_at),
        "revoked_at": moment(key.revoked_at),
    }


async def _create(db: PgDatabase, name: str, jurisdiction: str) -> dict:
    office, api_key = await handlers.create_office(db, name=name, jurisdiction=jurisdiction)
    return {"office_id": str(office.id), "name": office.name, "jurisdiction": office.jurisdiction, "api_key": api_key}


async def _rotate(db: PgDatabase, office_id: uuid.UUID, overlap_hours: float) -> dict:
    new, api_key, replaced = await handlers.rotate_key(
        db, office_id, overlap_hours=overlap_hours, now=datetime.now(UTC)
    )
    return {"office_id": str(office_id), **_key(new), "api_key": api_key, "replaced": [_key(k) for k in replaced]}


async def _revoke(db: PgDatabase, office_id: uuid.UUID, key_id: str | None) -> dict:
    revoked = await handlers.revoke_key(db, office_id, key_id)
    return {"office_id": str(office_id), "revoked": [_key(k) for k in revoked]}


async def _list(db: PgDatabase, office_id: uuid.UUID) -> dict:
    return {"office_id": str(office_id), "keys": [_key(k) for k in await handlers.list_keys(db, office_id)]}


async def _verify(since: date | None, until: date | None) -> dict:
    settings = RegulatorGatewaySettings()
    pool = await asyncpg.create_pool(settings.database_url, min_size=1, max_size=1)
    try:
        result = await archive.verify(
            PgDatabase(pool, PgArchiveStore),
            settings.archive_public_keys(),
            since=since,
            until=until,
        )
    finally:
        await pool.close()
    return VerificationRead.of(result).model_dump(mode="json", by_alias=True)


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="regulator_gateway.cli", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    create = sub.add_parser("create-office", help="register a regulator office and print its API key")
    create.add_argument("--name", required=True)
    create.add_argument("--jurisdiction", required=True, help="'national' or a province code such as 110000")
    rotate = sub.add_parser("rotate-office-key", help="a new key for the office, printed once; old keys overlap")
    rotate.add_argument("--office", required=True, type=uuid.UUID)
    rotate.add_argument(
        "--overlap-hours",
        type=float,
        default=DEFAULT_OVERLAP_HOURS,
        help=f"how long the office's other keys keep working (default {DEFAULT_OVERLAP_HOURS}; 0: stop now)",
    )
    revoke = sub.add_parser("revoke-office-key", help="stop an office's key at once")
    revoke.add_argument("--office", required=True, type=uuid.UUID)
    revoke.add_argument("--key-id", help="the key's id (list-office-keys); without it every key of the office")
    listing = sub.add_parser("list-office-keys", help="the office's key ids and their lives (never a key)")
    listing.add_argument("--office", required=True, type=uuid.UUID)
    endpoint = sub.add_parser("set-office-endpoint", help="push the office's reports to its endpoint (or stop)")
    endpoint.add_argument("--office", required=True, type=uuid.UUID)
    where = endpoint.add_mutually_exclusive_group(required=True)
    where.add_argument("--url", help="an absolute https URL (http where PUSH_ALLOW_HTTP is set)")
    where.add_argument("--none", action="store_true", help="stop pushing (pulling stays)")
    verify = sub.add_parser("verify-archive", help="verify the user-log archive's chain and anchors (MB-16.2)")
    verify.add_argument("--from", dest="since", type=date.fromisoformat, help="first UTC day, e.g. 2026-06-01")
    verify.add_argument("--to", dest="until", type=date.fromisoformat, help="last UTC day (default: today)")
    args = parser.parse_args()
    if args.command == "verify-archive":
        # MB-16.2: a broken chain exits 1 (the JSON names the first broken record)
        return run_command(_verify(args.since, args.until), exit_code=lambda r: 0 if r["ok"] else 1)
    if args.command == "set-office-endpoint":
        return run_command(_with_offices(lambda db: _endpoint(db, args.office, args.url), unit=PushUnit))
    if args.command == "create-office":
        return run_command(_with_offices(lambda db: _create(db, args.name, args.jurisdiction)))
    if args.command == "rotate-office-key":
        return run_command(_with_offices(lambda db: _rotate(db, args.office, args.overlap_hours)))
    if args.command == "revoke-office-key":
        return run_command(_with_offices(lambda db: _revoke(db, args.office, args.key_id)))
    return run_command(_with_offices(lambda db: _list(db, args.office)))


if __name__ == "__main__":
    sys.exit(main())
