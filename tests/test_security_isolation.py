"""Token A can never read, stream, render, download or upload into token B's projects; a claim
token opens exactly one project, read-only, and nothing else."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from conftest import LiveServer, server_env
from promptreel.service.uploads import UploadService
from promptreel.settings import Settings
from promptreel.storage import BlobStore, Database
from securitykit import png, rows, user_of
from serverkit import Api

DRAFT = {"w": 320, "h": 180, "t": [{"tt": 0, "sg": [{"d": 1000, "k": "scene", "m": {"text": "b's secret"}}]}]}


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    d = tmp_path_factory.mktemp("isolation")
    s = LiveServer(d, server_env(d)).start()
    yield s
    s.stop()


@pytest.fixture(scope="module")
def live_server(srv: LiveServer) -> str:
    return srv.url


@pytest.fixture(scope="module")
def world(live_server: str) -> dict[str, Any]:
    a, b = Api(live_server), Api(live_server)
    a.anonymous()
    b.anonymous()
    a_sid = a.session()["session_id"]
    bs = b.session()
    b_sid = bs["session_id"]
    assert b.run(b_sid, "generate a 4-second video about b's secret recipe").complete
    up = b.post(f"/api/upload-video/nemo_agent/me/{b_sid}", files=[("files", ("b.png", png()))])
    media_id = up.json()["data"]["files"][0]["media_id"]
    assert b.render(b_sid, DRAFT, render_id="render_b").status_code == 200
    done = b.poll("render_b")
    assert done["status"] == "completed"
    ct = b.post("/api/auth/claim-token", json={"task_id": bs["task_id"], "session_id": b_sid}).json()["data"]
    return {
        "a": a,
        "b": b,
        "a_sid": a_sid,
        "b_sid": b_sid,
        "b_task": bs["task_id"],
        "media_id": media_id,
        "url": done["output"]["url"],
        "job_id": done["data"]["job_id"],
        "ct": ct["claim_token"],
        "b_state": b.state(b_sid),
    }


def _no_leak(r: httpx.Response, w: dict[str, Any]) -> None:
    assert "secret" not in r.text and w["media_id"] not in r.text and w["job_id"] not in r.text


def test_a_cannot_read_or_stream_b_sessions(world: dict[str, Any]) -> None:
    a, b_sid = world["a"], world["b_sid"]
    r = a.get(f"/api/state/nemo_agent/me/{b_sid}/latest")
    assert (r.status_code, r.json()["code"]) == (404, 1002)
    _no_leak(r, world)
    for extra in ({}, {"last_event_id": 1}, {"last_event_id": 0}):
        s = a.run(b_sid, "generate a 4-second video about b's secret recipe", **extra)
        assert s.status == 404 and s.body and s.body["code"] == 1002, s
        assert not s.events
    r = a.post("/api/auth/claim-token", json={"task_id": world["b_task"], "session_id": b_sid})
    assert (r.status_code, r.json()["code"]) == (404, 1002)
    r = a.post("/api/auth/claim-token", json={"task_id": world["b_task"], "session_id": world["a_sid"]})
    assert r.json()["code"] == 1002  # task and session must belong together and to the caller
    assert world["b"].state(b_sid)["version"] == world["b_state"]["version"]  # nothing ran


def test_a_cannot_render_poll_or_download_b_renders(world: dict[str, Any], live_server: str) -> None:
    a, b_sid = world["a"], world["b_sid"]
    r = a.render(b_sid, DRAFT)
    assert (r.status_code, r.json()["code"]) == (404, 1002)
    r = a.render(b_sid, None)  # export b's current draft
    assert (r.status_code, r.json()["code"]) == (404, 1002)
    r = a.get("/api/render/proxy/lambda/render_b")
    assert (r.status_code, r.json()["code"]) == (404, 4040)
    _no_leak(r, world)
    r = a.get("/api/render/proxy/render_b/download")
    assert (r.status_code, r.json()["code"]) == (404, 4040)
    # the same client id in a's namespace is a's own, new job
    mine = a.render(world["a_sid"], DRAFT, render_id="render_b")
    assert mine.status_code == 200 and mine.json()["data"]["job_id"] != world["job_id"]
    # b's signed link works without a token, but its signature covers only that job
    assert httpx.get(world["url"]).status_code == 200
    own = a.poll("render_b")["data"]["job_id"]
    forged = world["url"].replace(world["job_id"], own)
    r = httpx.get(forged)
    assert (r.status_code, r.json()["code"]) == (401, 1001)
    r = httpx.get(world["url"].split("?")[0])  # no signature, no token
    assert r.json()["code"] == 1001


def test_a_cannot_upload_into_b_sessions(world: dict[str, Any]) -> None:
    a, b, b_sid = world["a"], world["b"], world["b_sid"]
    r = a.post(f"/api/upload-video/nemo_agent/me/{b_sid}", files=[("files", ("x.png", png(16, 16)))])
    assert (r.status_code, r.json()["code"]) == (404, 1002)
    r = a.post(f"/api/upload-video/nemo_agent/me/{b_sid}", json={"urls": ["http://example.com/x.png"]})
    assert (r.status_code, r.json()["code"]) == (404, 1002)
    assert len(b.state(b_sid)["state"]["video_infos"]) == 1
    assert a.state(world["a_sid"])["state"]["video_infos"] == []


def test_media_resolution_is_per_owner(world: dict[str, Any], srv: LiveServer) -> None:
    """The renderer resolves a draft's media ids only among the render owner's uploads."""
    data = srv.data_dir
    a_user = user_of(data, world["a"].token)
    b_user = user_of(data, world["b"].token)
    svc = UploadService(
        Database(f"sqlite:///{data / 'promptreel.db'}"), BlobStore(data / "files"), Settings()
    )
    assert svc.media_path(b_user)(world["media_id"]) is not None
    assert svc.media_path(a_user)(world["media_id"]) is None
    blob = rows(data, "SELECT blob FROM media WHERE id = ?", world["media_id"])[0]["blob"]
    assert svc.media_path(a_user)(blob) is None


def test_claim_token_opens_one_project_read_only(world: dict[str, Any], live_server: str) -> None:
    ct, b_sid = world["ct"], world["b_sid"]
    r = httpx.get(f"{live_server}/api/claim/{ct}")
    assert r.status_code == 200
    got = r.json()["data"]
    assert got["read_only"] is True and b_sid not in r.text  # the project, without ids usable elsewhere
    # no API access at all as a bearer token
    h = {"Authorization": f"Bearer {ct}"}
    for method, path, body in [
        ("GET", f"/api/state/nemo_agent/me/{b_sid}/latest", None),
        ("GET", "/api/credits/balance/simple", None),
        ("POST", "/api/tasks/me/with-session/nemo_agent", {"task_name": "x"}),
        ("POST", "/run_sse", {"session_id": b_sid, "new_message": {"parts": [{"text": "make it vertical"}]}}),
        ("POST", "/api/render/proxy/lambda", {"id": "r_ct", "sessionId": b_sid}),
        ("GET", "/api/render/proxy/lambda/render_b", None),
        ("GET", "/api/render/proxy/render_b/download", None),
        ("POST", f"/api/upload-video/nemo_agent/me/{b_sid}", {"urls": ["http://example.com/a.png"]}),
        ("POST", "/api/auth/claim-token", {"task_id": world["b_task"], "session_id": b_sid}),
        ("GET", "/api/tokens", None),
    ]:
        r = httpx.request(method, f"{live_server}{path}", json=body, headers=h)
        assert (r.status_code, r.json()["code"]) == (401, 1001), (path, r.text)
    # no write path takes a claim token; forged or truncated ones open nothing
    for bad in (ct[:-1], ct + "x", "clm_" + "A" * 43, world["a"].token, "../" + ct):
        r = httpx.get(f"{live_server}/api/claim/{bad}")
        assert r.json()["code"] in (1001, 4040), bad
        assert "secret" not in r.text
