"""Recovery after a restart, with posts flowing at a fixed rate: the broker restarted, then, separately, the
PostgreSQL server crashed (SIGKILL of the postmaster and every backend) and started again by the stack's
supervisor, as Kubernetes would. The logic is the fault test's (tests/recovery.py, used by
tests/e2e/test_faults.py); the bench reports its figures.

Keys:
  recovery.broker_s / recovery.database_s   seconds from the restart (the fault) until decisions are back to
                                            their baseline: the part back (every service ready through the
                                            gateway; PostgreSQL also out of crash recovery), then the median
                                            of three probes at most recovery.recovered_below_s
  recovery.broker_back_s / _database_back_s  the first part of it: the fault -> the part back
  recovery.baseline_s                       the baseline: median of three probes before any fault, each a
                                            clean post's 201 -> the post served to a reader (polled every 20 ms)
  recovery.recovered_below_s                max(3 x baseline, baseline + 0.5 s): "back to baseline"
  recovery.posts_per_s                      the steady stream beside it (one request at a time, BENCH_RECOVERY_RATE)
  recovery.bound_s                          the fault test's bound on "the part back -> baseline" (20 s)
A figure is null when decisions were not back within BENCH_RECOVERY_WAIT_S (120) of the part being back.
The broker is Tansu in memory: a restart forgets every topic and offset (the services' replay after a
broker loss is part of what is measured).
"""

from __future__ import annotations

import os

from devstack.stack import Stack
from journeys import Flow
from recovery import (
    RECOVERY_BOUND_S,
    Load,
    database_accepting,
    recover,
    recovered_below,
    services_ready,
    typical_latency,
)

RATE = float(os.environ.get("BENCH_RECOVERY_RATE", "50"))
WAIT_S = float(os.environ.get("BENCH_RECOVERY_WAIT_S", "120"))


def run(stack: Stack, flow: Flow) -> dict[str, object]:
    clean = [flow.verified_user() for _ in range(4)]
    prober = flow.verified_user()
    baseline = typical_latency(flow.gw, prober)
    admin_url = stack.info.admin_database_url
    results: dict[str, object] = {
        "recovery.baseline_s": round(baseline, 3),
        "recovery.recovered_below_s": round(recovered_below(baseline), 3),
        "recovery.posts_per_s": RATE,
        "recovery.bound_s": RECOVERY_BOUND_S,
    }
    faults = {
        "broker": (stack.restart_broker, lambda: services_ready(flow.gw)),
        "database": (
            lambda: stack.kill("postgres"),
            lambda: database_accepting(admin_url) and services_ready(flow.gw),
        ),
    }
    load = Load(flow.platform.gateway_url, clean, [], per_s=RATE)
    stack.supervise()  # starts again what exited, as the fault test's stack and Kubernetes do
    load.start()
    try:
        for name, (break_it, back) in faults.items():
            try:
                took = recover(name, flow, prober, baseline, load, break_it, back, bound_s=WAIT_S)
            except AssertionError as exc:  # not back within the wait: say so, keep the other figures
                results[f"recovery.{name}_s"] = None
                results[f"recovery.{name}_error"] = str(exc)
                continue
            results[f"recovery.{name}_s"] = round(took.total_s, 2)
            results[f"recovery.{name}_back_s"] = round(took.back_s, 2)
    finally:
        load.stop()
        stack.stop_supervising()
    results["recovery.answers"] = dict(load.answers)
    return results
