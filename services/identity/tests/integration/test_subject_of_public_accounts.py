"""PA-13.2, PA-6.2: the subject behind a public account, on identity's real database. A public account has no
real-name verification of its own: its subject is its registrant's (public_account.subject_lookup, with the
province it was registered in), so its closure blacklists that subject, and the subject's credit counts it."""

from __future__ import annotations

import uuid

import asyncpg
import pytest
from devstack.testing import Infra
from identity.main import MIGRATIONS
from identity.standing.store import StandingStore
from kit.db import apply_migrations


async def _user(conn: asyncpg.Connection, lookup: bytes, province: str) -> uuid.UUID:
    account = uuid.uuid4()
    await conn.execute(
        """INSERT INTO account (id, username, password_hash, phone_ciphertext, phone_lookup)
           VALUES ($1, $2, 'x', 'x', $3)""",
        account,
        f"u{account.hex[:8]}",
        account.bytes,
    )
    await conn.execute(
        """INSERT INTO real_name_verification (account_id, subject_type, legal_name_ciphertext, id_number_ciphertext,
               id_number_lookup, province_code, legal_basis, expires_at)
           VALUES ($1, 'organization', 'x', 'x', $2, $3, '{MB-7.1}', now() + interval '1 year')""",
        account,
        lookup,
        province,
    )
    return account


async def _public_account(conn: asyncpg.Connection, owner: uuid.UUID, lookup: bytes, province: str) -> uuid.UUID:
    account, application = uuid.uuid4(), uuid.uuid4()
    await conn.execute(
        "INSERT INTO account (id, username, kind) VALUES ($1, $2, 'public')", account, f"public-{account}"
    )
    await conn.execute(
        """INSERT INTO public_account_application (id, registrant_account_id, subject_lookup, public_account_id,
               name, name_folded, kind, category, business_scope, province_code, status)
           VALUES ($1, $2, $3, $4, $5, $5, 'enterprise', 'culture', 'x', $6, 'approved')""",
        application,
        owner,
        lookup,
        account,
        f"公号{account.hex[:8]}",
        province,
    )
    await conn.execute(
        """INSERT INTO public_account (account_id, application_id, owner_account_id, subject_lookup, name, kind,
               label, category, business_scope, province_code)
           VALUES ($1, $2, $3, $4, 'x', 'enterprise', '企业', 'culture', 'x', $5)""",
        account,
        application,
        owner,
        lookup,
        province,
    )
    return account


@pytest.mark.requirement("PA-13.2")
@pytest.mark.requirement("PA-6.2")
async def test_a_public_account_s_subject_is_its_registrant_s(infra: Infra) -> None:
    url = infra.fresh_database()
    apply_migrations(url, MIGRATIONS)
    conn = await asyncpg.connect(url)
    try:
        lookup, other = uuid.uuid4().bytes, uuid.uuid4().bytes
        owner = await _user(conn, lookup, "440000")
        public = await _public_account(conn, owner, lookup, "440000")
        stranger = await _user(conn, other, "110000")
        store = StandingStore(conn)

        subject = await store.subject_of(public)
        assert subject is not None
        assert (bytes(subject["id_number_lookup"]), subject["province_code"], subject["subject_type"]) == (
            lookup,
            "440000",
            "organization",
        )
        assert bytes((await store.subject_of(owner))["id_number_lookup"]) == lookup  # a user account: as before
        assert await store.subject_of(uuid.uuid4()) is None

        # The subject's accounts, from either side: the registrant's user account and its public account.
        assert sorted(await store.subject_accounts(public)) == sorted([owner, public])
        assert sorted(await store.subject_accounts(owner)) == sorted([owner, public])
        assert await store.subject_accounts(stranger) == [stranger]
    finally:
        await conn.close()
