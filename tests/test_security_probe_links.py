"""Signed download links over HTTP, attacked: a link is good only exactly as signed, only for its
own kind of file, and only while its project exists."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from conftest import LiveServer, server_env
from serverkit import Api

DRAFT = {"w": 320, "h": 180, "t": [{"tt": 0, "sg": [{"d": 1000, "k": "scene", "m": {"text": "secret"}}]}]}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    d = tmp_path_factory.mktemp("probe_links")
    srv = LiveServer(d, server_env(d, fake_engines=1)).start()
    yield srv
    srv.stop()


def _mp4(api: Api, sid: str, rid: str) -> dict[str, Any]:
    assert api.render(sid, DRAFT, render_id=rid).status_code == 200
    done = api.poll(rid)
    assert done["status"] == "completed", done
    return done


def _parts(url: str) -> tuple[str, dict[str, str]]:
    u = urlsplit(url)
    return u.path, {k: v[0] for k, v in parse_qs(u.query).items()}


def test_a_link_is_good_only_as_signed(server: LiveServer) -> None:
    api = Api(server.url)
    api.anonymous()
    sid = api.session()["session_id"]
    path, q = _parts(_mp4(api, sid, "render_exact")["output"]["url"])
    http = httpx.Client(base_url=server.url, timeout=30)
    assert http.get(path, params=q).status_code == 200
    exp = q["exp"]
    for bad in ("0" + exp, "+" + exp, " " + exp, exp + " ", "٣" * len(exp), exp + ".0"):
        r = http.get(path, params={**q, "exp": bad})
        assert r.status_code == 401 and r.json()["code"] == 1001, (bad, r.text)
    r = http.get(path, params={**q, "sig": q["sig"].upper()})
    assert r.status_code == 401 and r.json()["code"] == 1001


def test_a_project_zip_never_downloads_as_an_mp4(server: LiveServer) -> None:
    api = Api(server.url)
    api.anonymous()
    sid = api.session()["session_id"]
    body = {"sessionId": sid, "format": "otio", "quality": "preview", "id": "proj_kind", "draft": DRAFT}
    assert api.post("/api/project/export", json=body).status_code == 200
    done = api.poll("proj_kind")
    assert done["status"] == "completed", done
    path, q = _parts(done["output"]["url"])
    assert httpx.get(server.url + path, params=q, timeout=30).headers["content-type"] == "application/zip"
    # the same signature on the MP4 route, and the bearer download there: refused, not a zip labelled video/mp4
    for r in (
        httpx.get(f"{server.url}/api/render/proxy/proj_kind/download", params=q, timeout=30),
        api.get("/api/render/proxy/proj_kind/download"),
    ):
        assert r.status_code == 404 and r.json()["code"] == 4040, r.text
        assert "/api/project/proj_kind/download" in r.json()["message"]


def test_a_deleted_project_takes_its_links_with_it(server: LiveServer) -> None:
    api = Api(server.url)
    api.anonymous()
    s = api.session()
    sid = s["session_id"]
    done = _mp4(api, sid, "render_gone")
    url = done["output"]["url"]
    assert httpx.get(url, timeout=30).status_code == 200
    r = api.http.delete(f"/api/projects/me/{sid}", headers=api.headers())
    assert r.status_code == 200 and r.json()["data"]["deleted"] is True
    for r in (
        httpx.get(url, timeout=30),  # the signed link handed out before
        api.get("/api/render/proxy/render_gone/download"),  # by id with the owner's token
        api.get("/api/render/proxy/lambda/render_gone"),  # polled for a fresh link
    ):
        assert r.status_code == 404 and r.json()["code"] == 4040, r.text
        assert "secret" not in r.text and done["data"]["job_id"] not in r.text
    # the same id in the deleted project is the project's 1002; in a new project it is a new export
    again = api.render(sid, DRAFT, render_id="render_gone")
    assert again.status_code == 404 and again.json()["code"] == 1002
    fresh = _mp4(api, api.session()["session_id"], "render_gone")
    assert fresh["data"]["job_id"] != done["data"]["job_id"]
    assert httpx.get(fresh["output"]["url"], timeout=30).status_code == 200
    assert httpx.get(url, timeout=30).status_code == 404
    time.sleep(0.1)
    assert api.get("/api/health").status_code == 200
