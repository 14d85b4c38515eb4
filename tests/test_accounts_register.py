"""Registration from the 2001 bind link, and the studio's browser session cookie, over real HTTP.

Decision under test: after registration the trial's projects, uploads, renders and remaining
credits belong to the account; the anonymous token keeps working and now acts for the account
(so a skill that holds it is not broken), while its client id can no longer get a new trial.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import httpx

from conftest import ATTRIBUTION, LiveServer
from serverkit import Api


def png(w: int = 32, h: int = 24) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        return struct.pack(">I", len(data)) + kind + data + crc

    raw = b"".join(b"\0" + bytes([20, 120, 220]) * w for _ in range(h))
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    )


def _cookie_header(r: httpx.Response) -> str:
    cookies = [v for k, v in r.headers.multi_items() if k.lower() == "set-cookie"]
    assert len(cookies) == 1, cookies
    return cookies[0]


def test_register_from_the_2001_link_moves_the_trial(server_factory: Callable[..., LiveServer]) -> None:
    srv = server_factory(cost_generate=60)
    anon = Api(srv.url)
    anon.anonymous()
    sess = anon.session()
    sid = sess["session_id"]
    assert anon.run(sid, "generate a 3-second video about green tea").complete
    up = anon.post(
        f"/api/upload-video/nemo_agent/me/{sid}", files={"files": ("logo.png", png(), "image/png")}
    )
    assert up.status_code == 200, up.text
    media_id = up.json()["data"]["files"][0]["media_id"]
    assert anon.render(sid, None, "render_trial").status_code == 200
    assert anon.poll("render_trial")["status"] == "completed"

    # out of credits: the 2001 names the registration link with this trial's bind id
    short = anon.run(anon.session()["session_id"], "generate a 3-second video about rain")
    assert short.body is not None and short.body["code"] == 2001
    link = short.body["data"]["register_url"]
    assert link in short.body["message"]
    parts = urlsplit(link)
    assert parts.path == "/register" and parse_qs(parts.query)["bind"] == [sess["bind_id"]]
    assert link.startswith(srv.url)
    page = httpx.get(link)
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]

    browser = httpx.Client(base_url=srv.url, headers=ATTRIBUTION, timeout=60)
    r = browser.post(
        "/api/auth/register",
        json={"username": "ana.lee", "password": "a long passphrase", "bind_id": sess["bind_id"]},
    )
    assert r.status_code == 200, r.text
    reg = r.json()["data"]
    assert reg["moved_credits"] == 40 and reg["credits"] == 40
    cookie = _cookie_header(r)
    assert cookie.startswith("promptreel_session=") and reg["token"] not in cookie.split(";", 1)[1]
    attrs = {a.strip().lower() for a in cookie.split(";")[1:]}
    assert {"httponly", "samesite=strict", "path=/"} <= attrs

    # the browser, by its cookie alone, sees the trial's project, upload, render and credits
    me = browser.get("/api/auth/me").json()["data"]
    assert me["kind"] == "registered" and me["username"] == "ana.lee" and me["user_id"] == reg["user_id"]
    assert browser.get("/api/credits/balance/simple").json()["data"] == {
        "available": 40,
        "frozen": 0,
        "total": 40,
    }
    state = browser.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["data"]
    assert state["ready"] and [m["media_id"] for m in state["state"]["video_infos"]] == [media_id]
    done = browser.get("/api/render/proxy/lambda/render_trial").json()
    assert done["status"] == "completed" and done["output"]["url"]
    kinds = [(e["kind"], e["available_delta"]) for e in browser.get("/api/credits/history").json()["data"]]
    assert kinds == [("transfer", 40)]

    # the anonymous token acts for the account now; its client id gets no second trial
    assert anon.balance()["available"] == 40
    assert anon.get("/api/auth/me").json()["data"]["user_id"] == reg["user_id"]
    again = httpx.post(f"{srv.url}/api/auth/anonymous-token", headers={"X-Client-Id": anon.client_id})
    assert again.status_code in (401, 429) and again.json()["code"] in (1001, 429)
    # the bind link is spent
    reuse = httpx.post(
        f"{srv.url}/api/auth/register",
        json={"username": "ana2", "password": "a long passphrase", "bind_id": sess["bind_id"]},
    )
    assert reuse.status_code == 422 and reuse.json()["code"] == 4000


def test_sign_in_cookie_drives_the_studio_api(server_factory: Callable[..., LiveServer]) -> None:
    srv = server_factory()
    assert (
        httpx.post(
            f"{srv.url}/api/auth/register", json={"username": "cam", "password": "another long one"}
        ).status_code
        == 200
    )
    browser = httpx.Client(base_url=srv.url, headers=ATTRIBUTION, timeout=60)
    bad = browser.post("/api/auth/login", json={"username": "cam", "password": "not the password"})
    assert bad.status_code == 401 and bad.json()["code"] == 1001 and "set-cookie" not in bad.headers
    r = browser.post("/api/auth/login", json={"username": "cam", "password": "another long one"})
    assert r.status_code == 200
    assert "httponly" in _cookie_header(r).lower()

    # studio calls with the cookie only: new project, a chat turn, its state, the settings page
    made = browser.post("/api/tasks/me/with-session/nemo_agent", json={"task_name": "p", "language": "en"})
    assert made.status_code == 200, made.text
    sid = made.json()["data"]["session_id"]
    body = {
        "app_name": "nemo_agent",
        "user_id": "me",
        "session_id": sid,
        "new_message": {"parts": [{"text": "hello"}]},
    }
    with browser.stream("POST", "/run_sse", json=body, headers={"Accept": "text/event-stream"}) as s:
        assert s.status_code in (200, 402), s.read()
    assert browser.get(f"/api/state/nemo_agent/me/{sid}/latest").json()["code"] == 0
    page = browser.get("/settings")
    assert page.status_code == 200 and "API Tokens" in page.text and "account.js" in page.text
    assert browser.get("/static/js/account.js").status_code == 200

    # the cookie does not work from another site (CSRF guard), and an explicit bearer wins over it
    cross = browser.post(
        "/api/tasks/me/with-session/nemo_agent",
        json={"task_name": "x", "language": "en"},
        headers={"Origin": "https://evil.example"},
    )
    assert cross.status_code == 403 and cross.json()["code"] == 4030
    same = browser.post(
        "/api/tasks/me/with-session/nemo_agent",
        json={"task_name": "x", "language": "en"},
        headers={"Origin": srv.url},
    )
    assert same.status_code == 200
    wrong = browser.get("/api/credits/balance/simple", headers={"Authorization": "Bearer nmv_usr_nope"})
    assert wrong.status_code == 401

    # sign out revokes the session's token at once and clears the cookie
    token_id = browser.get("/api/auth/me").json()["data"]["token_id"]
    out = browser.post("/api/auth/logout")
    assert out.json()["data"] == {"signed_out": True, "revoked": True}
    assert 'promptreel_session=""' in _cookie_header(out) or "max-age=0" in _cookie_header(out).lower()
    browser.cookies.clear()
    stale = httpx.get(
        f"{srv.url}/api/credits/balance/simple", cookies={"promptreel_session": r.json()["data"]["token"]}
    )
    assert stale.status_code == 401 and stale.json()["code"] == 1001
    assert token_id.startswith("tok_")
    assert browser.get("/api/auth/me").json()["code"] == 1001


def test_cookie_is_secure_behind_https(server_factory: Callable[..., LiveServer]) -> None:
    srv = server_factory(public_url="https://studio.example.org")
    r = httpx.post(f"{srv.url}/api/auth/register", json={"username": "dee", "password": "long enough pw"})
    assert r.status_code == 200
    attrs = {a.strip().lower() for a in _cookie_header(r).split(";")[1:]}
    assert "secure" in attrs and "samesite=strict" in attrs
