"""HTTP bodies of the policy staff keep (MB-6.1): lexicon and routing-rule changes, the lexicon in force,
refuted rumours (MB-11) and emergency modes, and the views of stored rows as those bodies."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import asdict
from typing import Annotated, Any, Literal

from contracts.categories import Bj10Category
from kit.inputs import Bool, Float, Int, RequestModel, Text, VisibleText
from kit.jobs import JobRead
from pydantic import AfterValidator, BaseModel, Field, HttpUrl, model_validator

from moderation.engine.decide import ENGINE_VERSION, Policy
from moderation.policy.domain import REQUIREMENT_ID


def _requirement_ids(value: list[str]) -> list[str]:
    bad = [v for v in value if not REQUIREMENT_ID.match(v)]
    if bad:
        raise ValueError(f"not requirement IDs (such as MB-12.2): {bad}")
    return value


# MB-12.2: a legal basis, as every decision and lexicon entry carries it: requirement IDs of REQUIREMENTS.md.
RequirementIds = Annotated[list[Text], AfterValidator(_requirement_ids)]


class RoutingRead(BaseModel):
    """MB-9: how an author's standing changes review, as released."""

    review_below_credit: int
    new_account_hours: float
    high_reach_followers: int
    version: str


class LexiconRead(BaseModel):
    version: str
    release: int
    engine_version: str
    entries: int
    routing: RoutingRead
    released_by: str
    released_at: str


def lexicon_read(policy: Policy, release: Mapping[str, Any]) -> LexiconRead:
    return LexiconRead(
        version=policy.lexicon.version,
        release=release["release"],
        engine_version=ENGINE_VERSION,
        entries=len(policy.lexicon.entries),
        routing=RoutingRead(**asdict(policy.rules), version=policy.rules.version),
        released_by=release["released_by"],
        released_at=release["released_at"].isoformat(),
    )


class EntryRead(BaseModel):
    id: int
    term: str
    category: str
    action: str
    legal_basis: list[str]
    added_in: int


def entry_read(row: Mapping[str, Any]) -> EntryRead:
    return EntryRead(
        id=row["id"],
        term=row["term"],
        category=row["category"],
        action=row["action"],
        legal_basis=list(row["legal_basis"]),
        added_in=row["added_in"],
    )


class EntryCreate(RequestModel):
    term: VisibleText = Field(min_length=1, max_length=64)
    category: Bj10Category
    action: Literal["stop", "review", "label"]
    legal_basis: RequirementIds = Field(min_length=1, max_length=10)


class RoutingChange(RequestModel):
    review_below_credit: Int | None = Field(default=None, ge=0, le=1000)
    new_account_hours: Float | None = Field(default=None, ge=0, le=24 * 365)
    high_reach_followers: Int | None = Field(default=None, ge=1)


class PolicyChangeCreate(RequestModel):
    kind: Literal["lexicon", "routing"]
    reason: VisibleText = Field(min_length=3, max_length=2000)
    add: list[EntryCreate] = Field(default_factory=list, max_length=200_000)  # bulk imports too
    remove: list[Annotated[Int, Field(ge=1)]] = Field(default_factory=list, max_length=200_000)
    routing: RoutingChange | None = None

    @model_validator(mode="after")
    def _says_something(self) -> PolicyChangeCreate:
        if self.kind == "lexicon" and not (self.add or self.remove):
            raise ValueError("a lexicon change adds or removes at least one entry")
        if self.kind == "routing" and not (self.routing and self.routing.model_dump(exclude_none=True)):
            raise ValueError("a routing change sets at least one rule")
        return self


class ProposedEntry(BaseModel):
    term: str
    category: str
    action: str
    legal_basis: list[str]


class ProposedRouting(BaseModel):
    review_below_credit: int | None = None
    new_account_hours: float | None = None
    high_reach_followers: int | None = None


class ProposedChanges(BaseModel):
    """What a change adds and removes (a lexicon change) or sets (a routing change)."""

    add: list[ProposedEntry] = []
    remove: list[int] = []
    routing: ProposedRouting | None = None


class PolicyChangeRead(BaseModel):
    id: str
    kind: str
    changes: ProposedChanges
    reason: str
    proposed_by: str
    proposed_at: str
    status: str
    decided_by: str | None
    decided_at: str | None
    decision_note: str | None
    release: int | None
    job_id: str | None = Field(default=None, description="the release's job (an approved lexicon change)")
    add_count: int = Field(description="entries the change adds, all of them (a list previews the first 20)")
    remove_count: int = Field(description="entries the change removes, all of them")
    preview: bool = Field(description="true when `changes` shows only the first of its entries (a list)")
    evaluation: EvaluationRead | None = Field(
        default=None,
        description="a lexicon change: the measured recall and false positives of the lexicon it would produce "
        "(MB-6.1: the chief editor sees them before approving; approval waits while `status` is pending)",
    )
    release_evaluation: EvaluationRead | None = Field(
        default=None, description="an approved lexicon change: the figures of the release it became"
    )


class EvaluationRead(BaseModel):
    """A lexicon's measured recall per evasion technique and false positives on the clean corpus (issue 16)."""

    stage: Literal["proposed", "released"]
    status: Literal["pending", "done", "failed"]
    basis_release: int = Field(description="the release in force the change was applied to (or the release)")
    release: int | None
    lexicon_version: str | None
    engine_version: str | None = None
    recall_min: float | None = Field(default=None, description="the lowest recall of any technique")
    recall_goal: float | None = None
    false_positive_rate: float | None = Field(default=None, description="clean sentences with a stop/review hit")
    false_positive_goal: float | None = None
    meets_goals: bool | None = None
    variants: int | None = None
    sentences: int | None = None
    techniques_below_goal: list[str] = []
    recall_by_technique: dict[str, float] = {}
    figures: dict[str, Any] | None = Field(default=None, description="everything measured (a change's own page)")
    error: str | None = None
    job_id: str | None
    requested_at: str
    finished_at: str | None


PolicyChangeRead.model_rebuild()


def evaluation_read(row: Mapping[str, Any], *, whole: bool) -> EvaluationRead:
    """An evaluation row: its headline figures (from the whole figures, or a summary row of a list)."""
    figures = json.loads(row["figures"]) if row["figures"] else {}
    if "by_technique" in row.keys():
        by_technique = json.loads(row["by_technique"]) if row["by_technique"] else {}
        below = json.loads(row["techniques_below_goal"]) if row["techniques_below_goal"] else []
    else:
        by_technique = figures.get("recall", {}).get("by_technique", {})
        below = figures.get("recall", {}).get("techniques_below_goal", [])
    return EvaluationRead(
        stage=row["stage"],
        status=row["status"],
        basis_release=row["basis_release"],
        release=row["release"],
        lexicon_version=row["lexicon_version"],
        engine_version=figures.get("engine_version"),
        recall_min=figures.get("recall_min"),
        recall_goal=figures.get("recall_goal"),
        false_positive_rate=figures.get("false_positive_rate"),
        false_positive_goal=figures.get("false_positive_goal"),
        meets_goals=figures.get("meets_goals"),
        variants=figures.get("variants"),
        sentences=figures.get("sentences"),
        techniques_below_goal=below,
        recall_by_technique={t: p["recall"] for t, p in by_technique.items()},
        figures=figures if whole and figures else None,
        error=row["error"],
        job_id=str(row["job_id"]) if row["job_id"] else None,
        requested_at=row["requested_at"].isoformat(),
        finished_at=row["finished_at"].isoformat() if row["finished_at"] else None,
    )


def change_read(
    row: Mapping[str, Any],
    *,
    job_id: str | None = None,
    evaluations: list[Mapping[str, Any]] = (),
    whole: bool = True,
) -> PolicyChangeRead:
    """A change, whole; or as a list shows it (the row has its counts: its entries are a preview)."""
    changes = json.loads(row["changes"])
    counted = "add_count" in row.keys()
    add_count = row["add_count"] if counted else len(changes.get("add", []))
    remove_count = row["remove_count"] if counted else len(changes.get("remove", []))
    return PolicyChangeRead.model_validate(
        {
            "id": str(row["id"]),
            "kind": row["kind"],
            "changes": changes,
            "add_count": add_count,
            "remove_count": remove_count,
            "preview": counted and (add_count > len(changes["add"]) or remove_count > len(changes["remove"])),
            "reason": row["reason"],
            "proposed_by": row["proposed_by"],
            "proposed_at": row["proposed_at"].isoformat(),
            "status": row["status"],
            "decided_by": row["decided_by"],
            "decided_at": row["decided_at"].isoformat() if row["decided_at"] else None,
            "decision_note": row["decision_note"],
            "release": row["release"],
            "job_id": job_id,
            **{
                ("evaluation" if e["stage"] == "proposed" else "release_evaluation"): evaluation_read(e, whole=whole)
                for e in evaluations
            },
        }
    )


class ChangeDecision(RequestModel):
    approve: Bool
    note: VisibleText = Field(min_length=1, max_length=2000)


class RumourCreate(RequestModel):
    canonical_text: VisibleText = Field(min_length=8, max_length=2000)
    refutation_text: VisibleText = Field(min_length=4, max_length=2000)
    refutation_url: HttpUrl
    authority: VisibleText = Field(min_length=2, max_length=200)
    action: Literal["label", "stop"] = "label"
    legal_basis: list[str] = Field(default_factory=lambda: ["MB-11", "BJ-7(5)"], min_length=1, max_length=10)
    reason: VisibleText = Field(min_length=3, max_length=2000)


class RumourRead(BaseModel):
    id: str
    canonical_text: str
    refutation_text: str
    refutation_url: str
    authority: str
    action: str
    legal_basis: list[str]
    reason: str
    registered_by: str
    registered_at: str
    scan_status: str
    scanned_posts: int
    matched_posts: int
    scan_finished_at: str | None
    source_post_id: str | None
    source_created_at: str | None
    scan_job_id: str | None = Field(default=None, description="the job re-deciding posts for it (kit.jobs)")
    withdrawn_at: str | None = None
    withdrawn_by: str | None = None
    escalated_at: str | None = None
    escalated_by: str | None = None


def rumour_read(row: Mapping[str, Any]) -> RumourRead:
    return RumourRead.model_validate(
        {
            "id": str(row["id"]),
            "canonical_text": row["canonical_text"],
            "refutation_text": row["refutation_text"],
            "refutation_url": row["refutation_url"],
            "authority": row["authority"],
            "action": row["action"],
            "legal_basis": list(row["legal_basis"]),
            "reason": row["reason"],
            "registered_by": row["registered_by"],
            "registered_at": row["registered_at"].isoformat(),
            "scan_status": row["scan_status"],
            "scanned_posts": row["scanned_posts"],
            "matched_posts": row["matched_posts"],
            "scan_finished_at": row["scan_finished_at"].isoformat() if row["scan_finished_at"] else None,
            "source_post_id": str(row["source_post_id"]) if row["source_post_id"] else None,
            "source_created_at": row["source_created_at"].isoformat() if row["source_created_at"] else None,
            "scan_job_id": str(row["scan_job_id"]) if row["scan_job_id"] else None,
            "withdrawn_at": row["withdrawn_at"].isoformat() if row["withdrawn_at"] else None,
            "withdrawn_by": row["withdrawn_by"],
            "escalated_at": row["escalated_at"].isoformat() if row["escalated_at"] else None,
            "escalated_by": row["escalated_by"],
        }
    )


class RumourWithdrawal(RequestModel):
    """MB-11: the chief editor withdraws a rumour; why is recorded."""

    reason: VisibleText = Field(min_length=3, max_length=2000)


class RumourEscalation(RequestModel):
    """MB-11, MB-12.2: the chief editor raises a rumour from label to stop."""

    action: Literal["stop"]
    reason: VisibleText = Field(min_length=3, max_length=2000)
    category: Bj10Category
    legal_basis: RequirementIds = Field(min_length=1, max_length=10)


class RumourJobRead(BaseModel):
    """A rumour operation's answer: the job re-deciding its posts (follow it at `Location`), and the rumour."""

    job_id: str
    job: JobRead
    rumour: RumourRead


class LexiconImportCreate(RequestModel):
    """MB-12, BJ-10: a lexicon TSV file to upload in parts. ``merge`` adds and updates the file's terms;
    ``replace`` also removes the live terms the file lacks."""

    reason: VisibleText = Field(min_length=3, max_length=2000)
    mode: Literal["merge", "replace"] = "merge"


class LexiconImportRead(BaseModel):
    id: str
    reason: str
    mode: str
    requested_by: str
    requested_at: str
    parts: int
    bytes: int
    completed_at: str | None
    change_id: str | None


def lexicon_import_read(row: Mapping[str, Any]) -> LexiconImportRead:
    return LexiconImportRead(
        id=str(row["id"]),
        reason=row["reason"],
        mode=row["mode"],
        requested_by=row["requested_by"],
        requested_at=row["requested_at"].isoformat(),
        parts=row["parts"],
        bytes=row["bytes"],
        completed_at=row["completed_at"].isoformat() if row["completed_at"] else None,
        change_id=str(row["change_id"]) if row["change_id"] else None,
    )


class LexiconImportPartRead(BaseModel):
    import_id: str
    n: int
    bytes: int


class LexiconImportCompleted(BaseModel):
    """The import became one proposed lexicon change: only the chief editor approves it (MB-6.1)."""

    import_id: str
    change_id: str
    entries: int = Field(description="entries in the file")
    add: int = Field(description="entries the change adds (new terms, and changed ones)")
    remove: int = Field(description="live entries it removes (changed ones; with replace, those not in the file)")


class EmergencyCreate(RequestModel):
    scope: Literal["platform", "topic", "region"]
    value: Text = Field(default="", max_length=64, description="the topic, or a GB/T 2260 province code")
    reason: VisibleText = Field(min_length=3, max_length=2000)

    @model_validator(mode="after")
    def _value_fits_scope(self) -> EmergencyCreate:
        if self.scope == "platform" and self.value:
            raise ValueError("a platform-wide emergency takes no value")
        if self.scope == "topic" and len(self.value.strip()) < 2:
            raise ValueError("a topic emergency names the topic (two characters or more)")
        if self.scope == "region" and not re.fullmatch(r"[1-8][0-9]0000", self.value):
            raise ValueError("a region emergency names a province code such as 110000")
        return self


class EmergencyRead(BaseModel):
    id: str
    scope: str
    value: str
    reason: str
    started_by: str
    started_at: str
    ended_by: str | None
    ended_at: str | None


def emergency_read(row: Mapping[str, Any]) -> EmergencyRead:
    return EmergencyRead.model_validate(
        {
            "id": str(row["id"]),
            "scope": row["scope"],
            "value": row["value"],
            "reason": row["reason"],
            "started_by": row["started_by"],
            "started_at": row["started_at"].isoformat(),
            "ended_by": row["ended_by"],
            "ended_at": row["ended_at"].isoformat() if row["ended_at"] else None,
        }
    )
