"""Media commands: upload (checked, hashed, stored, recorded within the daily quota) and serve (only to
whom the read rule allows, MB-12.2)."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from kit.auth import Principal
from kit.problems import NotFound

from content.database import Database
from content.media.domain import (
    NewMedium,
    Quota,
    check_bytes,
    check_may_serve,
    check_quota,
    new_medium,
    quota_day,
    quota_exceeded,
)
from content.media.storage import MediaStorage, MediumMissing
from content.posts.domain import check_may_publish, check_standing
from content.settings import ContentSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Served:
    content_type: str
    sha256: str
    data: bytes


def quota(settings: ContentSettings) -> Quota:
    return Quota(uploads=settings.media_uploads_per_day, bytes=settings.media_bytes_per_day)


async def upload(
    db: Database,
    storage: MediaStorage,
    settings: ContentSettings,
    principal: Principal,
    *,
    content_type: str,
    data: bytes,
) -> NewMedium:
    """Take a medium for a later post: what a post needs its author to be (MB-7.1, MB-7.2, MB-6.2,
    PA-13.1), bytes of the declared type within the size limit, and room in the account's daily quota.
    The bytes are stored before the row is written; a refusal after that deletes them again."""
    now = datetime.now(UTC)
    check_may_publish(principal.access, now)
    owner = uuid.UUID(principal.subject)
    check_bytes(content_type, data, settings.media_max_bytes)
    since, _next_day = quota_day(now)
    limits = quota(settings)
    async with db.connection() as stores:
        check_standing(await stores.posts.author_standing(owner), now)  # PA-13.1, PA-9.2, MB-9
        used_uploads, used_bytes = await stores.media.uploaded_since(owner, since)
    check_quota(used_uploads, used_bytes, len(data), limits, now)
    medium = new_medium(owner, content_type, data)
    await storage.put(medium.storage_key, data, content_type)
    try:
        async with db.transaction() as stores:
            recorded = await stores.media.insert_within_quota(medium, since, limits)
    except BaseException:
        await storage.delete(medium.storage_key)
        raise
    if not recorded:  # the account's other uploads took the room meanwhile
        await storage.delete(medium.storage_key)
        raise quota_exceeded(limits, datetime.now(UTC))
    return medium


async def serve(db: Database, storage: MediaStorage, media_id: uuid.UUID, viewer: Principal | None) -> Served:
    """The medium's bytes, to its uploader or to whoever may see a post carrying it; none when every
    post carrying it was stopped (MB-12.2: 451)."""
    viewer_id = uuid.UUID(viewer.subject) if viewer else None
    async with db.connection() as stores:
        row = await stores.media.serving(media_id, viewer_id)
    if row is None:
        raise NotFound("No such medium.")
    check_may_serve(
        owner=row["owner_id"] == viewer_id,
        carriers=row["carriers"],
        stopped=row["stopped"],
        visible=row["visible"],
        legal_basis=list(row["legal_basis"]),
    )
    try:
        data = await storage.get(row["storage_key"])
    except MediumMissing as exc:
        log.error("a recorded medium is missing from the store", extra={"media_id": str(media_id)})
        raise NotFound("No such medium.") from exc
    return Served(content_type=row["content_type"], sha256=row["sha256"], data=data)
