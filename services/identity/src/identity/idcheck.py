"""The identity-check adapter (MB-7.1): does this name belong to this number? Answered by an outside
identity-check service over HTTP (a government or licensed verification service; a local simulator
in development and tests, behind this same adapter).

`match` verifies; `mismatch` and `unknown` are refusals the user can correct; an unavailable service
(timeouts, 5xx, connection errors) is retried with exponential back-off, then answered with 503 and
nothing written, so the user can simply try again. The personal data goes to that service and
nowhere else: never to a log.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from enum import StrEnum

import httpx
from kit.problems import DomainError, InvalidInput

log = logging.getLogger(__name__)


class CheckResult(StrEnum):
    MATCH = "match"
    MISMATCH = "mismatch"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class CheckAnswer:
    result: CheckResult
    reference: str  # the service's reference for the check, kept with the verification


class IdentityCheckUnavailable(DomainError):
    status = 503
    type = "identity-check-unavailable"
    title = "Identity check unavailable"


class IdentityMismatch(InvalidInput):
    type = "identity-mismatch"
    title = "Name and number do not match"


class IdentityUnknown(InvalidInput):
    type = "identity-unknown"
    title = "Identity not known"


class _Retryable(Exception):
    pass


class IdentityCheckClient:
    def __init__(self, base_url: str, *, timeout_s: float, attempts: int, backoff_s: float) -> None:
        self._client = httpx.AsyncClient(base_url=base_url, timeout=timeout_s)
        self._attempts = attempts
        self._backoff_s = backoff_s

    async def check(self, **subject: str | None) -> CheckAnswer:
        """Ask the service; retried while it is unavailable, then IdentityCheckUnavailable."""
        body = {k: v for k, v in subject.items() if v is not None}
        for attempt in range(1, self._attempts + 1):
            try:
                response = await self._client.post("/v1/verifications", json=body)
                if response.status_code >= 500 or response.status_code == 429:
                    raise _Retryable(f"status {response.status_code}")
                response.raise_for_status()
                answer = response.json()
                return CheckAnswer(CheckResult(answer["result"]), str(answer.get("reference", "")))
            except (httpx.TransportError, _Retryable) as exc:
                log.warning("identity check unavailable", extra={"attempt": attempt, "error": type(exc).__name__})
                if attempt < self._attempts:
                    await asyncio.sleep(self._backoff_s * 2 ** (attempt - 1))  # back-off between retries
        raise IdentityCheckUnavailable(
            "The identity-check service is unavailable; nothing was saved, try again shortly.", requirement="MB-7.1"
        )

    async def aclose(self) -> None:
        await self._client.aclose()
