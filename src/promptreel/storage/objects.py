"""Where blobs live durably, behind one Protocol: a local directory (the default), any
S3-compatible object store, or memory (the fake for tests).

Keys are SHA-256 hex digests and values never change, so an implementation needs no locking:
putting the same key twice stores the same bytes. :class:`~promptreel.storage.files.BlobStore`
keeps the local side (temp files, the disk reserve, a read cache) and hands finished files to
an :class:`ObjectStore`.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from promptreel.cas import ContentStore

__all__ = ["DirectoryObjects", "MemoryObjects", "ObjectStore", "S3Objects"]


@runtime_checkable
class ObjectStore(Protocol):
    def put(self, key: str, src: Path) -> None:
        """Store the file ``src`` under ``key``; ``src`` may be moved away (consumed)."""

    def get(self, key: str, dest: Path) -> bool:
        """Write the object to ``dest``; ``False`` (and nothing written) when there is none."""

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> None: ...

    def local_path(self, key: str) -> Path | None:
        """A path where the object can be read in place, or ``None`` when it lives elsewhere."""


class DirectoryObjects:
    """Objects as files ``<root>/<key[:2]>/<key>`` (one machine, or a shared mount): a
    :class:`promptreel.cas.ContentStore`."""

    def __init__(self, root: Path) -> None:
        self.store = ContentStore(root)
        self.root = self.store.root
        self.root.mkdir(parents=True, exist_ok=True)

    def put(self, key: str, src: Path) -> None:
        self.store.put(key, src, move=True, keep=True)

    def get(self, key: str, dest: Path) -> bool:
        p = self.store.path(key)
        if not p.is_file():
            return False
        shutil.copyfile(p, dest)
        return True

    def exists(self, key: str) -> bool:
        return self.store.exists(key)

    def delete(self, key: str) -> None:
        self.store.delete(key)

    def local_path(self, key: str) -> Path | None:
        return self.store.path(key)


class MemoryObjects:
    """Objects in a dict: the fake that tests use in place of a remote store."""

    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def put(self, key: str, src: Path) -> None:
        body = Path(src).read_bytes()
        with self._lock:
            self.data.setdefault(key, body)

    def get(self, key: str, dest: Path) -> bool:
        with self._lock:
            body = self.data.get(key)
        if body is None:
            return False
        Path(dest).write_bytes(body)
        return True

    def exists(self, key: str) -> bool:
        with self._lock:
            return key in self.data

    def delete(self, key: str) -> None:
        with self._lock:
            self.data.pop(key, None)

    def local_path(self, key: str) -> Path | None:
        return None


class S3Objects:
    """Objects in a bucket of any S3-compatible store (AWS S3, MinIO, Ceph, R2, …); needs boto3."""

    def __init__(
        self,
        bucket: str,
        *,
        prefix: str = "blobs/",
        endpoint_url: str = "",
        region: str = "us-east-1",
        access_key_id: str = "",
        secret_access_key: str = "",
        client: Any = None,
    ) -> None:
        if not bucket:
            raise ValueError("the S3 blob store needs a bucket (PROMPTREEL_S3_BUCKET)")
        self.bucket = bucket
        self.prefix = prefix
        if client is None:
            try:
                import boto3
                from botocore.config import Config
            except ImportError as exc:  # pragma: no cover - depends on the installation
                raise RuntimeError("the S3 blob store needs boto3: pip install 'promptreel[s3]'") from exc
            client = boto3.client(
                "s3",
                endpoint_url=endpoint_url or None,
                region_name=region or None,
                aws_access_key_id=access_key_id or None,
                aws_secret_access_key=secret_access_key or None,
                config=Config(
                    s3={"addressing_style": "path"}, retries={"max_attempts": 5, "mode": "standard"}
                ),
            )
        self.client = client

    def _key(self, key: str) -> str:
        return f"{self.prefix}{key[:2]}/{key}"

    @staticmethod
    def _missing(exc: Exception) -> bool:
        err = getattr(exc, "response", {}).get("Error", {})
        return str(err.get("Code")) in ("404", "NoSuchKey", "NotFound")

    def put(self, key: str, src: Path) -> None:
        self.client.upload_file(str(src), self.bucket, self._key(key))

    def get(self, key: str, dest: Path) -> bool:
        try:
            self.client.download_file(self.bucket, self._key(key), str(dest))
        except Exception as exc:
            if self._missing(exc):
                return False
            raise
        return True

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(key))
        except Exception as exc:
            if self._missing(exc):
                return False
            raise
        return True

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(key))

    def local_path(self, key: str) -> Path | None:
        return None
