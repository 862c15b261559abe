"""Raw request bodies (an upload, a part of a file) read with a size limit: refused as soon as the declared
length or the bytes read pass it, never buffered whole first. The gateway refuses more than its own limit
already; a caller inside the mesh meets the service's limit here.

    data = await read_body(request, lambda size: check_size(size, max_bytes))
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request

from kit.problems import ContentTooLarge, UnsupportedMediaType

__all__ = ["ContentTooLarge", "UnsupportedMediaType", "read_body"]  # the problems a body reader's caller raises


async def read_body(request: Request, check_size: Callable[[int], None]) -> bytes:
    """The body; ``check_size`` is given the declared length, then the length read after each chunk, and
    raises the caller's problem (a 413) when it is too large."""
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit():
        check_size(int(declared))
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        check_size(len(body))
    return bytes(body)
