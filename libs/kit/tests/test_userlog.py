"""The user log's entries (MB-16.2): the client's address and port as the gateway saw them, sealed so that
only the archive's key opens them."""

from __future__ import annotations

import base64

import pytest
from contracts.userlog import USER_LOG_RECORDED, UserLogKind
from kit.userlog import Client, UserLog
from nacl.public import PrivateKey, SealedBox
from starlette.requests import Request


def request(peer: tuple[str, int], headers: dict[str, str]) -> Request:
    raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    return Request({"type": "http", "method": "GET", "path": "/", "headers": raw, "client": peer})


@pytest.mark.requirement("MB-16.2")
def test_the_port_comes_from_the_gateway_only_when_it_forwarded_the_address() -> None:
    # uvicorn replaced the peer with X-Forwarded-For (only from a trusted proxy): port 0, the header's port.
    assert Client.of(request(("203.0.113.7", 0), {"X-Client-Port": "51234"})) == Client("203.0.113.7", 51234)
    # A client straight on the service keeps its own port, whatever it claims.
    assert Client.of(request(("198.51.100.2", 40000), {"X-Client-Port": "1"})) == Client("198.51.100.2", 40000)
    for bad in ("0", "65536", "-1", "x", ""):
        assert Client.of(request(("203.0.113.7", 0), {"X-Client-Port": bad})).port is None


@pytest.mark.requirement("MB-16.2")
def test_an_entry_seals_the_address_to_the_archive_key_and_says_what_happened() -> None:
    archive = PrivateKey.generate()
    log = UserLog("identity", base64.b64encode(bytes(archive.public_key)).decode())
    row = log.entry(UserLogKind.SIGNED_IN, Client("203.0.113.7", 51234, "app-1"), account_id="a-1", detail="user")
    message = USER_LOG_RECORDED["identity"].parse(row.payload)
    assert row.topic == "identity.userlog.v1" and row.key == "a-1"
    assert (message.kind, message.account_id, message.client_id, message.detail) == (
        "session.signed_in",
        "a-1",
        "app-1",
        "user",
    )
    assert b"203.0.113.7" not in row.payload  # never in clear on the broker
    assert SealedBox(archive).decrypt(message.sealed_address) == b"203.0.113.7 51234"
    assert list(message.legal_basis) == ["MB-16.2", "PA-16.2"]


def test_without_an_archive_key_an_entry_carries_no_address_at_all() -> None:
    row = UserLog("content", None).entry(UserLogKind.POST_PUBLISHED, Client("203.0.113.7", 1), account_id="a")
    assert USER_LOG_RECORDED["content"].parse(row.payload).sealed_address == b""
    assert b"203.0.113.7" not in row.payload
