"""report.*: a stop's report and its evidence as the regulator sees them (issue 15; MB-12.2, PA-11.2).

  report.evidence_p99_ms / _p50_ms   GET /v1/regulator/reports/{id}/evidence through Traefik, one office (the
                                   national one) reading EVIDENCE_REPORTS reports' evidence one after another:
                                   the document in RFC 8785 form with its hash, read from one row.
                                   Goal: p99 <= 100 ms.
  report.evidence_sealed_p99_ms      the report filed -> its evidence sealed (the decision's and content's
                                   snapshot's hops joined), from the gateway's own clocks, for this run's reports.
Sequential, one caller: an office's view, not a throughput figure.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time

import asyncpg
from devstack.cli import create_regulator_office
from devstack.stack import StackInfo
from devstack.testing import poll
from journeys import Flow, regulator_reports

from bench import percentile

EVIDENCE_REPORTS = int(os.environ.get("BENCH_EVIDENCE_REPORTS", "40"))
STOPPED = "出售枪支，价格私聊"  # stopped by the sample lexicon (MB-12.2)
STOPS_PER_AUTHOR = 2  # a third stop would suspend the author (PA-13.1)


async def _sealing(info: StackInfo, report_ids: list[str]) -> list[float]:
    conn = await asyncpg.connect(info.database_urls["regulator-gateway"])
    try:
        rows = await conn.fetch(
            """SELECT extract(epoch FROM e.sealed_at - r.filed_at) * 1000 AS ms
                 FROM report r JOIN report_evidence e ON e.decision_id = r.decision_id
                WHERE r.id = ANY($1::uuid[])""",
            report_ids,
        )
    finally:
        await conn.close()
    return [float(r["ms"]) for r in rows]


def run(info: StackInfo, flow: Flow) -> dict[str, object]:
    gw = flow.gw
    office = create_regulator_office(
        info.database_urls["regulator-gateway"], name="bench office", jurisdiction="national"
    )
    key = {"Authorization": f"Bearer {office['api_key']}"}
    authors = [flow.verified_user() for _ in range(-(-EVIDENCE_REPORTS // STOPS_PER_AUTHOR))]
    posts = {flow.post(authors[n // STOPS_PER_AUTHOR], f"{STOPPED} {n}")["id"] for n in range(EVIDENCE_REPORTS)}

    def reported() -> list[str] | None:
        ids = [r["id"] for r in regulator_reports(gw, key) if r["post_id"] in posts]
        return ids if len(ids) == len(posts) else None

    report_ids = poll(reported, what="every stop reported", timeout_s=120)
    poll(
        lambda: all(gw.get(f"/v1/regulator/reports/{r}/evidence", headers=key).status_code == 200 for r in report_ids),
        what="every report's evidence held",
        timeout_s=120,
    )
    reading: list[float] = []
    for report_id in report_ids:
        started = time.perf_counter()
        answer = gw.get(f"/v1/regulator/reports/{report_id}/evidence", headers=key)
        reading.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200 and answer.json()["verified"], answer.text
    sealing = asyncio.run(_sealing(info, report_ids))
    return {
        "report.evidence_p50_ms": round(statistics.median(reading), 1),
        "report.evidence_p99_ms": round(percentile(reading, 99), 1),
        "report.evidence_sealed_p50_ms": round(statistics.median(sealing), 1),
        "report.evidence_sealed_p99_ms": round(percentile(sealing, 99), 1),
    }
