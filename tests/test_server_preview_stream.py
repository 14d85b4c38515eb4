"""A preview is watched while it renders: its status carries a signed stream link whose body is
the file as it is written, ending when the render ends; exports never stream."""

from __future__ import annotations

import time
from collections.abc import Callable

from conftest import LiveServer
from serverkit import Api


def _ready_session(api: Api) -> tuple[str, dict]:
    sid = api.session()["session_id"]
    assert api.run(sid, "generate a 6-second video about tea").complete
    return sid, api.state(sid)["state"]["draft"]


def _submit(api: Api, sid: str, draft: dict, render_id: str, quality: str) -> None:
    body = {
        "id": render_id,
        "sessionId": sid,
        "draft": draft,
        "output": {"format": "mp4", "quality": quality},
    }
    assert api.post("/api/render/proxy/lambda", json=body).status_code == 200


def test_a_preview_streams_while_it_renders_and_the_stream_is_the_file(
    server_factory: Callable[..., LiveServer],
) -> None:
    srv = server_factory(FAKE_STUDIO_RENDER_S=3)
    api = Api(srv.url)
    api.anonymous()
    sid, draft = _ready_session(api)
    _submit(api, sid, draft, "render_preview", "preview")
    link = None
    deadline = time.monotonic() + 60
    while link is None and time.monotonic() < deadline:
        body = api.get("/api/render/proxy/lambda/render_preview").json()
        assert body["status"] in ("pending", "processing"), body  # slow enough to be watched
        link = body["data"].get("stream_url")
        time.sleep(0.05)
    assert link is not None and link.startswith(srv.url + "/api/render/proxy/render_preview/stream?")
    # the link needs no token (a <video> element sends none) and follows the file to its end
    with api.http.stream("GET", link, headers={}) as r:
        assert r.status_code == 200 and r.headers["content-type"] == "video/mp4"
        assert r.headers["cache-control"] == "no-store"
        streamed = b"".join(r.iter_bytes())
    done = api.poll("render_preview")
    assert done["status"] == "completed" and "stream_url" not in done["data"]
    final = api.http.get(done["output"]["url"])
    assert final.status_code == 200 and streamed == final.content and len(streamed) > 1000
    # once the render has ended the stream is gone: the file link is the way
    gone = api.http.get(link)
    assert gone.status_code == 404 and gone.json()["code"] == 4040
    # a link that was not signed for this job is refused
    forged = link.replace("sig=", "sig=0")
    assert api.http.get(forged).json()["code"] == 1001
    other_job = link.replace("job=rj_", "job=rj_x")
    assert api.http.get(other_job).json()["code"] in (1001, 4040)


def test_an_export_never_streams(server_factory: Callable[..., LiveServer]) -> None:
    srv = server_factory(FAKE_STUDIO_RENDER_S=2)
    api = Api(srv.url)
    api.anonymous()
    sid, draft = _ready_session(api)
    _submit(api, sid, draft, "render_high", "high")
    seen = []
    while True:
        body = api.get("/api/render/proxy/lambda/render_high").json()
        seen.append(body)
        if body["status"] in ("completed", "failed"):
            break
        time.sleep(0.1)
    assert body["status"] == "completed"
    assert any(b["status"] == "processing" for b in seen)
    assert all("stream_url" not in b["data"] for b in seen)
