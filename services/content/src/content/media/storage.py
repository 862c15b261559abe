"""Where media bytes live: a small port with two adapters, chosen by settings (``media_storage``).

* ``LocalStorage``: files under a directory, for development (devstack gives it one under its run dir).
* ``S3Storage``: any S3-compatible object store, for production (obstore's S3 client: native async).

A key names one object (``media/<id>``); put writes it whole (a reader never sees half of it), get
reads it or raises ``MediumMissing``, delete removes it and is a no-op for a missing key.
"""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
from pathlib import Path
from typing import Protocol

import obstore
from obstore.exceptions import NotFoundError
from obstore.store import S3Store

from content.settings import ContentSettings

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$")


class MediumMissing(LookupError):
    """The store has no object under this key."""


def _checked(key: str) -> str:
    """A key is relative segments of safe characters: no '..', no absolute path, no empty segment."""
    if not _KEY.match(key) or ".." in key.split("/"):
        raise ValueError(f"not a storage key: {key!r}")
    return key


class MediaStorage(Protocol):
    async def put(self, key: str, data: bytes, content_type: str) -> None: ...

    async def get(self, key: str) -> bytes: ...

    async def delete(self, key: str) -> None: ...


class LocalStorage:
    """Files under ``root``; a put writes a temporary file and renames it into place (atomic)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        return self.root / _checked(key)

    def _write(self, path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())  # durable before it is acknowledged
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def _read(self, path: Path) -> bytes:
        try:
            return path.read_bytes()
        except FileNotFoundError as exc:
            raise MediumMissing(str(path.relative_to(self.root))) from exc

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        await asyncio.to_thread(self._write, self._path(key), data)  # file I/O off the event loop

    async def get(self, key: str) -> bytes:
        return await asyncio.to_thread(self._read, self._path(key))

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._path(key).unlink, missing_ok=True)


class S3Storage:
    """An S3-compatible bucket (AWS S3, MinIO, Ceph RGW, OSS/COS in S3 mode)."""

    def __init__(self, store: S3Store) -> None:
        self.store = store

    @classmethod
    def from_settings(cls, settings: ContentSettings) -> S3Storage:
        secret = settings.media_s3_secret_access_key
        config = {
            "region": settings.media_s3_region,
            "virtual_hosted_style_request": settings.media_s3_virtual_hosted_style,
            **({"endpoint": settings.media_s3_endpoint} if settings.media_s3_endpoint else {}),
            **({"access_key_id": settings.media_s3_access_key_id} if settings.media_s3_access_key_id else {}),
            **({"secret_access_key": secret.get_secret_value()} if secret is not None else {}),
        }
        return cls(
            S3Store(
                settings.media_s3_bucket,
                config=config,  # type: ignore[arg-type]
                client_options={"allow_http": settings.media_s3_allow_http, "timeout": "60s"},
            )
        )

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        await obstore.put_async(self.store, _checked(key), data, attributes={"Content-Type": content_type})

    async def get(self, key: str) -> bytes:
        try:
            result = await obstore.get_async(self.store, _checked(key))
            return bytes(await result.bytes_async())
        except (NotFoundError, FileNotFoundError) as exc:  # obstore raises either, by version
            raise MediumMissing(key) from exc

    async def delete(self, key: str) -> None:
        try:
            await obstore.delete_async(self.store, _checked(key))
        except (NotFoundError, FileNotFoundError):
            return


def storage_from_settings(settings: ContentSettings) -> MediaStorage:
    if settings.media_storage == "s3":
        return S3Storage.from_settings(settings)
    return LocalStorage(settings.media_dir)
