"""Regulator offices and their API keys: a key is shown once, stored only as its SHA-256."""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass
from typing import Annotated

import asyncpg
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from kit.problems import InvalidInput, Unauthorized

NATIONAL = "national"
KEY_PREFIX = "qlr_"
_PROVINCE = re.compile(r"^[1-9][0-9]0000$")


@dataclass(frozen=True)
class Office:
    id: uuid.UUID
    name: str
    jurisdiction: str

    def may_see(self, province_code: str | None) -> bool:
        # MB-16.1: the national office sees everything, a provincial office its own province.
        return self.jurisdiction == NATIONAL or (province_code is not None and province_code == self.jurisdiction)


def key_hash(api_key: str) -> bytes:
    # A 256-bit random key needs no slow hash: SHA-256 is a fine lookup for it.
    return hashlib.sha256(api_key.encode()).digest()


def check_jurisdiction(jurisdiction: str) -> str:
    if jurisdiction != NATIONAL and not _PROVINCE.match(jurisdiction):
        raise InvalidInput("jurisdiction is 'national' or a province code such as 110000")
    return jurisdiction


async def create_office(conn: asyncpg.Connection, *, name: str, jurisdiction: str) -> tuple[Office, str]:
    api_key = KEY_PREFIX + secrets.token_urlsafe(32)
    office = Office(uuid.uuid4(), name, check_jurisdiction(jurisdiction))
    await conn.execute(
        "INSERT INTO regulator_office (id, name, jurisdiction, key_hash) VALUES ($1, $2, $3, $4)",
        office.id,
        office.name,
        office.jurisdiction,
        key_hash(api_key),
    )
    return office, api_key


_bearer = HTTPBearer(auto_error=False)


async def current_office(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Office:
    """Authenticate the office by its API key and record the access (MB-16.1)."""
    if credentials is None:
        raise Unauthorized("Send the office's API key: 'Authorization: Bearer qlr_...'.")
    pool: asyncpg.Pool = request.app.state.runtime.pool
    async with pool.acquire() as conn:
        row = await conn.fetchrow(
            "SELECT id, name, jurisdiction FROM regulator_office WHERE key_hash = $1 AND revoked_at IS NULL",
            key_hash(credentials.credentials),
        )
        if row is None:
            raise Unauthorized("Unknown or revoked API key.")
        await conn.execute(
            "INSERT INTO regulator_access (office_id, method, path) VALUES ($1, $2, $3)",
            row["id"],
            request.method,
            request.url.path,
        )
    return Office(row["id"], row["name"], row["jurisdiction"])


CurrentOffice = Annotated[Office, Depends(current_office)]
