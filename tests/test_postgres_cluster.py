"""promptreel as a cluster on one real PostgreSQL: API processes (``serve --no-jobs``) and
``promptreel worker`` processes, all on loopback, sharing one database and one blob directory.

* Two ``serve`` processes started at the same moment on a fresh database both come up (the
  migrations ran once, under the database lock).
* A worker killed with SIGKILL in the middle of a turn: another worker takes the turn over once
  the lease runs out and finishes it; the credits are reserved once and spent once.
* The turn's SSE stream is read through the API process that accepted it and, resumed with
  ``Last-Event-ID``, through another one: both end with the same closing event.
* A worker killed in the middle of a render: another one finishes it, exactly once, and the
  signed download link made by one API process is served by the other.

Bounded for a loaded 2-core CI machine: every wait has its own deadline (process start-up 90 s,
each job step 60-90 s) and each test as a whole 240 s; a failed wait says what it waited for
and shows the last lines of every process's log.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from conftest import TESTS, LiveServer, server_env
from pg import PostgresCluster
from serverkit import Api

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.timeout(240)]

START_S = 90.0  # a process's start-up (imports, migrations) on a busy machine

DRAFT = {
    "w": 320,
    "h": 180,
    "fps": 30,
    "t": [{"tt": 0, "sg": [{"s": 0, "d": 2000, "k": "scene", "m": {"text": "cluster"}}]}],
}


class Worker:
    """A ``promptreel worker`` subprocess."""

    def __init__(self, data_dir: Path, env: dict[str, str], name: str) -> None:
        self.log_path = data_dir / f"{name}.log"
        self.env = env
        self.data_dir = data_dir
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = START_S) -> Worker:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "wb")  # noqa: SIM115 - owned by the subprocess
        cmd = [sys.executable, "-m", "promptreel.cli", "worker", "--data-dir", str(self.data_dir)]
        self.proc = subprocess.Popen(
            cmd, env=self.env, stdout=log, stderr=subprocess.STDOUT, cwd=str(TESTS.parent)
        )
        _wait(
            lambda: "taking turns and renders" in self.log() or self.proc.poll() is not None,  # type: ignore[union-attr]
            timeout,
            f"{self.log_path.stem} to start",
            [self],
        )
        assert self.proc.poll() is None, self.log()
        return self

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-5000:] if self.log_path.exists() else ""

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=15)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


def _logs(processes: Sequence[Any]) -> str:
    return "\n".join(f"--- {getattr(p, 'log_path', '?')}\n{p.log()[-1500:]}" for p in processes)


def _wait(
    pred: Callable[[], Any], timeout: float = 60.0, what: str = "condition", processes: Sequence[Any] = ()
) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = pred()
        if got:
            return got
        time.sleep(0.05)
    raise AssertionError(f"{what}: not reached in {timeout:.0f} s\n{_logs(processes)}")


def _env(data_dir: Path, url: str, **settings: Any) -> dict[str, str]:
    return server_env(
        data_dir,
        database_url=url,
        secret_key="cluster-test-secret",  # every process signs and checks download links alike
        job_lease_s=3,
        job_poll_s=0.1,
        stream_poll_s=0.1,
        **settings,
    )


@pytest.fixture
def processes() -> Iterator[list[Any]]:
    started: list[Any] = []
    yield started
    for p in started:
        p.stop()


def test_two_api_processes_started_at_once_both_come_up(
    pg_cluster: PostgresCluster, tmp_path: Path, processes: list[Any]
) -> None:
    url = pg_cluster.create_database()
    servers = [LiveServer(tmp_path / f"api{i}", _env(tmp_path / f"api{i}", url)) for i in range(2)]
    processes.extend(servers)
    errors: list[BaseException] = []

    def start(s: LiveServer) -> None:
        try:
            s.start(timeout=START_S)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(s,)) for s in servers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(START_S + 30)
    assert not any(t.is_alive() for t in threads), "a server start did not return"
    assert errors == [], errors
    for s in servers:
        assert httpx.get(f"{s.url}/api/health").status_code == 200
    engine = create_engine(url)
    with engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    engine.dispose()


def _stream(
    base: str, token: str, sid: str, message: str, last_event_id: int | None = None
) -> dict[str, Any]:
    """Read one turn's SSE stream to its end: ids and the closing event."""
    headers = {"Authorization": f"Bearer {token}", "Accept": "text/event-stream"}
    if last_event_id is not None:
        headers["Last-Event-ID"] = str(last_event_id)
    body = {
        "app_name": "nemo_agent",
        "user_id": "me",
        "session_id": sid,
        "new_message": {"parts": [{"text": message}]},
    }
    out: dict[str, Any] = {"ids": [], "events": []}
    with httpx.stream("POST", f"{base}/run_sse", json=body, headers=headers, timeout=60) as r:
        assert r.status_code == 200, r.read()
        for line in r.iter_lines():
            if line.startswith("id:"):
                out["ids"].append(int(line[3:]))
            elif line.startswith("data:") and line[5:].strip():
                out["events"].append(json.loads(line[5:]))
    return out


def test_a_worker_killed_mid_turn_and_mid_render_is_taken_over_exactly_once(
    pg_cluster: PostgresCluster, tmp_path: Path, processes: list[Any]
) -> None:
    url = pg_cluster.create_database()
    shared = tmp_path / "shared"  # one blob directory for all (a shared mount)
    env = _env(shared, url, jobs_in_serve=False, job_processes=True, cost_generate=60, FAKE_STUDIO_RENDER_S=3)
    api_a = LiveServer(shared, env)
    processes.append(api_a)
    api_a.start(timeout=START_S)
    api_b = LiveServer(shared, dict(env))
    processes.append(api_b)
    api_b.start(timeout=START_S)
    workers = {}
    for i in range(2):
        w = Worker(shared, env, f"worker{i}").start()
        processes.append(w)
        workers[w.pid] = w
    engine = create_engine(url)

    def one(sql: str, **params: Any) -> Any:
        with engine.connect() as c:
            return c.execute(text(sql), params).mappings().first()

    a = Api(api_a.url)
    token = a.anonymous()["token"]
    b = Api(api_b.url, token=token)
    sid = a.session()["session_id"]
    user = one("SELECT user_id FROM sessions WHERE id = :s", s=sid)["user_id"]

    # the turn is accepted and streamed by API process A; a worker runs it (3 s per stage)
    got: dict[str, Any] = {}
    reader = threading.Thread(
        target=lambda: got.update(_stream(api_a.url, token, sid, "generate a SLOW video"))
    )
    reader.start()
    _wait(
        lambda: one("SELECT 1 FROM draft_versions WHERE session_id = :s AND stage = 'raw_cut'", s=sid),
        60,
        "the turn's first stage",
        processes,
    )
    turn = one("SELECT id, lease_owner FROM turns WHERE session_id = :s", s=sid)  # who runs it now
    # killed at once: the second stage takes 3 s, and on a busy machine anything slower here
    # (an HTTP round trip first) could let the turn finish before the kill
    victim = workers.pop(int(turn["lease_owner"].split(":")[1]))
    victim.kill()  # mid-turn: between its two stages
    assert b.balance() == {"available": 40, "frozen": 60, "total": 100}  # read through B: one database

    reader.join(90)  # the lease (3 s) runs out, another worker runs the turn again (2 × 3 s)
    assert not reader.is_alive(), "the stream did not end\n" + _logs(processes)
    ids, events = got["ids"], got["events"]
    assert events[-1]["turn_complete"] is True and "error_code" not in events[-1], events[-1]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)

    # the same stream, resumed through API process B from the first event: exactly the rest
    resumed = _stream(api_b.url, token, sid, "generate a SLOW video", last_event_id=ids[0])
    assert resumed["ids"] == ids[1:] and resumed["events"][-1] == events[-1]

    t = one("SELECT status, attempts, lease_owner, reservation_id FROM turns WHERE id = :t", t=turn["id"])
    assert (t["status"], t["lease_owner"]) == ("completed", None) and t["attempts"] >= 2
    # credits: reserved once, spent once, nothing frozen, the ledger sums to the balance
    assert a.balance() == {"available": 40, "frozen": 0, "total": 40}
    with engine.connect() as c:
        kinds = [
            r[0]
            for r in c.execute(
                text("SELECT kind FROM credit_entries WHERE user_id = :u ORDER BY id"), {"u": user}
            )
        ]
        sums = c.execute(
            text("SELECT SUM(available_delta), SUM(frozen_delta) FROM credit_entries WHERE user_id = :u"),
            {"u": user},
        ).one()
        status = c.execute(
            text("SELECT status FROM reservations WHERE id = :r"), {"r": t["reservation_id"]}
        ).scalar()
    assert kinds == ["grant", "reserve", "commit"] and tuple(sums) == (40, 0) and status == "committed"
    st = b.state(sid)
    assert st["ready"] and not st["turn_running"]

    # a render: accepted by B, its worker killed mid-render, finished by another worker exactly once
    processes.append(replacement := Worker(shared, env, "worker2").start())
    workers[replacement.pid] = replacement
    r = b.render(sid, DRAFT, render_id="render_cluster")
    assert r.status_code == 200, r.text
    job = _wait(
        lambda: one(
            "SELECT id, lease_owner FROM renders WHERE render_id = 'render_cluster' AND lease_owner IS NOT NULL"
        ),
        60,
        "a worker to claim the render",
        processes,
    )
    workers.pop(int(job["lease_owner"].split(":")[1])).kill()
    done = b.poll("render_cluster", timeout=90)
    assert done["status"] == "completed", f"{done}\n{_logs(processes)}"
    link = done["output"]["url"]
    assert link.startswith(api_b.url)
    row = one("SELECT status, attempts FROM renders WHERE render_id = 'render_cluster'")
    assert row["status"] == "completed" and row["attempts"] >= 2
    dl = httpx.get(api_a.url + link.removeprefix(api_b.url))  # B's signed link, served by A
    assert dl.status_code == 200 and dl.content[4:8] == b"ftyp"
    assert a.balance() == {"available": 40, "frozen": 0, "total": 40}  # export charged nothing
    assert [w.proc.poll() for w in workers.values() if w.proc] == [None]  # the one left finished it
    engine.dispose()
