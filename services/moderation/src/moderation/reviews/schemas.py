"""HTTP bodies of the review queue (MB-6.1), and the view of a queued item."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Literal

from contracts.categories import Bj10Category
from kit.inputs import Bool, RequestModel, Text, VisibleText
from pydantic import BaseModel, Field, model_validator

from moderation.decisions.schemas import DecisionRead, MatchRead, RumourHitRead, decision_read
from moderation.policy.schemas import RequirementIds
from moderation.reviews.domain import CaseAction, ItemKind, ItemState


class ReviewItemRead(BaseModel):
    decision_id: str
    post_id: str
    author_id: str
    text: str
    created_at: str
    held_at: str
    rule: str
    reason: str
    risk: str
    suggestion: str
    category: str
    matches: list[MatchRead]
    rumour_hits: list[RumourHitRead]


def review_item_read(row: Mapping[str, Any]) -> ReviewItemRead:
    return ReviewItemRead(
        decision_id=str(row["decision_id"]),
        post_id=str(row["post_id"]),
        author_id=str(row["author_id"]),
        text=row["text"],
        created_at=row["created_at"].isoformat(),
        held_at=row["held_at"].isoformat(),
        rule=row["rule"],
        reason=row["reason"],
        risk=row["risk"],
        suggestion=row["suggestion"],
        category=row["category"],
        matches=json.loads(row["matches"]),
        rumour_hits=json.loads(row["rumour_hits"]),
    )


class ReviewCreate(RequestModel):
    outcome: Literal["approve", "label", "stop_transmission"]
    reason: VisibleText = Field(min_length=3, max_length=2000)
    category: Bj10Category | None = None
    legal_basis: list[str] = Field(default_factory=list, max_length=10)
    rumour_id: str | None = Field(default=None, description="the refuted rumour a label attaches")

    @model_validator(mode="after")
    def _grounds(self) -> ReviewCreate:
        if self.outcome == "stop_transmission":
            if self.category is None:
                raise ValueError("a stop of transmission names its BJ-10 category")
        if self.outcome == "label" and not self.rumour_id:
            raise ValueError("a label names the rumour whose refutation it attaches")
        return self


# --- issue 14: queue items of two kinds (MB-6.1, MB-14, PA-5.1) -------------------------------------


class CaseFactsRead(BaseModel):
    """A complaint case's facts (reporting's ComplaintCase, newest version)."""

    case_id: str
    version: int
    target_type: str
    categories: list[str]
    complaint_count: int
    weight: float
    coordinated: bool
    escalated: bool = Field(description="reporting escalated it: its deadline is near or passed")
    victim_proof: bool
    legal_basis: list[str]
    opened_at: str
    author_id: str | None


class QueueItemRead(BaseModel):
    id: str
    kind: ItemKind
    target_type: Literal["post", "account"] = Field(description="posts, comments and articles are all posts")
    target_id: str
    state: ItemState
    assignee: str | None
    priority: int
    deadline: str | None
    category: str
    decision_id: str | None = Field(description="a held post's held decision")
    case: CaseFactsRead | None
    escalation_reason: str | None
    opened_at: str
    closed_at: str | None
    closed_by: str | None
    resolution: str | None = Field(description="the decision the item was closed with, when there is one")
    upheld: bool | None
    action: str | None
    final: bool = Field(description="decided by the chief editor on escalation (MB-6.1, PA-5.1)")


class ActionRead(BaseModel):
    action: str
    actor: str
    at: str
    text: str
    detail: dict[str, Any]


class QueueItemDetailRead(QueueItemRead):
    text: str | None = Field(description="the content judged (a held post's text)")
    matches: list[MatchRead] = Field(description="the matched spans of the decision in force")
    decisions: list[DecisionRead] = Field(description="the target's decisions, oldest first")
    notes: list[ActionRead]
    history: list[ActionRead] = Field(description="every staff action on the item: who, when, why")


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def queue_item_read(row: Mapping[str, Any]) -> QueueItemRead:
    return QueueItemRead(**_queue_item_fields(row))


def _queue_item_fields(row: Mapping[str, Any]) -> dict[str, Any]:
    facts = _json(row["case_facts"]) if row["case_facts"] is not None else None
    case = (
        CaseFactsRead(
            case_id=str(row["case_id"]),
            version=row["case_version"],
            target_type=facts["target_type"],
            categories=facts["categories"],
            complaint_count=facts["complaint_count"],
            weight=facts["weight"],
            coordinated=facts["coordinated"],
            escalated=facts["escalated"],
            victim_proof=facts["victim_proof"],
            legal_basis=facts["legal_basis"],
            opened_at=facts["opened_at"],
            author_id=facts["author_id"],
        )
        if facts is not None
        else None
    )
    return {
        "id": str(row["id"]),
        "kind": row["kind"],
        "target_type": row["target_type"],
        "target_id": str(row["target_id"]),
        "state": row["state"],
        "assignee": row["assignee"],
        "priority": row["priority"],
        "deadline": _iso(row["deadline"]),
        "category": row["category"],
        "decision_id": str(row["decision_id"]) if row["decision_id"] else None,
        "case": case,
        "escalation_reason": row["escalation_reason"],
        "opened_at": row["held_at"].isoformat(),
        "closed_at": _iso(row["resolved_at"]),
        "closed_by": row["resolved_by"],
        "resolution": str(row["resolution"]) if row["resolution"] else None,
        "upheld": row["upheld"],
        "action": row["action"],
        "final": row["final"],
    }


def action_read(row: Mapping[str, Any]) -> ActionRead:
    return ActionRead(
        action=row["action"],
        actor=row["actor"],
        at=row["at"].isoformat(),
        text=row["text"],
        detail=_json(row["detail"]),
    )


def queue_item_detail_read(view: Mapping[str, Any]) -> QueueItemDetailRead:
    item, decisions = view["item"], view["decisions"]
    history = [action_read(a) for a in view["actions"]]
    # The spans a reviewer looks at: the held decision's for a held post, else the decision in force's.
    judged = next((d for d in decisions if d["id"] == item["decision_id"]), decisions[-1] if decisions else None)
    return QueueItemDetailRead(
        **_queue_item_fields(item),
        text=item["text"],
        matches=_json(judged["matches"]) if judged is not None else [],
        decisions=[decision_read(d) for d in decisions],
        notes=[h for h in history if h.action == "noted"],
        history=history,
    )


class AssignmentCreate(RequestModel):
    assignee: Text = Field(min_length=1, max_length=80, description="a staff id (`staff:<id>` or the bare id)")


class EscalationCreate(RequestModel):
    reason: VisibleText = Field(min_length=3, max_length=2000)


class NoteCreate(RequestModel):
    text: VisibleText = Field(min_length=1, max_length=4000)


class ItemDecisionCreate(RequestModel):
    """A held post: `outcome` (approve | label | stop_transmission, as a review). A complaint case: `upheld`
    and `action` (stop | label | sanction | none; sanction is recorded only: identity applies sanctions)."""

    outcome: Literal["approve", "label", "stop_transmission"] | None = None
    upheld: Bool | None = None
    action: CaseAction | None = None
    reason: VisibleText = Field(min_length=3, max_length=2000)
    category: Bj10Category | None = None
    legal_basis: RequirementIds = Field(default_factory=list, max_length=10)
    rumour_id: str | None = Field(default=None, description="a held post's label: the refuted rumour")


class TakedownCreate(RequestModel):
    category: Bj10Category
    reason: VisibleText = Field(min_length=3, max_length=2000)
    legal_basis: RequirementIds = Field(default_factory=list, max_length=10)


class RestorationCreate(RequestModel):
    reason: VisibleText = Field(min_length=3, max_length=2000)
    legal_basis: RequirementIds = Field(default_factory=list, max_length=10)


class StateCountRead(BaseModel):
    kind: str
    state: str
    count: int


class ReviewStatisticsRead(BaseModel):
    counts: list[StateCountRead] = Field(description="items opened in the period, by kind and state")
    decided: int = Field(description="items closed in the period")
    average_handling_s: float | None
    p90_handling_s: float | None
    action_rate: float | None = Field(description="share of the decided items that acted (anything but approve/none)")


def statistics_read(stats: Mapping[str, Any]) -> ReviewStatisticsRead:
    decided = stats["decided"]
    return ReviewStatisticsRead(
        counts=[StateCountRead(kind=c["kind"], state=c["state"], count=c["n"]) for c in stats["counts"]],
        decided=decided,
        average_handling_s=float(stats["avg_s"]) if stats["avg_s"] is not None else None,
        p90_handling_s=float(stats["p90_s"]) if stats["p90_s"] is not None else None,
        action_rate=stats["acted"] / decided if decided else None,
    )
