"""A report's evidence on a real PostgreSQL (MB-12.2, PA-11.2, MB-16.1): the decision and content's sealed snapshot,
arriving in either order and more than once, are sealed once into a document whose hash verifies; the report is
announced again with that hash (content's sign to stop repeating the snapshot); an office reads only its
jurisdiction's evidence."""

from __future__ import annotations

import asyncio
import hashlib
import json
import uuid
from datetime import UTC, datetime

import asyncpg
import pytest
import rfc8785
from contracts import regulator
from regulator_gateway.database import PgDatabase
from regulator_gateway.evidence import handlers as evidence
from regulator_gateway.evidence.domain import DecisionRecord, EvidenceNotHeld, Snapshot
from regulator_gateway.evidence.store import PgEvidenceStore
from regulator_gateway.offices.domain import Office
from regulator_gateway.reports import handlers as reports
from regulator_gateway.reports.domain import Jurisdiction, ReportNotFound, StoppedPost
from regulator_gateway.reports.store import PgReportStore

NOW = datetime.now(UTC)
TEXT = "出售枪支，价格私聊"
TEXT_SHA256 = hashlib.sha256(TEXT.encode()).hexdigest()
BEIJING = Office(uuid.uuid4(), "北京市网信办", "110000")
SHANGHAI = Office(uuid.uuid4(), "上海市网信办", "310000")


def _parts() -> tuple[StoppedPost, DecisionRecord, Snapshot]:
    decision_id, post_id, author_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    stopped = StoppedPost(decision_id, post_id, author_id, "bj10.obscenity_gambling_violence_terror_crime",
                          ["MB-12", "MB-12.2"], "lexicon: 出售枪支", NOW, TEXT_SHA256)  # fmt: skip
    decision = DecisionRecord(
        decision_id=decision_id, post_id=post_id, author_id=author_id, category=stopped.category,
        legal_basis=("MB-12", "MB-12.2"), reason=stopped.reason, rule="lexicon.stop", stage="publication",
        decided_by="", decided_at=NOW, content_sha256=TEXT_SHA256, engine_version="engine-1", lexicon_version="lex-7",
        rumour_registry_version="r-1", routing_rules_version="rt-1", suggestion="block", risk_level="high",
        matches=({"term": "出售枪支", "category": stopped.category, "start": 0, "end": 4, "entry_id": "e1",
                  "channel": "text"},),
    )  # fmt: skip
    snapshot = Snapshot(
        decision_id=decision_id, post_id=post_id, author_id=author_id, author_province_code="110000", kind="post",
        text=TEXT, snapshot_sha256=TEXT_SHA256, media=({"sha256": "cd" * 32, "content_type": "image/png",
                                                         "size": 3},),
        category="", created_at=NOW, was_published=False, stopped_at=NOW,
    )  # fmt: skip
    return stopped, decision, snapshot


async def _file(pool: asyncpg.Pool, stopped: StoppedPost, decision: DecisionRecord) -> None:
    async with pool.acquire() as conn, conn.transaction():
        await reports.learn_jurisdiction(PgReportStore(conn), Jurisdiction(stopped.account_id, "110000"))
        await reports.file_report(PgReportStore(conn), stopped)
        await evidence.record_decision(PgEvidenceStore(conn), decision)


async def _snapshot(pool: asyncpg.Pool, snapshot: Snapshot) -> None:
    async with pool.acquire() as conn, conn.transaction():
        await evidence.record_snapshot(PgEvidenceStore(conn), snapshot)


async def _evidence_announcements(pool: asyncpg.Pool) -> list[str]:
    rows = await pool.fetch("SELECT payload FROM outbox_event WHERE ce_type = $1", regulator.REPORT_FILED.name)
    return [h for h in (regulator.REPORT_FILED.parse(bytes(r["payload"])).evidence_sha256 for r in rows) if h]


@pytest.mark.requirement("MB-12.2")
@pytest.mark.requirement("PA-11.2")
@pytest.mark.parametrize("snapshot_first", [False, True])
async def test_the_evidence_is_sealed_once_whatever_arrives_first_and_verifies(
    pool: asyncpg.Pool, snapshot_first: bool
) -> None:
    stopped, decision, snapshot = _parts()
    if snapshot_first:
        await _snapshot(pool, snapshot)
        await _file(pool, stopped, decision)
    else:
        await _file(pool, stopped, decision)
        await _snapshot(pool, snapshot)
    await _snapshot(pool, snapshot)  # a repeat (content announces again until it hears the hash)
    await _file(pool, stopped, decision)  # moderation's repeat
    [report_id] = [
        r["id"] for r in await pool.fetch("SELECT id FROM report WHERE decision_id = $1", decision.decision_id)
    ]
    held = await evidence.read_evidence(PgDatabase(pool, PgEvidenceStore), BEIJING, report_id)
    assert await pool.fetchval("SELECT count(*) FROM report_evidence") == 1
    assert hashlib.sha256(held.document).hexdigest() == held.sha256
    document = json.loads(held.document)
    assert rfc8785.dumps(document) == held.document  # canonical: anyone re-serialising gets the same bytes
    assert document["content"]["text"] == TEXT and document["content"]["sha256"] == TEXT_SHA256
    assert document["decision"]["content_sha256"] == TEXT_SHA256 and document["snapshot_matches_decision"]
    assert document["author"] == {"account_id": str(stopped.account_id), "province_code": "110000"}
    assert document["decision"]["versions"] == {
        "engine": "engine-1", "lexicon": "lex-7", "rumour_registry": "r-1", "routing_rules": "rt-1"
    }  # fmt: skip
    assert document["automated"] == {"detection": True, "decision": True}
    assert document["requirements"] == ["MB-12", "MB-12.2", "PA-11.2"]
    assert document["content"]["media"] == [{"sha256": "cd" * 32, "content_type": "image/png", "size": 3}]
    # Content hears the hash (at the sealing, and again at the repeated snapshot).
    assert set(await _evidence_announcements(pool)) == {held.sha256}


@pytest.mark.requirement("MB-16.1")
async def test_an_office_reads_only_its_jurisdictions_evidence_and_none_before_it_is_held(pool: asyncpg.Pool) -> None:
    stopped, decision, snapshot = _parts()
    await _file(pool, stopped, decision)
    [report_id] = [
        r["id"] for r in await pool.fetch("SELECT id FROM report WHERE decision_id = $1", decision.decision_id)
    ]
    db = PgDatabase(pool, PgEvidenceStore)
    with pytest.raises(EvidenceNotHeld):
        await evidence.read_evidence(db, BEIJING, report_id)
    await _snapshot(pool, snapshot)
    with pytest.raises(ReportNotFound):
        await evidence.read_evidence(db, SHANGHAI, report_id)
    with pytest.raises(ReportNotFound):
        await evidence.read_evidence(db, BEIJING, uuid.uuid4())
    assert (await evidence.read_evidence(db, BEIJING, report_id)).report_id == report_id


@pytest.mark.requirement("MB-12.2")
async def test_a_snapshot_and_a_decision_handled_at_the_same_moment_still_seal(pool: asyncpg.Pool) -> None:
    """The two parts come on different topics, handled concurrently: the later transaction waits for the
    earlier one and sees its part (before, neither saw the other's uncommitted part and nothing was sealed until
    content announced the snapshot again a minute later)."""
    stopped, decision, snapshot = _parts()
    snapshot_saved, release = asyncio.Event(), asyncio.Event()

    async def snapshot_side() -> None:
        async with pool.acquire() as conn, conn.transaction():
            await evidence.record_snapshot(PgEvidenceStore(conn), snapshot)
            snapshot_saved.set()
            await release.wait()  # the decision's transaction runs meanwhile (an event, not a sleep)

    first = asyncio.create_task(snapshot_side())
    await snapshot_saved.wait()
    second = asyncio.create_task(_file(pool, stopped, decision))
    done, _ = await asyncio.wait({second}, timeout=0.5)  # a deadline on a wait that must not finish: it is locked out
    assert not done, "the decision's transaction did not wait for the snapshot's"
    release.set()
    await asyncio.gather(first, second)
    assert await pool.fetchval("SELECT count(*) FROM report_evidence WHERE decision_id = $1", decision.decision_id) == 1
