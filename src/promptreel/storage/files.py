"""Content-addressed blob store under the data dir: ``blobs/<sha[:2]>/<sha>``.

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
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from types import TracebackType

from promptreel.errors import StorageFull
from promptreel.storage.db import storage_full

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
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.blobs = self.root / "blobs"
        self.tmp = self.root / "tmp"
        self.blobs.mkdir(parents=True, exist_ok=True)
        self.tmp.mkdir(parents=True, exist_ok=True)

    def path(self, sha: str) -> Path:
        if not _SHA.match(sha):
            raise ValueError("not a blob key")
        return self.blobs / sha[:2] / sha

    def exists(self, sha: str) -> bool:
        return bool(_SHA.match(sha)) and self.path(sha).is_file()

    def tmp_path(self, suffix: str = "") -> Path:
        return self.tmp / f"{secrets.token_hex(12)}{suffix}"

    def writer(self, max_bytes: int | None = None) -> BlobWriter:
        return BlobWriter(self, max_bytes)

    def adopt(self, src: Path, sha: str) -> None:
        """Move a finished file (whose hash is ``sha``) into the store; duplicates are dropped."""
        dest = self.path(sha)
        dest.parent.mkdir(parents=True, exist_ok=True)
        if dest.exists():
            Path(src).unlink(missing_ok=True)
        else:
            os.replace(src, dest)

    def put_file(self, src: Path) -> tuple[str, int]:
        """Hash ``src`` and move it into the store; returns ``(sha, size)``."""
        h = hashlib.sha256()
        size = 0
        with open(src, "rb") as fh:
            while chunk := fh.read(1 << 20):
                h.update(chunk)
                size += len(chunk)
        sha = h.hexdigest()
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

    def clean_tmp(self) -> int:
        n = 0
        for p in self.tmp.iterdir():
            if p.is_dir():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink(missing_ok=True)
            n += 1
        return n
