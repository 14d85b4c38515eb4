"""Second attacker's pass over HTTP against a real server: export ids that are no file name,
HEAD on downloads, API docs that need no CDN, control characters in token names, and clients
that send their request too slowly."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from conftest import LiveServer, server_env
from serverkit import Api

DRAFT = {"w": 320, "h": 180, "t": [{"tt": 0, "sg": [{"d": 1000, "k": "scene", "m": {"text": "hello"}}]}]}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    d = tmp_path_factory.mktemp("probe_round2")
    srv = LiveServer(d, server_env(d, fake_engines=1)).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def world(server: LiveServer) -> dict[str, Any]:
    api = Api(server.url)
    api.anonymous()
    return {"api": api, "sid": api.session()["session_id"]}


# 1. export ids ---------------------------------------------------------------------------------

BAD_IDS = [".", "..", "../x", "a/b", "a\\b", "a\x00b", ".hidden", "-rf", "a b", "x\n", "ид", "x" * 129]


@pytest.mark.parametrize("rid", BAD_IDS, ids=lambda r: repr(r)[:20])
def test_an_export_id_that_is_no_file_name_is_refused(world: dict[str, Any], rid: str) -> None:
    api: Api = world["api"]
    r = api.render(world["sid"], DRAFT, render_id=rid)
    assert r.status_code == 422 and r.json()["code"] == 4000, r.text
    assert r.json()["data"]["path"] == "id" or r.json()["data"]["path"].startswith("id"), r.text
    assert "id" in r.json()["message"]
    body = {"sessionId": world["sid"], "format": "otio", "id": rid, "draft": DRAFT}
    p = api.post("/api/project/export", json=body)
    assert p.status_code == 422 and p.json()["code"] == 4000, p.text


@pytest.mark.parametrize(
    "rid", ["render_1712345678901", "render-2.b", "_x", "550e8400-e29b-41d4-a716-446655440000"]
)
def test_every_ordinary_export_id_still_works(world: dict[str, Any], rid: str) -> None:
    api: Api = world["api"]
    r = api.render(world["sid"], DRAFT, render_id=rid)
    assert r.status_code == 200 and r.json()["code"] == 0, r.text
    assert api.get(f"/api/render/proxy/lambda/{rid}").json()["data"]["id"] == rid


# 2. HEAD on downloads --------------------------------------------------------------------------


def test_head_on_a_download_answers_like_get_without_a_body(
    server: LiveServer, world: dict[str, Any]
) -> None:
    api: Api = world["api"]
    assert api.render(world["sid"], DRAFT, render_id="render_head").status_code == 200
    done = api.poll("render_head")
    assert done["status"] == "completed", done
    u = urlsplit(done["output"]["url"])
    signed = f"{server.url}{u.path}?{u.query}"
    got = httpx.get(signed, timeout=30)
    assert got.status_code == 200 and got.content
    with httpx.Client(timeout=30) as http:
        for head in (
            http.head(signed),
            http.head(f"{server.url}/api/render/proxy/render_head/download", headers=api.headers()),
        ):
            assert head.status_code == 200, head.text
            assert head.content == b""
            assert head.headers["content-length"] == str(len(got.content))
            assert head.headers["content-type"] == "video/mp4"
            assert head.headers["accept-ranges"] == "bytes"
        # the same checks: a bad signature, no token, someone else's token
        other = Api(server.url)
        other.anonymous()
        for refused in (
            http.head(signed.replace("sig=", "sig=0")),
            http.head(f"{server.url}/api/render/proxy/render_head/download"),
            http.head(f"{server.url}/api/render/proxy/render_head/download", headers=other.headers()),
        ):
            assert refused.status_code in (401, 404), refused.status_code
            assert refused.content == b""
        part = http.head(signed, headers={"Range": "bytes=0-9"})
        assert part.status_code == 206 and part.headers["content-length"] == "10"


# 3. API docs without a CDN ---------------------------------------------------------------------


def test_the_docs_page_names_no_other_origin(server: LiveServer) -> None:
    r = httpx.get(f"{server.url}/docs", timeout=30)
    assert r.status_code == 200
    assert "http://" not in r.text and "https://" not in r.text and "//cdn" not in r.text
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "<script>" not in r.text  # no inline script
    assert httpx.get(f"{server.url}/openapi.json", timeout=30).json()["info"]["title"] == "promptreel"
    assert httpx.get(f"{server.url}/docs/assets/..%2Fpackage.json", timeout=30).status_code == 404
    assert httpx.get(f"{server.url}/docs/assets/index.html", timeout=30).status_code == 404


def test_the_docs_load_in_chromium_without_network(server: LiveServer, browser: Any) -> None:
    from studiokit import needs_chromium

    needs_chromium()
    ctx = browser.new_context()
    outside: list[str] = []
    problems: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith(server.url):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page = ctx.new_page()
    page.route("**/*", route)
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    try:
        page.goto(f"{server.url}/docs")
        page.get_by_text("/api/render/proxy/lambda", exact=True).first.wait_for(timeout=30_000)
        assert "promptreel" in page.locator(".info .title").inner_text()
    finally:
        ctx.close()
    assert outside == []
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems


# 4. token names --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["a\x1b[2Jb", "line\nbreak", "tab\there", "del\x7f", "c1\x85", "rlo\u202eexe"]
)
def test_a_token_name_with_control_characters_is_refused(server: LiveServer, name: str) -> None:
    user = f"tn{time.time_ns() % 10**9}"
    reg = httpx.post(f"{server.url}/api/auth/register", json={"username": user, "password": "long password"})
    api = Api(server.url, token=reg.json()["data"]["token"])
    r = api.post("/api/tokens", json={"name": name, "scopes": ["read"]})
    assert r.status_code == 422 and r.json()["code"] == 4000, r.text
    assert r.json()["data"]["path"] == "name" and "control characters" in r.json()["message"]
    ok = api.post("/api/tokens", json={"name": "CI bot — 部署", "scopes": ["read"]})
    assert ok.status_code == 200 and ok.json()["data"]["name"] == "CI bot — 部署", ok.text


def test_the_cli_refuses_a_token_name_with_control_characters(server: LiveServer) -> None:
    httpx.post(f"{server.url}/api/auth/register", json={"username": "clibot", "password": "long password"})
    env = {k: v for k, v in os.environ.items() if not k.startswith("PROMPTREEL_")}
    env["PROMPTREEL_DATA_DIR"] = str(server.data_dir)
    env["COLUMNS"] = "200"
    run = subprocess.run(
        [sys.executable, "-m", "promptreel.cli", "tokens", "create", "clibot", "-n", "evil\x1b]0;x\x07"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "name" in run.stderr and "control characters" in run.stderr
    assert "nmv_api_" not in run.stdout


# 5. slow clients -------------------------------------------------------------------------------


def _closed_after(port: int, first: bytes, trickle: bytes, every: float, limit: float) -> tuple[float, bytes]:
    """Send ``first``, then ``trickle`` every ``every`` s; seconds until the server closed, and what it said."""
    start = time.monotonic()
    got = b""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        if first:
            s.sendall(first)
        s.settimeout(every)
        while time.monotonic() - start < limit:
            try:
                chunk = s.recv(65536)
            except TimeoutError:
                if trickle:
                    try:
                        s.sendall(trickle)
                    except OSError:
                        break
                continue
            except OSError:
                break
            if not chunk:
                break
            got += chunk
        else:
            pytest.fail(f"the connection was still open after {limit} s (got {got!r})")
    return time.monotonic() - start, got


def test_slow_clients_are_closed_in_bounded_time(server: LiveServer, world: dict[str, Any]) -> None:
    port = int(server.url.rsplit(":", 1)[1])
    api: Api = world["api"]
    auth = "".join(f"{k}: {v}\r\n" for k, v in api.headers().items())
    body_head = (
        f"POST /api/tasks/me/with-session/nemo_agent HTTP/1.1\r\nHost: x\r\n{auth}"
        "Content-Type: application/json\r\nContent-Length: 5000\r\n\r\n"
    ).encode()
    cases = {
        "idle": (b"", b"", 2.0),
        "slow headers": (b"GET /api/health HTTP/1.1\r\nHost: x\r\n", b"X-A: b\r\n", 1.0),
        "slow body": (body_head + b'{"task_name": "', b"a", 1.0),
        "stalled body": (body_head + b'{"task_name": "', b"", 2.0),
    }
    results: dict[str, tuple[float, bytes] | BaseException] = {}

    def one(name: str, first: bytes, trickle: bytes, every: float) -> None:
        try:
            results[name] = _closed_after(port, first, trickle, every, limit=50.0)
        except BaseException as exc:
            results[name] = exc

    threads = [threading.Thread(target=one, args=(n, *c)) for n, c in cases.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for name in cases:
        res = results[name]
        assert not isinstance(res, BaseException), (name, res)
        took, said = res
        assert took <= 45, (name, took)
        if "body" in name:
            assert said.startswith(b"HTTP/1.1 408"), (name, said)
            assert b'"code":4080' in said.replace(b" ", b""), (name, said)
    # the server still serves everyone else
    assert httpx.get(f"{server.url}/api/health", timeout=10).status_code == 200


def test_a_body_sent_in_pieces_at_a_steady_pace_is_read(server: LiveServer, world: dict[str, Any]) -> None:
    api: Api = world["api"]
    pieces = [b'{"task_name": ', b'"steady", "language": ', b'"en"}']

    def body() -> Iterator[bytes]:
        for i, p in enumerate(pieces):
            if i:
                time.sleep(2)
            yield p

    r = httpx.post(
        f"{server.url}/api/tasks/me/with-session/nemo_agent",
        content=body(),
        headers={**api.headers(), "Content-Type": "application/json"},
        timeout=60,
    )
    assert r.status_code == 200 and r.json()["code"] == 0, r.text
