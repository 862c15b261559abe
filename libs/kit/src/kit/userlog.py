"""The user log (MB-16.2, PA-16.2): every service announces what it sees an account or a staff member do —
registration, sign-in, publication, deletion, a staff action — with the time and the client's network address
and source port, as ``UserLogRecorded`` on its own ``<owner>.userlog.v1`` topic. Regulator-gateway keeps the
entries at least six months in its hash-chained archive.

The network address is personal data: it leaves the service only sealed (a libsodium sealed box, PyNaCl) to
the archive's public key (``USER_LOG_SEAL_KEY``), so neither the broker nor any other consumer can read it.

Where the address comes from: uvicorn applies the gateway's X-Forwarded-For (only from FORWARDED_ALLOW_IPS),
which names the address but no port; the gateway's ``clientport`` plugin (deploy/gateway/plugins-local) sets
``X-Client-Port`` to the client's TCP source port, replacing any the client sent. The port is taken from that
header only when uvicorn replaced the peer with the forwarded address (its port is then 0, which a TCP peer
never has): only a trusted proxy can cause that. A request straight from a client keeps its real port.
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Annotated, Any

from contracts.userlog import STAFF_ACTION_BASIS, USER_LOG_BASIS, USER_LOG_RECORDED, UserLogKind
from fastapi import Depends, Request
from nacl.public import PublicKey, SealedBox
from qinglang.audit.v1 import user_log_pb2

from kit.cloudevents import timestamp
from kit.outbox import OutboxRow, announcement

CLIENT_PORT_HEADER = "x-client-port"  # set by the gateway's clientport plugin
_MAX_CLIENT_ID = 64


@dataclass(frozen=True, slots=True)
class Client:
    """Where a request came from, as the gateway saw it (MB-16.2): address, source port, client app."""

    address: str | None = None
    port: int | None = None
    client_id: str | None = None  # a registered third-party client (BJ-7(6)), from its token

    @classmethod
    def of(cls, request: Request, client_id: str | None = None) -> Client:
        peer = request.client
        if peer is None:
            return cls(client_id=client_id)
        port: int | None = peer.port
        if not port:  # the address was forwarded by a trusted proxy: so is the port
            port = _port(request.headers.get(CLIENT_PORT_HEADER))
        return cls(address=peer.host, port=port, client_id=client_id)


@dataclass(frozen=True, slots=True)
class RequestLog:
    """A request's place in the user log: its service's log and where the request came from. Routes make
    it (``RequestLog.of(request)``); handlers write entries with it in their own transactions."""

    user_log: UserLog
    client: Client | None

    @classmethod
    def of(cls, request: Request) -> RequestLog:
        user_log = request.app.state.runtime.user_log
        if user_log is None:
            raise RuntimeError(f"{request.app.state.runtime.settings.service_name} keeps no user log")
        return cls(user_log, Client.of(request))

    def entry(self, kind: UserLogKind, *, client_id: str | None = None, **fields: Any) -> OutboxRow:
        """The outbox row of one entry (see ``UserLog.entry``); ``client_id``: the registered client the
        caller's token was issued through (BJ-7(6)), if any."""
        client = self.client
        if client is not None and client_id:
            client = replace(client, client_id=client_id)
        return self.user_log.entry(kind, client, **fields)


async def _request_client(request: Request) -> Client:  # async: no thread for a dependency (HTTP contract)
    return Client.of(request)


# A route's parameter: where its request came from (for the user log entry its handler writes).
RequestClient = Annotated[Client, Depends(_request_client)]


def _port(value: str | None) -> int | None:
    if value is None or not value.isdigit():
        return None
    port = int(value)
    return port if 0 < port < 65536 else None


class UserLog:
    """One service's user log announcements (its topic from the contract, the archive's sealing key)."""

    def __init__(self, service: str, seal_key: str | None) -> None:
        self._event_type = USER_LOG_RECORDED[service]
        self._box = SealedBox(PublicKey(base64.b64decode(seal_key))) if seal_key else None

    @property
    def topic(self) -> str:
        """The service's user log topic (``<owner>.userlog.v1``)."""
        return self._event_type.topic.name

    @property
    def seals(self) -> bool:
        """False where no archive key is configured: addresses are then left out, never sent in clear."""
        return self._box is not None

    def entry(
        self,
        kind: UserLogKind,
        client: Client | None,
        *,
        account_id: uuid.UUID | str | None = None,
        actor_id: str | None = None,
        subject_type: str = "",
        subject_id: uuid.UUID | str | None = None,
        succeeded: bool = True,
        detail: str = "",
        at: datetime | None = None,
    ) -> OutboxRow:
        """The outbox row announcing one entry, for the caller's transaction (so an entry is kept exactly
        when what it records happened)."""
        client = client or Client()
        message = user_log_pb2.UserLogRecorded(
            record_id=str(uuid.uuid4()),
            kind=str(kind),
            account_id=str(account_id or ""),
            actor_id=actor_id or "",
            sealed_address=self._seal(client),
            client_id=(client.client_id or "")[:_MAX_CLIENT_ID],
            subject_type=subject_type,
            subject_id=str(subject_id or ""),
            succeeded=succeeded,
            detail=detail,
            legal_basis=list(STAFF_ACTION_BASIS if kind is UserLogKind.STAFF_ACTION else USER_LOG_BASIS),
        )
        message.occurred_at.CopyFrom(timestamp(at or datetime.now(UTC)))
        return announcement(
            self._event_type, message, key=message.account_id or message.actor_id or None, subject=message.kind
        )

    def _seal(self, client: Client) -> bytes:
        if self._box is None or client.address is None:
            return b""
        return self._box.encrypt(f"{client.address} {client.port or 0}".encode())
