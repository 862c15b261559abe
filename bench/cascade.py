"""cascade.*: how fast a stop reaches every read path (MB-12.2).

A published post, in a follower's home timeline and reposted, is stopped by a rumour registered later
(MB-11's retro-scan, action "stop"); this is repeated for CASCADE_POSTS posts, one at a time, each by an
author of its own (identity suspends an author after repeated stops, PA-13.1, which would take their other
posts off every path at once and blur the figure).

  cascade.stop_p99_ms / _p50_ms     moderation's first stop decision on the post (its decided_at, set just
                                    before its commit; a rumour can stop several of the posts at once)
                                    -> content's stop committed (transmission_stop.stopped_at). Every read
                                    path checks the post's status when it reads (content.posts.store
                                    .visible_sql), so this is when the post is gone from all of them.
  cascade.observed_p99_ms           the same start -> the moment a reader polling a follower's home timeline
                                    (every CASCADE_POLL_MS) no longer sees it: the bound as a client sees it,
                                    poll granularity included.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import threading
import time
import uuid

import asyncpg
from devstack.stack import StackInfo
from devstack.testing import poll
from journeys import Flow, register_rumour

from bench import percentile

CASCADE_POSTS = int(os.environ.get("BENCH_CASCADE_POSTS", "40"))
CASCADE_POLL_MS = 10
# Everyday characters: random sentences from them match no lexicon entry and no other rumour.
EVERYDAY = "今天我们去公园散步看见很多花草树木天气晴朗心情愉快朋友一起喝茶聊天吃饭读书写字唱歌跳舞"


def _sentence(rng: random.Random) -> str:
    return "网传" + "".join(rng.choice(EVERYDAY) for _ in range(28))


async def _commit_times(info: StackInfo, post_ids: list[str]) -> tuple[dict[str, float], dict[str, float]]:
    ids = [uuid.UUID(p) for p in post_ids]
    moderation = await asyncpg.connect(info.database_urls["moderation"])
    content = await asyncpg.connect(info.database_urls["content"])
    try:
        decided = {
            str(r["post_id"]): r["at"]
            for r in await moderation.fetch(
                """SELECT post_id, extract(epoch FROM min(decided_at)) AS at FROM decision
                    WHERE post_id = ANY($1) AND outcome = 'stop_transmission' GROUP BY post_id""",
                ids,
            )
        }
        stopped = {
            str(r["post_id"]): r["at"]
            for r in await content.fetch(
                "SELECT post_id, extract(epoch FROM stopped_at) AS at FROM transmission_stop WHERE post_id = ANY($1)",
                ids,
            )
        }
        return {k: float(v) for k, v in decided.items()}, {k: float(v) for k, v in stopped.items()}
    finally:
        await moderation.close()
        await content.close()


def run(info: StackInfo, flow: Flow) -> dict[str, object]:
    gw = flow.gw
    rng = random.Random(11)
    reposter, follower = flow.verified_user(), flow.register()
    chief = flow.staff("chief_editor")
    authors = [flow.verified_user() for _ in range(CASCADE_POSTS)]
    for author in authors:
        assert gw.put(f"/v1/accounts/{author.id}/follow", headers=follower.auth).status_code in (200, 201)
    texts = [_sentence(rng) for _ in range(CASCADE_POSTS)]
    posts = [flow.post(author, text)["id"] for author, text in zip(authors, texts, strict=True)]
    for post in posts:
        poll(lambda post=post: gw.get(f"/v1/posts/{post}").status_code == 200, what="published")
        assert gw.post(f"/v1/posts/{post}/reposts", headers=reposter.auth, json={"text": "转发"}).status_code == 201

    def home() -> set[str]:
        answer = gw.get("/v1/timelines/home", headers=follower.auth, params={"limit": 100})
        return {item["id"] for item in answer.json()["items"]}

    poll(lambda: set(posts) <= home(), what="every post in the follower's home timeline")

    gone_at: dict[str, float] = {}
    done = threading.Event()

    def reader() -> None:
        while not done.is_set():
            seen = home()
            now = time.time()
            for post in posts:
                if post not in seen:
                    gone_at.setdefault(post, now)
            time.sleep(CASCADE_POLL_MS / 1000)  # the reader's polling interval, the figure's granularity

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for post, text in zip(posts, texts, strict=True):
            answer = register_rumour(gw, chief, text, "经核实，该消息不实。", "市网信办", "stop")
            assert answer.status_code == 201, answer.text
            poll(lambda post=post: gw.get(f"/v1/posts/{post}").status_code == 451, what="the stop")
        poll(lambda: len(gone_at) == len(posts), what="every stopped post gone from the home timeline")
    finally:
        done.set()
        thread.join()
    decided, stopped = asyncio.run(_commit_times(info, posts))
    commit = [(stopped[p] - decided[p]) * 1000 for p in posts]
    observed = [(gone_at[p] - decided[p]) * 1000 for p in posts]
    return {
        "cascade.posts": len(posts),
        "cascade.stop_p50_ms": round(statistics.median(commit), 1),
        "cascade.stop_p99_ms": round(percentile(commit, 99), 1),
        "cascade.observed_p50_ms": round(statistics.median(observed), 1),
        "cascade.observed_p99_ms": round(percentile(observed, 99), 1),
    }
