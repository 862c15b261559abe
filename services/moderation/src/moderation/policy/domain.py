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


RUMOUR_JOBS = (JobKind.RETRO_SCAN, JobKind.WITHDRAWAL, JobKind.ESCALATION)


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
