"""The render queue: idempotent ids, one export per session at a time, restarts, progress."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx

from conftest import LiveServer
from serverkit import Api


def _ready_session(api: Api, seconds: int = 4) -> tuple[str, dict]:
    sid = api.session()["session_id"]
    assert api.run(sid, f"generate a {seconds}-second video about tea").complete
    return sid, api.state(sid)["state"]["draft"]


def test_same_id_is_the_same_job_and_sessions_queue(server_factory: Callable[..., LiveServer]) -> None:
    srv = server_factory(FAKE_STUDIO_RENDER_S=1.5, render_workers=2)
    api = Api(srv.url)
    api.anonymous()
    sid, draft = _ready_session(api)
    a = api.render(sid, draft, "render_a").json()
    again = api.render(sid, {"garbage": True}, "render_a").json()  # same id → same job, body ignored
    assert again["data"]["job_id"] == a["data"]["job_id"]
    b = api.render(sid, None, "render_b").json()  # no draft → the session's current draft
    assert b["data"]["job_id"] != a["data"]["job_id"]
    # while a runs, b (same session) waits even though a second worker is free
    saw_progress = set()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        sb = api.get("/api/render/proxy/lambda/render_b").json()  # b first: if b runs, a must be done
        sa = api.get("/api/render/proxy/lambda/render_a").json()
        saw_progress.add(sa["progress"])
        if sb["status"] == "processing":
            assert sa["status"] == "completed"
        elif sb["status"] == "pending":
            assert sb["data"]["queue_position"] >= 0
        if sb["status"] == "completed":
            break
        time.sleep(0.1)
    sa = api.get("/api/render/proxy/lambda/render_a").json()
    assert sa["status"] == "completed" and sb["status"] == "completed"
    assert sb["data"]["started_at"] >= sa["data"]["finished_at"]
    assert any(0 < p < 1 for p in saw_progress)
    assert all(0 <= p <= 1 for p in saw_progress)
    assert api.get("/api/render/proxy/lambda/render_missing").json()["code"] == 4040
    # another user cannot see or download these renders
    other = Api(srv.url)
    other.anonymous()
    assert other.get("/api/render/proxy/lambda/render_a").status_code == 404
    assert other.get("/api/render/proxy/render_a/download").status_code == 404
    # export is free
    assert api.balance()["available"] == 0


def test_restart_during_a_queued_render(server_factory: Callable[..., LiveServer]) -> None:
    srv = server_factory(job_processes=True, FAKE_STUDIO_RENDER_S=3.0)  # as served: worker processes
    api = Api(srv.url)
    api.anonymous()
    sid, draft = _ready_session(api, seconds=6)
    api.render(sid, draft, "render_1")
    api.render(sid, draft, "render_2")
    deadline = time.monotonic() + 30
    while api.get("/api/render/proxy/lambda/render_1").json()["status"] != "processing":
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert api.get("/api/render/proxy/lambda/render_2").json()["status"] == "pending"
    srv.restart(kill=True)  # kill -9 while one render runs and one is queued
    tmp = srv.data_dir / "files" / "tmp"
    assert not list(tmp.iterdir())  # the partial output was removed at startup
    r1 = api.poll("render_1")
    r2 = api.poll("render_2")
    assert r1["status"] == r2["status"] == "completed"
    assert r1["data"]["job_id"] != r2["data"]["job_id"]
    # the same id after the restart is still the same job
    assert api.render(sid, draft, "render_1").json()["data"]["job_id"] == r1["data"]["job_id"]
    assert httpx.get(r2["output"]["url"]).status_code == 200
