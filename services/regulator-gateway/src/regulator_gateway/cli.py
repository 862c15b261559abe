"""Operator commands: `python -m regulator_gateway.cli create-office --name N --jurisdiction J`.

Prints the new office's id and API key as JSON; the key is shown only this once.
"""

from __future__ import annotations

import argparse
import sys

import asyncpg
from kit.cli import run_command
from kit.db import apply_migrations_async

from regulator_gateway.database import PgDatabase
from regulator_gateway.main import MIGRATIONS
from regulator_gateway.offices.handlers import create_office
from regulator_gateway.offices.store import PgOfficeStore
from regulator_gateway.settings import RegulatorGatewaySettings


async def _create(name: str, jurisdiction: str) -> dict:
    settings = RegulatorGatewaySettings()
    await apply_migrations_async(settings.database_url, MIGRATIONS)
    pool = await asyncpg.create_pool(settings.database_url, min_size=1, max_size=1)
    try:
        office, api_key = await create_office(PgDatabase(pool, PgOfficeStore), name=name, jurisdiction=jurisdiction)
    finally:
        await pool.close()
    return {"office_id": str(office.id), "name": office.name, "jurisdiction": office.jurisdiction, "api_key": api_key}


def main() -> int:
    parser = argparse.ArgumentParser(prog="regulator_gateway.cli", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    create = sub.add_parser("create-office", help="register a regulator office and print its API key")
    create.add_argument("--name", required=True)
    create.add_argument("--jurisdiction", required=True, help="'national' or a province code such as 110000")
    args = parser.parse_args()
    return run_command(_create(args.name, args.jurisdiction))


if __name__ == "__main__":
    sys.exit(main())
