from __future__ import annotations

from kit.settings import KitSettings


class ReportingSettings(KitSettings):
    service_name: str = "reporting"
