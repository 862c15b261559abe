"""Structured JSON logs and OpenTelemetry traces that cross HTTP and Kafka hops."""

from __future__ import annotations

import logging
import sys

from opentelemetry import context, trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from pythonjsonlogger.json import JsonFormatter

_propagator = TraceContextTextMapPropagator()


def setup_logging(service_name: str, level: str = "INFO") -> None:
    """One JSON line per record on stderr. Personal data is never passed to a logger."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            static_fields={"service": service_name},
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # aiokafka reports every reconnect attempt at ERROR while a broker restarts; the kit's
    # broker watch reports the outage once, so keep the client's own noise at WARNING+.
    logging.getLogger("aiokafka").setLevel(max(logging.WARNING, root.level))


def tracer_provider(service_name: str, exporter: str = "none") -> TracerProvider:
    """Spans of this process, exported as ``exporter`` says: none, console, or otlp (OTLP over HTTP to
    ``OTEL_EXPORTER_OTLP_ENDPOINT`` / ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``, the SDK's own settings)."""
    provider = TracerProvider(resource=Resource.create({"service.name": service_name}))
    if exporter == "console":
        provider.add_span_processor(BatchSpanProcessor(ConsoleSpanExporter()))
    elif exporter == "otlp":
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    return provider


def setup_tracing(service_name: str, exporter: str = "none") -> None:
    trace.set_tracer_provider(tracer_provider(service_name, exporter))


def current_traceparent() -> str | None:
    """The W3C traceparent of the active span, to be carried on an outgoing event."""
    carrier: dict[str, str] = {}
    _propagator.inject(carrier)
    return carrier.get("traceparent")


def context_from_traceparent(traceparent: str | None) -> context.Context:
    return _propagator.extract({"traceparent": traceparent} if traceparent else {})
