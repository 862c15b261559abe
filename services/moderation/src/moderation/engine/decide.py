"""The decision rule (MB-6.1, MB-9, MB-11, MB-12): what a post's scan, its author's standing and any
emergency mode mean for it. Pure: no I/O. Every verdict names the rule that produced it, the lexicon
entries or rumour behind it, and the versions of everything it was decided with.

Order of precedence, first that applies:
1. a prohibited term (as written, split, in pinyin or mixed with initials) → stop transmission (MB-12.2)
2. an illegal rumour → stop transmission (MB-11, BJ-10)
3. a term written as initials or as a homophone (ambiguous channels), or a term whose action is review → hold
   for review
4. an emergency mode whose scope holds the post → hold for review (MB-6.1 应急处置)
5. an author whose grade's privileges say hold (MB-9, PA-7.2), or who is low-credit, new or of very high
   reach → hold for review (MB-9, MB-6.1)
6. a refuted rumour → publish with the refutation attached (MB-11); a label term → publish labelled
7. otherwise publish at once, checked after (MB-6.1 先发后审 for low risk)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from contracts.categories import Bj10Category

from moderation.engine.lexicon import Action, Hit, Lexicon
from moderation.engine.rumours import Rumour, RumourAction, RumourHit, RumourIndex

ENGINE_VERSION = "qinglang-engine/2"
RUMOUR_CATEGORY = Bj10Category.RUMOUR_DISTURBING_ORDER
# The grade privilege `review` (identity's grading rules, MB-9, PA-7.2) that holds every publication.
REVIEW_HOLD = "hold"


class Outcome(StrEnum):
    APPROVE = "approve"
    HOLD_FOR_REVIEW = "hold_for_review"
    LABEL = "label"
    STOP_TRANSMISSION = "stop_transmission"

    @property
    def publishes(self) -> bool:
        """The post is served (and searched by later rumours' retro-scans, MB-11)."""
        return self in (Outcome.APPROVE, Outcome.LABEL)


def _basis(*ids: str) -> list[str]:
    """A legal basis: requirement IDs in the order they were named, each once."""
    return list(dict.fromkeys(ids))


class Suggestion(StrEnum):
    """The vocabulary content-security vendors share (pass / review / block)."""

    PASS = "pass"  # noqa: S105 - a verdict, not a password
    REVIEW = "review"
    BLOCK = "block"


class Risk(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


@dataclass(frozen=True, slots=True)
class Standing:
    """What moderation knows of an author (from identity's events; these defaults until then)."""

    grade: int = 1
    credit: int = 120
    followers: int = 0
    registered_at: datetime | None = None
    province_code: str = ""
    # MB-9, PA-7.2: the author's grade says its publications are held for review (its `review` privilege).
    review_hold: bool = False


@dataclass(frozen=True, slots=True)
class RoutingRules:
    """MB-9: how an author's standing changes review. Data, versioned by digest; changed only with
    the chief editor's approval like the lexicon (MB-6.1)."""

    review_below_credit: int = 90
    new_account_hours: float = 24.0
    high_reach_followers: int = 1_000_000

    @property
    def version(self) -> str:
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()[:12]


class EmergencyScope(StrEnum):
    PLATFORM = "platform"
    TOPIC = "topic"
    REGION = "region"


@dataclass(frozen=True, slots=True)
class Emergency:
    id: str
    scope: EmergencyScope
    value: str  # the topic (matched in the folded text) or the province code; empty for the platform

    def holds(self, folded_text: str, folded_value: str, standing: Standing) -> bool:
        if self.scope is EmergencyScope.PLATFORM:
            return True
        if self.scope is EmergencyScope.TOPIC:
            return bool(folded_value) and folded_value in folded_text
        return standing.province_code == self.value


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    suggestion: Suggestion
    risk: Risk
    rule: str
    category: str
    legal_basis: list[str]
    reason: str
    hits: list[Hit] = field(default_factory=list)
    rumour_hits: list[RumourHit] = field(default_factory=list)
    content_sha256: str = ""
    engine_version: str = ENGINE_VERSION
    lexicon_version: str = ""
    rumour_version: str = ""
    rules_version: str = ""
    rumour_id: str = ""  # the rumour behind a rumour rule

    @property
    def refutation(self) -> RumourHit | None:
        """The refutation a labelled post carries (MB-11)."""
        if self.outcome is not Outcome.LABEL or not self.rumour_id:
            return None
        return next(h for h in self.rumour_hits if h.rumour.id == self.rumour_id)


@dataclass
class Policy:
    """Everything a decision depends on besides the post: swapped whole when any part changes."""

    lexicon: Lexicon
    rumours: RumourIndex
    rules: RoutingRules = field(default_factory=RoutingRules)
    emergencies: list[Emergency] = field(default_factory=list)

    def decide(self, text: str, standing: Standing = Standing(), now: datetime | None = None) -> Verdict:
        """The verdict on a post at publication (MB-6.1)."""
        hits = self.lexicon.scan(text)
        rumour_hits = self.rumours.match(text)
        versions = {
            "content_sha256": hashlib.sha256(text.encode()).hexdigest(),
            "lexicon_version": self.lexicon.version,
            "rumour_version": self.rumours.version,
            "rules_version": self.rules.version,
            "hits": hits,
            "rumour_hits": rumour_hits,
        }

        def verdict(
            outcome: Outcome,
            suggestion: Suggestion,
            risk: Risk,
            rule: str,
            category: str,
            basis: list[str],
            reason: str,
            rumour_id: str = "",
        ) -> Verdict:
            return Verdict(
                outcome,
                suggestion,
                risk,
                rule,
                category,
                _basis(*basis),
                reason,
                rumour_id=rumour_id,
                **versions,
            )

        stops = [h for h in hits if h.entry.action is Action.STOP and not h.channel.ambiguous]
        if stops:
            first = stops[0]
            terms = ", ".join(dict.fromkeys(f"{h.entry.term} ({h.channel})" for h in stops))
            return verdict(
                Outcome.STOP_TRANSMISSION,
                Suggestion.BLOCK,
                Risk.HIGH,
                "lexicon.stop",
                first.entry.category,
                [*first.entry.legal_basis, "MB-12.2"],
                f"Prohibited content ({first.entry.category}): matched lexicon term(s) {terms}.",
            )
        illegal = [r for r in rumour_hits if r.rumour.action is RumourAction.STOP]
        if illegal:
            rumour = illegal[0].rumour
            return verdict(
                Outcome.STOP_TRANSMISSION,
                Suggestion.BLOCK,
                Risk.HIGH,
                "rumour.stop",
                RUMOUR_CATEGORY,
                [*rumour.legal_basis, "MB-11", "BJ-10", "MB-12.2"],
                f"Spreads rumour {rumour.id}, refuted by {rumour.authority} and illegal to spread.",
                rumour_id=rumour.id,
            )
        doubtful = [h for h in hits if h.entry.action is Action.REVIEW or h.channel.ambiguous]
        if doubtful:
            first = doubtful[0]
            return verdict(
                Outcome.HOLD_FOR_REVIEW,
                Suggestion.REVIEW,
                Risk.MEDIUM,
                "lexicon.review",
                first.entry.category,
                [*first.entry.legal_basis, "MB-6.1"],
                f"Held for review: matched lexicon term {first.entry.term} ({first.channel}).",
            )
        risk = Risk.MEDIUM if rumour_hits or hits else Risk.LOW
        # The text folded again only when an emergency mode may need it (a long article's fold is not free).
        folded = self.lexicon.folder.fold(text) if self.emergencies else ""
        for emergency in self.emergencies:
            if emergency.holds(folded, self.lexicon.folder.fold(emergency.value), standing):
                scope = f"{emergency.scope} {emergency.value}".strip()
                return verdict(
                    Outcome.HOLD_FOR_REVIEW,
                    Suggestion.REVIEW,
                    risk,
                    f"emergency.{emergency.scope}",
                    "",
                    ["MB-6.1"],
                    f"Held for review: emergency mode for {scope} ({emergency.id}).",
                )
        held = self._standing_rule(standing, now or datetime.now(UTC))
        if held:
            rule, why, basis = held
            return verdict(
                Outcome.HOLD_FOR_REVIEW,
                Suggestion.REVIEW,
                risk,
                rule,
                "",
                basis,
                f"Held for review: {why}.",
            )
        if rumour_hits:
            rumour = rumour_hits[0].rumour
            return verdict(
                Outcome.LABEL,
                Suggestion.PASS,
                Risk.MEDIUM,
                "rumour.label",
                RUMOUR_CATEGORY,
                [*rumour.legal_basis, "MB-11"],
                f"Spreads rumour {rumour.id}: published with the refutation by {rumour.authority}.",
                rumour_id=rumour.id,
            )
        labels = [h for h in hits if h.entry.action is Action.LABEL]
        if labels:
            first = labels[0]
            return verdict(
                Outcome.LABEL,
                Suggestion.PASS,
                Risk.LOW,
                "lexicon.label",
                first.entry.category,
                [*first.entry.legal_basis, "MB-6.1"],
                f"Published with a label: matched lexicon term {first.entry.term}.",
            )
        return verdict(
            Outcome.APPROVE,
            Suggestion.PASS,
            Risk.LOW,
            "publish.low_risk",
            "",
            ["MB-6.1"],
            "No prohibited content found: published, checked after.",
        )

    def retro_verdict(self, content_sha256: str, hit: RumourHit) -> Verdict:
        """The verdict on a published post found spreading a rumour registered after it (MB-11)."""
        rumour = hit.rumour
        stop = rumour.action is RumourAction.STOP
        return Verdict(
            Outcome.STOP_TRANSMISSION if stop else Outcome.LABEL,
            Suggestion.BLOCK if stop else Suggestion.PASS,
            Risk.HIGH if stop else Risk.MEDIUM,
            "rumour.retro_stop" if stop else "rumour.retro_label",
            RUMOUR_CATEGORY,
            _basis(*rumour.legal_basis, "MB-11", *(["BJ-10", "MB-12.2"] if stop else [])),
            f"Found by the search for rumour {rumour.id} (refuted by {rumour.authority}) in posts published before it.",
            rumour_hits=[hit],
            content_sha256=content_sha256,
            lexicon_version=self.lexicon.version,
            rumour_version=self.rumours.version,
            rules_version=self.rules.version,
            rumour_id=rumour.id,
        )

    def review_verdict(
        self,
        held: Mapping[str, Any],
        outcome: Outcome,
        *,
        role: str,
        reason: str,
        category: str = "",
        legal_basis: list[str] | None = None,
        rumour: Rumour | None = None,
    ) -> Verdict:
        """A reviewer's verdict on a held post (MB-6.1): publish, publish with a rumour's refutation
        (MB-11), or stop transmission (MB-12.2). `held` is the held decision: the post's hash and the
        versions it was held with stay on the reviewer's."""
        basis = legal_basis or []
        versions = {
            "content_sha256": held["content_sha256"],
            "lexicon_version": held["lexicon_version"],
            "rumour_version": self.rumours.version,
            "rules_version": held["rules_version"],
        }
        rule = f"review.{role}"
        if outcome is Outcome.STOP_TRANSMISSION:
            return Verdict(
                outcome,
                Suggestion.BLOCK,
                Risk.HIGH,
                rule,
                category,
                _basis(*basis, "MB-12", "BJ-10", "MB-12.2"),
                reason,
                **versions,
            )
        if outcome is Outcome.LABEL:
            assert rumour is not None, "a label attaches a rumour's refutation"
            return Verdict(
                outcome,
                Suggestion.PASS,
                Risk.MEDIUM,
                rule,
                RUMOUR_CATEGORY,
                _basis(*rumour.legal_basis, "MB-11", *basis),
                reason,
                rumour_hits=[RumourHit(rumour, 1.0)],
                rumour_id=rumour.id,
                **versions,
            )
        return Verdict(outcome, Suggestion.PASS, Risk.LOW, rule, "", _basis(*basis, "MB-6.1"), reason, **versions)

    def _standing_rule(self, standing: Standing, now: datetime) -> tuple[str, str, list[str]] | None:
        rules = self.rules
        standing_basis = ["MB-9", "MB-6.1"]
        if standing.review_hold:  # the filed grading rules say so for the author's grade: first
            return (
                "grade.hold",
                f"grade {standing.grade} publications are held for review",
                ["MB-9", "PA-7.2", "MB-6.1"],
            )
        if standing.credit < rules.review_below_credit:
            why = f"author's credit {standing.credit} is below {rules.review_below_credit}"
            return "standing.low_credit", why, standing_basis
        if standing.registered_at and now - standing.registered_at < timedelta(hours=rules.new_account_hours):
            return "standing.new_account", f"account younger than {rules.new_account_hours:g} hours", standing_basis
        if standing.followers >= rules.high_reach_followers:
            return "standing.high_reach", f"author reaches {standing.followers} followers", standing_basis
        return None
