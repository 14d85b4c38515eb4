"""Content-addressed blob store: ``blobs/<sha[:2]>/<sha>`` under the data dir by default, or any
:class:`~promptreel.storage.objects.ObjectStore` (an S3-compatible bucket) with a local read
cache under ``cache/``; each local folder is a :class:`promptreel.cas.ContentStore`.

Writes go to ``tmp/`` first (streamed, hashed and counted on the way) and are moved into place
atomically, so a crash never leaves a half-written blob; :meth:`BlobStore.clean_tmp` removes
leftovers at startup.

A full disk raises :class:`~promptreel.errors.StorageFull` (never an ``OSError`` naming a path).
The store keeps a small reserve file (``reserve``) that can be given up when the disk fills, so
that the server still has room to finish what it started cleanly (fail a turn, release credits).
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from types import TracebackType

from promptreel.cas import ContentStore, sha256_file
from promptreel.errors import StorageFull
from promptreel.storage.db import storage_full
from promptreel.storage.objects import DirectoryObjects, ObjectStore

__all__ = ["BlobStore", "BlobWriter"]


@contextmanager
def _full_disk() -> Iterator[None]:
    """``OSError`` ENOSPC/EDQUOT → :class:`StorageFull` (whose message names no path)."""
    try:
        yield
    except OSError as exc:
        if storage_full(exc):
            raise StorageFull() from None
        raise


_SHA = re.compile(r"^[0-9a-f]{64}$")


class BlobWriter:
    """Streams bytes to a temp file; :meth:`commit` moves it into the store, :meth:`discard` removes it."""

    def __init__(self, store: BlobStore, max_bytes: int | None = None) -> None:
        self.store = store
        self.max_bytes = max_bytes
        self.path = store.tmp_path(".part")
        with _full_disk():
            self._fh = open(self.path, "wb")  # noqa: SIM115 - closed in commit/discard
        self._hash = hashlib.sha256()
        self.size = 0
        self.head = b""  # first bytes, for content sniffing
        self.done = False

    def write(self, chunk: bytes) -> bool:
        """Append ``chunk``; returns ``False`` (and writes nothing) once ``max_bytes`` would be passed."""
        if self.max_bytes is not None and self.size + len(chunk) > self.max_bytes:
            return False
        if len(self.head) < 4096:
            self.head += chunk[: 4096 - len(self.head)]
        with _full_disk():
            self._fh.write(chunk)
        self._hash.update(chunk)
        self.size += len(chunk)
        return True

    def close_file(self) -> None:
        if not self._fh.closed:
            with _full_disk():
                self._fh.flush()
                os.fsync(self._fh.fileno())
                self._fh.close()

    def commit(self) -> str:
        self.close_file()
        sha = self._hash.hexdigest()
        with _full_disk():
            self.store.adopt(self.path, sha)
        self.done = True
        return sha

    def discard(self) -> None:
        if not self._fh.closed:
            with suppress(OSError):  # buffered bytes that no longer fit: the file goes anyway
                self._fh.close()
        self.path.unlink(missing_ok=True)
        self.done = True

    def __enter__(self) -> BlobWriter:
        return self

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        if not self.done:
            self.discard()


class BlobStore:
    def __init__(self, root: Path, objects: ObjectStore | None = None) -> None:
        self.root = Path(root)
        self.blobs = self.root / "blobs"
        self.tmp = self.root / "tmp"
        self.cache = self.root / "cache"
        self.cached = ContentStore(self.cache)  # local copies of a remote store's blobs
        self.tmp.mkdir(parents=True, exist_ok=True)
        self.objects: ObjectStore = objects if objects is not None else DirectoryObjects(self.blobs)
        self.remote = self.objects.local_path("0" * 64) is None

    def path(self, sha: str) -> Path:
        """A local file holding the blob (fetched into the cache from a remote store on first use);
        the path may not exist when the blob is unknown."""
        if not _SHA.match(sha):
            raise ValueError("not a blob key")
        local = self.objects.local_path(sha)
        if local is not None:
            return local
        cached = self.cached.get(sha)
        if cached is not None:
            return cached
        part = self.tmp_path(".get")
        try:
            with _full_disk():
                if self.objects.get(sha, part):
                    return self.cached.put(sha, part, move=True)
        finally:
            part.unlink(missing_ok=True)
        return self.cached.path(sha)

    def exists(self, sha: str) -> bool:
        return bool(_SHA.match(sha)) and self.objects.exists(sha)

    def tmp_path(self, suffix: str = "") -> Path:
        return self.tmp / f"{secrets.token_hex(12)}{suffix}"

    def writer(self, max_bytes: int | None = None) -> BlobWriter:
        return BlobWriter(self, max_bytes)

    def adopt(self, src: Path, sha: str) -> None:
        """Move a finished file (whose hash is ``sha``) into the store; duplicates are dropped."""
        if not _SHA.match(sha):
            raise ValueError("not a blob key")
        src = Path(src)
        if not self.remote:
            self.objects.put(sha, src)
            return
        if not self.objects.exists(sha):
            self.objects.put(sha, src)
        if src.exists():  # keep a local copy: this process is likely to read it soon
            self.cached.put(sha, src, move=True)

    def put_file(self, src: Path) -> tuple[str, int]:
        """Hash ``src`` and move it into the store; returns ``(sha, size)``."""
        sha, size = sha256_file(src)
        with _full_disk():
            self.adopt(Path(src), sha)
        return sha, size

    # -- the reserve ------------------------------------------------------------------------
    @property
    def reserve(self) -> Path:
        return self.root / "reserve"

    def ensure_reserve(self, nbytes: int) -> bool:
        """Keep ``nbytes`` of disk set aside (a file); ``False`` when there is no room for it."""
        if nbytes <= 0 or (self.reserve.is_file() and self.reserve.stat().st_size >= nbytes):
            return True
        part = self.tmp_path(".reserve")
        block = os.urandom(min(nbytes, 1 << 20))  # not zeros: compressing filesystems must store it
        try:
            with open(part, "wb") as fh:
                left = nbytes
                while left > 0:
                    fh.write(block[:left])
                    left -= len(block)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(part, self.reserve)
            return True
        except OSError:
            part.unlink(missing_ok=True)
            return False

    def release_reserve(self) -> bool:
        """Give the reserve back to the disk; ``True`` when there was one to give."""
        try:
            self.reserve.unlink()
        except FileNotFoundError:
            return False
        return True

    def free_bytes(self) -> int:
        return shutil.disk_usage(self.root).free

    def clean_tmp(self, older_than_s: float = 0.0) -> int:
        """Remove leftovers in ``tmp/`` (only those older than ``older_than_s`` when other
        processes may be writing there too)."""
        n = 0
        limit = time.time() - older_than_s
        for p in self.tmp.iterdir():
            if older_than_s > 0:
                try:
                    if p.stat().st_mtime > limit:
                        continue
                except FileNotFoundError:
                    continue
            if p.is_dir():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink(missing_ok=True)
            n += 1
        return n
