"""What an SRE scrapes from the platform (README, "Observability"): each service's /metrics with its
requests per route template, the sum over a service's worker processes (Prometheus multi-process
mode), and Traefik's own metrics on its loopback metrics entry point."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
from devstack.testing import Infra, poll
from journeys import Flow
from prometheus_client.mmap_dict import MmapedDict
from prometheus_client.parser import text_string_to_metric_families


def scrape(url: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    text = httpx.get(url, timeout=10).text
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(samples: dict, name: str, **labels: str) -> float:
    return sum(
        v for (n, ls), v in samples.items() if n == name and all(dict(ls).get(k) == want for k, want in labels.items())
    )


def test_a_service_counts_requests_by_route_template(flow: Flow) -> None:
    user = flow.verified_user()
    post = flow.post(user, "看看指标")
    metrics = f"{flow.platform.service_urls['content']}/metrics"
    route = "/v1/posts/{post_id}"
    before = value(scrape(metrics), "qinglang_http_requests_total", service="content", route=route, method="GET")
    for _ in range(3):
        flow.gw.get(f"/v1/posts/{post['id']}", headers=user.auth)
    after = scrape(metrics)
    assert value(after, "qinglang_http_requests_total", service="content", route=route, method="GET") == before + 3
    assert value(after, "qinglang_http_request_duration_seconds_count", service="content", route=route) >= 3
    # never a raw path as a label
    assert not any(post["id"] in dict(labels).get("route", "") for (_n, labels) in after)
    # the machinery's gauges are there (sampled from the start)
    assert ("qinglang_outbox_backlog", (("service", "content"),)) in after


def _requests_by_worker(directory: Path, route: str) -> dict[int, float]:
    """Per worker pid, its own file's count of requests to ``route`` (what each process wrote)."""
    counts: dict[int, float] = {}
    for path in directory.glob("counter_*.db"):
        pid = int(re.search(r"_(\d+)\.db$", path.name).group(1))
        for key, count, _ts, _pos in MmapedDict.read_all_values_from_file(str(path)):
            _metric, sample, labels, _help = json.loads(key)
            if sample == "qinglang_http_requests_total" and labels.get("route") == route:
                counts[pid] = counts.get(pid, 0) + count
    return counts


def test_metrics_of_a_service_with_two_workers_are_the_sum_of_both(flow: Flow, infra: Infra) -> None:
    # The test platform runs moderation with two worker processes (devstack.testing.make_stack), each
    # writing its metrics to the service's PROMETHEUS_MULTIPROC_DIR.
    directory = infra.stack.run_dir / "metrics" / "moderation"
    assert directory.is_dir()
    base = flow.platform.service_urls["moderation"]
    route = "/v1/moderation/docs"
    sent = 0

    def both_workers_served() -> bool:
        nonlocal sent
        for _ in range(20):  # a new connection each: the kernel hands them to either worker
            assert httpx.get(f"{base}{route}", timeout=10).status_code == 200
            sent += 1
        return len([c for c in _requests_by_worker(directory, route).values() if c > 0]) >= 2

    before = value(scrape(f"{base}/metrics"), "qinglang_http_requests_total", route=route)
    poll(both_workers_served, timeout_s=60, interval_s=0, what="requests reaching both workers")
    # A worker counts a request once its response is sent: the client may hold the last answer a moment
    # before it is counted. Then, whichever worker answers the scrape, it serves the sum over both.
    poll(
        lambda: value(scrape(f"{base}/metrics"), "qinglang_http_requests_total", route=route) - before == sent,
        what="every request counted",
    )
    per_worker = _requests_by_worker(directory, route)
    assert len(per_worker) >= 2, per_worker
    for _ in range(4):
        total = value(scrape(f"{base}/metrics"), "qinglang_http_requests_total", route=route)
        assert total - before == sent
        assert total == sum(per_worker.values())


def test_traefik_serves_its_own_metrics_on_a_loopback_entry_point(flow: Flow) -> None:
    metrics = flow.platform.gateway_metrics_url
    assert metrics.startswith("http://127.0.0.1:")
    assert flow.gw.get("/v1/identity/agreement").status_code == 200

    def counted() -> dict | None:
        samples = scrape(metrics)
        routed = value(samples, "traefik_router_requests_total", router="identity-read@file", code="200")
        return samples if routed else None

    samples = poll(counted, timeout_s=10, interval_s=0.2, what="Traefik counting the request")
    assert value(samples, "traefik_entrypoint_requests_total", entrypoint="web", code="200") >= 1
    assert value(samples, "traefik_service_requests_total", service="identity@file", code="200") >= 1
    assert value(samples, "traefik_entrypoint_request_duration_seconds_count", entrypoint="web") >= 1
    # the metrics port is not a way into the API
    assert httpx.get(metrics.removesuffix("/metrics") + "/v1/identity/agreement", timeout=5).status_code == 404


def test_moderation_reports_its_policy_release_and_its_consumers_their_lag(flow: Flow) -> None:
    metrics = f"{flow.platform.service_urls['moderation']}/metrics"

    def lag_groups(samples: dict) -> set[str]:
        return {dict(labels)["group"] for (name, labels) in samples if name == "qinglang_consumer_lag"}

    def reported() -> dict | None:
        samples = scrape(metrics)
        release = value(samples, "qinglang_policy_release", service="moderation", kind="lexicon")
        return samples if release and "moderation.posts" in lag_groups(samples) else None

    # the lag is sampled every METRICS_SAMPLE_INTERVAL_S (10 s)
    samples = poll(reported, timeout_s=30, interval_s=0.5, what="moderation's policy release and lag")
    assert value(samples, "qinglang_policy_release", service="moderation", kind="lexicon") >= 1  # release 1: seed
    assert value(samples, "qinglang_consumer_lag", service="moderation", group="moderation.posts") >= 0
    assert ("qinglang_outbox_backlog", (("service", "moderation"),)) in samples
