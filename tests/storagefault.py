"""``python -m storagefault serve …``: ``promptreel serve`` on a disk that the test can fill up.

While ``<data_dir>/DISK_FULL`` exists the disk is full: every database write fails the way
SQLite fails on a full disk (``database or disk is full``) and every file the blob store writes
fails with ``ENOSPC``. The only room left is what the server set aside: once it gives up its
reserve file, writes succeed again, as they would on a real disk with that space freed.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

import promptreel.storage.files as files

DATA = Path(os.environ["PROMPTREEL_DATA_DIR"])
FLAG = DATA / "DISK_FULL"
FREED = DATA / "RESERVE_FREED"
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def full() -> bool:
    return FLAG.exists() and not FREED.exists()


_release = getattr(files.BlobStore, "release_reserve", None)


def _release_reserve(self: files.BlobStore) -> bool:
    assert _release is not None
    freed = bool(_release(self))
    if freed and FLAG.exists():
        FREED.touch()  # the deleted reserve is free space now
    return freed


if _release is not None:  # a store without a reserve has nothing to free
    files.BlobStore.release_reserve = _release_reserve  # type: ignore[method-assign]


@event.listens_for(Engine, "before_cursor_execute")
def _database_full(*args: Any) -> None:
    statement = str(args[2]).lstrip()
    if statement[:7].upper().startswith(_WRITES) and full():
        raise sqlite3.OperationalError("database or disk is full")


class _FullFile:
    def __init__(self, fh: Any) -> None:
        self._fh = fh

    def write(self, data: bytes) -> int:
        if full():
            raise OSError(errno.ENOSPC, "No space left on device", str(self._fh.name))
        return int(self._fh.write(data))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fh, name)

    def __enter__(self) -> _FullFile:
        return self

    def __exit__(self, *exc: Any) -> None:
        self._fh.close()


def _open(path: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
    fh = open(path, mode, *args, **kwargs)  # noqa: SIM115 - wrapped and handed on
    return _FullFile(fh) if any(m in mode for m in "wax+") else fh


files.open = _open  # type: ignore[attr-defined]

if __name__ == "__main__":
    from promptreel.cli import main

    main()
