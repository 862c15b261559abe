"""`make bench-timeline`: only the home timeline read figures (bench/timelines.py), quickly and side by side.

Starts the platform as `make bench` does (2 content workers, the gateway's limits raised), seeds the same
readers (200 followed accounts each, two of them large), then runs the same wrk read ROUNDS times.

  BENCH_TIMELINE_ROUNDS=3         wrk runs per variant (each BENCH_WRK_SECONDS long)
  BENCH_TIMELINE_BASELINE=PATH    also measure another content: PATH is put first on content's PYTHONPATH
                                  (several: NAME=PATH;NAME=PATH, measured in that order before the current)
                                  (e.g. `git archive main services/content/src libs/kit/src | tar -x -C /tmp/base`
                                  then /tmp/base/services/content/src:/tmp/base/libs/kit/src); the two are
                                  alternated (baseline, current, baseline, ...) on the same stack and data,
                                  content restarted in between, so a noisy machine bends both alike
  BENCH_TIMELINE_PROFILE=DIR      py-spy (on PATH) samples content's workers during the last round of each
                                  variant: DIR/<variant>.txt, collapsed stacks (`py-spy record --format raw`)

Prints one JSON object: per variant, each round's reads/s, p50 and p99, the CPU share per process and the
CPU milliseconds per read per process (the figure a machine shared with other work bends least).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

import httpx
from devstack.processes import stop, wait_until
from devstack.stack import Stack, http_ready
from journeys import Flow

from bench import timelines
from bench.__main__ import WRK_SECONDS, profiled_wrk, py_spy, run_wrk, stack_config

HERE = Path(__file__).resolve().parent
ROUNDS = int(os.environ.get("BENCH_TIMELINE_ROUNDS", "3"))
BASELINE = os.environ.get("BENCH_TIMELINE_BASELINE", "")
PROFILE_DIR = os.environ.get("BENCH_TIMELINE_PROFILE", "")
WARM_UP_SECONDS = 3


def restart_content(stack: Stack, pythonpath: str) -> None:
    """Content again, the same way, with ``pythonpath`` first on its path ("" for the worktree's own)."""
    launch = stack._launch["content"]
    env = {k: v for k, v in launch["env"].items() if k != "PYTHONPATH"}
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    stop(stack.managed["content"])
    managed = stack._spawn("content", launch["argv"], env=env)
    url = stack.info.service_urls["content"]
    wait_until(lambda: http_ready(f"{url}/readyz"), timeout_s=90, what="content", proc=managed)


def main() -> int:
    run_dir = Path(tempfile.mkdtemp(prefix="qinglang-bench-timeline-"))
    config = stack_config(run_dir)
    stack = Stack(config)
    variants = {
        **dict((v.split("=", 1) if "=" in v else ("baseline", v)) for v in BASELINE.split(";") if v),
        "current": "",
    }
    results: dict[str, object] = {name: [] for name in variants}
    try:
        info = stack.up()
        print("stack up; seeding", file=sys.stderr)
        with httpx.Client(base_url=info.gateway_url, timeout=60) as gw:
            flow = Flow(gw, info)
            readers = [flow.register() for _ in range(timelines.READERS)]
            asyncio.run(timelines.seed_reads(info.database_urls["content"], [r.id for r in readers]))
        env = {"TOKENS": ",".join(r.token for r in readers)}
        current = ""
        for round_ in range(ROUNDS):
            for name, pythonpath in variants.items():
                if pythonpath != current:
                    restart_content(stack, pythonpath)
                    current = pythonpath
                    # Unmeasured: every worker up, its pool and statement cache warm.
                    run_wrk(info.gateway_url, script=HERE / "timeline.lua", env=env, seconds=WARM_UP_SECONDS)
                with httpx.Client(base_url=info.gateway_url, timeout=60) as gw:
                    page = gw.get("/v1/timelines/home", headers=readers[0].auth, params={"limit": 50})
                    assert page.status_code == 200 and len(page.json()["items"]) == 50, page.text
                spy = None
                if PROFILE_DIR and round_ == ROUNDS - 1:
                    Path(PROFILE_DIR).mkdir(parents=True, exist_ok=True)
                    spy = py_spy(stack, "content", Path(PROFILE_DIR) / f"{name}.txt", WRK_SECONDS * 0.8)
                reads, profile = profiled_wrk(stack, info.gateway_url, script=HERE / "timeline.lua", env=env)
                if spy is not None:
                    spy.wait()
                figures = {
                    "read_per_s": round(reads["ok_per_s"]),
                    "read_p50_ms": round(timelines.wrk_latency_ms(reads["raw"], "50%"), 1),
                    "read_p99_ms": round(timelines.wrk_latency_ms(reads["raw"]), 1),
                    "non_2xx": reads["non_2xx"],
                    "cpu_share_by_process": profile,
                    # CPU per read: what a loaded machine bends least (the share of a core over the reads).
                    "cpu_ms_per_read": {
                        n: round(share * 1000 / max(reads["ok_per_s"], 1), 2) for n, share in profile.items()
                    },
                }
                print(name, json.dumps(figures), file=sys.stderr)
                results[name].append(figures)
    finally:
        stack.down()
        shutil.rmtree(run_dir, ignore_errors=True)
    print(json.dumps(results, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
