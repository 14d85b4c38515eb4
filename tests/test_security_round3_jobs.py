"""Jobs against a deleted project, attacked over HTTP: an export queued or running when its project
is deleted never finishes (queued: never starts; running: stopped at its next progress point) and
keeps no file; deleting while exports are submitted in parallel leaves none running."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from conftest import LiveServer
from securitykit import blob_files, rows, tmp_files
from serverkit import Api

LONG = {"w": 320, "h": 180, "t": [{"tt": 0, "sg": [{"d": 10_000, "k": "scene", "m": {"text": "long"}}]}]}


def _job(data_dir: Any, job_id: str) -> dict[str, Any]:
    return rows(data_dir, "SELECT * FROM renders WHERE id = ?", job_id)[0]


def _wait(cond: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def _delete(api: Api, sid: str) -> None:
    r = api.http.delete(f"/api/projects/me/{sid}", headers=api.headers())
    assert r.status_code == 200 and r.json()["data"]["deleted"] is True, r.text


@pytest.mark.parametrize("processes", [False, True], ids=["threads", "worker-processes"])
def test_exports_of_a_deleted_project_stop_and_keep_nothing(
    server_factory: Callable[..., LiveServer], processes: bool
) -> None:
    srv = server_factory(FAKE_STUDIO_RENDER_S=8, render_workers=1, job_processes=processes)
    api = Api(srv.url)
    api.anonymous()
    sid = api.session()["session_id"]
    keep = api.session()["session_id"]  # another project of the same user goes on
    running = api.render(sid, LONG, render_id="render_running").json()["data"]["job_id"]
    queued_mp4 = api.render(sid, LONG, render_id="render_queued").json()["data"]["job_id"]
    body = {"sessionId": sid, "format": "otio", "id": "project_queued", "draft": LONG}
    queued_zip = api.post("/api/project/export", json=body).json()["data"]["job_id"]
    _wait(lambda: _job(srv.data_dir, running)["progress"] > 0)
    _delete(api, sid)
    t0 = time.monotonic()
    # the running one stops at its next progress point (0.8 s apart here), not after its 8 s
    _wait(lambda: f"render {running} stopped" in srv.log(), timeout=4)
    assert time.monotonic() - t0 < 4
    for job_id in (running, queued_mp4, queued_zip):
        job = _job(srv.data_dir, job_id)
        assert job["status"] == "failed" and "deleted" in job["error"], job
        assert job["blob"] is None
    for job_id in (queued_mp4, queued_zip):
        assert _job(srv.data_dir, job_id)["started_at"] is None  # never started
    # the other project's export runs as ever (and is the only file kept)
    short = {"w": 320, "h": 180, "t": [{"tt": 0, "sg": [{"d": 1000, "k": "scene"}]}]}
    assert api.render(keep, short, render_id="render_kept").status_code == 200
    assert api.poll("render_kept")["status"] == "completed"
    time.sleep(1.0)
    blobs = blob_files(srv.data_dir)
    kept = rows(srv.data_dir, "SELECT blob FROM renders WHERE blob IS NOT NULL")
    assert len(blobs) == 1 and [b.name for b in blobs] == [kept[0]["blob"]], blobs
    assert [p for p in tmp_files(srv.data_dir) if p.suffix in (".mp4", ".zip")] == []
    for rid in ("render_running", "render_queued"):
        assert api.get(f"/api/render/proxy/lambda/{rid}").status_code == 404
    assert "Traceback" not in srv.log()


def test_exports_racing_a_delete_never_run_after_it(server_factory: Callable[..., LiveServer]) -> None:
    srv = server_factory(FAKE_STUDIO_RENDER_S=3, render_workers=2)
    api = Api(srv.url)
    api.anonymous()
    sid = api.session()["session_id"]
    answers: list[int] = []

    def submit(i: int) -> None:
        answers.append(api.render(sid, LONG, render_id=f"render_race_{i}").status_code)

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(12)]
    for t in threads[:6]:
        t.start()
    time.sleep(0.3)
    deleter = threading.Thread(target=_delete, args=(api, sid))
    deleter.start()
    for t in threads[6:]:
        t.start()
    for t in [*threads, deleter]:
        t.join()
    assert set(answers) <= {200, 404}, answers  # accepted before the delete, or "no such project"
    time.sleep(2.0)
    jobs = rows(srv.data_dir, "SELECT status, error, blob FROM renders WHERE session_id = ?", sid)
    assert jobs and all(j["status"] == "failed" and j["blob"] is None for j in jobs), jobs
    assert blob_files(srv.data_dir) == []
    r = api.get("/api/health")
    assert r.status_code == 200


def test_the_same_export_sent_twenty_times_at_once_is_one_job(
    server_factory: Callable[..., LiveServer],
) -> None:
    srv = server_factory()
    api = Api(srv.url)
    api.anonymous()
    sid = api.session()["session_id"]
    short = {"w": 320, "h": 180, "t": [{"tt": 0, "sg": [{"d": 1000, "k": "scene"}]}]}
    gate = threading.Barrier(20)
    answers: list[Any] = []

    def send() -> None:
        gate.wait()
        answers.append(api.render(sid, short, render_id="render_once"))

    threads = [threading.Thread(target=send) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(a.status_code == 200 for a in answers), [a.text for a in answers if a.status_code != 200]
    assert len({a.json()["data"]["job_id"] for a in answers}) == 1
    assert api.poll("render_once")["status"] == "completed"
    assert rows(srv.data_dir, "SELECT COUNT(*) AS n FROM renders WHERE session_id = ?", sid)[0]["n"] == 1
    assert api.balance()["available"] == 100  # exports cost nothing, however often they are sent
