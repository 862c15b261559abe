"""An account's standing: the credit ledger, sanctions and the blacklist (MB-9, MB-15, PA-6.2, PA-13),
applied on moderation's decisions and reporting's complaints and announced so content enforces them
at once; graded management (MB-9) and what identity files with the regulator besides the blacklist:
grading rules and operators of many public accounts (PA-7.3)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
from kit.cloudevents import Event
from kit.problems import Conflict, Forbidden, InvalidInput, NotFound
from kit.service import Runtime

from identity import events
from identity.accounts.handlers import end_sessions
from identity.ports import Database, IdentityPorts, PgDatabase, PgTx, Tx
from identity.standing.domain import (
    DEFAULT,
    REGRADING_JOB,
    SANCTION_BASIS,
    STOP_CAUSES,
    CreditPolicy,
    GradePrivileges,
    GradingRules,
    SanctionKind,
    good_standing_due,
    grading_changed,
    standing,
    stop_cause,
)


async def seed_if_empty(pool: asyncpg.Pool) -> None:
    async with PgDatabase(pool).connection() as tx:
        await tx.standing.seed_grading_rules(DEFAULT.model_dump_json())


async def grading_rules(tx: Tx, version: int | None = None) -> tuple[int, GradingRules]:
    """The rules in force, or those of ``version``."""
    version, rules = await tx.standing.grading_rules(version)
    return version, GradingRules.model_validate(rules)


async def last_graded(
    tx: Tx, policy: CreditPolicy, account_id: uuid.UUID, known: dict[int, GradingRules] | None = None
) -> tuple[int | None, GradePrivileges | None] | None:
    """The grade last announced for the account and the privileges it came with: those of the rules it
    was last graded by (``account.grade_rules``), for the account as it is (None: no such account;
    privileges None: never graded). Call it before a change the grade depends on is written.
    ``known``: rules by version read already (a regrading of every account reads each version once)."""
    account = await tx.standing.account(account_id)
    if account is None:
        return None
    version = account["grade_rules"]
    if version is None:
        return account["grade"], None
    known = {} if known is None else known
    if version not in known:
        known[version] = (await grading_rules(tx, version))[1]
    rules = known[version]
    credit = policy.score(await tx.standing.deltas([account_id]))
    return account["grade"], rules.graded({**dict(account), "credit": credit})[1]


async def standing_of(tx: Tx, policy: CreditPolicy, account_id: uuid.UUID) -> dict[str, Any]:
    now = datetime.now(UTC)
    subject_ids = await tx.standing.subject_accounts(account_id) or [account_id]
    rules_version, rules = await grading_rules(tx)
    return standing(
        policy,
        deltas=await tx.standing.deltas([account_id]),
        subject_deltas=await tx.standing.deltas(subject_ids),
        subject_accounts=len(subject_ids),
        sanctions=await tx.standing.sanctions_in_force(account_id, now),
        account=await tx.standing.account(account_id),
        rules_version=rules_version,
        rules=rules,
    )


async def announce_standing(
    tx: Tx, policy: CreditPolicy, account_id: uuid.UUID, *, cause: str, basis: list[str]
) -> dict[str, Any]:
    """Bump the account's standing version and announce its standing (content enforces it at once)."""
    await tx.standing.bump_version(account_id)
    view = await standing_of(tx, policy, account_id)
    await tx.standing.set_grade(account_id, view["grade"], view["grading_rules_version"])
    await tx.announce(events.standing_changed(account_id, view, cause=cause, legal_basis=basis, at=datetime.now(UTC)))
    return view


async def read_standing(ports: IdentityPorts, account_id: uuid.UUID) -> tuple[dict[str, Any], list[asyncpg.Record]]:
    """Standing and the ledger it is derived from, from one snapshot (they must agree)."""
    async with ports.db.snapshot() as tx:
        if not await tx.accounts.exists(account_id):
            raise NotFound("No such account.")
        return await standing_of(tx, ports.credit, account_id), await tx.standing.ledger(account_id)


async def on_report_filed(conn: asyncpg.Connection, event: Event) -> None:
    """The regulator gateway holds a sanction's report at a version (issue 15): announce it no more."""
    confirmed = events.report_confirmed(event)
    if confirmed is not None:
        await PgTx(conn).standing.note_report_confirmed(*confirmed)


def sanction_reports_loop(reconcile_interval_s: float, reannounce_after_s: float):
    """Reconciler (PA-13, issue 15): a reported sanction (or its lift) the regulator gateway has not confirmed is
    announced again after ``reannounce_after_s`` — at once after a broker loss — so the regulator is told of every
    suspension, closure and blacklisting, and of its lift. The gateway keeps one report per sanction."""

    async def reannounce_sanctions(runtime: Runtime) -> None:
        async def announce_again(conn: asyncpg.Connection, older_than_s: float, limit: int) -> int:
            tx = PgTx(conn)
            due = await tx.standing.claim_unreported_sanctions(older_than_s=older_than_s, limit=limit)
            await tx.announce_all([row for s in due for row in events.sanction_announcements(s)])
            return len(due)

        await runtime.reannounce_forever(
            period_s=reconcile_interval_s,
            grace_s=reannounce_after_s,
            announce=announce_again,
            what="sanctions the regulator gateway has not confirmed",
        )

    return reannounce_sanctions


def stop_handler(policy: CreditPolicy, token_ttl_s: int):
    async def on_transmission_stopped(conn: asyncpg.Connection, event: Event) -> None:
        await apply_stop(PgTx(conn), policy, token_ttl_s, events.transmission_stopped(event))

    return on_transmission_stopped


async def apply_stop(tx: Tx, policy: CreditPolicy, token_ttl_s: int, stop: events.TransmissionStopped) -> None:
    """PA-13.1: a stop of transmission costs credit and climbs the sanctions ladder; the fourth
    (by default) in the window closes the account and blacklists its subject (PA-13.2). A
    repeated decision changes nothing (the entry's source is unique)."""
    account_id = stop.author_id
    if not await tx.accounts.exists(account_id):
        return  # not an account of ours (a post by a deleted test fixture, say): nothing to sanction
    cause = stop_cause(stop.rumour)
    source = f"decision:{stop.decision_id}"
    basis = list(dict.fromkeys([*stop.legal_basis, *SANCTION_BASIS]))
    inserted = await tx.standing.add_entry(
        account_id,
        delta=policy.penalties.get(cause, policy.penalties.get("stop_transmission", -10)),
        cause=cause,
        legal_basis=basis,
        source=source,
        created_by="system:moderation",
    )
    if inserted is None:
        return
    now = datetime.now(UTC)
    stops = await tx.standing.stops_since(
        account_id, list(STOP_CAUSES), now - timedelta(days=policy.ladder_window_days)
    )
    step = policy.step_for(stops)
    reason = f"Stop of transmission {stop.decision_id} ({stop.category}); violation {stops} in the window."
    sanction = await tx.standing.add_sanction(
        account_id,
        kind=step.kind.value,
        features=[f.value for f in step.features],
        reason=reason,
        legal_basis=basis,
        source=source,
        ends_at=policy.ends_at(step, now),
        created_by="system:moderation",
    )
    if sanction is not None:  # PA-13: a suspension or closure is reported to the regulator
        await tx.announce_all(events.sanction_announcements(sanction))
    if step.kind is SanctionKind.CLOSE:
        await close_and_blacklist(tx, account_id, reason=reason, basis=[*basis, "PA-13.2"], by="system:moderation")
    if step.kind in (SanctionKind.SUSPEND, SanctionKind.CLOSE):
        # PA-13.1: every session of the account ends at once, everywhere. A closed account cannot
        # sign in again; a suspended one can (to read, see its credit, appeal), and content refuses
        # its posts until the suspension ends.
        await end_sessions(
            tx,
            account_id,
            at=now,
            token_ttl_s=token_ttl_s,
            reason="account closed" if step.kind is SanctionKind.CLOSE else "updates suspended",
            legal_basis=["PA-13.1", *(["PA-13.2"] if step.kind is SanctionKind.CLOSE else [])],
        )
    await announce_standing(tx, policy, account_id, cause=cause, basis=basis)


def complaint_handler(policy: CreditPolicy):
    async def on_case_resolved(conn: asyncpg.Connection, event: Event) -> None:
        await apply_complaint(PgTx(conn), policy, events.case_resolved(event))

    return on_case_resolved


async def apply_complaint(tx: Tx, policy: CreditPolicy, outcome: events.CaseResolved) -> None:
    """PA-6.2: an upheld complaint case costs the responsible account credit, once per case (however many
    complaints it grouped; idempotent on the case id)."""
    if not outcome.upheld or outcome.account_id is None:
        return
    if not await tx.accounts.exists(outcome.account_id):
        return
    basis = list(dict.fromkeys([*outcome.legal_basis, "PA-6.2"]))
    added = await tx.standing.add_entry(
        outcome.account_id,
        delta=policy.penalties.get("complaint_upheld", -2),
        cause="complaint_upheld",
        legal_basis=basis,
        source=f"complaint_case:{outcome.case_id}",
        created_by=outcome.decided_by or "system:reporting",
    )
    if added is not None:
        await announce_standing(tx, policy, outcome.account_id, cause="complaint_upheld", basis=basis)


def follower_count_handler(policy: CreditPolicy):
    async def on_follower_count_changed(conn: asyncpg.Connection, event: Event) -> None:
        await apply_follower_count(PgTx(conn), policy, events.follower_count_changed(event))

    return on_follower_count_changed


async def apply_follower_count(tx: Tx, policy: CreditPolicy, count: events.FollowerCountChanged) -> None:
    """MB-9: the grade uses the real number of followers, as content counts them. Only a newer version
    is taken; when the grade it gives differs, the standing is announced as for any other cause."""
    last = await last_graded(tx, policy, count.account_id)
    if not await tx.standing.note_followers(count.account_id, count.followers, count.version):
        return
    await _regrade(tx, policy, count.account_id, last, cause="followers", basis=["MB-9"])


def read_count_handler(policy: CreditPolicy):
    async def on_read_count_changed(conn: asyncpg.Connection, event: Event) -> None:
        await apply_read_count(PgTx(conn), policy, events.read_count_changed(event))

    return on_read_count_changed


async def apply_read_count(tx: Tx, policy: CreditPolicy, count: events.ReadCountChanged) -> None:
    """MB-9, PA-7.2: the grade uses the real (weighted) reads of the account's articles, as content counts
    them. Only a newer version is taken; a grade it changes is announced as for any other cause."""
    last = await last_graded(tx, policy, count.account_id)
    if not await tx.standing.note_reads(count.account_id, count.reads, count.version):
        return
    await _regrade(tx, policy, count.account_id, last, cause="reads", basis=["MB-9", "PA-7.2"])


async def _regrade(
    tx: Tx,
    policy: CreditPolicy,
    account_id: uuid.UUID,
    last: tuple[int | None, GradePrivileges | None] | None,
    *,
    cause: str,
    basis: list[str],
) -> None:
    """Announce the standing when the grade or the privileges that apply changed (``last``: as they were
    before the change, see last_graded); nothing otherwise."""
    if last is None:
        return
    view = await standing_of(tx, policy, account_id)
    if grading_changed(last, (view["grade"], view["privileges"])):
        await announce_standing(tx, policy, account_id, cause=cause, basis=basis)


async def close_and_blacklist(tx: Tx, account_id: uuid.UUID, *, reason: str, basis: list[str], by: str) -> None:
    """PA-13.2: close the account, blacklist the subject behind it (re-registration refused), tell the
    regulator of its province (an event the regulator gateway files). A public account's subject is its
    registrant's, in the province the account was registered in."""
    await tx.standing.close(account_id)
    subject = await tx.standing.subject_of(account_id)
    if subject is None:
        return
    listed = await tx.standing.blacklist(
        bytes(subject["id_number_lookup"]), account_id, reason=reason, legal_basis=basis, by=by
    )
    if listed is None:
        return
    await tx.announce(
        events.subject_blacklisted(
            account_id,
            blacklist_id=listed["id"],
            province_code=subject["province_code"],
            reason=reason,
            legal_basis=basis,
            listed_at=listed["listed_at"],
        )
    )


async def reverse(ports: IdentityPorts, entry_id: int, *, by: str, note: str) -> dict[str, Any]:
    """An appeal upheld: the entry is reversed by another (the ledger is never edited) and the
    sanction it caused is lifted."""
    async with ports.db.transaction() as tx:
        return await reverse_entry(tx, ports.credit, entry_id, by=by, note=note)


async def reverse_entry(tx: Tx, policy: CreditPolicy, entry_id: int, *, by: str, note: str) -> dict[str, Any]:
    """In the caller's transaction: reverse the penalty, lift the sanction it caused, announce the standing
    (the reversal route, and an upheld appeal of a credit entry, PA-6.2)."""
    entry = await tx.standing.entry_for_update(entry_id)
    if entry is None:
        raise NotFound("No such credit entry.")
    if entry["reverses"] is not None or entry["delta"] >= 0:
        raise Conflict("Only a penalty can be reversed.", requirement="PA-6.2")
    reversed_id = await tx.standing.add_entry(
        entry["account_id"],
        delta=-entry["delta"],
        cause="appeal_upheld",
        legal_basis=["PA-6.2", "PA-13.1"],
        source=f"appeal:{entry_id}",
        reverses=entry_id,
        created_by=by,
    )
    if reversed_id is None:
        raise Conflict("This entry was reversed already.", requirement="PA-6.2")
    for lifted in await tx.standing.lift_sanctions_of(entry["source"], f"{by} ({note})"):
        await tx.announce_all(events.sanction_lift_announcements(lifted))  # the report amended
    return await announce_standing(tx, policy, entry["account_id"], cause="appeal_upheld", basis=["PA-6.2", "PA-13.1"])


def good_standing_loop(policy: CreditPolicy, interval_s: float):
    async def restore_good_standing(runtime: Runtime) -> None:
        """A week (by default) without a new entry restores a point, up to the start (MB-15, PA-6.2).
        The entry's source names the entry it follows, so a repeated run adds nothing."""
        db = PgDatabase(runtime.pool)
        while True:
            await asyncio.sleep(interval_s)  # a period, not synchronisation
            async with db.transaction() as tx:
                for row in await tx.standing.latest_entries():
                    score = policy.score(await tx.standing.deltas([row["account_id"]]))
                    if not good_standing_due(policy, row["created_at"], score, datetime.now(UTC)):
                        continue
                    added = await tx.standing.add_entry(
                        row["account_id"],
                        delta=policy.restore_points,
                        cause="good_standing",
                        legal_basis=["MB-15", "PA-6.2"],
                        source=f"good_standing:after:{row['id']}",
                        created_by="system:credit",
                    )
                    if added:
                        await announce_standing(
                            tx, policy, row["account_id"], cause="good_standing", basis=["MB-15", "PA-6.2"]
                        )

    return restore_good_standing


# ---- filings: grading rules (MB-9) and operators of many public accounts (PA-7.3) ------------------


async def read_grading_rules(ports: IdentityPorts) -> tuple[int, GradingRules]:
    async with ports.db.connection() as tx:
        return await grading_rules(tx)


async def publish_grading_rules(ports: IdentityPorts, rules: GradingRules, *, by: str) -> dict[str, Any]:
    """New grading rules (chief editor, MB-9): a new version, filed with the regulator, and every
    account whose grade or privileges change is announced again (content and moderation use them). The
    regrading is a job (kit.jobs) staff follow; started in the rules' own transaction, it is never lost: a
    process that dies mid-way leaves it to the regrading loop."""
    async with ports.db.transaction() as tx:
        version = await tx.standing.publish_grading_rules(rules.model_dump_json(), by)
        await tx.announce(events.grading_rules_published(version, rules.model_dump_json(), by=by, at=datetime.now(UTC)))
        job = await tx.jobs.start(kind=REGRADING_JOB, subject=f"grading-rules:{version}", requested_by=by, running=True)
    regraded = await regrade_all(ports.db, ports.credit, job["id"])
    return {"version": version, "rules": rules, "regraded_accounts": regraded, "job_id": str(job["id"])}


async def regrade_all(db: Database, policy: CreditPolicy, job_id: uuid.UUID) -> int:
    """MB-9: every account not graded by the rules in force yet, in batches; each batch advances the job in
    its own transaction (progress exact after a crash; a takeover finds only the accounts left)."""
    async with db.connection() as tx:
        version, _ = await grading_rules(tx)
        ids = await tx.standing.accounts_to_regrade(version)
    async with db.transaction() as tx:
        job = await tx.jobs.get(job_id)
        if job is not None and job["total"] is None:
            await tx.jobs.advance(job_id, total=len(ids))
    changed, known = 0, {}
    for start in range(0, len(ids), 200):
        batch = ids[start : start + 200]
        async with db.transaction() as tx:
            announced = 0
            for account_id in batch:
                last = await last_graded(tx, policy, account_id, known)
                if last is None:
                    continue
                view = await standing_of(tx, policy, account_id)
                if not grading_changed(last, (view["grade"], view["privileges"])):
                    # Same grade, same privileges: nothing to announce, only note the rules it was graded by.
                    await tx.standing.set_grade(account_id, None, version)
                    continue
                await announce_standing(tx, policy, account_id, cause="grading_rules", basis=["MB-9"])
                announced += 1
            if not await tx.jobs.advance(job_id, by=len(batch), counts={"regraded": announced}):
                raise RegradingTakenOver(str(job_id))
        changed += announced
    async with db.transaction() as tx:
        await tx.jobs.finish(job_id)
    return changed


class RegradingTakenOver(Exception):
    """The job is no longer running in this process's hands (failed meanwhile): the batch rolls back."""


def regrading_loop(poll_s: float, stale_after_s: float, policy: CreditPolicy):
    async def resume_regradings(runtime: Runtime) -> None:
        """A regrading whose process died (its job's heartbeat stopped) is taken over and finished."""
        db = PgDatabase(runtime.pool)
        while True:
            async with db.transaction() as tx:
                job = await tx.jobs.claim([REGRADING_JOB], stale_after_s=stale_after_s)
            if job is None:
                await asyncio.sleep(poll_s)  # idle poll, not synchronisation
                continue
            await regrade_all(db, policy, job["id"])

    return resume_regradings


async def declare_operator(
    ports: IdentityPorts, account_id: uuid.UUID, *, registrant: str, business_scope: str, accounts: list[uuid.UUID]
) -> dict[str, Any]:
    """PA-7.3: an organization operating several public accounts declares registrant, business scope
    and the accounts; every listed account must be verified as the same subject."""
    async with ports.db.transaction() as tx:
        own = await tx.standing.subject_of(account_id)
        if own is None or own["subject_type"] == "individual":
            raise Forbidden("Only a verified organization declares the accounts it operates.", requirement="PA-7.3")
        subjects = await tx.standing.subjects_of(accounts)
        ours = {a for a, lookup in subjects.items() if lookup == bytes(own["id_number_lookup"])}
        foreign = sorted(str(a) for a in set(accounts) - ours)
        if foreign:
            raise InvalidInput(f"Not accounts of this subject: {', '.join(foreign)}.", requirement="PA-7.3")
        declaration_id, now = uuid.uuid4(), datetime.now(UTC)
        await tx.standing.insert_declaration(
            declaration_id,
            account_id,
            registrant=registrant,
            business_scope=business_scope,
            accounts=accounts,
            declared_at=now,
        )
        await tx.announce(
            events.operator_declared(
                account_id,
                declaration_id=declaration_id,
                registrant=registrant,
                business_scope=business_scope,
                accounts=accounts,
                province_code=own["province_code"],
                declared_at=now,
            )
        )
    return {
        "id": declaration_id,
        "registrant": registrant,
        "business_scope": business_scope,
        "accounts": accounts,
        "province_code": own["province_code"],
        "declared_at": now.isoformat(),
    }
