"""A raw request body (a lexicon file's part, MB-12) read with a size limit: the gateway refuses more than
1 MiB already; a caller inside the mesh meets the same limit here."""

from __future__ import annotations

from fastapi import Request
from kit.problems import DomainError


class UnsupportedMediaType(DomainError):
    status = 415
    type = "unsupported-media-type"
    title = "Unsupported media type"


class ContentTooLarge(DomainError):
    status = 413
    type = "content-too-large"
    title = "Content too large"


async def read_body(request: Request, limit: int) -> bytes:
    """The body, refused (413) as soon as it passes ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise ContentTooLarge(f"A part is {limit} bytes at most.", requirement="MB-12")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ContentTooLarge(f"A part is {limit} bytes at most.", requirement="MB-12")
        chunks.append(chunk)
    return b"".join(chunks)
