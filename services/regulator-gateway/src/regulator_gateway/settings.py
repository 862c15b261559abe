from __future__ import annotations

from kit.settings import KitSettings


class RegulatorGatewaySettings(KitSettings):
    service_name: str = "regulator-gateway"
