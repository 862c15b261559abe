"""timeline.*: home timelines (MB-2), each figure through the gateway on the co-located stack.

timeline.read_per_s / _p99_ms   home timeline reads (50 items) with wrk, readers each following 200
                                accounts (two of them large, merged at read time) whose posts fill the
                                timeline past a page. The graph, posts and entries are inserted directly
                                into content's database, as the fan-out writes them (building 200 real
                                accounts per reader through the API would take the bench's whole budget);
                                the readers are real accounts reading through Traefik.
timeline.fanout_p99_ms          a post accepted (content's created_at) -> its entry in all of 1,000
                                followers' home timelines (content's database polled every FANOUT_POLL_MS):
                                moderation's decision, publication and the fan-out consumer. The followers
                                are follow rows inserted directly.
timeline.celebrity_post_ms      a post by an account with 1,000,000 followers (follow rows and count
                                inserted directly) -> seen in a real follower's home timeline through the
                                gateway (median of CELEBRITY_POSTS); timeline.celebrity_entries_written
                                counts the entries it cost (0: merged at read time).
Follows are planted straight into content's database as already delivered (backfilled and notified): planted
as undelivered, content's reconciler re-announced every one of them (a million FollowStarted events after a
broker restart), and the bench's recovery figures measured that flood instead of the platform.
"""

from __future__ import annotations

import asyncio
import os
import re
import statistics
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import asyncpg
from devstack.stack import StackInfo
from journeys import Flow

from bench import percentile

READERS = int(os.environ.get("BENCH_TIMELINE_READERS", "32"))
FOLLOWING = 200
LARGE_FOLLOWED = 2
AUTHORS = 1000
POSTS_PER_AUTHOR = 20
FANOUT_FOLLOWERS = 1000
FANOUT_POSTS = int(os.environ.get("BENCH_FANOUT_POSTS", "30"))
FANOUT_POLL_MS = 5
CELEBRITY_FOLLOWERS = 1_000_000
CELEBRITY_POSTS = 5
KEEP = 800  # content's timeline_max_entries: what a trimmed home timeline holds

HERE = Path(__file__).resolve().parent


def wrk_latency_ms(raw: str, quantile: str = "99%") -> float:
    """A quantile of wrk's --latency distribution, in ms."""
    value, unit = re.search(rf"^\s*{re.escape(quantile)}\s+([\d.]+)(us|ms|s)\s*$", raw, re.M).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


async def seed_reads(url: str, readers: list[str]) -> None:
    """Readers following 200 accounts each (two large), those accounts' published posts, and the entries
    the fan-out would have written (each reader's newest KEEP of the ordinary accounts' posts)."""
    conn = await asyncpg.connect(url)
    try:
        async with conn.transaction():
            await conn.execute(
                """CREATE TEMP TABLE bench_author ON COMMIT DROP AS
                   SELECT n, gen_random_uuid() AS id FROM generate_series(0, $1 - 1) n""",
                AUTHORS,
            )
            await conn.execute(
                """INSERT INTO post (id, author_id, text, status, created_at, decided_at, kind)
                   SELECT gen_random_uuid(), a.id, '今天天气很好，去公园散步。第' || g || '条', 'published',
                          now() - make_interval(secs => random() * 86400 * 7), now(), 'post'
                     FROM bench_author a, generate_series(1, $1) g""",
                POSTS_PER_AUTHOR,
            )
            await conn.execute(
                """INSERT INTO follow (follower_id, followee_id, backfilled_at, notified_at)
                   SELECT r.id, a.id, now(), now() FROM unnest($1::uuid[]) WITH ORDINALITY AS r(id, i)
                     CROSS JOIN generate_series(0, $2 - 1) k
                     JOIN bench_author a ON a.n = (r.i * 37 + k * 5) % $3""",
                [uuid.UUID(r) for r in readers],
                FOLLOWING,
                AUTHORS,
            )
            await conn.execute(
                """INSERT INTO follow_count (account_id, followers)
                   SELECT followee_id, CASE WHEN a.n < $1 * 5 AND a.n % 5 = 0 THEN 50000 ELSE count(*) END
                     FROM follow f JOIN bench_author a ON a.id = f.followee_id GROUP BY followee_id, a.n
                   ON CONFLICT (account_id) DO UPDATE SET followers = EXCLUDED.followers""",
                LARGE_FOLLOWED,
            )
            await conn.execute(
                """INSERT INTO timeline_entry (owner_id, post_id, author_id, created_at)
                   SELECT owner_id, post_id, author_id, created_at FROM (
                       SELECT f.follower_id AS owner_id, p.id AS post_id, p.author_id, p.created_at,
                              row_number() OVER (PARTITION BY f.follower_id ORDER BY p.created_at DESC) AS n
                         FROM follow f JOIN bench_author a ON a.id = f.followee_id
                         JOIN follow_count c ON c.account_id = f.followee_id AND c.followers < 10000
                         JOIN post p ON p.author_id = f.followee_id
                        WHERE f.follower_id = ANY($1::uuid[])) e
                    WHERE n <= $2""",
                [uuid.UUID(r) for r in readers],
                KEEP,
            )
        await conn.execute("ANALYZE")
    finally:
        await conn.close()


async def _fanout_latencies(url: str, flow: Flow) -> list[float]:
    author = flow.verified_user()
    conn = await asyncpg.connect(url)
    try:
        followers = [uuid.uuid4() for _ in range(FANOUT_FOLLOWERS)]
        await conn.execute(
            """INSERT INTO follow (follower_id, followee_id, backfilled_at, notified_at)
               SELECT f, $2, now(), now() FROM unnest($1::uuid[]) f""",
            followers,
            uuid.UUID(author.id),
        )
        latencies = []
        for i in range(FANOUT_POSTS):
            post = uuid.UUID(flow.post(author, f"扇出测试第{i}条，周末一起去爬山吧")["id"])
            created = await conn.fetchval("SELECT created_at FROM post WHERE id = $1", post)
            deadline = time.monotonic() + 30
            while (
                await conn.fetchval(
                    """SELECT count(*) FROM timeline_entry
                        WHERE owner_id = ANY($1::uuid[]) AND created_at = $2 AND post_id = $3""",
                    followers,
                    created,
                    post,
                )
                < FANOUT_FOLLOWERS
            ):
                if time.monotonic() > deadline:
                    raise TimeoutError("a post did not reach its followers' home timelines")
                await asyncio.sleep(FANOUT_POLL_MS / 1000)  # polling under a deadline: the figure's granularity
            latencies.append((time.time() - created.timestamp()) * 1000)
        return latencies
    finally:
        await conn.close()


async def _seed_celebrity(url: str, celebrity: str, follower: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(
            """INSERT INTO follow (follower_id, followee_id, backfilled_at, notified_at)
               SELECT gen_random_uuid(), $1::uuid, now(), now() FROM generate_series(1, $2 - 1)
               UNION ALL SELECT $3::uuid, $1::uuid, now(), now()""",
            uuid.UUID(celebrity),
            CELEBRITY_FOLLOWERS,
            uuid.UUID(follower),
        )
        await conn.execute(
            """INSERT INTO follow_count (account_id, followers) VALUES ($1, $2)
               ON CONFLICT (account_id) DO UPDATE SET followers = EXCLUDED.followers""",
            uuid.UUID(celebrity),
            CELEBRITY_FOLLOWERS,
        )
        await conn.execute("ANALYZE follow")
    finally:
        await conn.close()


async def _entries_of(url: str, posts: list[str]) -> int:
    conn = await asyncpg.connect(url)
    try:
        return await conn.fetchval(
            "SELECT count(*) FROM timeline_entry WHERE post_id = ANY($1::uuid[])", [uuid.UUID(p) for p in posts]
        )
    finally:
        await conn.close()


def run(info: StackInfo, flow: Flow, wrk: Callable[..., tuple[dict, dict[str, float]]]) -> dict[str, object]:
    """``wrk(url, script=, env=)`` runs wrk and profiles the platform meanwhile (bench.__main__.profiled_wrk)."""
    url = info.database_urls["content"]
    readers = [flow.register() for _ in range(READERS)]
    asyncio.run(seed_reads(url, [r.id for r in readers]))
    gw = flow.gw
    page = gw.get("/v1/timelines/home", headers=readers[0].auth, params={"limit": 50})
    assert page.status_code == 200 and len(page.json()["items"]) == 50, page.text
    reads, profile = wrk(
        info.gateway_url, script=HERE / "timeline.lua", env={"TOKENS": ",".join(r.token for r in readers)}
    )

    fanout = asyncio.run(_fanout_latencies(url, flow))

    celebrity, follower = flow.verified_user(), flow.register()
    asyncio.run(_seed_celebrity(url, celebrity.id, follower.id))
    seen: list[float] = []
    posts: list[str] = []
    for i in range(CELEBRITY_POSTS):
        started = time.monotonic()
        post = flow.post(celebrity, f"大号发帖第{i}条，周末一起去爬山吧")["id"]
        posts.append(post)
        while post not in [
            item["id"]
            for item in gw.get("/v1/timelines/home", headers=follower.auth, params={"limit": 5}).json()["items"]
        ]:
            if time.monotonic() - started > 30:
                raise TimeoutError("the celebrity's post did not reach a follower's home timeline")
            time.sleep(0.005)  # polling interval under the deadline above
        seen.append((time.monotonic() - started) * 1000)
    return {
        "timeline.read_per_s": round(reads["ok_per_s"]),
        "timeline.read_p99_ms": round(wrk_latency_ms(reads["raw"]), 1),
        "timeline.read_p50_ms": round(wrk_latency_ms(reads["raw"], "50%"), 1),
        "timeline.read_non_2xx": reads["non_2xx"],
        "timeline.readers": READERS,
        "timeline.read_cpu_share_by_process": profile,
        "timeline.fanout_followers": FANOUT_FOLLOWERS,
        "timeline.fanout_p50_ms": round(statistics.median(fanout), 1),
        "timeline.fanout_p99_ms": round(percentile(fanout, 99), 1),
        "timeline.celebrity_followers": CELEBRITY_FOLLOWERS,
        "timeline.celebrity_post_ms": round(statistics.median(seen), 1),
        "timeline.celebrity_entries_written": asyncio.run(_entries_of(url, posts)),
    }
