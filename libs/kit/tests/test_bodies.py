"""Bounded raw bodies (kit.bodies): refused on the declared length before reading, or as soon as the bytes
read pass the limit; the caller's problem is raised."""

from __future__ import annotations

import pytest
from kit.bodies import ContentTooLarge, read_body
from starlette.requests import Request


def _request(chunks: list[bytes], content_length: str | None = None) -> tuple[Request, list[bytes]]:
    sent: list[bytes] = []
    messages = [{"type": "http.request", "body": c, "more_body": i < len(chunks) - 1} for i, c in enumerate(chunks)]

    async def receive() -> dict:
        message = messages.pop(0)
        sent.append(message["body"])
        return message

    headers = [(b"content-length", content_length.encode())] if content_length is not None else []
    return Request({"type": "http", "method": "PUT", "headers": headers}, receive), sent


def _at_most(limit: int):
    def check(size: int) -> None:
        if size > limit:
            raise ContentTooLarge(f"{limit} bytes at most.")

    return check


async def test_a_body_within_the_limit_is_read_whole() -> None:
    request, _ = _request([b"ab", b"cd"], "4")
    assert await read_body(request, _at_most(4)) == b"abcd"


async def test_a_declared_length_past_the_limit_is_refused_before_reading() -> None:
    request, sent = _request([b"abcde"], "5")
    with pytest.raises(ContentTooLarge):
        await read_body(request, _at_most(4))
    assert sent == []


async def test_bytes_past_the_limit_are_refused_without_reading_the_rest() -> None:
    request, sent = _request([b"abc", b"de", b"fg"])  # chunked: no length declared
    with pytest.raises(ContentTooLarge) as refused:
        await read_body(request, _at_most(4))
    assert sent == [b"abc", b"de"] and refused.value.status == 413
