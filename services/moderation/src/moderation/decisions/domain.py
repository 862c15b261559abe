"""A decision as moderation records it: the engine's verdict on a post, with who, when and at which
stage. Pure: no I/O."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from contracts.claims import TokenKind
from kit.auth import Principal
from kit.problems import NotFound

from moderation.engine.decide import Verdict
from moderation.engine.lexicon import Hit


@dataclass(frozen=True, slots=True)
class NewPost:
    """A post content announced, to decide (MB-6.1)."""

    post_id: uuid.UUID
    author_id: uuid.UUID
    text: str
    created_at: datetime
    province_code: str = ""  # from the author's token: current, where identity's events may lag
    registered_at: datetime | None = None


DECISION_FIELDS = (
    "id",
    "post_id",
    "author_id",
    "outcome",
    "category",
    "legal_basis",
    "reason",
    "matches",
    "content_sha256",
    "engine_version",
    "lexicon_version",
    "decided_at",
    "stage",
    "suggestion",
    "risk",
    "rule",
    "refutation",
    "rumour_id",
    "rumour_hits",
    "supersedes",
    "rumour_version",
    "rules_version",
    "decided_by",
    "final",
)


def match_views(hits: list[Hit]) -> list[dict]:
    """Lexicon hits as decisions record them: what matched, where in the original text, and how."""
    return [
        {
            "term": h.entry.term,
            "category": h.entry.category,
            "start": h.start,
            "end": h.end,
            "entry_id": h.entry.id,
            "channel": h.channel.value,
        }
        for h in hits
    ]


def new_decision(
    *,
    post_id: uuid.UUID,
    author_id: uuid.UUID,
    verdict: Verdict,
    stage: str = "publication",
    supersedes: uuid.UUID | None = None,
    decided_by: str = "",
) -> dict:
    """A decision row as the application makes it (id and time included), before it is stored."""
    matches = match_views(verdict.hits)
    rumour_hits = [{"rumour_id": r.rumour.id, "similarity": r.similarity} for r in verdict.rumour_hits]
    refutation = verdict.refutation
    return {
        "id": uuid.uuid4(),
        "post_id": post_id,
        "author_id": author_id,
        "outcome": verdict.outcome.value,
        "category": verdict.category,
        "legal_basis": verdict.legal_basis,
        "reason": verdict.reason,
        "matches": json.dumps(matches),
        "content_sha256": verdict.content_sha256,
        "engine_version": verdict.engine_version,
        "lexicon_version": verdict.lexicon_version,
        "decided_at": datetime.now(UTC),
        "stage": stage,
        "suggestion": verdict.suggestion.value,
        "risk": verdict.risk.value,
        "rule": verdict.rule,
        "refutation": json.dumps(
            {
                "rumour_id": refutation.rumour.id,
                "text": refutation.rumour.refutation_text,
                "url": refutation.rumour.refutation_url,
                "authority": refutation.rumour.authority,
                "similarity": refutation.similarity,
            }
        )
        if refutation
        else None,
        "rumour_id": uuid.UUID(verdict.rumour_id) if verdict.rumour_id else None,
        "rumour_hits": json.dumps(rumour_hits),
        "supersedes": supersedes,
        "rumour_version": verdict.rumour_version,
        "rules_version": verdict.rules_version,
        "decided_by": decided_by,
        "final": False,
    }


def check_may_read_decisions(decisions: list, principal: Principal) -> None:
    """MB-12.2: a post's author reads the statement of reasons, and staff do; nobody else learns
    that a post was decided at all."""
    is_staff = principal.access.kind is TokenKind.STAFF
    if not decisions or not (is_staff or str(decisions[0]["author_id"]) == principal.subject):
        raise NotFound("No decision on such a post of yours (yet).")
