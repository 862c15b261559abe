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
    # MB-16.1, MB-3 (issue 15): requests an office may make per minute (a fixed window per office, counted in
    # PostgreSQL, so it holds across every process); over it a 429 with Retry-After.
    office_rate_per_minute: int = Field(default=600, ge=1)
