"""The event contract owns its vocabulary: every topic and event type is declared once in
``contracts``, announced only by its owner, handled by some service, and spelled in no service."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
from contracts import CATALOGUE, EventType, auth, reporting
from contracts.categories import Bj10Category
from devstack import chart
from devstack.stack import SERVICES
from kit.service import ServiceSpec

ROOT = Path(__file__).resolve().parents[1]

# Announced for a reader outside the platform, or for a consumer an open issue adds; each with why.
WITHOUT_A_CONSUMER_YET: dict[EventType, str] = {
    reporting.COMPLAINT_FILED: "MB-14: moderation reads complaints as cases (CASE_OPENED / CASE_CHANGED)",
}


def service_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings every service can be built with (nothing is connected to until it starts)."""
    for name, value in chart.build_environment().items():
        monkeypatch.setenv(name, value)


def _specs(monkeypatch: pytest.MonkeyPatch) -> dict[str, ServiceSpec]:
    """Every service's declaration, built as the platform builds it (no connection is opened)."""
    service_environment(monkeypatch)
    specs = {}
    for service, (factory, _db) in SERVICES.items():
        monkeypatch.setenv("SERVICE_NAME", service)
        module, function = factory.split(":")
        specs[service] = getattr(importlib.import_module(module), function)().state.spec
    return specs


def test_each_topic_is_announced_by_its_owner_only(monkeypatch: pytest.MonkeyPatch) -> None:
    specs = _specs(monkeypatch)
    for service, spec in specs.items():
        for topic in spec.produces:
            assert CATALOGUE.topics[topic.name] is topic
            assert topic.owner == service, f"{service} announces on {topic.name}, owned by {topic.owner}"
    announced = {t.name for spec in specs.values() for t in spec.produces}
    assert announced == set(CATALOGUE.topics), "a declared topic nobody announces on, or the reverse"


def test_every_event_type_is_handled_somewhere_or_says_why_not(monkeypatch: pytest.MonkeyPatch) -> None:
    handled = {t for spec in _specs(monkeypatch).values() for s in spec.subscriptions for t in s.types.values()}
    handled.add(auth.TOKEN_REVOKED)  # every process's kit reads it (kit.revocation)
    for event_type in handled:
        assert CATALOGUE.types[event_type.name] is event_type, f"{event_type.name} is not the contract's"
    unhandled = set(CATALOGUE.types.values()) - handled
    assert unhandled == set(WITHOUT_A_CONSUMER_YET), sorted(t.name for t in unhandled ^ set(WITHOUT_A_CONSUMER_YET))


def _service_sources() -> list[Path]:
    return [p for p in (ROOT / "services").rglob("*.py") if "/tests/" not in str(p)] + [
        p for p in (ROOT / "libs" / "kit" / "src").rglob("*.py")
    ]


@pytest.mark.parametrize(
    "vocabulary",
    ["topic", "event type", "BJ-10 category"],
)
def test_no_service_spells_the_contracts_vocabulary(vocabulary: str) -> None:
    names = {
        "topic": set(CATALOGUE.topics),
        "event type": set(CATALOGUE.types),
        "BJ-10 category": {c.value for c in Bj10Category},
    }[vocabulary]
    spelled = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in _service_sources()
        for name in names
        if re.search(rf"[\"']{re.escape(name)}[\"']", path.read_text())
    ]
    assert not spelled, f"spell these through contracts: {spelled}"


def test_each_bj10_category_names_its_item_of_the_regulation() -> None:
    # BJ-10 lists eleven kinds of prohibited content; the enum keeps the regulation's order.
    assert len(Bj10Category) == 11 and len({c.value for c in Bj10Category}) == 11
    assert Bj10Category.AGAINST_CONSTITUTION.requirement == "BJ-10(1)"
    assert Bj10Category.RUMOUR_DISTURBING_ORDER.requirement == "BJ-10(6)"
    assert Bj10Category.OTHER_PROHIBITED.requirement == "BJ-10(11)"
