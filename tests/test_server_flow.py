"""The seed's whole flow over real HTTP: token → session → /run_sse → state → render → download."""

from __future__ import annotations

import io
from collections.abc import Callable

import av
import httpx
import pytest

from conftest import LiveServer
from serverkit import COFFEE, Api


def _decode(data: bytes) -> tuple[int, int, float, int]:
    with av.open(io.BytesIO(data)) as c:
        v = c.streams.video[0]
        frames = sum(1 for _ in c.decode(v))
        seconds = float(c.duration or 0) / av.time_base
        return v.codec_context.width, v.codec_context.height, seconds, frames


def test_seed_flow_end_to_end(live_server: str) -> None:
    api = Api(live_server)
    tok = api.anonymous()
    assert tok["token"].startswith("nmv_usr_") and tok["credits"] == 100
    sess = api.session()
    assert {"task_id", "session_id", "bind_id"} <= set(sess)

    turn = api.run(sess["session_id"], COFFEE)
    assert turn.status == 200 and turn.complete
    # stage events, in order, with matching responses
    assert turn.calls()[:2] == ["generate_raw_cut", "add_post_production"]
    assert turn.responses() == ["generate_raw_cut", "add_post_production"]
    assert turn.heartbeats >= 1  # the fake stages take long enough for ≥ 1 ping at 0.2 s
    assert turn.ids == sorted(turn.ids) and len(set(turn.ids)) == len(turn.ids)
    assert all(e["author"] == "nemo_agent" and e["content"]["role"] == "model" for e in turn.events)
    assert [e["turn_complete"] for e in turn.events].count(True) == 1
    assert any("30-second" in t for t in turn.texts())

    st = api.state(sess["session_id"])
    draft = st["state"]["draft"]
    assert st["ready"] and st["version"] >= 2 and st["task_id"] == sess["task_id"]
    assert any(t["sg"] for t in draft["t"]) and draft["d"] == 30_000
    assert {t["tt"] for t in draft["t"]} == {0, 1, 7}
    assert st["state"]["canvas_config"] == {"width": 1920, "height": 1080, "fps": 30, "aspect_ratio": "16:9"}
    assert api.balance() == {"available": 0, "frozen": 0, "total": 0}  # 100 spent on generation

    r = api.render(sess["session_id"], draft, "render_flow_1")
    assert r.status_code == 200, r.text
    assert r.json()["status"] in ("pending", "processing", "completed")
    done = api.poll("render_flow_1")
    assert done["status"] == "completed" and done["data"]["status"] == "completed"
    assert done["progress"] == 1.0
    out = done["output"]
    assert out == done["data"]["output"] and out["duration"] == 30_000
    assert "sig=" in out["url"] and "Bearer" not in out["url"]

    # the signed link works with no Authorization header at all
    plain = httpx.get(out["url"], timeout=60)
    assert plain.status_code == 200 and plain.headers["content-type"] == "video/mp4"
    assert len(plain.content) == out["size"]
    width, height, seconds, frames = _decode(plain.content)
    assert (width, height) == (out["width"], out["height"]) and width * 9 == height * 16
    assert abs(seconds - 30.0) < 0.2 and frames == 300

    # the /download fallback with the bearer token, and HTTP Range
    full = api.get("/api/render/proxy/render_flow_1/download")
    assert full.status_code == 200 and full.content == plain.content
    part = api.http.get(
        "/api/render/proxy/render_flow_1/download", headers={**api.headers(), "Range": "bytes=0-99"}
    )
    assert part.status_code == 206 and part.content == plain.content[:100]
    assert part.headers["content-range"] == f"bytes 0-99/{len(plain.content)}"
    tail = httpx.get(out["url"], headers={"Range": "bytes=-50"})
    assert tail.status_code == 206 and tail.content == plain.content[-50:]

    # the finished export shows in the state
    st = api.state(sess["session_id"])
    assert [m["id"] for m in st["state"]["generated_media"]] == ["render_flow_1"]


def test_tampered_or_expired_link_is_refused(live_server: str) -> None:
    api = Api(live_server)
    api.anonymous()
    sid = api.session()["session_id"]
    assert api.run(sid, "generate a 4-second video about tea").complete
    draft = api.state(sid)["state"]["draft"]
    assert api.render(sid, draft, "render_sig").status_code == 200
    url = api.poll("render_sig")["output"]["url"]
    bad = url.replace("sig=", "sig=0")
    r = httpx.get(bad)
    assert r.status_code == 401 and r.json()["code"] == 1001
    expired = httpx.URL(url).copy_set_param("exp", "1000")
    assert httpx.get(expired).json()["code"] == 1001
    # no signature and no token
    assert httpx.get(f"{live_server}/api/render/proxy/render_sig/download").json()["code"] == 1001


@pytest.mark.slow
def test_seed_flow_with_the_real_studio(server_factory: Callable[..., LiveServer]) -> None:
    srv = server_factory(studio="", heartbeat_s=1.0, fake_engines="1", cost_generate=50, cost_edit=50)
    api = Api(srv.url)
    api.anonymous()
    sid = api.session()["session_id"]
    turn = api.run(sid, "generate a 6-second video about a coffee brand", timeout=600)
    assert turn.complete, turn.events[-1:]
    assert turn.calls()[:2] == ["generate_raw_cut", "add_post_production"]
    edit = api.run(sid, "make it vertical", timeout=600)
    assert edit.complete and "set_aspect" in edit.calls() and edit.texts()
    st = api.state(sid)
    assert st["ready"] and st["state"]["canvas_config"]["aspect_ratio"] == "9:16"
    draft = st["state"]["draft"]
    body = {
        "id": "render_real",
        "sessionId": sid,
        "draft": draft,
        "output": {"format": "mp4", "quality": "low"},
    }
    assert api.post("/api/render/proxy/lambda", json=body).status_code == 200
    done = api.poll("render_real", timeout=600)
    assert done["status"] == "completed", done
    data = httpx.get(done["output"]["url"], timeout=60).content
    width, height, seconds, _ = _decode(data)
    assert 0 < width < height  # the vertical edit reached the file
    assert abs(seconds * 1000 - draft["d"]) < 300
