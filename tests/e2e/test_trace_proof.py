"""The proof (issue 12): with OTEL_TRACES_EXPORTER=otlp, one trace spans the gateway, content, the Kafka
hop and moderation, as a real OTLP/HTTP receiver on loopback gets it.

A platform of its own (its own PostgreSQL and broker, one process per service) exports every span
to the receiver: Traefik (service.name "gateway") and every service. A post written through the
gateway starts the trace at Traefik; content's request span continues it, the outbox row stores it,
the relay's "publish" span sends it on, moderation's consumer span continues it, and its decision
(announced from inside that span) comes back to content in the same trace.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from contracts.content import POST_CREATED, POST_TOPIC
from devstack.otlp_receiver import OtlpReceiver, ReceivedSpan
from devstack.testing import make_stack, poll
from journeys import Flow


@pytest.fixture(scope="module")
def traced(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flow, OtlpReceiver]]:
    receiver = OtlpReceiver().start()
    stack = make_stack(tmp_path_factory.mktemp("traced"), external_ok=False)
    stack.config.workers = {}  # one process per service: as light as the whole path allows
    stack.config.common_env.update(
        {
            "OTEL_TRACES_EXPORTER": "otlp",
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": receiver.endpoint,  # the services' and Traefik's
            "OTEL_BSP_SCHEDULE_DELAY": "200",  # export batches every 200 ms (default 5 s)
        }
    )
    try:
        info = stack.up()
        with httpx.Client(base_url=info.gateway_url, timeout=15) as gw:
            yield Flow(gw, info), receiver
    finally:
        stack.down()
        receiver.stop()


def _post_trace(receiver: OtlpReceiver) -> list[ReceivedSpan] | None:
    """The trace of the one post written on this platform, once it reached content again."""
    for spans in receiver.traces().values():
        created = [s for s in spans if s.service == "content" and s.kind == "SERVER" and "/v1/posts" in s.name]
        decided = [s for s in spans if s.service == "content" and s.kind == "CONSUMER"]
        if created and decided and any(s.service == "gateway" for s in spans):
            return spans
    return None


def _summary(receiver: OtlpReceiver) -> str:
    return "\n".join(
        f"{trace_id}: " + ", ".join(sorted({f"{s.service}:{s.kind}:{s.name}" for s in spans}))
        for trace_id, spans in receiver.traces().items()
    )


def test_one_trace_spans_the_gateway_content_kafka_and_moderation(traced: tuple[Flow, OtlpReceiver]) -> None:
    flow, receiver = traced
    user = flow.verified_user()
    flow.post(user, "周末一起去爬山吧")

    try:
        spans = poll(lambda: _post_trace(receiver), timeout_s=60, interval_s=0.2, what="the post's whole trace")
    except AssertionError as exc:
        raise AssertionError(f"{exc}; the receiver got:\n{_summary(receiver)}") from None

    by_id = {s.span_id: s for s in spans}
    services = {s.service for s in spans}
    assert {"gateway", "content", "moderation"} <= services, services
    # The gateway started it: the trace's root is Traefik's span.
    roots = [s for s in spans if not s.parent_span_id]
    assert [r.service for r in roots] == ["gateway"], roots
    # Content's request span is a child of a gateway span (Traefik forwarded its traceparent).
    request = next(s for s in spans if s.service == "content" and s.kind == "SERVER")
    assert by_id[request.parent_span_id].service == "gateway"
    # The statements content ran for it are spans of the trace (asyncpg instrumentation).
    assert any(s.service == "content" and s.kind == "CLIENT" and s.attributes.get("db.system") for s in spans)
    # The Kafka hop: the relay's publish span, and moderation's consumer span as its child.
    publish = next(
        s for s in spans if s.service == "content" and s.kind == "PRODUCER" and s.name == f"publish {POST_CREATED.name}"
    )
    assert publish.attributes["messaging.destination.name"] == POST_TOPIC.name
    consumed = [s for s in spans if s.service == "moderation" and s.kind == "CONSUMER"]
    assert any(s.parent_span_id == publish.span_id for s in consumed), consumed
    # ... and moderation's decision comes back to content in the same trace.
    back = next(s for s in spans if s.service == "content" and s.kind == "CONSUMER")
    assert by_id[back.parent_span_id].service == "moderation"
    assert by_id[back.parent_span_id].kind == "PRODUCER"
