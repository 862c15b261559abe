"""The ports every handler takes: the database (a unit of work that hands out the stores of one
transaction) and the outside services. Wired in `main.py`; fast handler tests pass in-memory fakes.

A handler opens ``async with ports.db.transaction() as tx`` and speaks only to ``tx``: its stores
(``tx.accounts``, ``tx.realname``, ...: all SQL lives in the features' ``store.py``) and its
announcements (``tx.announce(row)``, rows built by ``identity.events``), all committed together."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

import asyncpg
from argon2 import PasswordHasher
from kit.jobs import JobStore
from kit.outbox import OutboxRow
from kit.revocation import announce_revocation
from kit.unit import Database as KitDatabase
from kit.unit import Unit
from kit.userlog import UserLog

from identity.abuse.domain import AbuseLimits
from identity.abuse.store import CohortStore, ThrottleStore
from identity.accounts.store import AccountStore
from identity.agreement.store import AgreementStore
from identity.clients.store import ClientStore
from identity.idcheck import IdentityCheckClient
from identity.licences.store import LicenceStore
from identity.personal_data.store import PersonalDataStore
from identity.pii import PersonalDataVault
from identity.public_accounts.store import PublicAccountStore
from identity.realname.domain import SubjectType
from identity.realname.store import RealNameStore
from identity.sanctions.store import SanctionStore
from identity.sms import SmsSender
from identity.staff.store import StaffStore
from identity.standing.domain import CreditPolicy
from identity.standing.store import StandingStore
from identity.tokens import TokenIssuer
from identity.verified.store import VerifiedStore


class Tx(Protocol):
    """One transaction's stores and announcements."""

    accounts: AccountStore
    abuse: ThrottleStore
    agreements: AgreementStore
    realname: RealNameStore
    verified: VerifiedStore
    standing: StandingStore
    clients: ClientStore
    staff: StaffStore
    personal_data: PersonalDataStore
    public_accounts: PublicAccountStore
    licences: LicenceStore
    cohorts: CohortStore
    sanctions: SanctionStore
    jobs: JobStore  # long jobs' progress (kit.jobs): the regrading on new grading rules

    async def announce(self, row: OutboxRow) -> None: ...

    async def announce_revocation(
        self,
        *,
        claim: str,
        value: str,
        reason: str,
        legal_basis: list[str],
        revoked_at: datetime,
        issued_before: datetime | None = None,
        expires_at: datetime | None = None,
    ) -> None: ...


class Database(Protocol):
    """kit.unit.Database of identity's units (``PgDatabase``), or a fake in the fast tests."""

    def transaction(self) -> AbstractAsyncContextManager[Tx]:
        """Everything written through the Tx commits together, or nothing does."""

    def snapshot(self) -> AbstractAsyncContextManager[Tx]:
        """A read-only, repeatable-read view (a score and the ledger it comes from agree)."""

    def connection(self) -> AbstractAsyncContextManager[Tx]:
        """No transaction: each statement commits on its own (a record that must survive a refusal)."""


class PgTx(Unit):
    def __init__(self, conn: asyncpg.Connection | asyncpg.Pool) -> None:
        super().__init__(conn)
        self.accounts = AccountStore(conn)
        self.abuse = ThrottleStore(conn)
        self.agreements = AgreementStore(conn)
        self.realname = RealNameStore(conn)
        self.verified = VerifiedStore(conn)
        self.standing = StandingStore(conn)
        self.clients = ClientStore(conn)
        self.staff = StaffStore(conn)
        self.personal_data = PersonalDataStore(conn)
        self.public_accounts = PublicAccountStore(conn)
        self.licences = LicenceStore(conn)
        self.cohorts = CohortStore(conn)
        self.sanctions = SanctionStore(conn)
        self.jobs = JobStore(conn)

    async def announce_revocation(self, **revocation) -> None:
        await announce_revocation(self.conn, **revocation)


def PgDatabase(pool: asyncpg.Pool) -> KitDatabase[PgTx]:
    return KitDatabase(pool, PgTx)


@dataclass
class IdentityPorts:
    db: Database
    vault: PersonalDataVault
    hasher: PasswordHasher
    issuer: TokenIssuer
    sms: SmsSender
    idcheck: IdentityCheckClient
    limits: AbuseLimits
    credit: CreditPolicy
    account_caps: dict[SubjectType, int]
    otp_ttl_s: int = 300
    otp_max_attempts: int = 5
    cancelled_retention: timedelta = timedelta(days=184)
    real_name_valid: timedelta = timedelta(days=365)
    # PA-7.3: live public accounts one subject may operate, by kind of subject; PA-7.1: acting tokens' lifetime.
    public_account_caps: dict[str, int] = field(
        default_factory=lambda: {"individual": 2, "organization": 50, "foreign_organization": 5}
    )
    acting_token_ttl_s: int = 900
    # MB-4, PA-8: the evidence that goes with a news licence, in bytes at most.
    licence_evidence_max_bytes: int = 786432
    # PA-6.2: a sanction or a credit penalty is appealed within this long after it was imposed.
    appeal_window: timedelta = timedelta(days=20)
    # MB-16.2: the user log entries identity announces (registration, sign-ins, cancellation, profile).
    user_log: UserLog = field(default_factory=lambda: UserLog("identity", None))
