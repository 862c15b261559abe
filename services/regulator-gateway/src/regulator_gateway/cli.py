"""Operator commands.

`python -m regulator_gateway.cli create-office --name N --jurisdiction J` prints the new office's id and API
key as JSON; the key is shown only this once.

`python -m regulator_gateway.cli verify-archive [--from DAY] [--to DAY]` verifies the user-log archive's
chain against its signed anchors (MB-16.2) and prints the result as JSON; the exit code is 1 when the
chain is broken (the first broken record named), 0 when it holds.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date

import asyncpg
from kit.cli import run_command
from kit.db import apply_migrations_async
from kit.settings import KitSettings

from regulator_gateway.archive import handlers as archive
from regulator_gateway.archive.schemas import VerificationRead
from regulator_gateway.archive.store import PgArchiveStore
from regulator_gateway.database import PgDatabase
from regulator_gateway.main import MIGRATIONS
from regulator_gateway.offices.handlers import create_office
from regulator_gateway.offices.store import PgOfficeStore
from regulator_gateway.settings import RegulatorGatewaySettings


async def _create(name: str, jurisdiction: str) -> dict:
    settings = KitSettings()  # the database is all it needs (not the archive's keys)
    await apply_migrations_async(settings.database_url, MIGRATIONS)
    pool = await asyncpg.create_pool(settings.database_url, min_size=1, max_size=1)
    try:
        office, api_key = await create_office(PgDatabase(pool, PgOfficeStore), name=name, jurisdiction=jurisdiction)
    finally:
        await pool.close()
    return {"office_id": str(office.id), "name": office.name, "jurisdiction": office.jurisdiction, "api_key": api_key}


async def _verify(since: date | None, until: date | None) -> dict:
    settings = RegulatorGatewaySettings()
    pool = await asyncpg.create_pool(settings.database_url, min_size=1, max_size=1)
    try:
        result = await archive.verify(
            PgDatabase(pool, PgArchiveStore),
            settings.archive_public_keys(),
            since=since,
            until=until,
            retention_days=settings.archive_retention_days,
        )
    finally:
        await pool.close()
    return VerificationRead.of(result).model_dump(mode="json", by_alias=True)


def main() -> int:
    parser = argparse.ArgumentParser(prog="regulator_gateway.cli", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    create = sub.add_parser("create-office", help="register a regulator office and print its API key")
    create.add_argument("--name", required=True)
    create.add_argument("--jurisdiction", required=True, help="'national' or a province code such as 110000")
    verify = sub.add_parser("verify-archive", help="verify the user-log archive's chain and anchors (MB-16.2)")
    verify.add_argument("--from", dest="since", type=date.fromisoformat, help="first UTC day, e.g. 2026-06-01")
    verify.add_argument("--to", dest="until", type=date.fromisoformat, help="last UTC day (default: today)")
    args = parser.parse_args()
    if args.command == "verify-archive":
        # MB-16.2: a broken chain exits 1 (the JSON names the first broken record)
        return run_command(_verify(args.since, args.until), exit_code=lambda r: 0 if r["ok"] else 1)
    return run_command(_create(args.name, args.jurisdiction))


if __name__ == "__main__":
    sys.exit(main())
