from __future__ import annotations

from kit.settings import KitSettings


class RegulatorGatewaySettings(KitSettings):
    service_name: str = "regulator-gateway"
    # PA-12.1: the largest security-assessment report accepted (base64 in the JSON body: the gateway's 1 MiB
    # body limit allows ~768 KiB of document).
    assessment_document_max_bytes: int = 786_432
    # MB-13: how often every assessment in force (or withdrawn since) is announced again, for a broker that
    # forgot it; at once after the broker lost its state.
    assessment_reannounce_interval_s: float = 300.0
