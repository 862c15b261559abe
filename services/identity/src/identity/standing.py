"""An account's standing: the credit ledger, sanctions and the blacklist (MB-9, MB-15, PA-6.2, PA-13),
applied on moderation's decisions and announced so content enforces them at once."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import asyncpg
from contracts.categories import Bj10Category
from kit.cloudevents import Event, timestamp
from kit.db import transaction
from kit.outbox import announce
from kit.problems import Conflict, NotFound
from kit.service import Runtime
from qinglang.identity.v1 import standing_pb2
from qinglang.moderation.v1 import decision_pb2

from identity import events, grades, sessions
from identity.credit import CreditPolicy, Limit, SanctionKind

RUMOUR_CATEGORY = Bj10Category.RUMOUR_DISTURBING_ORDER
STOP_CAUSES = ("stop_transmission", "rumour")
SANCTION_BASIS = ["PA-13.1", "BJ-7(8)"]


async def _deltas(conn: asyncpg.Connection, account_ids: list[uuid.UUID]) -> list[int]:
    rows = await conn.fetch(
        "SELECT delta FROM credit_entry WHERE account_id = ANY($1::uuid[]) ORDER BY created_at, id", account_ids
    )
    return [r["delta"] for r in rows]


async def _active_sanctions(conn: asyncpg.Connection, account_id: uuid.UUID, now: datetime) -> list[asyncpg.Record]:
    return await conn.fetch(
        """SELECT * FROM sanction WHERE account_id = $1 AND lifted_at IS NULL
              AND (ends_at IS NULL OR ends_at > $2) ORDER BY starts_at""",
        account_id,
        now,
    )


async def standing_view(conn: asyncpg.Connection, policy: CreditPolicy, account_id: uuid.UUID) -> dict:
    """Score, level and limits in force, for the holder and for the event."""
    now = datetime.now(UTC)
    score = policy.score(await _deltas(conn, [account_id]))
    level = policy.level(score)
    sanctions = await _active_sanctions(conn, account_id, now)
    limits = set(level.limits)
    suspended_until = None
    for sanction in sanctions:
        limits.update(Limit(f) for f in sanction["features"])
        if sanction["kind"] == SanctionKind.SUSPEND:
            suspended_until = max(filter(None, [suspended_until, sanction["ends_at"]]), default=None)
    account = await conn.fetchrow(
        """SELECT a.closed_at, a.standing_version, a.followers, a.reads, a.verified_type, r.subject_type
             FROM account a LEFT JOIN real_name_verification r ON r.account_id = a.id WHERE a.id = $1""",
        account_id,
    )
    rules_version, rules = await grades.current(conn)
    grade = rules.grade_of({**dict(account), "credit": score})
    subject = await conn.fetch(
        """SELECT r2.account_id FROM real_name_verification r1
             JOIN real_name_verification r2 ON r2.id_number_lookup = r1.id_number_lookup
            WHERE r1.account_id = $1""",
        account_id,
    )
    subject_ids = [r["account_id"] for r in subject] or [account_id]
    return {
        "credit_score": score,
        "credit_level": level.name,
        "limits": sorted(limits),
        "subject_credit_score": policy.score(await _deltas(conn, subject_ids)),
        "subject_accounts": len(subject_ids),
        "suspended_until": suspended_until,
        "closed": account["closed_at"] is not None,
        "version": account["standing_version"],
        "grade": grade,
        "grading_rules_version": rules_version,
        "sanctions": [
            {
                "id": str(s["id"]),
                "kind": s["kind"],
                "features": list(s["features"]),
                "reason": s["reason"],
                "legal_basis": list(s["legal_basis"]),
                "starts_at": s["starts_at"].isoformat(),
                "ends_at": s["ends_at"].isoformat() if s["ends_at"] else None,
            }
            for s in sanctions
        ],
    }


async def announce_standing(
    conn: asyncpg.Connection, policy: CreditPolicy, account_id: uuid.UUID, *, cause: str, basis: list[str]
) -> dict:
    """Bump the account's standing version and announce its standing (content enforces it at once)."""
    await conn.execute("UPDATE account SET standing_version = standing_version + 1 WHERE id = $1", account_id)
    view = await standing_view(conn, policy, account_id)
    await conn.execute(
        "UPDATE account SET grade = $2, grade_rules = $3 WHERE id = $1",
        account_id,
        view["grade"],
        view["grading_rules_version"],
    )
    await announce(
        conn,
        events.STANDING_CHANGED,
        key=str(account_id),
        subject=str(account_id),
        message=standing_pb2.AccountStandingChanged(
            account_id=str(account_id),
            credit_score=view["credit_score"],
            credit_level=view["credit_level"],
            limits=view["limits"],
            suspended_until=timestamp(view["suspended_until"]) if view["suspended_until"] else None,
            closed=view["closed"],
            version=view["version"],
            cause=cause,
            legal_basis=basis,
            changed_at=timestamp(datetime.now(UTC)),
            grade=view["grade"],
            grading_rules_version=view["grading_rules_version"],
        ),
    )
    return view


def stop_handler(policy: CreditPolicy, token_ttl_s: int):
    async def on_transmission_stopped(conn: asyncpg.Connection, event: Event) -> None:
        """PA-13.1: a stop of transmission costs credit and climbs the sanctions ladder; the fourth
        (by default) in the window closes the account and blacklists its subject (PA-13.2). A
        repeated decision changes nothing (the entry's source is unique)."""
        decision = event.message
        if decision.outcome != decision_pb2.OUTCOME_STOP_TRANSMISSION:
            return
        account_id = uuid.UUID(decision.author_id)
        if await conn.fetchval("SELECT 1 FROM account WHERE id = $1", account_id) is None:
            return  # not an account of ours (a post by a deleted test fixture, say): nothing to sanction
        cause = "rumour" if decision.category == RUMOUR_CATEGORY else "stop_transmission"
        source = f"decision:{decision.decision_id}"
        basis = list(dict.fromkeys([*decision.legal_basis, *SANCTION_BASIS]))
        inserted = await conn.fetchval(
            """INSERT INTO credit_entry (account_id, delta, cause, legal_basis, source, created_by)
               VALUES ($1, $2, $3, $4, $5, 'system:moderation') ON CONFLICT (source) DO NOTHING RETURNING id""",
            account_id,
            policy.penalties.get(cause, policy.penalties.get("stop_transmission", -10)),
            cause,
            basis,
            source,
        )
        if inserted is None:
            return
        now = datetime.now(UTC)
        stops = await conn.fetchval(
            """SELECT count(*) FROM credit_entry e
                WHERE e.account_id = $1 AND e.cause = ANY($2::text[]) AND e.created_at > $3
                  AND NOT EXISTS (SELECT 1 FROM credit_entry r WHERE r.reverses = e.id)""",
            account_id,
            list(STOP_CAUSES),
            now - timedelta(days=policy.ladder_window_days),
        )
        step = policy.step_for(stops)
        reason = f"Stop of transmission {decision.decision_id} ({decision.category}); violation {stops} in the window."
        await conn.execute(
            """INSERT INTO sanction (id, account_id, kind, features, reason, legal_basis, source, ends_at, created_by)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'system:moderation') ON CONFLICT (source) DO NOTHING""",
            uuid.uuid4(),
            account_id,
            step.kind.value,
            [f.value for f in step.features],
            reason,
            basis,
            source,
            policy.ends_at(step, now),
        )
        if step.kind is SanctionKind.CLOSE:
            await close_and_blacklist(
                conn, account_id, reason=reason, basis=[*basis, "PA-13.2"], by="system:moderation"
            )
        if step.kind in (SanctionKind.SUSPEND, SanctionKind.CLOSE):
            # PA-13.1: every session of the account ends at once, everywhere. A closed account cannot
            # sign in again; a suspended one can (to read, see its credit, appeal), and content refuses
            # its posts until the suspension ends.
            await sessions.end_sessions(
                conn,
                account_id,
                at=now,
                token_ttl_s=token_ttl_s,
                reason="account closed" if step.kind is SanctionKind.CLOSE else "updates suspended",
                legal_basis=["PA-13.1", *(["PA-13.2"] if step.kind is SanctionKind.CLOSE else [])],
            )
        await announce_standing(conn, policy, account_id, cause=cause, basis=basis)

    return on_transmission_stopped


def complaint_handler(policy: CreditPolicy):
    async def on_complaint_resolved(conn: asyncpg.Connection, event: Event) -> None:
        """PA-6.2: an upheld complaint costs the responsible account credit (once per complaint)."""
        outcome = event.message
        if not outcome.upheld or not outcome.account_id:
            return
        account_id = uuid.UUID(outcome.account_id)
        if await conn.fetchval("SELECT 1 FROM account WHERE id = $1", account_id) is None:
            return
        basis = list(dict.fromkeys([*outcome.legal_basis, "PA-6.2"]))
        added = await conn.fetchval(
            """INSERT INTO credit_entry (account_id, delta, cause, legal_basis, source, created_by)
               VALUES ($1, $2, 'complaint_upheld', $3, $4, $5) ON CONFLICT (source) DO NOTHING RETURNING id""",
            account_id,
            policy.penalties.get("complaint_upheld", -2),
            basis,
            f"complaint:{outcome.complaint_id}",
            outcome.decided_by or "system:reporting",
        )
        if added is not None:
            await announce_standing(conn, policy, account_id, cause="complaint_upheld", basis=basis)

    return on_complaint_resolved


async def close_and_blacklist(
    conn: asyncpg.Connection, account_id: uuid.UUID, *, reason: str, basis: list[str], by: str
) -> None:
    """PA-13.2: close the account, blacklist the subject behind it (re-registration refused), tell the
    regulator of its province (an event the regulator gateway files)."""
    await conn.execute("UPDATE account SET closed_at = coalesce(closed_at, now()) WHERE id = $1", account_id)
    subject = await conn.fetchrow(
        "SELECT id_number_lookup, province_code FROM real_name_verification WHERE account_id = $1", account_id
    )
    if subject is None:
        return
    listed = await conn.fetchrow(
        """INSERT INTO blacklist (id, subject_lookup, account_id, reason, legal_basis, listed_by)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (subject_lookup) DO NOTHING RETURNING id, listed_at""",
        uuid.uuid4(),
        subject["id_number_lookup"],
        account_id,
        reason,
        basis,
        by,
    )
    if listed is None:
        return
    await announce(
        conn,
        events.SUBJECT_BLACKLISTED,
        key=str(account_id),
        subject=str(account_id),
        message=standing_pb2.SubjectBlacklisted(
            blacklist_id=str(listed["id"]),
            account_id=str(account_id),
            province_code=subject["province_code"],
            reason=reason,
            legal_basis=basis,
            listed_at=timestamp(listed["listed_at"]),
        ),
    )


async def ledger(conn: asyncpg.Connection | asyncpg.Pool, account_id: uuid.UUID) -> list[dict]:
    rows = await conn.fetch("SELECT * FROM credit_entry WHERE account_id = $1 ORDER BY created_at, id", account_id)
    return [
        {
            "id": r["id"],
            "delta": r["delta"],
            "cause": r["cause"],
            "legal_basis": list(r["legal_basis"]),
            "reverses": r["reverses"],
            "created_by": r["created_by"],
            "created_at": r["created_at"].isoformat(),
        }
        for r in rows
    ]


async def reverse(pool: asyncpg.Pool, policy: CreditPolicy, entry_id: int, *, by: str, note: str) -> dict:
    """An appeal upheld: the entry is reversed by another (the ledger is never edited) and the
    sanction it caused is lifted."""
    async with transaction(pool) as conn:
        entry = await conn.fetchrow("SELECT * FROM credit_entry WHERE id = $1 FOR UPDATE", entry_id)
        if entry is None:
            raise NotFound("No such credit entry.")
        if entry["reverses"] is not None or entry["delta"] >= 0:
            raise Conflict("Only a penalty can be reversed.", requirement="PA-6.2")
        reversed_id = await conn.fetchval(
            """INSERT INTO credit_entry (account_id, delta, cause, legal_basis, source, reverses, created_by)
               VALUES ($1, $2, 'appeal_upheld', $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id""",
            entry["account_id"],
            -entry["delta"],
            ["PA-6.2", "PA-13.1"],
            f"appeal:{entry_id}",
            entry_id,
            by,
        )
        if reversed_id is None:
            raise Conflict("This entry was reversed already.", requirement="PA-6.2")
        await conn.execute(
            "UPDATE sanction SET lifted_at = now(), lifted_by = $2 WHERE source = $1 AND lifted_at IS NULL",
            entry["source"],
            f"{by} ({note})",
        )
        return await announce_standing(
            conn, policy, entry["account_id"], cause="appeal_upheld", basis=["PA-6.2", "PA-13.1"]
        )


def good_standing_loop(policy: CreditPolicy, interval_s: float):
    async def restore_good_standing(runtime: Runtime) -> None:
        """A week (by default) without a new entry restores a point, up to the start (MB-15, PA-6.2).
        The entry's source names the entry it follows, so a repeated run adds nothing."""
        while True:
            await asyncio.sleep(interval_s)  # a period, not synchronisation
            async with transaction(runtime.pool) as conn:
                due = await conn.fetch(
                    """SELECT DISTINCT ON (account_id) account_id, id, created_at FROM credit_entry
                        ORDER BY account_id, created_at DESC, id DESC"""
                )
                for row in due:
                    if row["created_at"] > datetime.now(UTC) - timedelta(days=policy.restore_after_days):
                        continue
                    if policy.score(await _deltas(conn, [row["account_id"]])) >= policy.start:
                        continue
                    added = await conn.fetchval(
                        """INSERT INTO credit_entry (account_id, delta, cause, legal_basis, source, created_by)
                           VALUES ($1, $2, 'good_standing', $3, $4, 'system:credit') ON CONFLICT DO NOTHING
                           RETURNING id""",
                        row["account_id"],
                        policy.restore_points,
                        ["MB-15", "PA-6.2"],
                        f"good_standing:after:{row['id']}",
                    )
                    if added:
                        await announce_standing(
                            conn, policy, row["account_id"], cause="good_standing", basis=["MB-15", "PA-6.2"]
                        )

    return restore_good_standing
