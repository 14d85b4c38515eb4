"""A full disk: turns fail cleanly, uploads say so, nothing is left half-done; and a data dir the
server cannot use stops ``promptreel serve`` with one line, not a traceback.

The server runs under ``tests/storagefault.py``: creating ``<data_dir>/DISK_FULL`` fills the
disk (database writes fail with SQLite's ``database or disk is full``, blob writes with ENOSPC);
the server giving up its reserve file frees room again.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from conftest import TESTS, LiveServer, server_env
from securitykit import ledger_problems, png, rows, tmp_files, user_of
from serverkit import Api


class FaultyServer(LiveServer):
    """``promptreel serve`` under the storage-fault wrapper."""

    def start(self, timeout: float = 60.0) -> FaultyServer:
        self.log_path = self.data_dir / f"server-{int(time.time() * 1000)}.log"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "wb")  # noqa: SIM115 - owned by the subprocess
        cmd = [sys.executable, "-m", "storagefault", "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        self.proc = subprocess.Popen(cmd, env=self.env, stdout=log, stderr=subprocess.STDOUT, cwd=str(TESTS))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log()}")
            try:
                if httpx.get(f"{self.url}/api/health", timeout=1.0).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server did not start in {timeout} s:\n{self.log()}")

    @property
    def disk_full(self) -> Path:
        return self.data_dir / "DISK_FULL"

    @property
    def reserve(self) -> Path:
        return self.data_dir / "files" / "reserve"


@pytest.fixture
def srv(tmp_path: Path) -> Iterator[FaultyServer]:
    d = tmp_path / "data"
    s = FaultyServer(d, server_env(d, storage_reserve_bytes=64 * 1024)).start()
    yield s
    s.stop(kill=True)


def _wait(pred: Callable[[], Any], timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = pred()
        if got:
            return got
        time.sleep(0.05)
    raise AssertionError("condition not reached in time")


def test_uploads_and_new_turns_say_storage_full(srv: FaultyServer) -> None:
    api = Api(srv.url)
    api.anonymous()
    sid = api.session()["session_id"]
    srv.disk_full.touch()
    r = api.post(f"/api/upload-video/nemo_agent/me/{sid}", files=[("files", ("a.png", png(), "image/png"))])
    body = r.json()
    assert (r.status_code, body["code"]) == (507, 5070), body
    assert "storage is full" in body["message"] and str(srv.data_dir) not in r.text
    assert tmp_files(srv.data_dir) == []
    assert rows(srv.data_dir, "SELECT count(*) AS n FROM media")[0]["n"] == 0
    # a turn cannot start either: a clear answer, nothing charged
    refused = api.run(sid, "generate a 4-second video about rain")
    assert refused.body is not None and refused.body["code"] == 5070, refused
    assert api.balance() == {"available": 100, "frozen": 0, "total": 100}
    srv.disk_full.unlink()  # space again: the same upload works
    r = api.post(f"/api/upload-video/nemo_agent/me/{sid}", files=[("files", ("a.png", png(), "image/png"))])
    assert r.status_code == 200, r.text
    assert srv.reserve.is_file()  # set aside at start; uploads never spend it


def test_a_turn_that_hits_a_full_disk_fails_cleanly(srv: FaultyServer) -> None:
    api = Api(srv.url)
    token = api.anonymous()["token"]
    user = user_of(srv.data_dir, token)
    sid = api.session()["session_id"]
    got: dict[str, Any] = {}
    t = threading.Thread(target=lambda: got.update(s=api.run(sid, "generate a SLOW video", timeout=30)))
    t.start()
    # the raw cut is saved (and is the head), the second stage is 3 s away: the disk fills up now
    _wait(
        lambda: rows(
            srv.data_dir, "SELECT 1 FROM draft_versions WHERE session_id = ? AND stage = 'raw_cut'", sid
        )
    )
    assert api.balance() == {"available": 0, "frozen": 100, "total": 100}
    srv.disk_full.touch()
    t0 = time.monotonic()
    t.join(15)
    assert not t.is_alive(), "the turn's stream never ended"
    stream = got["s"]
    assert stream.complete and stream.events[-1]["error_code"] == 5070, stream.events[-1:]
    assert "storage is full" in stream.texts()[-1] and str(srv.data_dir) not in str(stream.events)
    assert time.monotonic() - t0 < 6  # at the next write, not after the 15-minute turn timeout
    # credits released, the turn failed, the half-made draft is not the head, the session is free
    assert api.balance() == {"available": 100, "frozen": 0, "total": 100}
    turn = rows(
        srv.data_dir,
        "SELECT t.status, r.status AS rs FROM turns t JOIN reservations r ON r.id = t.reservation_id "
        "WHERE t.session_id = ?",
        sid,
    )
    assert turn == [{"status": "failed", "rs": "released"}]
    st = api.state(sid)
    assert st["version"] == 0 and not st["turn_running"]
    assert not srv.reserve.exists()  # the reserve gave the room to finish the turn
    assert ledger_problems(srv.data_dir, user) == []
    srv.disk_full.unlink()
    again = api.run(sid, "generate a 4-second video about rain")  # not 4090: the session is usable
    assert again.complete and "error_code" not in again.events[-1], again.events[-1:]
    assert api.balance() == {"available": 0, "frozen": 0, "total": 0}
    assert ledger_problems(srv.data_dir, user) == []


def _serve(data_dir: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = server_env(tmp_path / "unused")
    env.pop("PROMPTREEL_DATA_DIR")
    cmd = [sys.executable, "-m", "promptreel.cli", "serve", "--port", "0", "--data-dir", str(data_dir)]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60, cwd=str(TESTS))


def test_an_unusable_data_dir_is_one_line_at_start(tmp_path: Path) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    db_is_a_dir = tmp_path / "db-dir"
    (db_is_a_dir / "promptreel.db").mkdir(parents=True)
    cases = {
        a_file / "data": "cannot be created",  # missing, and its parent is a file
        a_file: "not a directory",
        db_is_a_dir: "database cannot be opened",
    }
    if os.geteuid() != 0:  # root writes anywhere: a read-only directory only binds other users
        ro = tmp_path / "read-only"
        ro.mkdir()
        ro.chmod(0o500)
        cases[ro] = "not writable"
    for path, reason in cases.items():
        done = _serve(path, tmp_path)
        err = done.stderr.strip()
        assert done.returncode == 2, (path, done.stdout[-2000:], err[-2000:])
        assert "Traceback" not in err and len(err.splitlines()) == 1, err[-2000:]
        assert err.startswith("promptreel serve: ") and reason in err, err


def test_a_render_that_hits_a_full_disk_fails_and_says_so(srv: FaultyServer) -> None:
    api = Api(srv.url)
    api.anonymous()
    sid = api.session()["session_id"]
    scenes = [{"d": 1000, "k": "scene", "m": {"headline": f"Scene {i}"}} for i in range(60)]
    draft = {"w": 640, "h": 360, "fps": 30, "t": [{"tt": 0, "sg": scenes}]}
    r = api.render(sid, draft, render_id="render_fullfull")
    assert r.status_code == 200, r.text
    _wait(lambda: api.get("/api/render/proxy/lambda/render_fullfull").json()["status"] == "processing", 60)
    srv.disk_full.touch()  # the disk fills up while the render runs
    job = api.poll("render_fullfull", timeout=90)
    assert job["status"] == "failed", job  # recorded as failed, never left "processing"
    assert str(srv.data_dir) not in str(job) and "/tmp" not in str(job)
    srv.disk_full.unlink()
    again = api.render(sid, {**draft, "t": [{"tt": 0, "sg": scenes[:2]}]}, render_id="render_afterwards")
    assert again.status_code == 200, again.text
    assert api.poll("render_afterwards", timeout=60)["status"] == "completed"
