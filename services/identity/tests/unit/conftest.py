"""Fast handler tests: identity's ports with an in-memory database (the stores of one "transaction",
kept in dicts; announcements and revocations recorded) and fakes of the outside services. Only what
the tested handlers use is faked; the rules, the vault, the password hasher and the token issuer
are the real ones."""

from __future__ import annotations

import base64
import itertools
import os
import uuid
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from argon2 import PasswordHasher
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from identity.abuse.domain import AbuseLimits
from identity.idcheck import CheckAnswer, CheckResult
from identity.pii import PersonalDataVault
from identity.ports import IdentityPorts
from identity.realname.domain import SubjectType
from identity.standing.domain import DEFAULT, CreditPolicy, GradingRules
from identity.tokens import TokenIssuer
from kit.jobs import MemoryJobStore
from kit.outbox import OutboxRow


class FakeAccounts:
    def __init__(self, state: State) -> None:
        self.s = state

    async def insert(self, *, account_id, username, password_hash, phone_ciphertext, phone_lookup) -> bool:
        if any(a["username"].lower() == username.lower() for a in self.s.accounts.values()):
            return False
        self.s.accounts[account_id] = {
            "id": account_id,
            "username": username,
            "password_hash": password_hash,
            "phone_ciphertext": phone_ciphertext,
            "phone_lookup": phone_lookup,
            "phone_confirmed_at": None,
            "cancelled_at": None,
            "closed_at": None,
            "purge_after": None,
            "created_at": datetime.now(UTC),
        }
        return True

    def _joined(self, account: dict) -> dict:
        real = self.s.real_names.get(account["id"], {})
        accepted = [v for a, v in self.s.acceptances if a == account["id"]]
        return {
            **account,
            "subject_type": real.get("subject_type"),
            "verified_at": real.get("verified_at"),
            "province_code": real.get("province_code"),
            "expires_at": real.get("expires_at"),
            "accepted_version": max(accepted, default=None),
            "version_in_force": max((a["version"] for a in self.s.agreements), default=None),
        }

    async def by_id(self, account_id: uuid.UUID, *, for_update: bool = False) -> dict | None:
        account = self.s.accounts.get(account_id)
        return self._joined(account) if account else None

    async def by_username(self, username: str) -> dict | None:
        found = [a for a in self.s.accounts.values() if a["username"].lower() == username.lower()]
        return self._joined(found[0]) if found else None

    async def exists(self, account_id: uuid.UUID) -> bool:
        return account_id in self.s.accounts

    async def active_accounts_on_number(self, phone_lookup: bytes, *, other_than: uuid.UUID | None = None) -> int:
        return sum(
            1
            for a in self.s.accounts.values()
            if a["phone_lookup"] == phone_lookup
            and a["phone_confirmed_at"] is not None
            and a["cancelled_at"] is None
            and a["id"] != other_than
        )

    async def cancel(self, account_id: uuid.UUID, at: datetime, purge_after: datetime) -> bool:
        account = self.s.accounts[account_id]
        if account["cancelled_at"] is not None:
            return False
        account.update(cancelled_at=at, purge_after=purge_after)
        return True

    async def insert_session_revocation(self, account_id: uuid.UUID, **revocation: Any) -> None:
        self.s.session_revocations.append({"account_id": account_id, **revocation})


class FakeThrottle:
    def __init__(self, state: State) -> None:
        self.s = state

    async def lock_key(self, name: str) -> None:
        pass  # one coroutine at a time: nothing to serialise

    async def recent_events(self, kind: str, key: str, since: datetime, limit: int) -> list[datetime]:
        times = sorted((at for _, k, kk, at in self.s.throttle if (k, kk) == (kind, key) and at > since), reverse=True)
        return times[:limit]

    async def record_events(self, at: datetime, *events: tuple[str, str]) -> None:
        await self.record_events_returning(at, *events)

    async def record_events_returning(self, at: datetime, *events: tuple[str, str]) -> list[int]:
        ids = []
        for kind, key in events:
            ids.append(next(self.s.ids))
            self.s.throttle.append((ids[-1], kind, key, at))
        return ids

    async def forget_events(self, ids: list[int]) -> None:
        self.s.throttle = [e for e in self.s.throttle if e[0] not in ids]


class FakeCohorts:
    """Registrations by network and bulk cohorts (CM, BJ-9.2), in memory."""

    def __init__(self, state: State) -> None:
        self.s = state

    async def note_registration(self, account_id: uuid.UUID, address_key: bytes, at: datetime) -> None:
        self.s.registrations.append((account_id, address_key, at))

    async def registered_since(self, address_key: bytes, since: datetime) -> list[uuid.UUID]:
        return [a for a, k, at in self.s.registrations if k == address_key and at > since]

    async def open_cohort(self, address_key: bytes, since: datetime) -> dict | None:
        open_ = [c for c in self.s.cohorts.values() if c["key"] == address_key and c["last"] > since]
        return {"id": open_[-1]["id"], "cleared_at": open_[-1]["cleared_at"]} if open_ else None

    async def insert_cohort(self, cohort_id: uuid.UUID, address_key: bytes, at: datetime) -> None:
        self.s.cohorts[cohort_id] = {
            "id": cohort_id,
            "key": address_key,
            "opened": at,
            "last": at,
            "members": [],
            "cleared_at": None,
            "cleared_by": None,
            "reason": None,
        }

    async def cohort(self, cohort_id: uuid.UUID) -> dict | None:
        c = self.s.cohorts.get(cohort_id)
        if c is None:
            return None
        return {
            "id": c["id"],
            "address_key": c["key"],
            "opened_at": c["opened"],
            "last_joined_at": c["last"],
            "cleared_at": c["cleared_at"],
            "cleared_by": c["cleared_by"],
            "clearance_reason": c["reason"],
            "size": len(c["members"]),
        }

    async def cohorts(self, *, cleared: bool | None, after: tuple | None, limit: int) -> list[dict]:
        rows = [await self.cohort(c) for c in self.s.cohorts]
        rows = [r for r in rows if cleared is None or (r["cleared_at"] is not None) == cleared]
        rows.sort(key=lambda r: (r["opened_at"], r["id"]), reverse=True)
        return [r for r in rows if after is None or (r["opened_at"], r["id"]) < after][:limit]

    async def clear(self, cohort_id: uuid.UUID, *, reason: str, by: str, at: datetime) -> bool:
        c = self.s.cohorts[cohort_id]
        if c["cleared_at"] is not None:
            return False
        c.update(cleared_at=at, cleared_by=by, reason=reason)
        return True

    async def members(self, cohort_id: uuid.UUID) -> list[uuid.UUID]:
        return list(self.s.cohorts[cohort_id]["members"])

    async def add_members(self, cohort_id: uuid.UUID, account_ids: list[uuid.UUID], at: datetime) -> int:
        cohort = self.s.cohorts[cohort_id]
        cohort["members"] += [a for a in account_ids if a not in cohort["members"]]
        cohort["last"] = at
        return len(cohort["members"])


class FakeAgreements:
    def __init__(self, state: State) -> None:
        self.s = state

    async def current(self) -> dict | None:
        return max(self.s.agreements, key=lambda a: a["version"], default=None)

    async def publish(self, *, title: str, body: str, sha256: str, by: str) -> dict:
        row = {
            "version": len(self.s.agreements) + 1,
            "title": title,
            "body": body,
            "sha256": sha256,
            "published_by": by,
            "published_at": datetime.now(UTC),
        }
        self.s.agreements.append(row)
        return row

    async def record_acceptance(self, account_id: uuid.UUID, version: int) -> None:
        self.s.acceptances.add((account_id, version))


class FakeRealNames:
    def __init__(self, state: State) -> None:
        self.s = state

    async def account(self, account_id: uuid.UUID, *, for_update: bool = False) -> dict | None:
        return self.s.accounts.get(account_id)

    async def of_account(self, account_id: uuid.UUID) -> dict | None:
        return self.s.real_names.get(account_id)

    async def lock_subject(self, lookup: bytes) -> None:
        pass

    async def blacklisted(self, lookup: bytes) -> bool:
        return lookup in self.s.blacklist

    async def other_active_accounts(self, lookup: bytes, account_id: uuid.UUID) -> int:
        return sum(
            1
            for a, r in self.s.real_names.items()
            if r["id_number_lookup"] == lookup and a != account_id and self.s.accounts[a]["cancelled_at"] is None
        )

    async def insert(self, account_id: uuid.UUID, **row: Any) -> None:
        self.s.real_names[account_id] = {"account_id": account_id, **row}

    async def record_check(self, account_id: uuid.UUID, subject_type: str, result: str, reference: str) -> None:
        self.s.checks.append((account_id, result))


class FakeStanding:
    def __init__(self, state: State) -> None:
        self.s = state

    async def add_entry(self, account_id: uuid.UUID, **entry: Any) -> int | None:
        if any(e["source"] == entry["source"] for e in self.s.entries):
            return None
        entry_id = next(self.s.ids)
        self.s.entries.append(
            {"id": entry_id, "account_id": account_id, "created_at": datetime.now(UTC), "reverses": None, **entry}
        )
        return entry_id

    async def deltas(self, account_ids: list[uuid.UUID]) -> list[int]:
        return [e["delta"] for e in self.s.entries if e["account_id"] in account_ids]

    async def stops_since(self, account_id: uuid.UUID, causes: list[str], since: datetime) -> int:
        reversed_ids = {e["reverses"] for e in self.s.entries}
        return sum(
            1
            for e in self.s.entries
            if e["account_id"] == account_id and e["cause"] in causes and e["id"] not in reversed_ids
        )

    async def add_sanction(self, account_id: uuid.UUID, **sanction: Any) -> None:
        self.s.sanctions.append({"id": uuid.uuid4(), "account_id": account_id, "lifted_at": None, **sanction})

    async def sanctions_in_force(self, account_id: uuid.UUID, now: datetime) -> list[dict]:
        return [
            x
            for x in self.s.sanctions
            if x["account_id"] == account_id and (x["ends_at"] is None or x["ends_at"] > now)
        ]

    async def close(self, account_id: uuid.UUID) -> None:
        self.s.accounts[account_id]["closed_at"] = self.s.accounts[account_id]["closed_at"] or datetime.now(UTC)

    async def subject_of(self, account_id: uuid.UUID) -> dict | None:
        return self.s.real_names.get(account_id)

    async def blacklist(self, subject_lookup: bytes, account_id: uuid.UUID, **listing: Any) -> dict | None:
        if subject_lookup in self.s.blacklist:
            return None
        self.s.blacklist.add(subject_lookup)
        return {"id": uuid.uuid4(), "listed_at": datetime.now(UTC)}

    async def account(self, account_id: uuid.UUID) -> dict | None:
        a = self.s.accounts.get(account_id)
        if a is None:
            return None
        return {
            "closed_at": a["closed_at"],
            "standing_version": a.get("standing_version", 0),
            "followers": a.get("followers", 0),
            "reads": a.get("reads", 0),
            "verified_type": None,
            "grade": a.get("grade"),
            "grade_rules": a.get("grade_rules"),
            "subject_type": self.s.real_names.get(account_id, {}).get("subject_type"),
        }

    async def subject_accounts(self, account_id: uuid.UUID) -> list[uuid.UUID]:
        return [account_id]

    async def note_followers(self, account_id: uuid.UUID, followers: int, version: int) -> bool:
        a = self.s.accounts.get(account_id)
        if a is None or a.get("followers_version", 0) >= version:
            return False
        a.update(followers=followers, followers_version=version)
        return True

    async def note_reads(self, account_id: uuid.UUID, reads: int, version: int) -> bool:
        a = self.s.accounts.get(account_id)
        if a is None or a.get("reads_version", 0) >= version:
            return False
        a.update(reads=reads, reads_version=version)
        return True

    async def bump_version(self, account_id: uuid.UUID) -> None:
        a = self.s.accounts[account_id]
        a["standing_version"] = a.get("standing_version", 0) + 1

    async def set_grade(self, account_id: uuid.UUID, grade: int | None, rules_version: int) -> None:
        if grade is not None:
            self.s.accounts[account_id]["grade"] = grade
        self.s.accounts[account_id]["grade_rules"] = rules_version

    async def grading_rules(self, version: int | None = None) -> tuple[int, dict]:
        """``state.grading_rules`` is the version in force; ``state.earlier_rules`` the ones before it."""
        in_force = len(self.s.earlier_rules) + 1
        if version is None or version == in_force:
            return in_force, self.s.grading_rules.model_dump()
        return version, self.s.earlier_rules[version - 1].model_dump()

    async def publish_grading_rules(self, rules_json: str, by: str) -> int:
        self.s.earlier_rules.append(self.s.grading_rules)
        self.s.grading_rules = GradingRules.model_validate_json(rules_json)
        return len(self.s.earlier_rules) + 1

    async def accounts_to_regrade(self, rules_version: int) -> list[uuid.UUID]:
        return [
            a["id"]
            for a in self.s.accounts.values()
            if a["cancelled_at"] is None and a.get("grade_rules") != rules_version
        ]


class FakePersonalData:
    def __init__(self, state: State) -> None:
        self.s = state

    async def of_account(self, account_id: uuid.UUID) -> dict | None:
        account = self.s.accounts.get(account_id)
        if account is None:
            return None
        real = self.s.real_names.get(account_id, {})
        return {
            "phone_ciphertext": account["phone_ciphertext"],
            "legal_name_ciphertext": real.get("legal_name_ciphertext"),
            "id_number_ciphertext": real.get("id_number_ciphertext"),
            "subject_type": real.get("subject_type"),
        }

    async def proof_names(self, account_id: uuid.UUID) -> list[dict]:
        return []


class State:
    def __init__(self) -> None:
        self.ids = itertools.count(1)
        self.accounts: dict[uuid.UUID, dict] = {}
        self.jobs = MemoryJobStore()
        self.real_names: dict[uuid.UUID, dict] = {}
        self.agreements: list[dict] = [
            {"version": 1, "title": "Agreement", "body": "...", "sha256": "", "published_at": datetime.now(UTC)}
        ]
        self.acceptances: set[tuple[uuid.UUID, int]] = set()
        self.throttle: list[tuple[int, str, str, datetime]] = []
        self.blacklist: set[bytes] = set()
        self.checks: list[tuple[uuid.UUID, str]] = []
        self.session_revocations: list[dict] = []
        self.entries: list[dict] = []
        self.sanctions: list[dict] = []
        self.announced: list[OutboxRow] = []
        self.revocations: list[dict] = []
        self.grading_rules = DEFAULT
        self.earlier_rules: list = []
        self.registrations: list[tuple] = []
        self.cohorts: dict = {}


class FakeLicences:
    """No news licences recorded (MB-4, PA-8): the registry has its own e2e tests."""

    async def of_subject(self, subject_lookup: bytes) -> list[dict]:
        return []


class FakeTx:
    def __init__(self, state: State) -> None:
        self.accounts = FakeAccounts(state)
        self.abuse = FakeThrottle(state)
        self.agreements = FakeAgreements(state)
        self.realname = FakeRealNames(state)
        self.standing = FakeStanding(state)
        self.personal_data = FakePersonalData(state)
        self.licences = FakeLicences()
        self.cohorts = FakeCohorts(state)
        self.jobs = state.jobs
        self._state = state
        self.announced: list[OutboxRow] = []
        self.revocations: list[dict] = []

    async def announce(self, row: OutboxRow) -> None:
        self.announced.append(row)

    async def announce_revocation(self, **revocation: Any) -> None:
        self.revocations.append(revocation)


class FakeDatabase:
    """Commits a transaction's announcements with it; a transaction that raised announces nothing (the
    fake does not roll back its rows: the tests check what a refusal leaves announced, not written)."""

    def __init__(self) -> None:
        self.state = State()

    @asynccontextmanager
    async def transaction(self):
        tx = FakeTx(self.state)
        yield tx
        self.state.announced += tx.announced
        self.state.revocations += tx.revocations

    snapshot = transaction
    connection = transaction


class FakeIdentityCheck:
    def __init__(self) -> None:
        self.result = CheckResult.MATCH

    async def check(self, **subject: str | None) -> CheckAnswer:
        return CheckAnswer(self.result, "ref-1")


class FakeSms:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    async def send(self, to: str, text: str) -> None:
        self.sent.append((to, text))


def _key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


@pytest.fixture
def db() -> FakeDatabase:
    return FakeDatabase()


@pytest.fixture
def ports(db: FakeDatabase) -> IdentityPorts:
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return IdentityPorts(
        db=db,
        vault=PersonalDataVault(_key(), _key()),
        hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
        issuer=TokenIssuer(base64.b64encode(pem).decode(), issuer="qinglang", audience="qinglang", ttl_s=3600),
        sms=FakeSms(),
        idcheck=FakeIdentityCheck(),
        limits=AbuseLimits(),
        credit=CreditPolicy(),
        account_caps={SubjectType.INDIVIDUAL: 2, SubjectType.ORGANIZATION: 5, SubjectType.FOREIGN_ORGANIZATION: 5},
        real_name_valid=timedelta(days=365),
    )


def claims_of(token: str) -> dict:
    """A token's claims, unverified (the handler tests read what was issued)."""
    return jwt.decode(token, options={"verify_signature": False})


@pytest.fixture
def read_claims():
    return claims_of
