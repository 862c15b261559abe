"""The evidence document's rules (MB-12.2, PA-11.2): deterministic bytes, the automated flags as the DSA
Transparency Database records them, and a snapshot that is not what the decision was made on shows it."""

from __future__ import annotations

import dataclasses
import hashlib
import uuid
from datetime import UTC, datetime

import pytest
from regulator_gateway.evidence import domain
from regulator_gateway.evidence.domain import DecisionRecord, FiledReport, Snapshot

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
TEXT = "出售枪支"
SHA = hashlib.sha256(TEXT.encode()).hexdigest()
IDS = [uuid.UUID(int=i) for i in range(1, 5)]


def parts(**decision: object) -> tuple[FiledReport, DecisionRecord, Snapshot]:
    report = FiledReport(IDS[0], IDS[1], IDS[2], NOW, "110000")
    record = DecisionRecord(IDS[1], IDS[2], IDS[3], "bj10.x", ("MB-12.2",), "r", "lexicon.stop", "publication", "",
                            NOW, SHA, "e", "l", "rr", "rt", "block", "high", ())  # fmt: skip
    snapshot = Snapshot(IDS[1], IDS[2], IDS[3], "110000", "post", TEXT, SHA, (), "", NOW, False, NOW)
    return report, dataclasses.replace(record, **decision), snapshot


@pytest.mark.requirement("MB-12.2")
def test_the_same_parts_seal_the_same_bytes_and_hash() -> None:
    first, second = domain.seal(*parts()), domain.seal(*parts())
    assert first.document == second.document and first.sha256 == hashlib.sha256(first.document).hexdigest()
    assert domain.verifies(first)
    assert not domain.verifies(dataclasses.replace(first, document=first.document.replace(TEXT.encode(), b"x")))


@pytest.mark.parametrize(
    ("stage", "decided_by", "automated"),
    [
        ("publication", "", {"detection": True, "decision": True}),
        ("review", "staff:s1", {"detection": True, "decision": False}),
        ("takedown", "staff:s1", {"detection": False, "decision": False}),
        ("retro_scan", "", {"detection": True, "decision": True}),
    ],
)
def test_detection_and_decision_say_whether_they_were_automated(stage: str, decided_by: str, automated: dict) -> None:
    document = domain.document(*parts(stage=stage, decided_by=decided_by))
    assert document["automated"] == automated
    assert document["decision"]["decided_by"] == (decided_by or "engine")


def test_a_snapshot_that_is_not_what_was_decided_shows_it() -> None:
    assert domain.document(*parts())["snapshot_matches_decision"]
    assert not domain.document(*parts(content_sha256="00" * 32))["snapshot_matches_decision"]
