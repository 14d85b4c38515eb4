"""The one content-addressed file store: entries are files ``<root>/<key[:2]>/<key>[.<ext>]``.

Uploads and rendered blobs (:mod:`promptreel.storage.files`), the generator cache
(:mod:`promptreel.generators.cache`) and the chunk cache (:mod:`promptreel.render.chunk_cache`)
all keep their files here. A key names its content (a sha256 hex digest of the bytes, or of
everything that decides them), so an entry never changes once written:

- writes are atomic: a temp file beside the entry (``.tmp-*``, same filesystem) moved into place
  with ``os.replace``, so a reader sees the whole entry or none, never a torn one;
- a missing, empty or unreadable entry reads as a miss (callers that decode an entry treat a
  decode error the same way); with ``verify`` an entry whose bytes do not hash to its key is a
  miss too, and is removed;
- with ``max_bytes`` the store is a cache: a hit marks the entry used (its mtime) and
  :meth:`ContentStore.trim` removes least recently used entries until the rest fits.

This module is plain file IO on the standard library (no numpy, no promptreel imports), so any
layer may use it. Errors other than a miss are ``OSError`` (a full disk included): mapping them
to the product's errors is the caller's business.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

__all__ = ["ContentStore", "sha256_file"]

_KEY = re.compile(r"^[0-9A-Za-z_-]{1,128}$")  # one safe path component: no dots, no slashes
_TMP = ".tmp-"


def sha256_file(path: Path | str) -> tuple[str, int]:
    """``(sha256 hex, size)`` of a file, read in 1 MiB blocks."""
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            h.update(block)
            size += len(block)
    return h.hexdigest(), size


class ContentStore:
    """Files by key under ``root`` (see the module docstring).

    ``ext``: the default file extension (``""``: none, as for blobs). ``max_bytes``: the size the
    store is trimmed to (``None``: never trimmed, and hits do not touch the entry). ``verify``:
    keys are the sha256 of the bytes, checked on every :meth:`read`.
    """

    def __init__(
        self, root: Path | str, *, ext: str = "", max_bytes: int | None = None, verify: bool = False
    ) -> None:
        self.root = Path(root)
        self.ext = ext
        self.max_bytes = max_bytes
        self.verify = verify

    # -- where -------------------------------------------------------------------------------
    def path(self, key: str, ext: str | None = None) -> Path:
        """Where the entry ``key`` lives (whether or not it exists)."""
        if not _KEY.match(key):
            raise ValueError("not a content key")
        ext = self.ext if ext is None else ext
        return self.root / key[:2] / (f"{key}.{ext}" if ext else key)

    # -- reading -----------------------------------------------------------------------------
    def get(self, key: str, ext: str | None = None) -> Path | None:
        """The entry's path on a hit (marked as used when the store is trimmed), else ``None``."""
        path = self.path(key, ext)
        try:
            if path.stat().st_size <= 0:
                return None
            if self.max_bytes is not None:
                os.utime(path)
        except OSError:
            return None
        return path

    def read(self, key: str, ext: str | None = None) -> bytes | None:
        """The entry's bytes, or ``None`` on a miss (missing, empty, unreadable or, with
        ``verify``, not matching its key)."""
        path = self.get(key, ext)
        if path is None:
            return None
        try:
            data = path.read_bytes()
        except OSError:
            return None
        if self.verify and hashlib.sha256(data).hexdigest() != key:
            self.delete(key, ext)
            return None
        return data

    def exists(self, key: str, ext: str | None = None) -> bool:
        return self.path(key, ext).is_file()

    # -- writing -----------------------------------------------------------------------------
    def write(self, key: str, data: bytes, ext: str | None = None) -> Path:
        """Store ``data`` under ``key`` atomically (an existing entry is replaced); returns its path."""
        dest = self.path(key, ext)
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=_TMP, suffix=dest.suffix)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, dest)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        return dest

    def put(
        self, key: str, src: Path | str, ext: str | None = None, *, move: bool = False, keep: bool = False
    ) -> Path:
        """Store the file ``src`` under ``key`` atomically; returns the entry's path.

        ``move``: ``src`` is consumed (renamed into place when on the same filesystem, else
        copied and removed). ``keep``: an existing entry stays as it is (the same key holds the
        same bytes) and ``src`` is dropped when ``move``."""
        src = Path(src)
        dest = self.path(key, ext)
        if keep and dest.is_file():
            if move:
                src.unlink(missing_ok=True)
            return dest
        dest.parent.mkdir(parents=True, exist_ok=True)
        if move:
            try:
                os.replace(src, dest)
                return dest
            except OSError:
                if not src.exists():
                    raise
                # another filesystem: copy below
        fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=_TMP, suffix=dest.suffix)
        os.close(fd)
        try:
            shutil.copyfile(src, tmp)
            os.replace(tmp, dest)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        if move:
            src.unlink(missing_ok=True)
        return dest

    def delete(self, key: str, ext: str | None = None) -> None:
        self.path(key, ext).unlink(missing_ok=True)

    # -- the cache side ----------------------------------------------------------------------
    def entries(self) -> Iterator[Path]:
        """Every entry file (temp files left by a crash excluded)."""
        if not self.root.is_dir():
            return
        for shard in self.root.iterdir():
            if len(shard.name) > 2 or not shard.is_dir():
                continue
            for path in shard.iterdir():
                if not path.name.startswith(".") and path.is_file():
                    yield path

    def trim(self, max_bytes: int | None = None) -> int:
        """Delete least recently used entries until the store fits ``max_bytes`` (the store's own
        limit by default); returns the bytes freed."""
        limit = self.max_bytes if max_bytes is None else max_bytes
        if limit is None:
            return 0
        found = []
        for path in self.entries():
            with contextlib.suppress(OSError):
                st = path.stat()
                found.append((st.st_mtime_ns, st.st_size, path))
        total = sum(size for _, size, _ in found)
        freed = 0
        for _, size, path in sorted(found):
            if total - freed <= limit:
                break
            with contextlib.suppress(OSError):
                path.unlink()
                freed += size
        return freed

    def clean_tmp(self, older_than_s: float = 0.0) -> int:
        """Remove temp files that a crashed writer left beside the entries (only those older
        than ``older_than_s`` when other writers may be at work); returns how many."""
        n = 0
        if not self.root.is_dir():
            return 0
        limit = time.time() - older_than_s
        for path in self.root.glob(f"*/{_TMP}*"):
            with contextlib.suppress(OSError):
                if older_than_s > 0 and path.stat().st_mtime > limit:
                    continue
                path.unlink()
                n += 1
        return n
