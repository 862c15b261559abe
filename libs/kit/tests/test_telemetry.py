"""OTEL_TRACES_EXPORTER=otlp works out of the box: spans reach an OTLP/HTTP collector (a small real
HTTP server on loopback standing in for one)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from kit.telemetry import tracer_provider
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest


def test_spans_are_exported_over_otlp_http(monkeypatch: pytest.MonkeyPatch) -> None:
    received: list[ExportTraceServiceRequest] = []

    class Collector(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append(ExportTraceServiceRequest.FromString(body))
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        monkeypatch.setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", f"http://127.0.0.1:{server.server_port}/v1/traces")
        provider = tracer_provider("kit-test", "otlp")
        with provider.get_tracer("kit.test").start_as_current_span("a request"):
            pass
        assert provider.force_flush(timeout_millis=10_000)
        provider.shutdown()
    finally:
        server.shutdown()
    spans = [s for r in received for rs in r.resource_spans for ss in rs.scope_spans for s in ss.spans]
    assert [s.name for s in spans] == ["a request"]
    service = {a.key: a.value.string_value for r in received for a in r.resource_spans[0].resource.attributes}
    assert service["service.name"] == "kit-test"
