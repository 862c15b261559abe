"""Recovery after a fault, as the fault test (tests/e2e/test_faults.py) and the bench (``recovery.*``,
bench/__main__.py) both measure it: posts flow at a steady rate through the gateway, a part is broken,
and the time is taken until the part is back and then until decisions are as fast as before.

The decision latency a prober sees is a clean post's 201 → the post served (published) to a reader; the
*baseline* is the median of three such probes before any fault, and decisions are *back to baseline*
when the median of three probes is at most ``recovered_below(baseline)`` (3 × the baseline, or the
baseline + 0.5 s when that is larger: loose enough for a noisy machine, tight enough to catch a relay
left polling once a second). The bound on the wait is ``RECOVERY_BOUND_S`` after the part is back.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import httpx
import psycopg
from devstack.testing import poll
from journeys import Flow, User

PROHIBITED = "出售枪支，价格私聊"
CLEAN = "周末一起去爬山吧"
# After the failed part is back, decisions are as fast as before within this many seconds.
RECOVERY_BOUND_S = 20.0
READY_PREFIXES = ("identity", "content", "moderation", "reporting", "regulator")


class Load(threading.Thread):
    """Posts at a steady rate (``per_s``, one request at a time) and remembers what the platform
    acknowledged (201). Every eighth post is an offender's prohibited one while offenders last."""

    def __init__(self, gateway_url: str, clean: list[User], offenders: list[User], *, per_s: float) -> None:
        super().__init__(name="load", daemon=True)
        self._gw = httpx.Client(base_url=gateway_url, timeout=10)
        self._clean = clean
        self._per_s = per_s
        # Each offender posts two prohibited posts at most: a third would suspend the account.
        self._offenders = iter([u for u in offenders for _ in range(2)])
        self.acknowledged: list[dict] = []
        self.answers: Counter[str] = Counter()
        self._halt = threading.Event()
        self._lock = threading.Lock()

    def count(self) -> int:
        with self._lock:
            return len(self.acknowledged)

    def run(self) -> None:
        i = 0
        while not self._halt.is_set():
            started = time.monotonic()
            bad = i % 8 == 7
            author = next(self._offenders, None) if bad else self._clean[i % len(self._clean)]
            bad = bad and author is not None
            author = author or self._clean[0]
            try:
                answer = self._gw.post("/v1/posts", headers=author.auth, json={"text": PROHIBITED if bad else CLEAN})
                self.answers[str(answer.status_code)] += 1
                if answer.status_code == 201:
                    with self._lock:
                        self.acknowledged.append({"id": answer.json()["id"], "bad": bad})
            except httpx.HTTPError as exc:
                self.answers[type(exc).__name__] += 1
            i += 1
            self._halt.wait(max(0.0, 1 / self._per_s - (time.monotonic() - started)))  # the pace of the stream

    def stop(self) -> None:
        self._halt.set()
        self.join(30)
        self._gw.close()


def decision_latency(gw: httpx.Client, author: User) -> float:
    """Seconds from a clean post's 201 until it is served (published); inf when it is not within 10 s."""
    started = time.monotonic()
    try:
        answer = gw.post("/v1/posts", headers=author.auth, json={"text": CLEAN})
    except httpx.HTTPError:
        return float("inf")
    if answer.status_code != 201:
        return float("inf")
    while time.monotonic() - started < 10:
        try:
            if gw.get(f"/v1/posts/{answer.json()['id']}").status_code == 200:
                return time.monotonic() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.02)  # polling interval under a deadline
    return float("inf")


def typical_latency(gw: httpx.Client, author: User) -> float:
    return statistics.median(decision_latency(gw, author) for _ in range(3))


def recovered_below(baseline: float) -> float:
    """The latency at or under which decisions count as back to ``baseline`` (see the module's doc)."""
    return max(3 * baseline, baseline + 0.5)


def database_accepting(admin_url: str) -> bool:
    """PostgreSQL accepts connections and is out of crash recovery."""
    try:
        with psycopg.connect(admin_url, connect_timeout=1) as conn:
            return conn.execute("SELECT NOT pg_is_in_recovery()").fetchone()[0]
    except psycopg.OperationalError:
        return False


def services_ready(gw: httpx.Client) -> bool:
    """Every service answers its readiness probe through the gateway."""
    try:
        return all(gw.get(f"/v1/{p}/readyz").status_code == 200 for p in READY_PREFIXES)
    except httpx.HTTPError:
        return False


@dataclass(frozen=True)
class Recovery:
    back_s: float  # the fault → the part back (``back`` true)
    latency_s: float  # the part back → decisions back to baseline

    @property
    def total_s(self) -> float:
        return self.back_s + self.latency_s


def recover(
    name: str,
    flow: Flow,
    prober: User,
    baseline: float,
    load: Load,
    break_it: Callable[[], object],
    back: Callable[[], bool],
    *,
    bound_s: float = RECOVERY_BOUND_S,
) -> Recovery:
    """Break something mid-stream (posts flowing first), wait until it is back, then until decisions are
    fast again (within ``bound_s``, else AssertionError)."""
    mark = load.count()
    poll(lambda: load.count() >= mark + 40, timeout_s=60, what=f"posts flowing before {name}")
    broken = time.monotonic()
    break_it()
    poll(back, timeout_s=60, interval_s=0.1, what=f"{name}: the part is back")
    since = time.monotonic()
    below = recovered_below(baseline)
    probes: list[float] = []

    def fast_again() -> bool:
        probes.append(typical_latency(flow.gw, prober))
        return probes[-1] <= below

    try:
        poll(fast_again, timeout_s=bound_s, interval_s=0.1, what=f"{name}: decisions back to baseline")
    except AssertionError as exc:  # say how far from it: the probes' medians, first and last
        seen = [f"{p:.3f}" for p in probes]
        if len(seen) > 6:
            seen = [*seen[:3], "...", *seen[-3:]]
        raise AssertionError(
            f"{exc} ({baseline:.3f} s, at most {below:.3f} s): {len(probes)} probes, {', '.join(seen)} s"
        ) from None
    return Recovery(back_s=since - broken, latency_s=time.monotonic() - since)
