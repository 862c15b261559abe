"""Filings with the regulator beyond reports of stopped content: the blacklist (PA-13.2), and the
place where verified accounts (MB-10.1), grading rules (MB-9) and multi-account operators (PA-7.3)
are filed. Each office sees the filings of its province (MB-16.1); every access is recorded."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Annotated

import asyncpg
from fastapi import APIRouter, Query, Request
from kit.cloudevents import Event
from kit.inputs import Text
from pydantic import BaseModel

from regulator_gateway.offices import NATIONAL, CurrentOffice

router = APIRouter(tags=["regulator"])


async def on_subject_blacklisted(conn: asyncpg.Connection, event: Event) -> None:
    listed = event.message
    await _file(
        conn,
        event,
        kind="blacklist",
        account_id=listed.account_id,
        province=listed.province_code,
        basis=list(listed.legal_basis),
        details={
            "blacklist_id": listed.blacklist_id,
            "reason": listed.reason,
            "listed_at": listed.listed_at.ToDatetime().isoformat() + "Z",
        },
    )


async def on_verified_account_approved(conn: asyncpg.Connection, event: Event) -> None:
    """MB-10.1: a verified account is filed with the office of its registration place."""
    approved = event.message
    await _file(
        conn,
        event,
        kind="verified_account",
        account_id=approved.account_id,
        province=approved.province_code,
        basis=list(approved.legal_basis),
        details={
            "verified_type": approved.verified_type,
            # MB-7.3: the name the account shows; the name on the proof is never filed in plaintext.
            "display_name": approved.display_name,
            "approved_at": approved.approved_at.ToDatetime().isoformat() + "Z",
            "proof_sha256": list(approved.proof_sha256),
        },
    )


async def on_operator_declared(conn: asyncpg.Connection, event: Event) -> None:
    """PA-7.3: an operator of many public accounts, filed with the office of its province."""
    declared = event.message
    await _file(
        conn,
        event,
        kind="multi_account_operator",
        account_id=declared.account_id,
        province=declared.province_code,
        basis=list(declared.legal_basis),
        details={
            "registrant": declared.registrant,
            "business_scope": declared.business_scope,
            "accounts": list(declared.account_ids),
        },
    )


async def on_grading_rules_published(conn: asyncpg.Connection, event: Event) -> None:
    """MB-9: the grading rules, filed nationally."""
    published = event.message
    await _file(
        conn,
        event,
        kind="grading_rules",
        account_id=None,
        province="",
        basis=list(published.legal_basis),
        details={"version": published.version, "rules": json.loads(published.rules_json)},
    )


async def _file(
    conn: asyncpg.Connection,
    event: Event,
    *,
    kind: str,
    account_id: str,
    province: str,
    basis: list[str],
    details: dict,
) -> None:
    await conn.execute(
        """INSERT INTO filing (id, event_id, kind, account_id, province_code, legal_basis, details)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (event_id) DO NOTHING""",
        uuid.uuid4(),
        event.id,
        kind,
        uuid.UUID(account_id) if account_id else None,
        province or None,
        basis,
        json.dumps(details),
    )


class FilingRead(BaseModel):
    id: str
    kind: str
    account_id: str | None
    province_code: str | None
    legal_basis: list[str]
    details: dict
    filed_at: datetime


@router.get("/v1/regulator/filings", response_model=list[FilingRead])
async def list_filings(
    office: CurrentOffice,
    request: Request,
    kind: Text | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[dict]:
    """Filings in the office's jurisdiction, oldest first (`kind`: blacklist, ...)."""
    rows = await request.app.state.runtime.pool.fetch(
        """SELECT * FROM filing WHERE ($1 OR province_code = $2) AND ($3::text IS NULL OR kind = $3)
           ORDER BY filed_at, id LIMIT $4""",
        office.jurisdiction == NATIONAL,
        office.jurisdiction,
        kind,
        limit,
    )
    return [
        {
            "id": str(r["id"]),
            "kind": r["kind"],
            "account_id": str(r["account_id"]) if r["account_id"] else None,
            "province_code": r["province_code"],
            "legal_basis": list(r["legal_basis"]),
            "details": json.loads(r["details"]),
            "filed_at": r["filed_at"],
        }
        for r in rows
    ]
