from __future__ import annotations

from kit.settings import KitSettings
from pydantic import Field


class RegulatorGatewaySettings(KitSettings):
    service_name: str = "regulator-gateway"
    # PA-12.1: the largest security-assessment report accepted (base64 in the JSON body: the gateway's 1 MiB
    # body limit allows ~768 KiB of document).
    assessment_document_max_bytes: int = 786_432
    # MB-13: how often every assessment in force (or withdrawn since) is announced again, for a broker that
    # forgot it; at once after the broker lost its state.
    assessment_reannounce_interval_s: float = 300.0

    # Pushes of reports to offices' endpoints (MB-12.2, MB-16.1; issue 15). A round every PUSH_INTERVAL_S derives
    # deliveries from reports filed within PUSH_LOOKBACK_S (and since the endpoint was set), pushes up to
    # PUSH_BATCH of the due ones together (each waiting PUSH_TIMEOUT_S at most), and retries a failure after
    # PUSH_BACKOFF_BASE_S, doubling up to PUSH_BACKOFF_MAX_S; one unacknowledged after PUSH_ACK_DEADLINE_S
    # escalates (and is still retried). PUSH_ALLOW_HTTP: endpoints may be plain http (development only).
    push_interval_s: float = Field(default=1.0, gt=0)
    push_timeout_s: float = Field(default=5.0, gt=0, le=60)
    push_batch: int = Field(default=50, ge=1, le=1000)
    push_backoff_base_s: float = Field(default=1.0, gt=0)
    push_backoff_max_s: float = Field(default=300.0, gt=0)
    push_ack_deadline_s: float = Field(default=86_400.0, gt=0)
    push_lookback_s: float = Field(default=7 * 86_400.0, gt=0)
    push_allow_http: bool = False

    # MB-16.1, MB-3 (issue 15): requests an office may make per minute (a fixed window per office, counted in
    # PostgreSQL, so it holds across every process); over it a 429 with Retry-After.
    office_rate_per_minute: int = Field(default=600, ge=1)
