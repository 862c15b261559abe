"""Media on a real PostgreSQL and a local store: an upload is recorded within the daily quota, and a
medium is served only to its uploader or to whoever may see a post carrying it (MB-12.2)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from content.media import handlers
from content.media.domain import MediumUnavailableForLegalReasons, UploadQuotaExceeded
from content.media.storage import LocalStorage
from content.posts.handlers import Draft, accept
from content.settings import ContentSettings
from kit.problems import NotFound

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x01" * 64


@pytest.fixture
def storage(tmp_path: Path) -> LocalStorage:
    return LocalStorage(tmp_path / "media")


@pytest.fixture
def media_settings(tmp_path: Path) -> ContentSettings:
    return ContentSettings(
        _env_file=None, database_url="postgresql://unused", media_dir=tmp_path, media_uploads_per_day=3
    )


async def attach(db, posting, principal, medium_id: uuid.UUID, text: str = "有图") -> uuid.UUID:
    async with db.connection() as stores:
        media = await stores.posts.media_of(uuid.UUID(principal.subject), [medium_id])
    return await posting.publish(principal, text, media=media)


@pytest.mark.requirement("MB-2")
async def test_an_upload_is_stored_hashed_and_recorded(db, posting, storage, media_settings) -> None:
    alice = posting.author()
    medium = await handlers.upload(db, storage, media_settings, alice, content_type="image/png", data=PNG)
    assert (medium.size, medium.content_type) == (len(PNG), "image/png")
    assert await storage.get(medium.storage_key) == PNG
    served = await handlers.serve(db, storage, medium.id, alice)
    assert (served.data, served.sha256) == (PNG, medium.sha256)


@pytest.mark.requirement("MB-12.2")
async def test_a_medium_is_served_by_the_posts_carrying_it(db, posting, storage, media_settings) -> None:
    alice, bob = posting.author(), posting.author()
    medium = await handlers.upload(db, storage, media_settings, alice, content_type="image/jpeg", data=JPEG)
    with pytest.raises(NotFound):  # on no post yet: the uploader's alone
        await handlers.serve(db, storage, medium.id, bob)
    post = await attach(db, posting, alice, medium.id)
    assert (await handlers.serve(db, storage, medium.id, bob)).data == JPEG
    assert (await handlers.serve(db, storage, medium.id, None)).data == JPEG
    await posting.stop(post, "MB-12", "MB-12.2")
    for viewer in (bob, None, alice):  # stopped: served to nobody, the uploader included
        with pytest.raises(MediumUnavailableForLegalReasons) as refused:
            await handlers.serve(db, storage, medium.id, viewer)
        assert refused.value.extensions["legal_basis"] == ["MB-12", "MB-12.2"]


@pytest.mark.requirement("MB-12.2")
async def test_a_medium_of_a_pending_post_is_not_served_to_others(db, posting, storage, media_settings) -> None:
    alice, bob = posting.author(), posting.author()
    medium = await handlers.upload(db, storage, media_settings, alice, content_type="image/png", data=PNG)
    async with db.connection() as stores:
        media = await stores.posts.media_of(uuid.UUID(alice.subject), [medium.id])
    await accept(db, alice, Draft("待审", media=media), idempotency_key=None)
    with pytest.raises(NotFound):
        await handlers.serve(db, storage, medium.id, bob)
    assert (await handlers.serve(db, storage, medium.id, alice)).data == PNG
    with pytest.raises(NotFound):
        await handlers.serve(db, storage, uuid.uuid4(), alice)


async def test_the_daily_quota_refuses_with_retry_after(db, posting, storage, media_settings) -> None:
    alice = posting.author()
    for _ in range(3):
        await handlers.upload(db, storage, media_settings, alice, content_type="image/png", data=PNG)
    with pytest.raises(UploadQuotaExceeded) as refused:
        await handlers.upload(db, storage, media_settings, alice, content_type="image/png", data=PNG)
    assert 0 < refused.value.retry_after_s <= 24 * 3600
    assert len(list((storage.root / "media").iterdir())) == 3  # the refused bytes were not kept
    other = posting.author()  # the quota is per account
    assert (await handlers.upload(db, storage, media_settings, other, content_type="image/png", data=PNG)).size
