"""Graded management (MB-9, PA-6.2, PA-7.2): an account's grade from its subject type, verified status,
followers, reads and credit, by rules that are data — versioned, published by the chief editor,
filed with the regulator. The highest grade whose every condition holds is the account's."""

from __future__ import annotations

import json

import asyncpg
from kit.inputs import Bool, Int, RequestModel, Text, VisibleText
from pydantic import Field


class GradeRule(RequestModel):
    grade: Int = Field(ge=0, le=100)
    name: VisibleText = Field(max_length=200)
    min_credit: Int = 0
    min_followers: Int = 0
    min_reads: Int = 0
    subject_types: list[Text] = Field(default_factory=list, max_length=20)  # empty: any
    verified_types: list[Text] = Field(default_factory=list, max_length=20)  # empty: verified or not
    requires_verified: Bool = False


class GradingRules(RequestModel):
    rules: list[GradeRule] = Field(min_length=1, max_length=100)

    def grade_of(self, account: dict) -> int:
        best = 0
        for rule in self.rules:
            if (
                account["credit"] >= rule.min_credit
                and account["followers"] >= rule.min_followers
                and account["reads"] >= rule.min_reads
                and (not rule.subject_types or account["subject_type"] in rule.subject_types)
                and (not rule.requires_verified or account["verified_type"] is not None)
                and (not rule.verified_types or account["verified_type"] in rule.verified_types)
            ):
                best = max(best, rule.grade)
        return best


DEFAULT = GradingRules(
    rules=[
        GradeRule(grade=1, name="ordinary"),
        GradeRule(grade=2, name="trusted", min_credit=110),
        GradeRule(grade=3, name="verified", min_credit=90, requires_verified=True),
        GradeRule(grade=4, name="high reach", min_credit=110, requires_verified=True, min_followers=100_000),
        GradeRule(
            grade=5,
            name="institutional",
            min_credit=90,
            verified_types=["government", "media", "public_institution"],
        ),
    ]
)


async def seed_if_empty(pool: asyncpg.Pool) -> None:
    await pool.execute(
        """INSERT INTO grading_rules (version, rules, published_by) VALUES (1, $1, 'system:seed')
           ON CONFLICT DO NOTHING""",
        DEFAULT.model_dump_json(),
    )


async def current(conn: asyncpg.Pool | asyncpg.Connection) -> tuple[int, GradingRules]:
    row = await conn.fetchrow("SELECT version, rules FROM grading_rules ORDER BY version DESC LIMIT 1")
    return row["version"], GradingRules.model_validate(json.loads(row["rules"]))
