"""Pushes' commands and loop (MB-12.2, MB-16.1; issue 15): the operator sets an office's endpoint; the loop derives
deliveries from the reports, pushes each signed, records the office's reference or retries with back-off, and
escalates what stays unacknowledged past the deadline; staff and each office read the deliveries."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import rfc8785
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from http_message_signatures import HTTPMessageSigner, HTTPSignatureKeyResolver, algorithms
from kit.problems import NotFound
from kit.service import Runtime
from regulator_gateway.archive.schemas import AnchorRead
from regulator_gateway.database import Database, PgDatabase
from regulator_gateway.deliveries import domain
from regulator_gateway.deliveries.domain import Backoff, Delivery, DeliveryState, ItemKind, Outcome
from regulator_gateway.deliveries.store import PushUnit
from regulator_gateway.offices.domain import Office
from regulator_gateway.reports.schemas import ReportRead
from regulator_gateway.settings import RegulatorGatewaySettings

log = logging.getLogger(__name__)

Send = Callable[[str, dict[str, Any]], Awaitable[Outcome]]


class _OneKey(HTTPSignatureKeyResolver):
    def __init__(self, key: Ed25519PrivateKey) -> None:
        self._key = key

    def resolve_private_key(self, key_id: str) -> Ed25519PrivateKey:
        return self._key

    def resolve_public_key(self, key_id: str) -> Ed25519PublicKey:
        return self._key.public_key()


def signed_sender(client: httpx.AsyncClient, key: Ed25519PrivateKey, key_id: str) -> Send:
    """POSTs a push as RFC 8785 JSON, signed (RFC 9421, Ed25519: method, authority, target URI, Content-Digest)
    with the gateway's key, whose public half the office holds (``GET /v1/regulator/archive/public-key``)."""
    signer = HTTPMessageSigner(signature_algorithm=algorithms.ED25519, key_resolver=_OneKey(key))

    async def send(url: str, body: dict[str, Any]) -> Outcome:
        content = rfc8785.dumps(body)
        request = client.build_request("POST", url, content=content, headers={"content-type": "application/json"})
        signer.sign(
            request,
            key_id=key_id,
            covered_component_ids=("@method", "@authority", "@target-uri", "content-digest"),
            body=content,
        )
        try:
            answer = await client.send(request)
        except httpx.HTTPError as exc:  # the office is down or slow: an outcome, retried
            return Outcome(None, None, f"{type(exc).__name__}: {exc}"[:500])
        try:
            parsed = answer.json()
        except ValueError:
            parsed = None
        return domain.outcome_of(answer.status_code, parsed)

    return send


async def set_endpoint(
    db: Database[PushUnit], office_id: uuid.UUID, url: str | None, *, by: str, allow_http: bool
) -> None:
    """The operator sets (or, with None, removes) an office's push endpoint; reports filed from now on are pushed."""
    checked = domain.check_endpoint(url, allow_http=allow_http) if url is not None else None
    async with db.transaction() as unit:
        if not await unit.deliveries.set_endpoint(office_id, checked, by):
            raise NotFound("No such office.")


async def _body(unit: PushUnit, delivery: Delivery) -> dict[str, Any] | None:
    """What a delivery pushes, as it stands now: a report's version, or a day's anchor; None if it is gone."""
    if delivery.item_kind is ItemKind.ANCHOR and delivery.anchor_day is not None:
        day = delivery.anchor_day
        found = await unit.archive.anchors(day - timedelta(days=1), day)
        if not found:
            return None
        return {
            "delivery_id": str(delivery.id),
            "anchor": AnchorRead.of(found[0]).model_dump(mode="json"),
            "legal_basis": list(domain.ANCHOR_BASIS),
        }
    report = await unit.reports.report(delivery.report_id) if delivery.report_id is not None else None
    if report is None:
        return None
    return {
        "delivery_id": str(delivery.id),
        "version": delivery.version,
        "report": ReportRead.of(report).model_dump(mode="json"),
        "legal_basis": list(domain.PUSH_BASIS),
    }


async def push_once(
    db: Database[PushUnit],
    send: Send,
    *,
    backoff: Backoff,
    ack_deadline_s: float,
    lookback_s: float,
    batch: int,
    lease_s: float,
) -> int:
    """One round: new deliveries derived, overdue ones escalated, due ones pushed. How many were attempted."""
    now = datetime.now(UTC)
    async with db.transaction() as unit:
        await unit.deliveries.enqueue(lookback_s)
        for late in await unit.deliveries.escalate(domain.overdue_before(now, ack_deadline_s)):
            log.warning(
                "a pushed report is not acknowledged past its deadline: escalated",
                extra={"delivery_id": str(late.id), "office_id": str(late.office_id), "attempts": late.attempts},
            )
        claimed = await unit.deliveries.claim(batch, lease_s)

    async def attempt(delivery: Delivery, url: str) -> None:
        async with db.transaction() as unit:
            body = await _body(unit, delivery)
        if body is None:
            return
        outcome = await send(url, body)
        retry_at = None
        if not outcome.acknowledged:
            retry_at = datetime.now(UTC) + timedelta(seconds=backoff.delay_s(delivery.attempts))
        async with db.transaction() as unit:
            await unit.deliveries.record(delivery.id, outcome, retry_at)
            if outcome.acknowledged and outcome.reference and delivery.report_id is not None:
                await unit.deliveries.acknowledge_report(delivery.report_id, delivery.office_id, outcome.reference)

    # Together: an office that does not answer holds up no other office's pushes.
    await asyncio.gather(*(attempt(delivery, url) for delivery, url in claimed))
    return len(claimed)


def push_loop(key: Callable[[], tuple[Ed25519PrivateKey, str]]):
    """The background loop (worker processes): a round every ``PUSH_INTERVAL_S``, at once again while busy."""

    async def push_reports(runtime: Runtime) -> None:
        settings: RegulatorGatewaySettings = runtime.settings  # type: ignore[assignment]
        db = PgDatabase(runtime.pool, PushUnit)
        private, key_id = key()
        backoff = Backoff(settings.push_backoff_base_s, settings.push_backoff_max_s)
        async with httpx.AsyncClient(timeout=settings.push_timeout_s) as client:
            send = signed_sender(client, private, key_id)
            while True:
                attempted = await push_once(
                    db,
                    send,
                    backoff=backoff,
                    ack_deadline_s=settings.push_ack_deadline_s,
                    lookback_s=settings.push_lookback_s,
                    batch=settings.push_batch,
                    lease_s=2 * settings.push_timeout_s + 5,
                )
                if attempted < settings.push_batch:
                    await asyncio.sleep(settings.push_interval_s)  # a period, not synchronisation

    return push_reports


async def list_deliveries(
    db: Database[PushUnit],
    *,
    office: Office | None,
    office_id: uuid.UUID | None,
    state: DeliveryState | None,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[Delivery]:
    """Deliveries oldest first: an office's own (``office``), or for staff any office's (``office_id``)."""
    async with db.transaction() as unit:
        return await unit.deliveries.deliveries(
            office_id=office.id if office is not None else office_id, state=state, after=after, limit=limit
        )
