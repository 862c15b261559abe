"""A report's evidence: rules without I/O (MB-12.2, PA-11.2, BJ-7(8)).

The evidence document joins three things the gateway learns apart: the report it filed, moderation's decision
(rule, matches, the engine's, lexicon's and rules' versions, who decided) and content's sealed snapshot of what
was stopped (text, media hashes, the author's account and province of registration). It says whether detection
and decision were automated, as the EU DSA Transparency Database records. Its bytes are the document in the
JSON Canonicalization Scheme (RFC 8785, the ``rfc8785`` package): anyone holding the document recomputes the
same bytes and so the same SHA-256, and the snapshot's text hashes to the ``content_sha256`` the decision was
made on.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import rfc8785
from kit.problems import NotFound

EVIDENCE_BASIS = ("MB-12.2", "PA-11.2")  # a stop is reported with what it stopped
# Stages whose stop was found by the platform's own checks (the engine at publication, a retro-scan of a rumour
# added later, a person's review of what the engine held); a takedown was found by staff or a complaint.
AUTOMATED_DETECTION = frozenset({"publication", "retro_scan", "review"})


@dataclass(frozen=True, slots=True)
class DecisionRecord:
    """Moderation's stop-transmission decision, as the evidence shows it."""

    decision_id: uuid.UUID
    post_id: uuid.UUID
    author_id: uuid.UUID
    category: str
    legal_basis: tuple[str, ...]
    reason: str
    rule: str
    stage: str
    decided_by: str  # "staff:<id>" of a person; empty for the engine
    decided_at: datetime
    content_sha256: str
    engine_version: str
    lexicon_version: str
    rumour_registry_version: str
    routing_rules_version: str
    suggestion: str
    risk_level: str
    matches: tuple[dict[str, Any], ...]  # term, category, start, end, entry_id, channel

    @property
    def automated_detection(self) -> bool:
        return self.stage in AUTOMATED_DETECTION

    @property
    def automated_decision(self) -> bool:
        return not self.decided_by


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Content's sealed snapshot of the stopped post (MB-12.2)."""

    decision_id: uuid.UUID
    post_id: uuid.UUID
    author_id: uuid.UUID
    author_province_code: str
    kind: str
    text: str
    snapshot_sha256: str
    media: tuple[dict[str, Any], ...]  # sha256, content_type, size, in order
    category: str
    created_at: datetime
    was_published: bool
    stopped_at: datetime


@dataclass(frozen=True, slots=True)
class FiledReport:
    """What of the report the evidence names."""

    id: uuid.UUID
    decision_id: uuid.UUID
    post_id: uuid.UUID
    filed_at: datetime
    province_code: str | None


@dataclass(frozen=True, slots=True)
class Evidence:
    """A sealed evidence document: its canonical bytes and their SHA-256 (hex)."""

    decision_id: uuid.UUID
    report_id: uuid.UUID
    document: bytes
    sha256: str
    sealed_at: datetime | None = None


class EvidenceNotHeld(NotFound):
    type = "evidence-not-held"
    title = "Evidence not held yet"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _at(moment: datetime) -> str:
    return moment.isoformat()


def document(report: FiledReport, decision: DecisionRecord, snapshot: Snapshot) -> dict[str, Any]:
    """The evidence of one report, as a JSON object (deterministic: the same parts give the same document)."""
    text_sha256 = sha256_hex(snapshot.text.encode())
    return {
        "report_id": str(report.id),
        "decision_id": str(decision.decision_id),
        "post_id": str(snapshot.post_id),
        "author": {"account_id": str(snapshot.author_id), "province_code": snapshot.author_province_code},
        "content": {
            "kind": snapshot.kind,
            "text": snapshot.text,
            "sha256": text_sha256,
            "media": [dict(m) for m in snapshot.media],
            "category": snapshot.category,
            "was_published": snapshot.was_published,
        },
        "decision": {
            "outcome": "stop_transmission",
            "category": decision.category,
            "reason": decision.reason,
            "rule": decision.rule,
            "stage": decision.stage,
            "decided_by": decision.decided_by or "engine",
            "matches": [dict(m) for m in decision.matches],
            "suggestion": decision.suggestion,
            "risk_level": decision.risk_level,
            "content_sha256": decision.content_sha256,
            "versions": {
                "engine": decision.engine_version,
                "lexicon": decision.lexicon_version,
                "rumour_registry": decision.rumour_registry_version,
                "routing_rules": decision.routing_rules_version,
            },
        },
        "automated": {"detection": decision.automated_detection, "decision": decision.automated_decision},
        "requirements": sorted(set(decision.legal_basis) | set(EVIDENCE_BASIS)),
        "timestamps": {
            "created_at": _at(snapshot.created_at),
            "decided_at": _at(decision.decided_at),
            "stopped_at": _at(snapshot.stopped_at),
            "filed_at": _at(report.filed_at),
        },
        # The snapshot is what the decision was made on: its text hashes to the decision's content_sha256.
        "snapshot_matches_decision": text_sha256 == decision.content_sha256 == snapshot.snapshot_sha256,
    }


def seal(report: FiledReport, decision: DecisionRecord, snapshot: Snapshot) -> Evidence:
    """The document's canonical bytes (RFC 8785) and their hash: what the office verifies."""
    data = rfc8785.dumps(document(report, decision, snapshot))
    return Evidence(decision.decision_id, report.id, data, sha256_hex(data))


def verifies(evidence: Evidence) -> bool:
    """The stored bytes still hash to the sealed hash (a later change would show here, and to the office)."""
    return sha256_hex(evidence.document) == evidence.sha256
