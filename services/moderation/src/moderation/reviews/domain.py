"""The review queue's rules (MB-6.1, MB-14, PA-5.1): who may claim, release, assign, escalate and decide an
item, what a decision on it means, and a post's standing among its decisions (takedown, restore). Pure: no
I/O; the handlers pass rows in and store what these return."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from contracts.staff import StaffRole
from kit.problems import Conflict, Forbidden, InvalidInput, NotFound


class ItemKind(StrEnum):
    HELD_POST = "held_post"
    COMPLAINT_CASE = "complaint_case"


class ItemState(StrEnum):
    OPEN = "open"
    ASSIGNED = "assigned"
    ESCALATED = "escalated"
    CLOSED = "closed"


class CaseAction(StrEnum):
    """What a decision on a complaint case did (CaseDecided.action)."""

    STOP = "stop"
    LABEL = "label"
    SANCTION = "sanction"  # recorded here: identity imposes the sanction through its own API (PA-13)
    NONE = "none"


# Reporting names complaints' targets post | comment | article | account; to moderation all but accounts are posts.
POST_TARGETS = frozenset({"post", "comment", "article", "repost"})
# A held post's priority from the risk it was held with.
RISK_PRIORITY = {"low": 0, "medium": 1, "high": 2}


@dataclass(frozen=True, slots=True)
class Staff:
    """Who acts on an item: `staff:<id>`, and whether they are the chief editor (MB-6.1, PA-5.1)."""

    actor: str
    chief_editor: bool = False
    senior: bool = False

    @property
    def review_role(self) -> StaffRole:
        """The role a review verdict is recorded with (its rule, review.<role>)."""
        return StaffRole.CHIEF_EDITOR if self.chief_editor else StaffRole.REVIEWER


@dataclass(frozen=True, slots=True)
class Move:
    """An item's next state and holder, and the history record of the action (review_action)."""

    state: ItemState
    assignee: str | None
    action: str
    text: str = ""


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """Reporting's ComplaintCase as moderation keeps it (MB-14): the facts shown on the item."""

    case_id: uuid.UUID
    target_type: str  # post | comment | article | account
    target_id: uuid.UUID
    author_id: uuid.UUID | None
    category: str
    categories: tuple[str, ...]
    complaint_count: int
    weight: float
    coordinated: bool
    priority: int
    opened_at: datetime
    deadline: datetime | None
    escalated: bool
    version: int
    legal_basis: tuple[str, ...]
    victim_proof: bool

    @property
    def moderation_target(self) -> str:
        """'post' for posts, reposts, comments and articles; 'account' for accounts."""
        return "account" if self.target_type == "account" else "post"

    def as_json(self) -> dict[str, Any]:
        return {
            "target_type": self.target_type,
            "categories": list(self.categories),
            "complaint_count": self.complaint_count,
            "weight": self.weight,
            "coordinated": self.coordinated,
            "escalated": self.escalated,
            "legal_basis": list(self.legal_basis),
            "victim_proof": self.victim_proof,
            "opened_at": self.opened_at.isoformat(),
            "author_id": str(self.author_id) if self.author_id else None,
        }


def normalise_staff(value: str) -> str:
    """A staff id as records name it (`staff:<id>`), from `staff:<id>` or a bare id."""
    value = value.strip()
    if not value:
        raise InvalidInput("Name a staff member.")
    return value if value.startswith("staff:") else f"staff:{value}"


def _open(item: Mapping[str, Any]) -> None:
    if item["state"] == ItemState.CLOSED:
        raise Conflict(f"The item was closed by {item['resolved_by']}.", requirement="MB-6.1")


def claim(item: Mapping[str, Any], staff: Staff) -> Move | None:
    """Take an item to work on (None: the caller holds it already). Another's claim is a 409; an escalated
    item waits for the chief editor (MB-6.1)."""
    _open(item)
    if item["assignee"] == staff.actor:
        return None
    if item["state"] == ItemState.ESCALATED and not staff.chief_editor:
        raise Forbidden("An escalated item is the chief editor's to take.", requirement="MB-6.1")
    if item["assignee"] is not None:
        raise Conflict(f"The item is held by {item['assignee']}.", requirement="MB-6.1", assignee=item["assignee"])
    state = ItemState.ESCALATED if item["state"] == ItemState.ESCALATED else ItemState.ASSIGNED
    return Move(state, staff.actor, "claimed")


def release(item: Mapping[str, Any], staff: Staff) -> Move:
    """Give an item back to the queue; only its holder (or the chief editor) may."""
    _open(item)
    if item["assignee"] is None:
        raise Conflict("Nobody holds this item.", requirement="MB-6.1")
    if item["assignee"] != staff.actor and not staff.chief_editor:
        raise Conflict(f"The item is held by {item['assignee']}.", requirement="MB-6.1", assignee=item["assignee"])
    state = ItemState.ESCALATED if item["state"] == ItemState.ESCALATED else ItemState.OPEN
    return Move(state, None, "released")


def assign(item: Mapping[str, Any], staff: Staff, assignee: str) -> Move:
    """A senior reviewer or the chief editor gives an item to someone (the route admits only them)."""
    _open(item)
    state = ItemState.ESCALATED if item["state"] == ItemState.ESCALATED else ItemState.ASSIGNED
    return Move(state, assignee, "assigned", assignee)


def escalate(item: Mapping[str, Any], staff: Staff, reason: str) -> Move:
    """To the chief editor (MB-6.1, PA-5.1): the item leaves its holder and waits for the chief editor,
    whose decision on it is final."""
    _open(item)
    if item["state"] == ItemState.ESCALATED:
        raise Conflict("Escalated already.", requirement="MB-6.1")
    if item["assignee"] not in (None, staff.actor) and not (staff.senior or staff.chief_editor):
        raise Conflict(f"The item is held by {item['assignee']}.", requirement="MB-6.1", assignee=item["assignee"])
    return Move(ItemState.ESCALATED, None, "escalated", reason)


def check_may_decide(item: Mapping[str, Any], staff: Staff, *, needs_claim: bool = True) -> bool:
    """MB-6.1, PA-5.1: an escalated item is decided by the chief editor only, and that decision is final;
    otherwise the decider holds the item's claim (the chief editor needs none). Whether it is final."""
    _open(item)
    if item["state"] == ItemState.ESCALATED:
        if not staff.chief_editor:
            raise Forbidden("An escalated item is decided by the chief editor only.", requirement="MB-6.1")
        return True
    if staff.chief_editor:
        return False
    if item["assignee"] is not None and item["assignee"] != staff.actor:
        raise Conflict(
            f"The item is held by {item['assignee']}; deciding needs its claim.",
            requirement="MB-6.1",
            assignee=item["assignee"],
        )
    if needs_claim and item["assignee"] is None:
        raise Conflict("Claim the item before deciding it.", requirement="MB-6.1")
    return False


@dataclass(frozen=True, slots=True)
class CaseVerdict:
    """A reviewer's decision on a complaint case (MB-14)."""

    upheld: bool
    action: CaseAction
    reason: str
    category: str
    legal_basis: tuple[str, ...]
    rumour_id: uuid.UUID | None = None  # a label's rumour (MB-11)

    @property
    def acted(self) -> bool:
        return self.upheld and self.action is not CaseAction.NONE

    @property
    def stops(self) -> bool:
        return self.upheld and self.action is CaseAction.STOP

    @property
    def labels(self) -> bool:
        return self.upheld and self.action is CaseAction.LABEL


def check_held_decision(outcome: str | None, *, category: str | None, rumour_id: uuid.UUID | None) -> str:
    """A queue item's decision on a held post names its outcome (MB-6.1); a stop its BJ-10 category (MB-12.2);
    a label the rumour whose refutation it attaches (MB-11). The outcome."""
    if outcome is None:
        raise InvalidInput("A held post's decision names its outcome.", requirement="MB-6.1")
    if outcome == "stop_transmission" and not category:
        raise InvalidInput("A stop of transmission names its BJ-10 category.", requirement="MB-12.2")
    if outcome == "label" and rumour_id is None:
        raise InvalidInput("A label names the rumour whose refutation it attaches.", requirement="MB-11")
    return outcome


def case_verdict(
    item: Mapping[str, Any],
    *,
    upheld: bool | None,
    action: str | None,
    reason: str,
    category: str | None,
    legal_basis,
    rumour_id: uuid.UUID | None = None,
) -> CaseVerdict:
    """MB-14, MB-12.2: an upheld case names what was done; a stop needs its BJ-10 category, a label (MB-11) the
    rumour whose refutation it attaches, and both apply to content only (accounts are sanctioned through
    identity's own API). Its legal basis always cites MB-14 (a decision on complaints), after whatever the
    reviewer cited."""
    if upheld is None:
        raise InvalidInput("A complaint case's decision says whether it is upheld.", requirement="MB-14")
    if action is None and upheld:
        raise InvalidInput("An upheld case names its action: stop, label, sanction or none.", requirement="MB-14")
    chosen = CaseAction(action or CaseAction.NONE)
    if not upheld and chosen is not CaseAction.NONE:
        raise InvalidInput("A dismissed case takes no action.", requirement="MB-14")
    if chosen in (CaseAction.STOP, CaseAction.LABEL) and item["target_type"] != "post":
        raise InvalidInput(
            f"An account is sanctioned through identity's sanctions, not given a {chosen.value}.", requirement="MB-14"
        )
    if chosen is CaseAction.STOP and not category:
        raise InvalidInput("A stop of transmission names its BJ-10 category.", requirement="MB-12.2")
    if chosen is CaseAction.LABEL and rumour_id is None:
        raise InvalidInput("A label names the rumour whose refutation it attaches.", requirement="MB-11")
    basis = tuple(dict.fromkeys([*(legal_basis or ()), "MB-14"]))
    label = rumour_id if chosen is CaseAction.LABEL else None
    return CaseVerdict(upheld, chosen, reason, category or item["category"] or "", basis, label)


# --- a post's decisions: what is in force, what stopped it (takedown, restore) ---------------------


@dataclass(frozen=True, slots=True)
class PostStanding:
    current: Mapping[str, Any]  # the decision in force: the last one made
    stop: Mapping[str, Any] | None  # the stop in force, if transmission is stopped
    held: bool  # held for review, not decided yet


def post_standing(decisions: Sequence[Mapping[str, Any]]) -> PostStanding:
    """From a post's decisions, oldest first: the one in force and the stop in force (a restore lifts
    the stop it supersedes)."""
    if not decisions:
        raise NotFound("Moderation has decided no such post.")
    stop = None
    for d in decisions:
        if d["outcome"] == "stop_transmission":
            stop = d
        elif d["stage"] == "restore":
            stop = None
    current = decisions[-1]
    return PostStanding(current, stop, current["outcome"] == "hold_for_review")


def check_may_take_down(standing: PostStanding, staff: Staff) -> None:
    """MB-12.2: a takedown stops what is served; MB-6.1, PA-5.1: a final decision of the chief editor is
    changed by the chief editor only."""
    if standing.stop is not None:
        raise Conflict("Transmission of this post is stopped already.", requirement="MB-12.2")
    if standing.held:
        raise Conflict("The post is held for review: decide its review item.", requirement="MB-6.1")
    if standing.current["final"] and not staff.chief_editor:
        raise Forbidden(
            "The chief editor decided this post finally; only the chief editor changes it.", requirement="MB-6.1"
        )


def check_may_restore(standing: PostStanding, staff: Staff) -> Mapping[str, Any]:
    """The stop to lift (MB-12.2): 409 when nothing is stopped; a final stop only by the chief editor."""
    if standing.stop is None:
        raise Conflict("Transmission of this post is not stopped.", requirement="MB-12.2")
    if standing.stop["final"] and not staff.chief_editor:
        raise Forbidden(
            "The chief editor stopped this post finally; only the chief editor restores it.", requirement="MB-6.1"
        )
    return standing.stop


def staff_decision(
    base: Mapping[str, Any],
    *,
    outcome: str,
    stage: str,
    category: str,
    legal_basis: Sequence[str],
    reason: str,
    by: str,
    supersedes: uuid.UUID,
    final: bool = False,
    rule: str,
) -> dict[str, Any]:
    """A staff decision on a post (takedown, restore, a complaint case's stop), on the same content (hash and
    versions) as the decision it supersedes. MB-12.2: a stop carries its legal basis and reason."""
    stop = outcome == "stop_transmission"
    basis = list(dict.fromkeys([*legal_basis, *(("MB-12", "BJ-10", "MB-12.2") if stop else ("MB-6.1",))]))
    return {
        "id": uuid.uuid4(),
        "post_id": base["post_id"],
        "author_id": base["author_id"],
        "outcome": outcome,
        "category": category if stop else "",
        "legal_basis": basis,
        "reason": reason,
        "matches": "[]",
        "content_sha256": base["content_sha256"],
        "engine_version": base["engine_version"],
        "lexicon_version": base["lexicon_version"],
        "decided_at": datetime.now(UTC),
        "stage": stage,
        "suggestion": "block" if stop else "pass",
        "risk": "high" if stop else "low",
        "rule": rule,
        "refutation": None,
        "rumour_id": None,
        "rumour_hits": "[]",
        "supersedes": supersedes,
        "rumour_version": base["rumour_version"],
        "rules_version": base["rules_version"],
        "decided_by": by,
        "final": final,
    }
