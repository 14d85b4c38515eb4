"""Every code in the protocol's error table, provoked over real HTTP, with the right status."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from conftest import LiveServer
from serverkit import COFFEE, Api

OVERLAP = {
    "t": [
        {"tt": 0, "sg": [{"s": 0, "d": 3000, "m": {"text": "a"}}, {"s": 2000, "d": 3000, "m": {"text": "b"}}]}
    ]
}


def _err(r: httpx.Response, status: int, code: int) -> dict:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) >= {"code", "message", "data"} and body["code"] == code, body
    assert "Traceback" not in r.text
    return body


def test_400_without_client_id(live_server: str) -> None:
    r = httpx.post(f"{live_server}/api/auth/anonymous-token")
    _err(r, 400, 400)


def test_1001_missing_malformed_unknown_and_claim_tokens(live_server: str) -> None:
    url = f"{live_server}/api/credits/balance/simple"
    _err(httpx.get(url), 401, 1001)
    _err(httpx.get(url, headers={"Authorization": "Token abc"}), 401, 1001)
    _err(httpx.get(url, headers={"Authorization": "Bearer nmv_usr_nope"}), 401, 1001)
    api = Api(live_server)
    api.anonymous()
    s = api.session()
    ct = api.post(
        "/api/auth/claim-token", json={"task_id": s["task_id"], "session_id": s["session_id"]}
    ).json()
    claim = ct["data"]["claim_token"]
    assert claim.startswith("clm_") and ct["data"]["expires_in"] == 604800
    assert ct["data"]["url"].endswith(f"/workspace/claim?ct={claim}")
    _err(httpx.get(url, headers={"Authorization": f"Bearer {claim}"}), 401, 1001)  # no API access
    opened = httpx.get(f"{live_server}/api/claim/{claim}").json()
    assert opened["code"] == 0 and opened["data"]["read_only"]
    assert s["session_id"] not in str(opened) and s["bind_id"] not in str(opened)  # no usable ids
    _err(httpx.get(f"{live_server}/api/claim/clm_unknown"), 401, 1001)


def test_1002_unknown_and_foreign_sessions(live_server: str) -> None:
    a, b = Api(live_server), Api(live_server)
    a.anonymous()
    b.anonymous()
    sid = a.session()["session_id"]
    _err(b.get(f"/api/state/nemo_agent/me/{sid}/latest"), 404, 1002)
    _err(a.get("/api/state/nemo_agent/me/ses_nope/latest"), 404, 1002)
    r = b.run(sid, "hello")
    assert r.status == 404 and r.body and r.body["code"] == 1002
    _err(b.post(f"/api/upload-video/nemo_agent/me/{sid}", files={"files": ("a.png", b"x")}), 404, 1002)
    _err(b.render(sid, OVERLAP), 404, 1002)
    r = b.post("/api/auth/claim-token", json={"task_id": "task_x", "session_id": sid})
    _err(r, 404, 1002)


def test_4003_bad_draft_names_the_exact_path(live_server: str) -> None:
    api = Api(live_server)
    api.anonymous()
    sid = api.session()["session_id"]
    body = _err(api.render(sid, OVERLAP), 422, 4003)
    assert body["data"]["path"] == "t[0].sg[1].s" and "overlaps" in body["message"]
    body = _err(api.render(sid, {"t": [{"tt": 3, "sg": []}]}), 422, 4003)
    assert body["data"]["path"] == "t[0].tt"
    body = _err(api.render(sid, {"t": [{"tt": 0, "sg": [{"s": 0, "d": -5}]}]}), 422, 4003)
    assert body["data"]["path"] == "t[0].sg[0].d"
    body = _err(api.render(sid, {"t": [{"tt": 0, "sg": []}]}), 422, 4003)  # not ready: nothing to export
    assert body["data"]["path"] == "t"
    body = _err(api.render(sid, "not a draft"), 422, 4003)
    assert body["data"]["path"] == "$"


def test_402_attribution_names_the_missing_header(live_server: str) -> None:
    api = Api(live_server)
    api.anonymous()
    sid = api.session()["session_id"]
    h = {k: v for k, v in api.headers().items() if k != "X-Skill-Platform"}
    body = {"id": "render_attr", "sessionId": sid, "draft": OVERLAP, "output": {"format": "mp4"}}
    r = api.http.post("/api/render/proxy/lambda", json=body, headers=h)
    err = _err(r, 402, 402)
    assert "X-Skill-Platform" in err["message"] and err["data"]["missing_header"] == "X-Skill-Platform"


def test_4000_validation_4040_unknown_path_and_4001_by_content(live_server: str) -> None:
    api = Api(live_server)
    api.anonymous()
    sid = api.session()["session_id"]
    r = api.http.post(
        "/api/render/proxy/lambda",
        content=b"{not json",
        headers={**api.headers(), "Content-Type": "application/json"},
    )
    _err(r, 422, 4000)
    body = _err(api.post("/api/render/proxy/lambda", json={"id": "x"}), 422, 4000)
    assert "sessionId" in body["message"]
    _err(api.get("/api/no/such/path"), 404, 4040)
    # a text file named .mp4 → judged by content
    r = api.post(
        f"/api/upload-video/nemo_agent/me/{sid}", files={"files": ("clip.mp4", b"hello world" * 100)}
    )
    body = _err(r, 415, 4001)
    assert "mp4" in body["message"]
    _err(api.post(f"/api/upload-video/nemo_agent/me/{sid}", files={"files": ("empty.png", b"")}), 415, 4001)


def test_limits_credits_scopes_and_rate(server_factory: Callable[..., LiveServer]) -> None:
    srv = server_factory(
        cost_generate=150,
        max_upload_bytes=200_000,
        anonymous_scopes=["read", "write", "upload"],
        tokens_per_ip=3,
        token_ttl_s=600,
    )
    api = Api(srv.url)
    api.anonymous()
    sess = api.session()
    sid = sess["session_id"]

    # 2001: generation costs 150, the trial has 100 → refused, nothing started or frozen
    r = api.run(sid, COFFEE)
    assert r.status == 402 and r.body and r.body["code"] == 2001
    assert f"/register?bind={sess['bind_id']}" in r.body["message"]
    assert r.body["data"]["register_url"].endswith(f"/register?bind={sess['bind_id']}")
    assert api.balance() == {"available": 100, "frozen": 0, "total": 100}
    assert api.state(sid)["version"] == 0

    # 402: the token has no 'render' scope (checked before the draft)
    body = _err(api.render(sid, OVERLAP), 402, 402)
    assert "render" in body["message"] and body["data"]["missing_scope"] == "render"

    # 4002: too large, streamed; the partial file is removed and nothing is stored
    big = b"\x89PNG\r\n\x1a\n" + b"\0" * 300_000
    body = _err(
        api.post(f"/api/upload-video/nemo_agent/me/{sid}", files={"files": ("big.png", big)}), 413, 4002
    )
    files = Path(srv.data_dir) / "files"
    assert not list((files / "tmp").iterdir()) and not list((files / "blobs").rglob("*"))
    assert api.state(sid)["state"]["video_infos"] == []

    # 429: the same client id again while its token is valid
    r = httpx.post(f"{srv.url}/api/auth/anonymous-token", headers={"X-Client-Id": api.client_id})
    _err(r, 429, 429)
    assert 1 <= int(r.headers["Retry-After"]) <= 600
    # 429: at most 3 tokens per IP per window
    for _ in range(2):
        Api(srv.url).anonymous()
    r = httpx.post(f"{srv.url}/api/auth/anonymous-token", headers={"X-Client-Id": str(uuid.uuid4())})
    _err(r, 429, 429)
    assert int(r.headers["Retry-After"]) >= 1
    # (1001 for an expired token: tests/test_clock_expiry.py, on an injected clock)


@pytest.mark.parametrize("scope_path", ["/api/credits/balance/simple"])
def test_4030_other_scope_missing(server_factory: Callable[..., LiveServer], scope_path: str) -> None:
    srv = server_factory(anonymous_scopes=["write"])
    api = Api(srv.url)
    api.anonymous()
    body = _err(api.get(scope_path), 403, 4030)
    assert body["data"]["missing_scope"] == "read"


def test_openapi_documents_every_endpoint_and_code(live_server: str) -> None:
    spec = httpx.get(f"{live_server}/openapi.json").json()
    paths = spec["paths"]
    for p in [
        "/api/auth/anonymous-token",
        "/api/auth/claim-token",
        "/api/tasks/me/with-session/{app_name}",
        "/run_sse",
        "/api/upload-video/{app_name}/me/{session_id}",
        "/api/credits/balance/simple",
        "/api/state/{app_name}/me/{session_id}/latest",
        "/api/render/proxy/lambda",
        "/api/render/proxy/lambda/{render_id}",
        "/api/render/proxy/{render_id}/download",
    ]:
        assert p in paths, p
        for op in paths[p].values():
            assert op.get("description") and "500" in op["responses"]
    text = str(spec)
    for code in (
        "400:",
        "1001:",
        "1002:",
        "2001:",
        "402:",
        "4001:",
        "4002:",
        "429:",
        "4003:",
        "4090:",
        "4000:",
    ):
        assert code in text, code
    assert httpx.get(f"{live_server}/docs").status_code == 200


def test_tokens_never_reach_the_log_or_the_database(server_factory: Callable[..., LiveServer]) -> None:
    srv = server_factory()
    api = Api(srv.url)
    token = api.anonymous()["token"]
    s = api.session()
    claim = api.post(
        "/api/auth/claim-token", json={"task_id": s["task_id"], "session_id": s["session_id"]}
    ).json()
    ct = claim["data"]["claim_token"]
    assert httpx.get(f"{srv.url}/api/claim/{ct}").status_code == 200
    assert httpx.get(f"{srv.url}/api/claim/{ct}?ct={ct}").status_code == 200
    log = srv.log()
    assert "/api/claim/clm_***" in log
    assert ct not in log and token not in log
    db = (srv.data_dir / "promptreel.db").read_bytes() + b"".join(
        p.read_bytes() for p in srv.data_dir.glob("promptreel.db-*")
    )
    assert token.encode() not in db and ct.encode() not in db
