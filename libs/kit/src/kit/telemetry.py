"""Structured JSON logs and OpenTelemetry traces that cross HTTP and Kafka hops."""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from typing import Any

from opentelemetry import context, trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.asyncpg import AsyncPGInstrumentor
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.instrumentation.logging import LoggingInstrumentor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF, Decision, ParentBased, Sampler, SamplingResult
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from opentelemetry.util.types import Attributes
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

_propagator = TraceContextTextMapPropagator()
# What opentelemetry-instrumentation-logging puts on every record; the formatter below keeps only the
# ids, as trace_id / span_id, and only when a span is active.
_OTEL_RECORD_FIELDS = ("otelTraceID", "otelSpanID", "otelTraceSampled", "otelServiceName")
_NO_ID = "0"  # the instrumentation's value outside any span


class _JsonWithTrace(JsonFormatter):
    def add_fields(self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]) -> None:
        super().add_fields(log_data, record, message_dict)
        trace_id = getattr(record, "otelTraceID", _NO_ID)
        if trace_id != _NO_ID:
            log_data["trace_id"] = trace_id
            log_data["span_id"] = record.otelSpanID


def json_formatter(service_name: str) -> logging.Formatter:
    """One JSON object per record: time, level, logger, message, service, the record's extras, and
    ``trace_id`` / ``span_id`` of the span active where it was logged (a request's, a consumed event's)."""
    return _JsonWithTrace(
        "%(asctime)s %(levelname)s %(name)s %(message)s",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        static_fields={"service": service_name},
        reserved_attrs=[*RESERVED_ATTRS, *_OTEL_RECORD_FIELDS],
    )


def inject_trace_context() -> None:
    """Put the active span's ids on every log record (opentelemetry-instrumentation-logging: a record
    factory, one context lookup per record). No OpenTelemetry log handler: logs go to stderr, where
    the platform's log collector reads them."""
    if not LoggingInstrumentor().is_instrumented_by_opentelemetry:
        LoggingInstrumentor().instrument(inject_trace_context=True, enable_log_auto_instrumentation=False)


def setup_logging(service_name: str, level: str = "INFO") -> None:
    """One JSON line per record on stderr. Personal data is never passed to a logger."""
    inject_trace_context()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(json_formatter(service_name))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # aiokafka reports every reconnect attempt at ERROR while a broker restarts; the kit's
    # broker watch reports the outage once, so keep the client's own noise at WARNING+.
    logging.getLogger("aiokafka").setLevel(max(logging.WARNING, root.level))


def tracer_provider(service_name: str, exporter: str = "none") -> TracerProvider:
    """Spans of this process, exported as ``exporter`` says: none, console, or otlp (OTLP over HTTP to
    ``OTEL_EXPORTER_OTLP_ENDPOINT`` / ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``, the SDK's own settings;
    its ``OTEL_BSP_*`` settings tune the batching).

    With ``none`` nothing would read a span, so none is recorded (sampler off): ids are still made and
    propagated (the traceparent on events, the trace id in logs and in a 500's problem details), at
    the cost of a context object per span."""
    resource = Resource.create({"service.name": service_name})
    if exporter == "none":
        return TracerProvider(resource=resource, sampler=ALWAYS_OFF)
    provider = TracerProvider(resource=resource, sampler=ParentBased(root=_NoLoneClientSpans()))
    if exporter == "console":
        provider.add_span_processor(BatchSpanProcessor(ConsoleSpanExporter()))
    elif exporter == "otlp":
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    else:
        raise ValueError(f"OTEL_TRACES_EXPORTER: {exporter!r} is not none, console or otlp")
    return provider


class _NoLoneClientSpans(Sampler):
    """Root spans are recorded, except a client call that belongs to no request or event: the relay's
    poll, a reconciler's round, a readiness check run statements every second, and each would be a
    trace of its own (thousands of one-span traces an hour per process, telling nothing). Statements
    and calls made for a request or an event are children, decided by their parent."""

    def should_sample(
        self,
        parent_context: context.Context | None,
        trace_id: int,
        name: str,
        kind: trace.SpanKind | None = None,
        attributes: Attributes = None,
        links: Sequence[trace.Link] | None = None,
        trace_state: trace.TraceState | None = None,
    ) -> SamplingResult:
        if kind == trace.SpanKind.CLIENT:
            return SamplingResult(Decision.DROP)
        return SamplingResult(Decision.RECORD_AND_SAMPLE, attributes)

    def get_description(self) -> str:
        return "NoLoneClientSpans"


def setup_tracing(service_name: str, exporter: str = "none") -> None:
    """The process's tracer provider, and client spans for every PostgreSQL statement (asyncpg: the
    statement's text, never its parameters) and outgoing HTTP call (httpx), when spans are exported.
    With ``none`` the clients are left alone: their wrappers would cost on every query for spans that
    nobody records."""
    trace.set_tracer_provider(tracer_provider(service_name, exporter))
    if exporter == "none":
        return
    for instrumentor in (AsyncPGInstrumentor(), HTTPXClientInstrumentor()):
        if not instrumentor.is_instrumented_by_opentelemetry:
            instrumentor.instrument()


def shutdown_tracing() -> None:
    """Export the spans still batched (a clean stop loses none)."""
    provider = trace.get_tracer_provider()
    if isinstance(provider, TracerProvider):
        provider.shutdown()


def current_traceparent() -> str | None:
    """The W3C traceparent of the active span, to be carried on an outgoing event."""
    carrier: dict[str, str] = {}
    _propagator.inject(carrier)
    return carrier.get("traceparent")


def context_from_traceparent(traceparent: str | None) -> context.Context:
    return _propagator.extract({"traceparent": traceparent} if traceparent else {})
