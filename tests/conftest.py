"""Shared fixtures.

``live_server`` (module scope) starts the real server — ``promptreel serve`` under uvicorn in a
subprocess on a free loopback port with a temp data dir — and yields its base URL. It uses
the fast fake studio (``tests/fake_studio.py``) unless a test asks for the real one with
``server_factory(studio="")``. ``server_factory`` starts servers with any settings
(``server_factory(require_attribution=False)`` → ``PROMPTREEL_REQUIRE_ATTRIBUTION``) and
returns :class:`LiveServer` handles that can be stopped, killed (``kill -9``) and restarted on
the same data dir. Test servers default to ``heartbeat_s=0.2``, ``render_workers=2``, a very
high ``tokens_per_ip`` (every test client shares 127.0.0.1) and ``job_processes=False``: turns and
renders run in threads of the server, which starts one interpreter instead of four; tests about
the worker processes (their priority, a killed server or worker) pass ``job_processes=True``.
Keys starting with ``FAKE_`` are passed to the fake studio as environment variables
(``FAKE_STUDIO_STAGE_S``, ``FAKE_STUDIO_RENDER_S``).
``postgres_url`` gives a throwaway PostgreSQL database (skipped when PostgreSQL is absent).

Property tests draw fresh random cases on every run; ``HYPOTHESIS_PROFILE=ci`` (set by
``.ci/run``) fixes their seed so a CI verdict is repeatable.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

TESTS = Path(__file__).resolve().parent
FAKE_STUDIO = "fake_studio:FakeStudio"
ATTRIBUTION = {
    "X-Skill-Source": "free-generation-maker",
    "X-Skill-Version": "1.0.0",
    "X-Skill-Platform": "unknown",
}


# The longest files (servers killed mid-render, 200 concurrent turns, real Chromium, PostgreSQL
# clusters), as measured in tests/slow_files.txt, are handed to the workers first, longest first,
# then the other slow-marked files, so that short files fill the gaps at the end instead of one
# long file running alone (scripts/test.sh keeps this order: --no-loadscope-reorder). Within a
# file the order is unchanged.
def _measured() -> dict[str, float]:
    out: dict[str, float] = {}
    for line in (TESTS / "slow_files.txt").read_text().splitlines():
        seconds, _, name = line.partition(" ")
        if seconds.strip() and not line.startswith("#"):
            out[name.strip()] = float(seconds)
    return out


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    measured = _measured()
    rank: dict[Path, tuple[float, int]] = {}
    for item in items:
        name = item.path.name
        own = (-measured.get(name, 0.0), 0 if item.get_closest_marker("slow") else 1)
        rank[item.path] = min(own, rank.get(item.path, own))
    items[:] = [item for _, item in sorted(enumerate(items), key=lambda p: (rank[p[1].path], p[0]))]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list | dict):
        return json.dumps(v)
    return str(v)


@dataclass
class LiveServer:
    """A ``promptreel serve`` subprocess; ``url`` is its base URL."""

    data_dir: Path
    env: dict[str, str]
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0, retries: int = 3) -> LiveServer:
        self.log_path = self.data_dir / f"server-{int(time.time() * 1000)}.log"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "wb")  # noqa: SIM115 - owned by the subprocess
        cmd = [
            sys.executable,
            "-m",
            "promptreel.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--data-dir",
            str(self.data_dir),
        ]
        self.proc = subprocess.Popen(
            cmd, env=self.env, stdout=log, stderr=subprocess.STDOUT, cwd=str(TESTS.parent)
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                if "address already in use" in self.log() and retries:
                    self.port = free_port()  # another test's server took the port meanwhile
                    return self.start(timeout, retries=retries - 1)
                raise RuntimeError(f"server exited early:\n{self.log()}")
            try:
                # the answer must be this server's: another test's server may hold the port
                if (
                    httpx.get(f"{self.url}/api/health", timeout=1.0).status_code == 200
                    and f"running on {self.url}" in self.log()
                ):
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server did not start in {timeout} s:\n{self.log()}")

    def log(self) -> str:
        return (
            self.log_path.read_text(errors="replace")[-5000:]
            if self.log_path and self.log_path.exists()
            else ""
        )

    def stop(self, *, kill: bool = False) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)

    def restart(self, *, kill: bool = False) -> LiveServer:
        self.stop(kill=kill)
        return self.start()


def server_env(data_dir: Path, studio: str = FAKE_STUDIO, **settings: Any) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PROMPTREEL_", "NEMO_"))}
    env.update(
        {
            "PROMPTREEL_DATA_DIR": str(data_dir),
            "PROMPTREEL_STUDIO": studio,
            "PROMPTREEL_HEARTBEAT_S": "0.2",
            "PROMPTREEL_TOKENS_PER_IP": "100000",
            "PROMPTREEL_RENDER_WORKERS": "2",
            # turns and renders in threads: no worker interpreters to start (the product default,
            # worker processes, is tested where the process boundary matters)
            "PROMPTREEL_JOB_PROCESSES": "false",
            # the hosted service's prices, which the protocol tests count with; trial-default tests
            # pass the defaults explicitly (tests/test_credits_trial.py)
            "PROMPTREEL_COST_GENERATE": "100",
            "PROMPTREEL_COST_EDIT": "50",
            "PROMPTREEL_SIGNUP_CREDITS": "0",
            "PYTHONPATH": os.pathsep.join(p for p in (str(TESTS), env.get("PYTHONPATH", "")) if p),
        }
    )
    for k, v in settings.items():
        if k.startswith("FAKE_"):
            env[k] = _env_value(v)
        else:
            env[f"PROMPTREEL_{k.upper()}"] = _env_value(v)
    return env


@pytest.fixture
def server_factory(tmp_path: Path) -> Iterator[Callable[..., LiveServer]]:
    """Start servers with custom settings: ``server_factory(cost_generate=500, FAKE_STUDIO_RENDER_S=2)``."""
    started: list[LiveServer] = []

    def make(data_dir: Path | None = None, studio: str = FAKE_STUDIO, **settings: Any) -> LiveServer:
        d = data_dir or tmp_path / f"data{len(started)}"
        srv = LiveServer(d, server_env(d, studio, **settings))
        started.append(srv)
        return srv.start()

    yield make
    for srv in started:
        srv.stop()


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a real server (fake studio, temp data dir) shared by one test module."""
    d = tmp_path_factory.mktemp("server")
    srv = LiveServer(d, server_env(d)).start()
    yield srv.url
    srv.stop()


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Any]:
    """One throwaway PostgreSQL cluster (``tests/pg.py``) per test process; each test asks it
    for fresh databases. Skips, saying why, when PostgreSQL or psycopg is not installed."""
    from pg import SKIP_REASON, PostgresCluster, find_binaries

    bindir = find_binaries()
    if bindir is None:
        pytest.skip(SKIP_REASON)
    pytest.importorskip("psycopg", reason="psycopg is not installed (pip install 'psycopg[binary]')")
    cluster = PostgresCluster(bindir).start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def postgres_url(pg_cluster: Any) -> str:
    """The SQLAlchemy URL of a fresh, empty database on the shared cluster."""
    return str(pg_cluster.create_database())


@pytest.fixture
def pg_db(postgres_url: str) -> Iterator[Any]:
    """A migrated :class:`promptreel.storage.Database` on a fresh PostgreSQL database."""
    from promptreel.storage import Database

    d = Database(postgres_url)
    d.migrate()
    yield d
    d.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium (Debian's) for one test module (``tests/studiokit.py``)."""
    from playwright.sync_api import expect, sync_playwright

    from studiokit import ARGS, CHROMIUM, EXPECT_MS

    expect.set_options(timeout=EXPECT_MS)  # not 5 s: a loaded CI machine takes seconds per round trip
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def attribution() -> dict[str, str]:
    return dict(ATTRIBUTION)
