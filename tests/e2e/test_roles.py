"""SERVICE_ROLE on the running platform: content split into an api process and a worker process (as the chart
deploys it) still takes a post, has it decided by moderation and publishes it; the api process only took the
request, the worker's relay and consumers did the rest."""

from __future__ import annotations

import httpx
from devstack.testing import Infra, poll
from journeys import Flow
from prometheus_client.parser import text_string_to_metric_families

CLEAN_TEXT = "周末和朋友去爬山，风景很美。"


def samples(url: str, name: str) -> dict[tuple[tuple[str, str], ...], float]:
    text = httpx.get(f"{url}/metrics", timeout=5).text
    return {
        tuple(sorted(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name == name
    }


def test_content_as_api_and_worker_processes_takes_decides_and_publishes_a_post(flow: Flow, infra: Infra) -> None:
    stack = infra.stack
    user = flow.verified_user()
    stack.hold("content")  # the all-in-one process stops: only the two below run content
    try:
        api = stack.start_service_process("content", "content-api", {"SERVICE_ROLE": "api"})
        worker = stack.start_service_process("content", "content-worker", {"SERVICE_ROLE": "worker"})
        # The worker answers health and metrics only.
        assert httpx.get(f"{worker}/v1/posts/x", timeout=5).status_code == 404
        assert httpx.get(f"{worker}/v1/content/openapi.json", timeout=5).status_code == 404
        assert httpx.get(f"{worker}/readyz", timeout=5).json()["status"] == "ready"

        created = httpx.post(f"{api}/v1/posts", headers=user.auth, json={"text": CLEAN_TEXT}, timeout=10)
        assert created.status_code == 201, created.text
        post_id = created.json()["id"]
        published = poll(
            lambda: (r := httpx.get(f"{api}/v1/posts/{post_id}", timeout=5)).status_code == 200 and r.json(),
            timeout_s=60,
            what="the post decided and published",
        )
        assert published["status"] == "published" and published["text"] == CLEAN_TEXT

        # Who did the work: the worker published the post's announcement and handled the decision; the
        # api process ran no relay and no shared consumer group.
        post_topic = (("topic", "content.post.v1"),)
        assert samples(worker, "qinglang_outbox_published_total").get(post_topic, 0) >= 1
        assert post_topic not in samples(api, "qinglang_outbox_published_total")
        handled_by = {
            dict(labels)["group"] for labels, value in samples(worker, "qinglang_events_handled_total").items() if value
        }
        assert "content.decisions" in handled_by
        assert not any(
            dict(labels)["group"].startswith("content.") and not dict(labels)["group"].startswith("content.revocations")
            for labels in samples(api, "qinglang_events_handled_total")
        )
    finally:
        for label in ("content-api", "content-worker"):
            stack.stop_process(label)
        stack.resume("content")
        poll(
            lambda: flow.gw.get("/v1/content/readyz").status_code == 200,
            timeout_s=90,
            what="the platform's content process back",
        )
