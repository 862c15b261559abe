"""HTTP bodies of the media API."""

from __future__ import annotations

from pydantic import BaseModel, Field

from content.media.domain import NewMedium


class MediaRead(BaseModel):
    """An uploaded medium: attach it to a post with `POST /v1/posts {"text", "media_ids": [media_id]}`."""

    media_id: str
    content_type: str
    size: int = Field(description="Bytes")
    sha256: str = Field(description="SHA-256 of the bytes as received, hex")
    url: str = Field(description="Where it is served (GET)")


def media_read(medium: NewMedium) -> MediaRead:
    return MediaRead(
        media_id=str(medium.id),
        content_type=medium.content_type,
        size=medium.size,
        sha256=medium.sha256,
        url=f"/v1/media/{medium.id}",
    )
