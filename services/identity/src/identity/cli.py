"""Operator commands: `python -m identity.cli create-staff --username U --role chief_editor [--role ...]`.

Prints the new staff account's id and generated password as JSON; the password is shown only this once.
"""

from __future__ import annotations

import argparse
import sys

import asyncpg
from kit.cli import run_command
from kit.db import apply_migrations_async

from identity.main import MIGRATIONS
from identity.settings import PasswordSettings
from identity.staff import StaffRole, create_staff


async def _create(username: str, roles: list[StaffRole]) -> dict:
    settings = PasswordSettings()
    await apply_migrations_async(settings.database_url, MIGRATIONS)
    hasher = settings.password_hasher()
    conn = await asyncpg.connect(settings.database_url)
    try:
        staff_id, password = await create_staff(conn, hasher, username=username, roles=roles)
    finally:
        await conn.close()
    return {"staff_id": str(staff_id), "username": username, "roles": sorted(roles), "password": password}


def main() -> int:
    parser = argparse.ArgumentParser(prog="identity.cli", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    create = sub.add_parser("create-staff", help="create a staff account and print its password")
    create.add_argument("--username", required=True)
    create.add_argument("--role", action="append", required=True, choices=[r.value for r in StaffRole])
    args = parser.parse_args()
    return run_command(_create(args.username, [StaffRole(r) for r in args.role]))


if __name__ == "__main__":
    sys.exit(main())
