"""Operator commands: `python -m identity.cli create-staff --username U --role chief_editor [--role ...]`,
`rewrap-personal-data`, `seal-proof-names`.

Prints the new staff account's id and generated password as JSON; the password is shown only this once.
"""

from __future__ import annotations

import argparse
import sys

import asyncpg
from contracts.staff import StaffRole
from kit.cli import run_command
from kit.db import apply_migrations_async

from identity.main import MIGRATIONS
from identity.personal_data.handlers import rewrap
from identity.ports import PgDatabase, PgTx
from identity.settings import IdentitySettings, PasswordSettings
from identity.staff.handlers import create_staff
from identity.verified.handlers import seal_plaintext_proof_names


async def _create(username: str, roles: list[StaffRole]) -> dict:
    settings = PasswordSettings()
    await apply_migrations_async(settings.database_url, MIGRATIONS)
    hasher = settings.password_hasher()
    conn = await asyncpg.connect(settings.database_url)
    try:
        staff_id, password = await create_staff(PgTx(conn), hasher, username=username, roles=roles)
    finally:
        await conn.close()
    return {"staff_id": str(staff_id), "username": username, "roles": sorted(roles), "password": password}


async def _rewrap() -> dict:
    """After a key rotation: move every sealed value to the current key (MB-7.3)."""
    settings = IdentitySettings()
    vault = settings.vault()
    pool = await asyncpg.create_pool(settings.database_url, min_size=1, max_size=2)
    try:
        moved = await rewrap(PgDatabase(pool), vault)
    finally:
        await pool.close()
    return {"rewrapped": moved, "current_key_id": vault.current_key_id}


async def _seal_proof_names() -> dict:
    """MB-7.3: seal the V applications' proof names an earlier version left in plaintext (identity
    also does this at start-up; the command is for a database no identity process has started on)."""
    settings = IdentitySettings()
    await apply_migrations_async(settings.database_url, MIGRATIONS)
    pool = await asyncpg.create_pool(settings.database_url, min_size=1, max_size=2)
    try:
        return {"sealed": await seal_plaintext_proof_names(pool, settings.vault())}
    finally:
        await pool.close()


def main() -> int:
    parser = argparse.ArgumentParser(prog="identity.cli", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    create = sub.add_parser("create-staff", help="create a staff account and print its password")
    create.add_argument("--username", required=True)
    create.add_argument("--role", action="append", required=True, choices=[r.value for r in StaffRole])
    sub.add_parser("rewrap-personal-data", help="after a key rotation, move personal data to the current key")
    sub.add_parser("seal-proof-names", help="seal V applications' proof names left in plaintext (MB-7.3)")
    args = parser.parse_args()
    if args.command == "rewrap-personal-data":
        return run_command(_rewrap())
    if args.command == "seal-proof-names":
        return run_command(_seal_proof_names())
    return run_command(_create(args.username, [StaffRole(r) for r in args.role]))


if __name__ == "__main__":
    sys.exit(main())
