"""Rules of the policy operations that re-decide posts (MB-11, MB-6.1, MB-12.2): withdrawing a rumour and
raising it to a stop, and the long jobs they and the retro-scans run. Pure: no I/O."""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from kit.problems import Conflict

from moderation.engine.decide import ENGINE_VERSION, Outcome, Risk, Suggestion, Verdict
from moderation.engine.rumours import Rumour, RumourAction

# MB-12.2: a legal basis names requirement IDs of REQUIREMENTS.md (MB-12.2, PA-13.1, BJ-7(5)).
REQUIREMENT_ID = re.compile(r"^[A-Z]{2,3}(-[0-9A-Za-z().]+)*$")

WITHDRAWN_RULE = "rumour.withdrawn"
ESCALATED_RULE = "rumour.escalated"


class JobKind(StrEnum):
    """Moderation's long jobs (kit.jobs), as staff follow them at /v1/moderation/jobs."""

    RETRO_SCAN = "rumour.retro_scan"  # MB-11: posts published before a rumour was registered
    WITHDRAWAL = "rumour.withdrawal"  # MB-11: the labels of a withdrawn rumour go
    ESCALATION = "rumour.escalation"  # MB-11, MB-12.2: a rumour raised to a stop: its cluster stopped
    LEXICON_RELEASE = "lexicon.release"  # MB-6.1, MB-12: an approved lexicon change applied
    LEXICON_EVALUATION = "lexicon.evaluation"  # MB-6.1, MB-12: a lexicon's measured recall and false positives


RUMOUR_JOBS = (JobKind.RETRO_SCAN, JobKind.WITHDRAWAL, JobKind.ESCALATION)
EVALUATION_JOBS = (JobKind.LEXICON_EVALUATION,)


class EvaluationStage(StrEnum):
    PROPOSED = "proposed"  # the lexicon a proposed change would produce: seen before approval (MB-6.1)
    RELEASED = "released"  # the lexicon of a release, once in force


def evaluation_subject(change_id: object, stage: EvaluationStage) -> str:
    """The evaluation job's subject: the change and the stage."""
    return f"{change_id}/{stage.value}"


def check_evaluated(evaluation: Mapping[str, Any] | None) -> None:
    """MB-6.1: the chief editor approves a lexicon change having seen the measured recall and false positives
    of the lexicon it produces; before they are there, approval waits (a failed evaluation does not block it:
    its error is shown instead)."""
    if evaluation is None or evaluation["status"] == "pending":
        raise Conflict(
            "The lexicon this change would produce is still being evaluated (evaluation pending): its recall and "
            "false positives are shown before it is approved.",
            requirement="MB-6.1",
        )


def proposed_entries(live: list[tuple], changes: Mapping[str, Any]) -> list[tuple]:
    """The lexicon a change would produce: the live entries (id, term, category, action, legal basis) without
    those it removes, with those it adds (ids ``new-N``)."""
    removed = set(changes.get("remove", []))
    kept = [row for row in live if row[0] not in removed]
    added = [
        (f"new-{i}", e["term"], e["category"], e["action"], list(e["legal_basis"]))
        for i, e in enumerate(changes.get("add", []), start=1)
    ]
    return kept + added


def check_may_withdraw(rumour: Mapping[str, Any]) -> None:
    if rumour["withdrawn_at"] is not None:
        raise Conflict("This rumour was withdrawn already.", requirement="MB-11")


def check_may_escalate(rumour: Mapping[str, Any]) -> None:
    """A withdrawn rumour matches nothing any more; one that stops already has nothing to raise."""
    if rumour["withdrawn_at"] is not None:
        raise Conflict("This rumour was withdrawn: it can no longer be raised to a stop.", requirement="MB-11")
    if rumour["action"] == RumourAction.STOP:
        raise Conflict("This rumour stops transmission already.", requirement="MB-11")


def _versions(label: Mapping[str, Any], rumour_version: str) -> dict[str, str]:
    return {
        "content_sha256": label["content_sha256"],
        "lexicon_version": label["lexicon_version"],
        "rumour_version": rumour_version,
        "rules_version": label["rules_version"],
    }


def withdrawal_verdict(label: Mapping[str, Any], rumour: Rumour, *, reason: str, rumour_version: str) -> Verdict:
    """MB-11: the label a withdrawn rumour put on a post goes: an approval superseding it (content drops
    the refutation; the post stays published)."""
    return Verdict(
        Outcome.APPROVE,
        Suggestion.PASS,
        Risk.LOW,
        WITHDRAWN_RULE,
        "",
        ["MB-11", "MB-6.1"],
        f"Rumour {rumour.id} was withdrawn by the chief editor: {reason}",
        engine_version=ENGINE_VERSION,
        rumour_id=rumour.id,
        **_versions(label, rumour_version),
    )


def escalation_verdict(
    label: Mapping[str, Any],
    rumour: Rumour,
    *,
    category: str,
    legal_basis: list[str],
    reason: str,
    rumour_version: str,
) -> Verdict:
    """MB-11, MB-12.2: a post labelled by a rumour raised to a stop is stopped (and reported once, as every
    stop is), superseding the label."""
    return Verdict(
        Outcome.STOP_TRANSMISSION,
        Suggestion.BLOCK,
        Risk.HIGH,
        ESCALATED_RULE,
        category,
        list(dict.fromkeys([*legal_basis, *rumour.legal_basis, "MB-11", "BJ-10", "MB-12.2"])),
        f"Rumour {rumour.id} (refuted by {rumour.authority}) was raised to a stop by the chief editor: {reason}",
        engine_version=ENGINE_VERSION,
        rumour_id=rumour.id,
        **_versions(label, rumour_version),
    )
