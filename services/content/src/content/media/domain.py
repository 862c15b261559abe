"""Media rules, free of I/O (MB-2: posts carry images and video by reference): which types are taken,
that the bytes are what their Content-Type says, the size and the daily quota, and who may be served
a medium (MB-12.2)."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from kit.bodies import UnsupportedMediaType
from kit.problems import DomainError, InvalidInput, NotFound, QuotaExhausted

# The day of the daily quota is Beijing's (UTC+8 all year).
BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")

# ISO base media file brands of MP4 video (the `ftyp` box's major brand).
_MP4_BRANDS = frozenset(
    {b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"dash", b"mmp4"}
)


def _jpeg(data: bytes) -> bool:
    return data[:3] == b"\xff\xd8\xff"


def _png(data: bytes) -> bool:
    return data[:8] == b"\x89PNG\r\n\x1a\n"


def _gif(data: bytes) -> bool:
    return data[:6] in (b"GIF87a", b"GIF89a")


def _webp(data: bytes) -> bool:
    return data[:4] == b"RIFF" and data[8:12] == b"WEBP"


def _mp4(data: bytes) -> bool:
    return data[4:8] == b"ftyp" and data[8:12] in _MP4_BRANDS


# The types a post may carry, each with the test of its magic number.
MEDIA_TYPES = {
    "image/jpeg": _jpeg,
    "image/png": _png,
    "image/gif": _gif,
    "image/webp": _webp,
    "video/mp4": _mp4,
}


class MediaTypeMismatch(InvalidInput):
    type = "media-type-mismatch"
    title = "The bytes are not of the type declared"


class MediaTooLarge(DomainError):
    status = 413
    type = "media-too-large"
    title = "Medium too large"


class UploadQuotaExceeded(QuotaExhausted):
    """403 with Retry-After until the Beijing day ends (a 429's body and headers would not pass the
    gateway, whose errors middleware renders every service 429 itself)."""

    type = "upload-quota-exceeded"
    title = "Daily upload quota exceeded"


class MediumUnavailableForLegalReasons(DomainError):
    """RFC 7725: the medium exists but every post carrying it was stopped (MB-12.2)."""

    status = 451
    type = "unavailable-for-legal-reasons"
    title = "Unavailable for legal reasons"


@dataclass(frozen=True, slots=True)
class NewMedium:
    """An upload as accepted: stored under storage_key, its sha256 of the bytes as received."""

    id: uuid.UUID
    owner_id: uuid.UUID
    content_type: str
    size: int
    sha256: str
    storage_key: str


@dataclass(frozen=True, slots=True)
class Quota:
    """The daily upload quota of one account (settings)."""

    uploads: int
    bytes: int


def media_type(content_type: str) -> str:
    """The declared type without parameters, lower case; refused unless a post may carry it."""
    declared = content_type.split(";", 1)[0].strip().lower()
    if declared not in MEDIA_TYPES:
        raise UnsupportedMediaType(
            f"A medium is one of {', '.join(MEDIA_TYPES)}; this request's Content-Type is {declared or 'missing'}.",
            requirement="MB-2",
            accepted=list(MEDIA_TYPES),
        )
    return declared


def check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise MediaTooLarge(f"A medium has at most {max_bytes} bytes.", max_bytes=max_bytes)


def check_bytes(content_type: str, data: bytes, max_bytes: int) -> None:
    """The bytes are not empty, not too large, and their magic number is the declared type's."""
    check_size(len(data), max_bytes)
    if not data:
        raise InvalidInput("The body is empty: send the medium's bytes.")
    if not MEDIA_TYPES[content_type](data):
        raise MediaTypeMismatch(f"The bytes are not {content_type} (their magic number does not match).")


def new_medium(owner_id: uuid.UUID, content_type: str, data: bytes) -> NewMedium:
    medium_id = uuid.uuid4()
    return NewMedium(
        id=medium_id,
        owner_id=owner_id,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        storage_key=f"media/{medium_id}",
    )


def quota_day(now: datetime) -> tuple[datetime, datetime]:
    """The Beijing day ``now`` falls in: (its start, the next day's start)."""
    local = now.astimezone(BEIJING)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1)


def quota_exceeded(quota: Quota, now: datetime) -> UploadQuotaExceeded:
    """The refusal of an upload over the daily quota: a 403 saying when the (Beijing) day ends."""
    _start, next_day = quota_day(now)
    return UploadQuotaExceeded(
        f"An account uploads at most {quota.uploads} media and {quota.bytes} bytes a day (Beijing time); "
        "retry after Retry-After seconds.",
        retry_after_s=(next_day - now).total_seconds(),
    )


def check_quota(used_uploads: int, used_bytes: int, size: int, quota: Quota, now: datetime) -> None:
    """An account uploads at most ``quota`` a day (abuse limit)."""
    if used_uploads + 1 > quota.uploads or used_bytes + size > quota.bytes:
        raise quota_exceeded(quota, now)


def check_may_serve(*, owner: bool, carriers: int, stopped: int, visible: bool, legal_basis: list[str]) -> None:
    """Who may be served a medium: its uploader, or anyone who may see a post carrying it. MB-12.2: when
    every post carrying it was stopped it is served to nobody (451, with the stops' legal basis)."""
    if carriers and stopped == carriers:
        raise MediumUnavailableForLegalReasons(
            "Transmission of every post carrying this medium was stopped under the regulations.",
            requirement="MB-12.2",
            legal_basis=legal_basis,
        )
    if not (owner or visible):
        raise NotFound("No such medium.")
