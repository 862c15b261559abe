"""Media rules without I/O: types and magic numbers, size, the daily quota, who may be served (MB-12.2)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from content.media.domain import (
    MEDIA_TYPES,
    MediaTooLarge,
    MediaTypeMismatch,
    MediumUnavailableForLegalReasons,
    Quota,
    UnsupportedMediaType,
    UploadQuotaExceeded,
    check_bytes,
    check_may_serve,
    check_quota,
    media_type,
    new_medium,
)
from kit.problems import InvalidInput, NotFound

SAMPLES = {
    "image/jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
    "image/png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "image/gif": b"GIF89a\x01\x00\x01\x00",
    "image/webp": b"RIFF\x24\x00\x00\x00WEBPVP8 ",
    "video/mp4": b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00",
}


@pytest.mark.parametrize("content_type", list(MEDIA_TYPES))
def test_each_type_is_taken_with_its_magic_number(content_type: str) -> None:
    check_bytes(content_type, SAMPLES[content_type], 1024)


@pytest.mark.parametrize("content_type", list(MEDIA_TYPES))
def test_the_bytes_of_another_type_are_refused(content_type: str) -> None:
    for other, data in SAMPLES.items():
        if other != content_type:
            with pytest.raises(MediaTypeMismatch):
                check_bytes(content_type, data, 1024)


def test_a_heif_image_or_quicktime_is_no_mp4() -> None:
    for brand in (b"heic", b"qt  ", b"avif"):
        with pytest.raises(MediaTypeMismatch):
            check_bytes("video/mp4", b"\x00\x00\x00\x18ftyp" + brand + b"\x00" * 8, 1024)


@pytest.mark.requirement("MB-2")
def test_only_the_types_a_post_may_carry_are_taken() -> None:
    assert media_type("Image/PNG; charset=binary") == "image/png"
    for declared in ("text/html", "image/svg+xml", "application/octet-stream", ""):
        with pytest.raises(UnsupportedMediaType) as refused:
            media_type(declared)
        assert refused.value.status == 415


def test_empty_and_too_large_are_refused() -> None:
    with pytest.raises(InvalidInput):
        check_bytes("image/png", b"", 1024)
    with pytest.raises(MediaTooLarge) as refused:
        check_bytes("image/png", SAMPLES["image/png"] + b"\x00" * 1024, 1024)
    assert refused.value.status == 413


def test_a_medium_is_hashed_and_keyed_by_its_id() -> None:
    owner = uuid.uuid4()
    medium = new_medium(owner, "image/png", b"abc")
    assert medium.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert (medium.size, medium.storage_key, medium.owner_id) == (3, f"media/{medium.id}", owner)


def test_the_daily_quota_counts_uploads_and_bytes_and_says_when_the_beijing_day_ends() -> None:
    quota = Quota(uploads=3, bytes=100)
    now = datetime(2026, 3, 1, 15, 0, tzinfo=UTC)  # 23:00 in Beijing
    check_quota(2, 50, 50, quota, now)
    with pytest.raises(UploadQuotaExceeded) as refused:
        check_quota(3, 0, 1, quota, now)
    assert refused.value.status == 403 and refused.value.retry_after_s == 3600
    with pytest.raises(UploadQuotaExceeded):
        check_quota(0, 60, 41, quota, now)


@pytest.mark.requirement("MB-12.2")
def test_who_is_served_a_medium() -> None:
    check_may_serve(owner=True, carriers=0, stopped=0, visible=False, legal_basis=[])
    check_may_serve(owner=False, carriers=2, stopped=1, visible=True, legal_basis=["MB-12.2"])
    with pytest.raises(NotFound):
        check_may_serve(owner=False, carriers=0, stopped=0, visible=False, legal_basis=[])
    with pytest.raises(NotFound):
        check_may_serve(owner=False, carriers=1, stopped=0, visible=False, legal_basis=[])
    with pytest.raises(MediumUnavailableForLegalReasons) as refused:
        check_may_serve(owner=True, carriers=2, stopped=2, visible=False, legal_basis=["MB-12", "MB-12.2"])
    assert (refused.value.status, refused.value.requirement) == (451, "MB-12.2")
