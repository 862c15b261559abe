"""Runs the benchmarks on a private, freshly started platform and prints one JSON object.

Keys (all numbers measured in this run):
  gateway.posts_per_s              posts accepted (201) per second through Traefik, wrk, whole stack co-located
  gateway.bare_uvicorn_req_per_s   the ceiling: a bare FastAPI hello on uvicorn, same wrk settings
  gateway.wrk_cpu_share            the share of the machine's cores wrk itself used during the posts run
  gateway.cpu_share_by_process     per platform process, share of one core during the posts run (the profile)
  flow.offered_per_s               the fixed, open-loop rate posts were offered at
  flow.decision_p50_ms / _p99_ms   post accepted -> decision applied (content's own timestamps)
  broker.roundtrip_p50_ms / _p99_ms  raw produce -> consume on the same broker, same consumer settings (the floor)
  engine.posts_per_s / engine.raw_posts_per_s / rumour.match_p99_ms / rumour.retro_scan_1m_s /
  moderation.peak_rss_mib         the decision engine's figures and their baselines (see bench/engine.py)
  engine.post_chars_per_s / engine.article_chars_per_s / engine.article_rate_share  characters decided per
                                  second, posts vs 5,000-character articles (and 20,000: _20k_), one core
  durability.* / gateway.posts_per_s_unsafe_commit / _durable_after  what durable commits cost: the
                                  unsafe wrk run sits between two durable ones (see bench/durability.py)
  identity.sign_ins_per_s / identity.token_checks_per_s / identity.register_to_first_post_p50_ms /
  _p99_ms                         identity's figures and what bounds them (see bench/identity.py)
  cascade.stop_p99_ms / cascade.observed_p99_ms  stop decided -> gone from every read path (bench/cascade.py)
  timeline.read_per_s / _read_p99_ms / _fanout_p99_ms / _celebrity_post_ms  home timelines (bench/timelines.py)
  article.decide_p99_ms / article.reads_per_s / article.reads_duplicate_per_s  a 5,000-character article
                                  published -> decided beside the posts flow; read beacons through Traefik
                                  (bench/articles.py)
  complaint.file_to_case_p99_ms / review.claim_to_decision_p99_ms  the console's two hottest actions as API
                                  round trips: filing a complaint (the receipt names its case), claiming and
                                  deciding a queue item (bench/staff.py)
  archive.append_per_s / archive.verify_1m_s  the user-log archive (MB-16.2): records appended per second
                                  through its append path, and seconds to verify 1,000,000 records against their
                                  anchors, on the platform's PostgreSQL in a database of their own (bench/archive.py)
  report.evidence_p99_ms / report.evidence_sealed_p99_ms  an office reading a report's evidence through Traefik;
                                  a report filed -> its evidence sealed (bench/regulator.py)
  capacity.cpu_ms_per_post / capacity.cpu_ms_per_timeline_read  per process, milliseconds of one core one
                                  accepted post / one home timeline read costs (docs/capacity.md scales them)
  recovery.broker_s / recovery.database_s  with posts flowing at a fixed rate, the broker restarted (and,
                                  separately, PostgreSQL crashed and started again): seconds until the decision
                                  latency is back to its baseline, measured as the fault test does (bench/faults.py
                                  states the baseline and the bound)
  *.cpu_share_by_process._machine  the cores the whole machine was busy in the same window (2.0: both full);
  gateway.unattributed_cores / flow.unattributed_cores  the part of it no platform process accounts for (wrk
                                  or hey, the kernel's network work, the bench itself, anything else on the
                                  shared machine)
  eval.recall_min / eval.recall.<technique> / eval.false_positive_rate / eval.variants / eval.sentences
                                  the sample lexicon's measured recall per evasion technique and false positives on
                                  the clean corpus, as `make eval` (see bench/eval.py)
Set BENCH_ENGINE=0 to skip the engine's figures (they add a few minutes: a million stored posts), BENCH_ARCHIVE=0
the archive's (about a minute: a million records built and verified), BENCH_RECOVERY=0 the recovery figures
(about a minute: they restart the broker and PostgreSQL, so they run last). BENCH_POSTS_ONLY=1 runs only the
post path: the flow, the broker round trip, the gateway's posts and the recovery figures (a few minutes).
BENCH_PROFILE=DIR also samples each Python service with py-spy (on PATH) during the flow and the posts run:
DIR/flow-<service>.txt and DIR/posts-<service>.txt, collapsed stacks (`py-spy record --format raw`; the
sampler's own CPU bends the figures of that run).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import asyncpg
import httpx
import psutil
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from devstack.processes import free_port, spawn, stop, wait_until
from devstack.stack import SERVICES, Stack, StackConfig, http_ready, parse_workers
from journeys import Flow

from bench import (
    archive,
    articles,
    cascade,
    durability,
    engine,
    faults,
    identity,
    percentile,
    regulator,
    staff,
    timelines,
)
from bench import eval as lexicon_eval

HERE = Path(__file__).resolve().parent
WRK_SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "10"))
WRK_CONNECTIONS = int(os.environ.get("BENCH_WRK_CONNECTIONS", "64"))
FLOW_RATE = int(os.environ.get("BENCH_FLOW_RATE", "300"))
FLOW_SECONDS = int(os.environ.get("BENCH_FLOW_SECONDS", "10"))
FLOW_WARMUP_SECONDS = int(os.environ.get("BENCH_FLOW_WARMUP_SECONDS", "3"))
DECISION_FETCH_WAIT_MS = 10  # the setting content and moderation use on the decision path
POSTS_ONLY = os.environ.get("BENCH_POSTS_ONLY", "0") == "1"
RECOVERY = os.environ.get("BENCH_RECOVERY", "1") != "0"
PROFILE_DIR = os.environ.get("BENCH_PROFILE", "")


def run_wrk(
    url: str, *, script: Path | None = None, env: dict[str, str] | None = None, seconds: int = WRK_SECONDS
) -> dict:
    argv = ["wrk", "-t2", f"-c{WRK_CONNECTIONS}", f"-d{seconds}s", "--latency"]
    if script:
        argv += ["-s", str(script)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    out = subprocess.run(  # noqa: S603 - wrk with our own arguments
        [*argv, url],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **(env or {})},
    ).stdout
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    seconds = float(re.search(r"requests in ([\d.]+)(m?s)", out).group(1))
    if re.search(r"requests in [\d.]+ms", out):
        seconds /= 1000
    ok = requests - (int(non2xx.group(1)) if non2xx else 0)
    return {
        "ok_per_s": ok / seconds,
        "requests": requests,
        "non_2xx": requests - ok,
        "socket_errors": errors.group(1) if errors else "",
        "cpu_share": cpu / wall / psutil.cpu_count(),
        "raw": out,
    }


def profiled_wrk(stack: Stack, url: str, **kwargs) -> tuple[dict, dict[str, float]]:
    """A wrk run and, sampled during it, the share of a core each platform process used (the profile)."""
    profile: dict[str, float] = {}
    sampler = threading.Thread(target=lambda: profile.update(profile_during(stack, WRK_SECONDS * 0.6)))
    sampler.start()
    result = run_wrk(url, **kwargs)
    sampler.join()
    return result, profile


def py_spy(stack: Stack, service: str, out: Path, seconds: float) -> subprocess.Popen:
    """Sample a service's processes (uvicorn and its workers) for ``seconds``, collapsed stacks to ``out``.
    py-spy is a tool, not a dependency: it must be on PATH (``pip install py-spy`` anywhere)."""
    return subprocess.Popen(  # noqa: S603 - py-spy with our own arguments
        [  # noqa: S607 - py-spy found on PATH
            "py-spy",
            "record",
            "--subprocesses",
            "--nonblocking",
            "--format",
            "raw",
            "--rate",
            "200",
            "--duration",
            str(int(seconds)),
            "--output",
            str(out),
            "--pid",
            str(stack.managed[service].pid),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def py_spies(stack: Stack, phase: str, seconds: float) -> list[subprocess.Popen]:
    """With BENCH_PROFILE=DIR, py-spy on each Python service during a phase: DIR/<phase>-<service>.txt."""
    if not PROFILE_DIR:
        return []
    Path(PROFILE_DIR).mkdir(parents=True, exist_ok=True)
    return [py_spy(stack, s, Path(PROFILE_DIR) / f"{phase}-{s}.txt", seconds) for s in SERVICES if s in stack.managed]


def bare_uvicorn(log_dir: Path) -> float:
    port = free_port()
    proc = spawn(
        "hello",
        [
            sys.executable,
            "-m",
            "uvicorn",
            "bench.hello:app",
            "--port",
            str(port),
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        log_dir=log_dir,
        die_with_parent=True,
        cwd=HERE.parent,
    )
    try:
        wait_until(lambda: http_ready(f"http://127.0.0.1:{port}/hello"), timeout_s=20, what="hello", proc=proc)
        return run_wrk(f"http://127.0.0.1:{port}/hello")["ok_per_s"]
    finally:
        stop(proc)


def _cpu_seconds(proc: psutil.Process) -> float:
    """CPU time of a process and its children (PostgreSQL's work is done by its backends)."""
    total = 0.0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            times = p.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def _busy_seconds() -> float:
    """CPU seconds the whole machine (all cores) spent busy so far: all but idle and iowait."""
    times = psutil.cpu_times()
    return sum(times) - times.idle - getattr(times, "iowait", 0.0)


MACHINE = "_machine"  # profile_during's key for the whole machine's busy cores over the window


def profile_during(stack: Stack, seconds: float) -> dict[str, float]:
    """Share of one core each platform process (with its children) used over the window, and under
    MACHINE the cores the whole machine was busy (so the cores nobody here accounts for show)."""
    procs = {name: m.process() for name, m in stack.managed.items()}
    procs = {n: p for n, p in procs.items() if p is not None}
    before = {n: _cpu_seconds(p) for n, p in procs.items()}
    busy = _busy_seconds()
    started = time.monotonic()
    time.sleep(seconds)  # the sampling window of the profile
    wall = time.monotonic() - started
    machine = (_busy_seconds() - busy) / wall
    used = {n: _cpu_seconds(p) - before[n] for n, p in procs.items()}
    return {n: round(u / wall, 2) for n, u in used.items() if u > 0.01 * wall} | {MACHINE: round(machine, 2)}


def unattributed_cores(profile: dict[str, float]) -> float:
    """The machine's busy cores no platform process accounts for (the load generator, the kernel, the
    bench, anything else on a shared machine): a large figure says the run competed with other work."""
    return round(profile.get(MACHINE, 0.0) - sum(v for k, v in profile.items() if k != MACHINE), 2)


def offered_load(gateway: str, tokens: list[str], rate: int, seconds: int) -> dict:
    """Open loop at a fixed rate with hey, whatever the answers do: one hey per author (so posts
    spread over partitions as many authors' posts do), each at rate/len(tokens) per second."""
    workers = 10
    per_author = rate / len(tokens)
    procs = [
        subprocess.Popen(  # noqa: S603 - hey with our own arguments
            [  # noqa: S607 - Debian's hey, found on PATH like wrk
                "hey",
                "-z",
                f"{seconds}s",
                "-c",
                str(workers),
                "-q",
                str(per_author / workers),
                "-m",
                "POST",
                "-T",
                "application/json",
                "-H",
                f"Authorization: Bearer {token}",
                "-d",
                '{"text": "周末一起去爬山吧"}',
                f"{gateway}/v1/posts",
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        for token in tokens
    ]
    outputs = [p.communicate()[0] for p in procs]
    accepted = sum(int(m.group(1)) for out in outputs if (m := re.search(r"\[201\]\s+(\d+) responses", out)))
    return {"status_201": accepted}


async def decision_latencies(database_url: str, author_ids: list[str], timeout_s: float = 120) -> list[float]:
    """Post accepted (content's insert) -> decision applied (content's update), for these authors' posts."""
    conn = await asyncpg.connect(database_url)
    try:
        author = [uuid.UUID(a) for a in author_ids]
        deadline = time.monotonic() + timeout_s
        waiting = "SELECT count(*) FROM post WHERE author_id = ANY($1) AND decided_at IS NULL"
        while await conn.fetchval(waiting, author):
            if time.monotonic() > deadline:
                raise TimeoutError("posts still waiting for a decision")
            await asyncio.sleep(0.2)  # polling under a deadline
        rows = await conn.fetch(
            "SELECT extract(epoch FROM decided_at - created_at) * 1000 AS ms FROM post WHERE author_id = ANY($1)",
            author,
        )
        return [float(r["ms"]) for r in rows]
    finally:
        await conn.close()


async def broker_roundtrip(kafka: str, rate: int, seconds: int) -> list[float]:
    topic = f"bench.roundtrip.{uuid.uuid4().hex[:8]}"
    producer = AIOKafkaProducer(bootstrap_servers=kafka, enable_idempotence=False, acks="all", linger_ms=5)
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=kafka,
        group_id=f"bench-{uuid.uuid4().hex[:6]}",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        fetch_max_wait_ms=DECISION_FETCH_WAIT_MS,
        session_timeout_ms=6000,
        heartbeat_interval_ms=1000,
    )
    await producer.start()
    await producer.send_and_wait(topic, b"warm-up")
    await consumer.start()
    latencies: list[float] = []
    total = rate * seconds

    async def consume() -> None:
        while len(latencies) < total:
            batch = await consumer.getmany(timeout_ms=1000)
            now = time.perf_counter()
            for records in batch.values():
                for record in records:
                    if record.value != b"warm-up":
                        latencies.append((now - float(record.value)) * 1000)

    reader = asyncio.create_task(consume())
    start = time.monotonic()
    for i in range(total):
        delay = start + i / rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)  # the schedule of an open-loop load
        await producer.send(topic, str(time.perf_counter()).encode(), key=str(i % 16).encode())
    await asyncio.wait_for(reader, 60)
    await consumer.stop()
    await producer.stop()
    return latencies


def stack_config(run_dir: Path) -> StackConfig:
    """The bench's platform: limits raised, content with two workers (BENCH_WORKERS to change)."""
    return StackConfig(
        run_dir=run_dir,
        die_with_parent=True,
        rate_limit_average=1_000_000,
        rate_limit_burst=1_000_000,
        service_env={
            # The bench posts thousands a second from a handful of accounts: the grade's daily posts (MB-9)
            # are not counted here (a hot row per author and day that real traffic spreads over many).
            "content": {"REANNOUNCE_AFTER_S": "600", "POST_QUOTA_ENFORCED": "false"},
            # The bench registers dozens of users from the gateway's one address.
            "identity": {"REGISTRATIONS_PER_ADDRESS_PER_HOUR": "1000000"},
        },
        workers=parse_workers(os.environ.get("BENCH_WORKERS", "content=2")),
    )


def cpu_ms_per_op(profile: dict[str, float], ops_per_s: float) -> dict[str, float]:
    """What one operation costs each process, in milliseconds of one core: the profile's share of a core
    divided by the throughput measured in the same run. The capacity model (docs/capacity.md) scales
    these, not the throughputs, which depend on what else shares the two cores."""
    if ops_per_s <= 0:
        return {}
    return {name: round(share * 1000 / ops_per_s, 3) for name, share in sorted(profile.items())}


def main() -> int:
    if shutil.which("wrk") is None:
        print("wrk is not installed (make bench installs Debian's wrk)", file=sys.stderr)
        return 2
    if PROFILE_DIR and shutil.which("py-spy") is None:
        print("BENCH_PROFILE needs py-spy on PATH (pip install py-spy)", file=sys.stderr)
        return 2
    run_dir = Path(tempfile.mkdtemp(prefix="qinglang-bench-"))
    config = stack_config(run_dir)
    stack = Stack(config)
    results: dict[str, object] = {}
    try:
        info = stack.up()
        with httpx.Client(base_url=info.gateway_url, timeout=30) as gw:
            flow = Flow(gw, info)
            tokens = [flow.verified_user().token for _ in range(8)]
            flow_users = [flow.verified_user() for _ in range(4)]
            warmup_users = [flow.verified_user() for _ in range(4)]
        print("stack up; measuring", file=sys.stderr)

        # Latency first, on topics that are still small: Tansu walks every stored batch of a
        # partition on each fetch, so a long-running broker gets slower (TANSU.md).
        flow_profile: dict[str, float] = {}
        sampler = threading.Thread(target=lambda: flow_profile.update(profile_during(stack, FLOW_SECONDS * 0.8)))
        # Steady state, not start-up: pools, caches and consumer fetch loops warm up first (unmeasured).
        offered_load(info.gateway_url, [u.token for u in warmup_users], FLOW_RATE, FLOW_WARMUP_SECONDS)
        started = time.monotonic()
        sampler.start()
        spies = py_spies(stack, "flow", FLOW_SECONDS * 0.8)
        offered = offered_load(info.gateway_url, [u.token for u in flow_users], FLOW_RATE, FLOW_SECONDS)
        sampler.join()
        for spy in spies:
            spy.wait()
        results["flow.cpu_share_by_process"] = flow_profile
        results["flow.unattributed_cores"] = unattributed_cores(flow_profile)
        latencies = asyncio.run(decision_latencies(info.database_urls["content"], [u.id for u in flow_users]))
        results["flow.offered_per_s"] = FLOW_RATE
        results["flow.accepted"] = offered["status_201"]
        results["flow.loadgen_seconds"] = round(time.monotonic() - started, 1)
        results["flow.decision_p50_ms"] = round(statistics.median(latencies), 1)
        results["flow.decision_p99_ms"] = round(percentile(latencies, 99), 1)

        if not POSTS_ONLY:  # BENCH_POSTS_ONLY=1: the post path alone
            print("measuring articles beside the posts flow", file=sys.stderr)
            with httpx.Client(base_url=info.gateway_url, timeout=60) as gw:
                article_flow = Flow(gw, info)
                article_authors = [article_flow.verified_user() for _ in range(4)]

                def posts_flow() -> list[str]:
                    seconds = max(FLOW_SECONDS, round(articles.ARTICLES / articles.ARTICLE_RATE))
                    offered_load(info.gateway_url, [u.token for u in article_authors], FLOW_RATE, seconds)
                    return [u.id for u in article_authors]

                results.update(
                    articles.decide(
                        info,
                        article_flow,
                        posts_flow,
                        lambda authors: asyncio.run(decision_latencies(info.database_urls["content"], authors)),
                    )
                )

        rt = asyncio.run(broker_roundtrip(info.kafka_bootstrap_servers, FLOW_RATE, FLOW_SECONDS))
        results["broker.roundtrip_p50_ms"] = round(statistics.median(rt), 1)
        results["broker.roundtrip_p99_ms"] = round(percentile(rt, 99), 1)
        results["gateway.bare_uvicorn_req_per_s"] = round(bare_uvicorn(run_dir / "logs"))

        profile: dict[str, float] = {}
        sampler = threading.Thread(target=lambda: profile.update(profile_during(stack, WRK_SECONDS * 0.6)))
        sampler.start()
        spies = py_spies(stack, "posts", WRK_SECONDS * 0.8)
        posts = run_wrk(info.gateway_url, script=HERE / "post.lua", env={"TOKENS": ",".join(tokens)})
        sampler.join()
        for spy in spies:
            spy.wait()
        results["gateway.posts_per_s"] = round(posts["ok_per_s"])
        results["gateway.non_2xx"] = posts["non_2xx"]
        results["gateway.wrk_cpu_share"] = round(posts["cpu_share"], 3)
        results["gateway.cpu_share_by_process"] = profile
        results["gateway.unattributed_cores"] = unattributed_cores(profile)
        results["capacity.cpu_ms_per_post"] = cpu_ms_per_op(profile, posts["ok_per_s"])

        if not POSTS_ONLY:
            # What durability costs: the same wrk run with synchronous_commit off (what the platform
            # ran on before it was durable), then back on; and commits measured side by side.
            asyncio.run(durability.set_synchronous_commit(info.admin_database_url, "off"))
            try:
                unsafe_posts = run_wrk(info.gateway_url, script=HERE / "post.lua", env={"TOKENS": ",".join(tokens)})
            finally:
                asyncio.run(durability.set_synchronous_commit(info.admin_database_url, "on"))
            results["gateway.posts_per_s_unsafe_commit"] = round(unsafe_posts["ok_per_s"])
            # Durable again, after the unsafe run: the broker slows as its topics grow (TANSU.md), so the
            # fair comparison is the unsafe run against the mean of the durable runs on either side of it.
            again = run_wrk(info.gateway_url, script=HERE / "post.lua", env={"TOKENS": ",".join(tokens)})
            results["gateway.posts_per_s_durable_after"] = round(again["ok_per_s"])
            results.update(asyncio.run(durability.measure(info.database_urls["content"])))
            if os.environ.get("BENCH_ARCHIVE", "1") != "0":
                # MB-16.2: the user-log archive's append rate and a million records verified (bench/archive.py)
                results.update(archive.run(info.admin_database_url))

            print("measuring identity", file=sys.stderr)
            with httpx.Client(base_url=info.gateway_url, timeout=60) as gw:
                results.update(identity.run(info, Flow(gw, info)))
            print("measuring home timelines", file=sys.stderr)
            with httpx.Client(base_url=info.gateway_url, timeout=60) as gw:
                results.update(timelines.run(info, Flow(gw, info), lambda url, **kw: profiled_wrk(stack, url, **kw)))
            results["capacity.cpu_ms_per_timeline_read"] = cpu_ms_per_op(
                results["timeline.read_cpu_share_by_process"], results["timeline.read_per_s"]
            )
            print("measuring article read beacons", file=sys.stderr)
            with httpx.Client(base_url=info.gateway_url, timeout=60) as gw:
                results.update(articles.reads(info, Flow(gw, info), lambda url, **kw: profiled_wrk(stack, url, **kw)))
            print("measuring the stop cascade", file=sys.stderr)
            with httpx.Client(base_url=info.gateway_url, timeout=60) as gw:
                results.update(cascade.run(info, Flow(gw, info)))
            print("measuring the staff console's actions", file=sys.stderr)
            with httpx.Client(base_url=info.gateway_url, timeout=60) as gw:
                results.update(staff.run(info, Flow(gw, info)))
            print("measuring reports' evidence", file=sys.stderr)
            with httpx.Client(base_url=info.gateway_url, timeout=60) as gw:
                results.update(regulator.run(info, Flow(gw, info)))
            if os.environ.get("BENCH_ENGINE", "1") != "0":
                print("measuring the decision engine", file=sys.stderr)
                with httpx.Client(base_url=info.gateway_url, timeout=60) as gw:
                    results.update(engine.run(stack, info, Flow(gw, info)))
            print("measuring the lexicon's recall and false positives", file=sys.stderr)
            results.update(lexicon_eval.run())
        if RECOVERY:  # last: the broker forgets every topic, PostgreSQL replays its WAL
            print("measuring recovery from a broker restart and a database crash", file=sys.stderr)
            with httpx.Client(base_url=info.gateway_url, timeout=30) as gw:
                results.update(faults.run(stack, Flow(gw, info)))
        results["broker.fetch_max_wait_ms"] = DECISION_FETCH_WAIT_MS
        results["machine.cores"] = psutil.cpu_count()
        results["service_workers"] = {name: config.workers.get(name, 1) for name in SERVICES}
    finally:
        stack.down()
        shutil.rmtree(run_dir, ignore_errors=True)
    print(json.dumps(results, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
