"""A throwaway PostgreSQL cluster for tests, from Debian's ``postgresql`` binaries.

``PostgresCluster`` runs ``initdb`` and ``pg_ctl`` from ``/usr/lib/postgresql/<version>/bin``
(or ``PATH``) in a fresh temp folder outside pytest's tree (``initdb`` refuses root, so as root
everything runs through ``runuser -u postgres --`` in a folder owned by ``postgres``), with
``fsync=off``, its unix socket in that folder and TCP on a free port of 127.0.0.1 only. It
starts in about half a second; :meth:`stop` stops exactly that cluster and removes its folder.
``find_binaries()`` returns None when PostgreSQL is not installed, so a fixture can skip with a
clear reason.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["PostgresCluster", "SKIP_REASON", "find_binaries"]

SKIP_REASON = (
    "PostgreSQL server binaries (initdb, pg_ctl) not found in /usr/lib/postgresql/*/bin or PATH: "
    "install Debian's postgresql package (scripts/setup.sh does)"
)


def find_binaries() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl`` (newest Debian version first), or None."""
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda p: [int(x) if x.isdigit() else 0 for x in Path(p).parent.name.split(".")],
        reverse=True,
    )
    for folder in candidates:
        if (Path(folder) / "initdb").is_file() and (Path(folder) / "pg_ctl").is_file():
            return Path(folder)
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(os.path.realpath(initdb)).parent
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresCluster:
    """One private cluster; ``url(dbname)`` gives a SQLAlchemy URL (psycopg 3) over TCP."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="pg-", dir="/tmp"))  # short: socket paths are limited
        self.data = self.root / "data"
        self.port = _free_port()
        self._prefix: list[str] = []
        self._running = False

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*self._prefix, *args], check=True, capture_output=True, text=True, timeout=120)

    def start(self) -> PostgresCluster:
        if os.geteuid() == 0:
            self._prefix = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.root, "postgres", "postgres")
        try:
            self._run(
                str(self.bindir / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
            )
            opts = (
                f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
            )
            self._run(
                str(self.bindir / "pg_ctl"),
                "-D",
                str(self.data),
                "-o",
                opts,
                "-l",
                str(self.root / "log"),
                "-w",
                "start",
            )
        except subprocess.CalledProcessError as exc:
            log = (self.root / "log").read_text(errors="replace") if (self.root / "log").exists() else ""
            self.stop()
            raise RuntimeError(f"PostgreSQL did not start: {exc.stderr}\n{log}") from exc
        self._running = True
        return self

    def create_database(self, name: str | None = None) -> str:
        """A fresh empty database; returns its URL."""
        import psycopg

        name = name or f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", autocommit=True
        ) as c:
            c.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{dbname}"

    def stop(self) -> None:
        if self._running:
            subprocess.run(
                [
                    *self._prefix,
                    str(self.bindir / "pg_ctl"),
                    "-D",
                    str(self.data),
                    "-m",
                    "immediate",
                    "-w",
                    "stop",
                ],
                capture_output=True,
                timeout=60,
            )
            self._running = False
        shutil.rmtree(self.root, ignore_errors=True)


def parallel(n: int, fn: Callable[[int], Any]) -> list[Any]:
    """Run ``fn(i)`` in ``n`` threads released together; results (or exceptions) in order."""
    barrier = threading.Barrier(n)
    out: list[Any] = [None] * n

    def run(i: int) -> None:
        barrier.wait()
        try:
            out[i] = fn(i)
        except Exception as exc:
            out[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return out
