"""What identity files with the regulator besides the blacklist: grading rules (MB-9) and operators
of many public accounts (PA-7.3). Each is an event the regulator gateway files."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from kit.cloudevents import timestamp
from kit.db import transaction
from kit.outbox import announce
from kit.problems import Forbidden, InvalidInput
from qinglang.identity.v1 import standing_pb2

from identity import events, grades
from identity.credit import CreditPolicy
from identity.handlers import IdentityPorts
from identity.standing import announce_standing, standing_view


async def publish_grading_rules(ports: IdentityPorts, rules: grades.GradingRules, *, by: str) -> dict:
    """New grading rules (chief editor, MB-9): a new version, filed with the regulator, and every
    account whose grade changes is announced again (content and moderation use the grade)."""
    async with transaction(ports.pool) as conn:
        await conn.execute("SELECT pg_advisory_xact_lock(7100201)")
        version = await conn.fetchval(
            """INSERT INTO grading_rules (version, rules, published_by)
               SELECT coalesce(max(version), 0) + 1, $1, $2 FROM grading_rules RETURNING version""",
            rules.model_dump_json(),
            by,
        )
        await announce(
            conn,
            events.GRADING_RULES_PUBLISHED,
            key="grading-rules",
            subject=f"grading-rules/{version}",
            message=standing_pb2.GradingRulesPublished(
                version=version,
                rules_json=rules.model_dump_json(),
                published_by=by,
                published_at=timestamp(datetime.now(UTC)),
                legal_basis=["MB-9", "PA-6.2", "PA-7.2"],
            ),
        )
    regraded = await regrade_all(ports.pool, ports.credit)
    return {"version": version, "rules": rules.model_dump(), "regraded_accounts": regraded}


async def regrade_all(pool, policy: CreditPolicy) -> int:
    version, _ = await grades.current(pool)
    ids = [
        r["id"]
        for r in await pool.fetch(
            "SELECT id FROM account WHERE cancelled_at IS NULL AND (grade_rules IS DISTINCT FROM $1)", version
        )
    ]
    changed = 0
    for start in range(0, len(ids), 200):
        async with transaction(pool) as conn:
            for account_id in ids[start : start + 200]:
                before = await conn.fetchval("SELECT grade FROM account WHERE id = $1", account_id)
                view = await standing_view(conn, policy, account_id)
                if view["grade"] == before:  # nothing to announce: only note the rules it was graded by
                    await conn.execute("UPDATE account SET grade_rules = $2 WHERE id = $1", account_id, version)
                    continue
                await announce_standing(conn, policy, account_id, cause="grading_rules", basis=["MB-9"])
                changed += 1
    return changed


async def declare_operator(
    ports: IdentityPorts, account_id: uuid.UUID, *, registrant: str, business_scope: str, accounts: list[uuid.UUID]
) -> dict:
    """PA-7.3: an organization operating several public accounts declares registrant, business scope
    and the accounts; every listed account must be verified as the same subject."""
    async with transaction(ports.pool) as conn:
        own = await conn.fetchrow(
            "SELECT subject_type, id_number_lookup, province_code FROM real_name_verification WHERE account_id = $1",
            account_id,
        )
        if own is None or own["subject_type"] == "individual":
            raise Forbidden("Only a verified organization declares the accounts it operates.", requirement="PA-7.3")
        listed = await conn.fetch(
            "SELECT account_id, id_number_lookup FROM real_name_verification WHERE account_id = ANY($1::uuid[])",
            accounts,
        )
        ours = {r["account_id"] for r in listed if bytes(r["id_number_lookup"]) == bytes(own["id_number_lookup"])}
        foreign = sorted(str(a) for a in set(accounts) - ours)
        if foreign:
            raise InvalidInput(f"Not accounts of this subject: {', '.join(foreign)}.", requirement="PA-7.3")
        declaration_id, now = uuid.uuid4(), datetime.now(UTC)
        await conn.execute(
            """INSERT INTO operator_declaration (id, account_id, registrant, business_scope, accounts, declared_at)
               VALUES ($1, $2, $3, $4, $5, $6)""",
            declaration_id,
            account_id,
            registrant,
            business_scope,
            accounts,
            now,
        )
        await announce(
            conn,
            events.OPERATOR_DECLARED,
            key=str(account_id),
            subject=str(account_id),
            message=standing_pb2.OperatorDeclared(
                declaration_id=str(declaration_id),
                account_id=str(account_id),
                registrant=registrant,
                business_scope=business_scope,
                account_ids=[str(a) for a in accounts],
                province_code=own["province_code"],
                declared_at=timestamp(now),
                legal_basis=["PA-7.3"],
            ),
        )
    return {
        "id": str(declaration_id),
        "registrant": registrant,
        "business_scope": business_scope,
        "accounts": [str(a) for a in accounts],
        "province_code": own["province_code"],
        "declared_at": now.isoformat(),
    }
