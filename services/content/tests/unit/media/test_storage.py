"""The media storage port's contract, against both adapters: LocalStorage on a temporary directory,
and S3Storage against a real S3-compatible server (moto's, on loopback, for the test run)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import boto3
import pytest
from content.media.storage import LocalStorage, MediaStorage, MediumMissing, S3Storage, storage_from_settings
from content.settings import ContentSettings
from moto.server import ThreadedMotoServer
from pydantic import ValidationError

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def s3_settings(endpoint: str, bucket: str) -> ContentSettings:
    return ContentSettings(
        _env_file=None,
        database_url="postgresql://unused",
        media_storage="s3",
        media_s3_bucket=bucket,
        media_s3_endpoint=endpoint,
        media_s3_access_key_id="testing",
        media_s3_secret_access_key="testing",
        media_s3_allow_http=True,
    )


@pytest.fixture(params=["local", "s3"])
async def storage(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[MediaStorage]:
    if request.param == "local":
        yield LocalStorage(tmp_path / "media")
        return
    endpoint = request.getfixturevalue("s3_endpoint")
    bucket = f"media-{uuid.uuid4().hex[:12]}"
    boto3.client(
        "s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="t"
    ).create_bucket(Bucket=bucket)
    adapter = storage_from_settings(s3_settings(endpoint, bucket))
    assert isinstance(adapter, S3Storage)
    yield adapter


async def test_what_is_put_is_got_back_whole(storage: MediaStorage) -> None:
    key = f"media/{uuid.uuid4()}"
    await storage.put(key, PNG, "image/png")
    assert await storage.get(key) == PNG


async def test_a_put_replaces_the_object(storage: MediaStorage) -> None:
    key = f"media/{uuid.uuid4()}"
    await storage.put(key, b"first", "image/png")
    await storage.put(key, PNG, "image/png")
    assert await storage.get(key) == PNG


async def test_a_missing_key_is_medium_missing(storage: MediaStorage) -> None:
    with pytest.raises(MediumMissing):
        await storage.get(f"media/{uuid.uuid4()}")


async def test_delete_removes_and_is_idempotent(storage: MediaStorage) -> None:
    key = f"media/{uuid.uuid4()}"
    await storage.put(key, PNG, "image/png")
    await storage.delete(key)
    with pytest.raises(MediumMissing):
        await storage.get(key)
    await storage.delete(key)  # a second delete is a no-op


@pytest.mark.parametrize("key", ["../escape", "/etc/passwd", "media//x", "media/../../x", "", "media/x/"])
async def test_a_key_outside_the_store_is_refused(storage: MediaStorage, key: str) -> None:
    with pytest.raises(ValueError, match="not a storage key"):
        await storage.put(key, PNG, "image/png")


async def test_local_storage_writes_files_under_its_directory(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path / "media")
    await storage.put("media/abc", PNG, "image/png")
    assert (tmp_path / "media" / "media" / "abc").read_bytes() == PNG
    assert [p.name for p in (tmp_path / "media" / "media").iterdir()] == ["abc"]  # no temporary file left


def test_the_adapter_is_chosen_by_settings(tmp_path: Path) -> None:
    local = ContentSettings(_env_file=None, database_url="postgresql://unused", media_dir=tmp_path)
    assert isinstance(storage_from_settings(local), LocalStorage)
    with pytest.raises(ValidationError, match="MEDIA_S3_BUCKET"):
        ContentSettings(_env_file=None, database_url="postgresql://unused", media_storage="s3")
    with pytest.raises(ValidationError, match="MEDIA_STORAGE=s3"):
        ContentSettings(_env_file=None, database_url="postgresql://unused", environment="production")
