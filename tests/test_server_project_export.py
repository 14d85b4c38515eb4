"""Editor projects over HTTP: a zipped OTIO / FCP / EDL / JianYing project as a durable job with a
signed, expiring link (HTTP Range), errors in the protocol envelope, free like the MP4 export."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import httpx
import pytest

from conftest import LiveServer, server_env
from serverkit import Api


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    d = tmp_path_factory.mktemp("project_export")
    srv = LiveServer(d, server_env(d, fake_engines=1)).start()
    yield srv
    srv.stop()


def _ready(api: Api) -> str:
    if not api.token:
        api.anonymous()
    sid: str = api.session()["session_id"]
    assert api.run(sid, "generate a 6-second video about tea").complete
    return sid


def _export(api: Api, sid: str, fmt: str, pid: str | None = None) -> dict[str, Any]:
    body = {"sessionId": sid, "format": fmt, "quality": "preview", **({"id": pid} if pid else {})}
    r = api.post("/api/project/export", json=body)
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_project_zip_by_signed_link_with_range(server: LiveServer) -> None:
    api = Api(server.url)
    sid = _ready(api)
    before = api.balance()
    started = _export(api, sid, "Premiere", "proj_premiere")
    assert started["code"] == 0 and started["id"] == "proj_premiere"
    assert started["status"] in ("pending", "processing", "completed")
    again = _export(api, sid, "otio", "proj_premiere")  # the same id is the same job
    assert again["data"]["job_id"] == started["data"]["job_id"]
    done = api.poll("proj_premiere")
    assert done["status"] == "completed", done
    out = done["output"]
    assert out["format"] == "fcp7" and out["size"] > 0
    url = out["url"]
    assert url.startswith(server.url + "/api/project/proj_premiere/download?") and "sig=" in url
    r = httpx.get(url, timeout=30)  # the signed link needs no token
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    assert unquote(r.headers["content-disposition"]).endswith("Fake (fcp7).zip")
    names = zipfile.ZipFile(io.BytesIO(r.content)).namelist()
    assert any(n.endswith(".xml") for n in names) and "draft.json" in names
    assert any(n.endswith(".mp4") for n in names) and any(n.endswith(".wav") for n in names)
    part = httpx.get(url, headers={"Range": "bytes=0-9"}, timeout=30)
    assert part.status_code == 206 and part.content == r.content[:10]
    past = httpx.get(url, headers={"Range": f"bytes={len(r.content)}-"}, timeout=30)
    assert past.status_code == 416 and past.json()["code"] == 4160
    bad = httpx.get(url.replace("sig=", "sig=0"), timeout=30)  # tampered: refused in the envelope
    assert bad.status_code == 401 and "expired" in bad.json()["message"]
    assert api.get("/api/project/proj_premiere/download").status_code == 200  # the bearer works too
    # exports are free, and a project zip is not listed among the session's videos
    assert api.balance() == before
    media = api.state(sid)["state"].get("generated_media") or []
    assert all(m["output"]["format"] == "mp4" for m in media)


@pytest.mark.parametrize("fmt,suffix", [("otio", ".otio"), ("剪映", "draft_content.json")])
def test_other_formats(server: LiveServer, fmt: str, suffix: str) -> None:
    api = Api(server.url)
    sid = _ready(api)
    done = api.poll(_export(api, sid, fmt)["id"])
    assert done["status"] == "completed", done
    names = zipfile.ZipFile(io.BytesIO(httpx.get(done["output"]["url"], timeout=30).content)).namelist()
    assert any(n.endswith(suffix) for n in names), names


def test_errors_in_the_envelope(server: LiveServer) -> None:
    api = Api(server.url)
    api.anonymous()
    sid = api.session()["session_id"]
    r = api.post("/api/project/export", json={"sessionId": sid, "format": "premiere"})
    assert r.json()["code"] == 4003 and "generate" in r.json()["message"], r.text
    sid2 = _ready(api)
    body = api.post("/api/project/export", json={"sessionId": sid2, "format": "avid"}).json()
    assert body["code"] == 4003 and "otio" in body["message"] and body["data"]["path"] == "format"
    assert (
        api.post("/api/project/export", json={"sessionId": "ses_nope", "format": "otio"}).json()["code"] != 0
    )
    r = api.http.post("/api/project/export", json={"sessionId": sid2, "format": "otio"})  # no token
    assert r.status_code == 401 and r.json()["code"] != 0
    r = api.get("/api/project/nope/download")
    assert r.status_code == 404 and r.json()["code"] != 0


@pytest.mark.parametrize(
    "message,fmt,said",
    [("export for Premiere", "fcp7", "Premiere"), ("导出剪映草稿", "jianying", "剪映")],
)
def test_export_asked_in_chat(server: LiveServer, message: str, fmt: str, said: str) -> None:
    api = Api(server.url)
    sid = _ready(api)
    before = api.balance()
    stream = api.run(sid, message)
    assert stream.complete
    call = next(
        p["function_call"] for e in stream.events for p in e["content"]["parts"] if "function_call" in p
    )
    assert call["name"] == "export" and call["args"] == {"format": fmt}
    result = next(
        p["function_response"]["response"]
        for e in stream.events
        for p in e["content"]["parts"]
        if "function_response" in p
    )
    assert result["status"] == "completed" and result["format"] == fmt, result
    assert result["url"].startswith("/api/project/") and "sig=" in result["url"]
    text = " ".join(stream.texts())
    assert said in text and result["url"] in text
    r = httpx.get(server.url + result["url"], timeout=30)
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    assert api.balance() == before  # free, and the draft did not change
