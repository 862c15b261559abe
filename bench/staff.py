"""complaint.* and review.*: the staff console's two hottest actions, as API round trips through Traefik
(issue 14; MB-14, MB-6.1).

  complaint.file_to_case_p99_ms / _p50_ms   POST /v1/complaints -> the 201 with the acceptance receipt,
                                   which names the complaint's case (opened, or joined: COMPLAINT_POSTS
                                   posts, COMPLAINTS complaints from distinct reporters, so most join a case).
                                   Goal: p99 <= 250 ms.
  complaint.case_in_queue_p99_ms   the complaint's filing (reporting's filed_at) -> its case's item opened in
                                   moderation's queue (the item's `opened` action): the event hop, from the
                                   services' own clocks (one machine), for the cases this run opened.
  review.claim_to_decision_p99_ms / _p50_ms  a reviewer claims a held post's queue item and approves it:
                                   two round trips, POST …/claim then POST …/decision (REVIEWS items).
                                   Goal: p99 <= 400 ms.
Sequential, one caller: a console user's view, not a throughput figure.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
import uuid

import asyncpg
from devstack.stack import StackInfo
from devstack.testing import poll
from journeys import Flow, every_page

from bench import percentile

COMPLAINT_POSTS = int(os.environ.get("BENCH_COMPLAINT_POSTS", "20"))
COMPLAINTS = int(os.environ.get("BENCH_COMPLAINTS", "120"))
REVIEWS = int(os.environ.get("BENCH_REVIEWS", "60"))
HELD = "内部消息称"  # the sample lexicon holds it for review (MB-6.1)


async def _case_hops(info: StackInfo, case_ids: list[uuid.UUID]) -> list[float]:
    reporting = await asyncpg.connect(info.database_urls["reporting"])
    moderation = await asyncpg.connect(info.database_urls["moderation"])
    try:
        opened = {
            r["case_id"]: r["at"]
            for r in await reporting.fetch(
                """SELECT case_id, extract(epoch FROM min(filed_at)) AS at FROM complaint
                    WHERE case_id = ANY($1) GROUP BY case_id""",
                case_ids,
            )
        }
        queued = {
            r["case_id"]: r["at"]
            for r in await moderation.fetch(
                # The item's `opened` action is stamped by moderation's transaction (held_at is the case's own
                # opening time, copied from reporting's announcement).
                """SELECT i.case_id, extract(epoch FROM a.at) AS at FROM review_item i
                     JOIN review_action a ON a.item_id = i.id AND a.action = 'opened'
                    WHERE i.case_id = ANY($1)""",
                case_ids,
            )
        }
    finally:
        await reporting.close()
        await moderation.close()
    return [(float(queued[c]) - float(opened[c])) * 1000 for c in opened if c in queued]


def run(info: StackInfo, flow: Flow) -> dict[str, object]:
    gw = flow.gw
    author = flow.verified_user()
    posts = [flow.post(author, f"今天天气很好，出门散步{n}")["id"] for n in range(COMPLAINT_POSTS)]
    for post in posts:
        poll(lambda post=post: gw.get(f"/v1/posts/{post}").status_code == 200, what="published")
    reporters = [flow.register() for _ in range(COMPLAINTS // 5)]
    flow.complain(reporters[0], posts[0])  # reporting knows the posts (warm-up, unmeasured)

    filing: list[float] = []
    cases: set[str] = set()
    for n in range(COMPLAINTS):
        reporter, post = reporters[n % len(reporters)], posts[n % len(posts)]
        started = time.perf_counter()
        answer = gw.post(
            "/v1/complaints",
            headers=reporter.auth,
            json={"target_type": "post", "target_id": post, "reason": "spam", "detail": f"广告 {n}"},
        )
        filing.append((time.perf_counter() - started) * 1000)
        assert answer.status_code in (200, 201), answer.text
        cases.add(answer.json()["case_id"])

    reviewer = flow.staff("reviewer")
    held = [flow.post(author, f"{HELD}明天{n}放假")["id"] for n in range(REVIEWS)]

    def queued() -> dict[str, str] | None:
        items = every_page(gw, "/v1/moderation/review-items", reviewer.auth, kind="held_post", state="open")
        found = {i["target_id"]: i["id"] for i in items if i["target_id"] in held}
        found_cases = every_page(gw, "/v1/moderation/review-items", reviewer.auth, kind="complaint_case")
        return found if len(found) == len(held) and len(found_cases) >= len(cases) else None

    items = poll(queued, what="every held post and case in the queue", timeout_s=120)
    deciding: list[float] = []
    for post in held:
        url = f"/v1/moderation/review-items/{items[post]}"
        started = time.perf_counter()
        claimed = gw.post(f"{url}/claim", headers=reviewer.auth)
        decided = gw.post(f"{url}/decision", headers=reviewer.auth, json={"outcome": "approve", "reason": "普通通知"})
        deciding.append((time.perf_counter() - started) * 1000)
        assert claimed.status_code == 200 and decided.status_code == 200, (claimed.text, decided.text)

    hops = asyncio.run(_case_hops(info, [uuid.UUID(c) for c in cases]))
    return {
        "complaint.file_to_case_p50_ms": round(statistics.median(filing), 1),
        "complaint.file_to_case_p99_ms": round(percentile(filing, 99), 1),
        "complaint.cases": len(cases),
        "complaint.case_in_queue_p50_ms": round(statistics.median(hops), 1),
        "complaint.case_in_queue_p99_ms": round(percentile(hops, 99), 1),
        "review.claim_to_decision_p50_ms": round(statistics.median(deciding), 1),
        "review.claim_to_decision_p99_ms": round(percentile(deciding, 99), 1),
    }
