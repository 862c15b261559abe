"""HTTP routes of moderation: the statement of reasons for a post's decision."""

from __future__ import annotations

import json
import uuid

from fastapi import APIRouter, Request
from kit.auth import CurrentPrincipal
from kit.problems import NotFound
from pydantic import BaseModel

from moderation import store
from moderation.lexicon import ENGINE_VERSION

router = APIRouter(tags=["moderation"])


class MatchRead(BaseModel):
    term: str
    category: str
    start: int
    end: int


class DecisionRead(BaseModel):
    id: str
    post_id: str
    outcome: str
    suggestion: str
    category: str
    legal_basis: list[str]
    reason: str
    matches: list[MatchRead]
    content_sha256: str
    engine_version: str
    lexicon_version: str
    decided_at: str


class LexiconRead(BaseModel):
    version: str
    engine_version: str
    entries: int


@router.get("/v1/moderation/posts/{post_id}/decision", response_model=DecisionRead)
async def read_decision(post_id: uuid.UUID, principal: CurrentPrincipal, request: Request) -> dict:
    """The decision on a post and its statement of reasons, for the post's author."""
    row = await store.decision_for_post(request.app.state.runtime.pool, post_id)
    if row is None or str(row["author_id"]) != principal.subject:
        raise NotFound("No decision on such a post of yours (yet).")
    return {
        "id": str(row["id"]),
        "post_id": str(row["post_id"]),
        "outcome": row["outcome"],
        "suggestion": "block" if row["outcome"] == "stop_transmission" else "pass",
        "category": row["category"],
        "legal_basis": list(row["legal_basis"]),
        "reason": row["reason"],
        "matches": json.loads(row["matches"]),
        "content_sha256": row["content_sha256"],
        "engine_version": row["engine_version"],
        "lexicon_version": row["lexicon_version"],
        "decided_at": row["decided_at"].isoformat(),
    }


@router.get("/v1/moderation/lexicon", response_model=LexiconRead)
async def read_lexicon(request: Request) -> dict:
    lexicon = request.app.state.lexicon
    return {"version": lexicon.version, "engine_version": ENGINE_VERSION, "entries": len(lexicon.entries)}
