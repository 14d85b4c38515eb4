"""The edge of the protocol over real HTTP: text that is not Unicode, undeclared methods, the
OpenAPI schema against what the server really accepts, HTTP Range and failed TLS fetches.

Every refusal is the envelope ``{code, message, data}`` with a documented code, never a 500.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx

from conftest import LiveServer
from securitykit import rows
from serverkit import Api

RUN = "/run_sse"
DRAFT = {"w": 320, "h": 180, "t": [{"tt": 0, "sg": [{"d": 1000, "k": "scene"}]}]}


def _envelope(r: httpx.Response) -> dict[str, Any]:
    assert r.headers["content-type"].startswith("application/json"), (r.status_code, r.text)
    body: dict[str, Any] = r.json()
    assert set(body) >= {"code", "message", "data"}, body
    return body


def _turn_body(sid: str, text_json: str) -> bytes:
    """A /run_sse body whose message text is the raw JSON string literal ``text_json``."""
    body = {
        "app_name": "nemo_agent",
        "user_id": "me",
        "session_id": sid,
        "new_message": {"parts": [{"text": 0}]},
    }
    return json.dumps(body).replace('{"text": 0}', '{"text": ' + text_json + "}").encode()


# ------------------------------------------------------------------ lone surrogates (item 6)


def test_lone_surrogates_are_refused_at_the_edge(server_factory: Callable[..., LiveServer]) -> None:
    srv = server_factory(cost_generate=10, cost_edit=2)
    api = Api(srv.url)
    api.anonymous()
    sid = api.session()["session_id"]
    assert api.run(sid, "generate a 2-second video about tea").complete
    before = api.balance()
    turns = len(rows(srv.data_dir, "SELECT id FROM turns"))
    headers = {**api.headers(), "Content-Type": "application/json", "Accept": "text/event-stream"}

    bad_bodies = {
        "escaped high surrogate": _turn_body(sid, r'"make it \ud83d slower"'),
        "escaped low surrogate": _turn_body(sid, r'"make it \uDC00 slower"'),
        "surrogate pair reversed": _turn_body(sid, r'"make it \ude00\ud83d slower"'),
        "raw UTF-8 surrogate bytes": _turn_body(sid, '"make it @@ slower"').replace(b"@@", b"\xed\xa0\xbd"),
    }
    for name, raw in bad_bodies.items():
        r = httpx.post(f"{srv.url}{RUN}", content=raw, headers=headers, timeout=60)
        body = _envelope(r)
        assert (r.status_code, body["code"]) == (422, 4000), (name, r.text)
        assert body["data"]["path"] == "new_message.parts.0.text", (name, body)
        assert "surrogate" in body["message"] or "UTF-8" in body["message"], body
    # nothing started, nothing charged
    assert api.balance() == before
    assert len(rows(srv.data_dir, "SELECT id FROM turns")) == turns

    # a draft text with a lone surrogate, on render: refused before anything is queued
    draft = json.dumps(
        {"w": 320, "h": 180, "t": [{"tt": 7, "sg": [{"d": 1000, "k": "text", "m": {"text": "a@@b"}}]}]}
    ).replace("@@", "\\udc00")
    body_raw = (
        json.dumps({"id": "render_sur", "sessionId": sid, "draft": 0}).replace("0}", draft + "}").encode()
    )
    r = httpx.post(
        f"{srv.url}/api/render/proxy/lambda",
        content=body_raw,
        headers={**api.headers(), "Content-Type": "application/json"},
    )
    body = _envelope(r)
    assert (r.status_code, body["code"]) == (422, 4000), r.text
    assert body["data"]["path"] == "draft.t.0.sg.0.m.text"
    assert rows(srv.data_dir, "SELECT id FROM renders WHERE render_id = 'render_sur'") == []

    # other JSON bodies too (no per-route code): a session name, a URL upload, registration
    for path, raw in [
        ("/api/tasks/me/with-session/nemo_agent", b'{"task_name": "x\\ud800", "language": "en"}'),
        (f"/api/upload-video/nemo_agent/me/{sid}", b'{"urls": ["http://example.com/\\udfff.png"]}'),
        ("/api/auth/register", b'{"username": "sur", "password": "long \\ud800 password"}'),
    ]:
        r = httpx.post(
            f"{srv.url}{path}", content=raw, headers={**api.headers(), "Content-Type": "application/json"}
        )
        assert (r.status_code, _envelope(r)["code"]) == (422, 4000), (path, r.text)
    # a JSON body sent without a Content-Type is read as JSON too, and judged the same way
    r = httpx.post(
        f"{srv.url}/api/tasks/me/with-session/nemo_agent",
        content=b'{"task_name": "x\\ud800"}',
        headers=api.headers(),
    )
    assert (r.status_code, _envelope(r)["code"]) == (422, 4000), r.text

    # query strings: percent-encoded text that is not UTF-8 (an encoded surrogate) is refused
    for q in ("sig=%ED%A0%BD&exp=9999999999&job=j", "job=%ff", "sig=%C3"):
        r = httpx.get(f"{srv.url}/api/render/proxy/render_x/download?{q}")
        assert (r.status_code, _envelope(r)["code"]) == (422, 4000), (q, r.text)

    # real surrogate pairs (emoji) are ordinary text and pass
    ok = httpx.post(
        f"{srv.url}{RUN}",
        content=_turn_body(sid, r'"make it \ud83d\ude00 slower"'),
        headers=headers,
        timeout=120,
    )
    assert ok.status_code == 200 and ok.headers["content-type"].startswith("text/event-stream"), ok.text
    made = api.post("/api/tasks/me/with-session/nemo_agent", json={"task_name": "tea 🍵 time"})
    assert made.status_code == 200 and made.json()["data"]["task_name"] == "tea 🍵 time"
    assert "unexpected error" not in srv.log()
