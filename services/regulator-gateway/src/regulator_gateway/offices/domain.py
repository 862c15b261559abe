"""Offices, their jurisdictions and keys: rules without I/O (MB-16.1)."""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass

from kit.problems import InvalidInput, Unauthorized

NATIONAL = "national"
KEY_PREFIX = "qlr_"
_PROVINCE = re.compile(r"^[1-9][0-9]0000$")


@dataclass(frozen=True)
class Office:
    id: uuid.UUID
    name: str
    jurisdiction: str

    @property
    def national(self) -> bool:
        return self.jurisdiction == NATIONAL

    def may_see(self, province_code: str | None) -> bool:
        # MB-16.1: the national office sees everything, a provincial office its own province.
        return self.national or (province_code is not None and province_code == self.jurisdiction)


class InvalidJurisdiction(InvalidInput):
    pass


class MissingApiKey(Unauthorized):
    pass


class UnknownApiKey(Unauthorized):
    pass


def key_hash(api_key: str) -> bytes:
    # A 256-bit random key needs no slow hash: SHA-256 is a fine lookup for it.
    return hashlib.sha256(api_key.encode()).digest()


def new_api_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def check_jurisdiction(jurisdiction: str) -> str:
    if jurisdiction != NATIONAL and not _PROVINCE.match(jurisdiction):
        raise InvalidJurisdiction("jurisdiction is 'national' or a province code such as 110000")
    return jurisdiction
