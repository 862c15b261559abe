"""article.*: public accounts' articles (issue 13) — how fast a long text is decided, and how many read
beacons the gateway accepts.

  article.decide_p50_ms / _p99_ms   a 5,000-character article published (content's insert of its head post)
                                    -> moderation's decision applied (content's decided_at), ARTICLE_RATE
                                    articles/s open loop while the posts flow runs at FLOW_RATE beside it
                                    (the same clocks as flow.decision_*; one figure beside the other)
  article.flow_decision_p99_ms      the posts' decision p99 in the same window (what the articles compete with)
  article.reads_per_s               POST /v1/articles/{id}/reads accepted (204) per second through Traefik,
                                    wrk: READERS readers over ARTICLES articles, each pair once (first reads:
                                    one visibility probe and one insert each)
  article.reads_duplicate_per_s     the same pairs again (repeats of the day: the insert finds its row)
  article.reads_cpu_share_by_process  the profile of the first-reads run (what limits it)
The bench's grading rules give grade 1 a large daily article quota (MB-9: the defaults allow one a day).
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg
import httpx
from devstack.stack import StackInfo
from devstack.testing import poll
from journeys import Flow, PublicAccount

from bench import percentile

HERE = Path(__file__).resolve().parent
ARTICLE_CHARS = 5_000
ARTICLES = int(os.environ.get("BENCH_ARTICLES", "100"))
ARTICLE_RATE = float(os.environ.get("BENCH_ARTICLE_RATE", "5"))
READERS = int(os.environ.get("BENCH_READERS", "200"))
READ_ARTICLES = int(os.environ.get("BENCH_READ_ARTICLES", "100"))
# Everyday characters: random paragraphs of them match no lexicon entry and no rumour.
EVERYDAY = "今天我们去公园散步看见很多花草树木天气晴朗心情愉快朋友一起喝茶聊天吃饭读书写字唱歌跳舞"
RULES = [
    {
        "grade": 1,
        "name": "bench: every account",
        "min_credit": 60,
        "privileges": {"daily_posts": 1_000_000, "daily_articles": 1_000_000},
    }
]


def body(rng: random.Random, chars: int = ARTICLE_CHARS) -> str:
    """Markdown paragraphs of everyday sentences, ``chars`` characters of text."""
    text = "".join(rng.choice(EVERYDAY) if i % 40 else "。\n\n" for i in range(chars))
    return text[:chars]


def _drafts(flow: Flow, account: PublicAccount, count: int, rng: random.Random) -> list[str]:
    ids = []
    for i in range(count):
        draft = flow.gw.post(
            "/v1/articles/drafts",
            headers=account.auth,
            json={"title": f"读书笔记第{i}篇", "body": body(rng)},
        )
        assert draft.status_code == 201, draft.text
        ids.append(draft.json()["id"])
    return ids


def _publish_open_loop(gateway: str, account: PublicAccount, drafts: list[str], rate: float) -> list[str]:
    """Publish the drafts at a fixed rate, whatever the answers do (each on its own thread when late)."""
    published: list[str] = []
    lock = threading.Lock()

    def publish(draft_id: str) -> None:
        with httpx.Client(base_url=gateway, timeout=60) as gw:
            answer = gw.post(f"/v1/articles/drafts/{draft_id}/publication", headers=account.auth, json={})
        if answer.status_code == 201:
            with lock:
                published.append(answer.json()["id"])

    threads = []
    start = time.monotonic()
    for i, draft_id in enumerate(drafts):
        delay = start + i / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)  # the schedule of an open-loop load
        thread = threading.Thread(target=publish, args=(draft_id,))
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()
    return published


async def _decision_ms(database_url: str, post_ids: list[str], timeout_s: float = 180) -> list[float]:
    conn = await asyncpg.connect(database_url)
    try:
        ids = [uuid.UUID(p) for p in post_ids]
        deadline = time.monotonic() + timeout_s
        while await conn.fetchval("SELECT count(*) FROM post WHERE id = ANY($1) AND decided_at IS NULL", ids):
            if time.monotonic() > deadline:
                raise TimeoutError("articles still waiting for a decision")
            await asyncio.sleep(0.2)  # polling under a deadline
        rows = await conn.fetch(
            "SELECT extract(epoch FROM decided_at - created_at) * 1000 AS ms FROM post WHERE id = ANY($1)", ids
        )
        return [float(r["ms"]) for r in rows]
    finally:
        await conn.close()


@contextmanager
def bench_rules(flow: Flow) -> Iterator[None]:
    """The bench's grading rules in force (a large daily article quota), the earlier ones restored after."""
    chief = flow.staff("chief_editor")
    before = flow.gw.get("/v1/identity/grading-rules").json()["rules"]["rules"]
    assert flow.gw.post("/v1/identity/grading-rules", headers=chief.auth, json={"rules": RULES}).status_code == 201
    try:
        yield
    finally:
        flow.gw.post("/v1/identity/grading-rules", headers=chief.auth, json={"rules": before})


def _graded(flow: Flow, account: PublicAccount) -> None:
    """Wait until identity graded the account by the bench's rules (content hears it by event just after)."""
    reviewer = flow.staff("reviewer")
    poll(
        lambda: (
            flow.gw.get(f"/v1/identity/staff/accounts/{account.id}/standing", headers=reviewer.auth).json()[
                "privileges"
            ]["daily_articles"]
            == RULES[0]["privileges"]["daily_articles"]
        ),
        what="the account graded by the bench's rules",
    )


def decide(
    info: StackInfo,
    flow: Flow,
    posts_flow: Callable[[], list[str]],
    flow_latencies: Callable[[list[str]], list[float]],
) -> dict[str, object]:
    """article.decide_*: ARTICLES 5,000-character articles at ARTICLE_RATE/s beside ``posts_flow`` (which
    runs the posts' open loop and returns its authors)."""
    with bench_rules(flow):
        rng = random.Random(13)
        accounts = [flow.public_account() for _ in range((ARTICLES + 99) // 100)]
        for account in accounts:
            _graded(flow, account)
        drafts = [(a, d) for a in accounts for d in _drafts(flow, a, min(100, ARTICLES), rng)][:ARTICLES]
        authors: list[str] = []
        runner = threading.Thread(target=lambda: authors.extend(posts_flow()))
        runner.start()
        published: list[str] = []
        for account in accounts:
            mine = [d for a, d in drafts if a is account]
            published += _publish_open_loop(info.gateway_url, account, mine, ARTICLE_RATE)
        runner.join()
        latencies = asyncio.run(_decision_ms(info.database_urls["content"], published))
        posts = flow_latencies(authors)
        return {
            "article.chars": ARTICLE_CHARS,
            "article.offered_per_s": ARTICLE_RATE,
            "article.published": len(published),
            "article.decide_p50_ms": round(statistics.median(latencies), 1),
            "article.decide_p99_ms": round(percentile(latencies, 99), 1),
            "article.flow_decision_p99_ms": round(percentile(posts, 99), 1) if posts else None,
        }


def reads(info: StackInfo, flow: Flow, profiled_wrk: Callable[..., tuple[dict, dict[str, float]]]) -> dict:
    """article.reads_*: READERS x READ_ARTICLES first reads through the gateway, then the same again."""
    rng = random.Random(14)
    ids = []
    with bench_rules(flow):
        account = flow.public_account()
        _graded(flow, account)
        for draft_id in _drafts(flow, account, READ_ARTICLES, rng):
            published = poll(
                lambda d=draft_id: (
                    (
                        a := flow.gw.post(f"/v1/articles/drafts/{d}/publication", headers=account.auth, json={})
                    ).status_code
                    == 201
                    and a
                ),
                what="the article published (content hears the grade just after identity)",
            )
            ids.append(published.json()["id"])
    for article_id in ids:
        poll(lambda a=article_id: flow.gw.get(f"/v1/articles/{a}").status_code == 200, what="article published")
    readers = [flow.register().token for _ in range(READERS)]
    env = {"TOKENS": ",".join(readers), "ARTICLES": ",".join(ids)}
    first, profile = profiled_wrk(f"{info.gateway_url}", script=HERE / "reads.lua", env=env)
    again, _ = profiled_wrk(f"{info.gateway_url}", script=HERE / "reads.lua", env=env)
    return {
        "article.reads_per_s": round(first["ok_per_s"]),
        "article.reads_non_2xx": first["non_2xx"],
        "article.reads_duplicate_per_s": round(again["ok_per_s"]),
        "article.reads_cpu_share_by_process": profile,
        "article.read_pairs": READERS * READ_ARTICLES,
    }
