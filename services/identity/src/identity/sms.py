"""The SMS adapter: one HTTP call to the carrier's gateway (a local sink in development)."""

from __future__ import annotations

import httpx
from kit.problems import DomainError


class SmsUnavailable(DomainError):
    status = 503
    type = "sms-unavailable"
    title = "SMS gateway unavailable"


class SmsSender:
    def __init__(self, gateway_url: str) -> None:
        self._client = httpx.AsyncClient(base_url=gateway_url, timeout=5)

    async def send(self, to_e164: str, text: str) -> None:
        try:
            response = await self._client.post("/messages", json={"to": to_e164, "text": text})
            response.raise_for_status()
        except httpx.HTTPError as exc:
            raise SmsUnavailable("The code could not be sent; try again shortly.") from exc

    async def aclose(self) -> None:
        await self._client.aclose()
