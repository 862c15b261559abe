"""The console's settings (pydantic-settings, from the environment). It has no database, broker or secret:
the browser calls the services' public and staff APIs through the gateway, on the same origin."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ConsoleSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    service_name: str = "console"
    environment: str = Field(default="development", description="development, test or production")
    log_level: str = "INFO"
    # Strict-Transport-Security max-age in seconds (0: no header). Browsers heed it only over HTTPS, where the
    # gateway terminates TLS in production (the chart sets a year).
    console_hsts_seconds: int = Field(default=0, ge=0)

    @property
    def is_production(self) -> bool:
        return self.environment == "production"
