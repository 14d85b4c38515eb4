"""Authentication: expired, revoked and malformed tokens are 1001; issuing is rate limited (429 with
Retry-After); tokens exist only as hashes in the database and never appear in the server log."""

from __future__ import annotations

import hashlib
import http.server
import re
import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from conftest import LiveServer
from securitykit import png, rows, user_of
from serverkit import Api

BALANCE = "/api/credits/balance/simple"


def _code(r: httpx.Response) -> tuple[int, int]:
    return r.status_code, r.json()["code"]


def _register(api: Api, bind_id: str) -> httpx.Response:
    """Register a fresh account from the trial ``bind_id`` (its projects become the account's)."""
    return api.post(
        "/api/auth/register",
        json={
            "username": f"u{uuid.uuid4().hex[:10]}",
            "password": "correct horse battery",
            "bind_id": bind_id,
        },
    )


def test_malformed_tokens_are_1001(live_server: str) -> None:
    api = Api(live_server)
    good = api.anonymous()["token"]
    headers = [
        None,
        "",
        "Bearer",
        "bearer",
        f"Basic {good}",
        f"Token {good}",
        good,
        f"Bearer {good[:-1]}",
        f"Bearer {good}x",
        f"Bearer {good.upper()}",
        f"Bearer {good} {good}",
        "Bearer nmv_usr_",
        "Bearer " + "A" * 600,
        "Bearer nmv_usr_' OR '1'='1",
        "Bearer %00" + good,
        "Bearer clm_" + good[8:],
    ]
    for h in headers:
        r = httpx.get(f"{live_server}{BALANCE}", headers={"Authorization": h} if h is not None else {})
        assert _code(r) == (401, 1001), (h, r.text)
        assert good not in r.text
    # non-ASCII bytes in the header are refused the same way
    r = httpx.get(f"{live_server}{BALANCE}", headers={b"Authorization": "Bearer ñ".encode()})
    assert _code(r) == (401, 1001)
    assert (
        httpx.get(f"{live_server}{BALANCE}", headers={"Authorization": f"Bearer {good}"}).status_code == 200
    )
    assert (
        httpx.get(f"{live_server}{BALANCE}", headers={"Authorization": f"bearer   {good}"}).status_code == 200
    )


def test_revoked_api_token_is_1001_at_once(live_server: str) -> None:
    api = Api(live_server)
    anon = api.anonymous()
    reg = _register(api, anon["bind_id"])
    assert reg.status_code == 200, reg.text
    acct = Api(live_server, token=reg.json()["data"]["token"])
    made = acct.post("/api/tokens", json={"name": "ci", "scopes": ["read"]}).json()["data"]
    user = Api(live_server, token=made["token"])
    assert user.get(BALANCE).status_code == 200
    assert acct.http.delete(f"/api/tokens/{made['id']}", headers=acct.headers()).status_code == 200
    r = user.get(BALANCE)
    assert _code(r) == (401, 1001) and "revoked" in r.json()["message"]
    # a token cannot be revoked by someone else
    other = Api(live_server)
    other.anonymous()
    r = other.http.delete(f"/api/tokens/{made['id']}", headers=other.headers())
    assert r.json()["code"] in (4030, 4040)


def test_rate_limits_hashes_and_logs(server_factory: Callable[..., LiveServer]) -> None:
    # expiry itself is checked on an injected clock (tests/test_clock_expiry.py)
    srv = server_factory(token_ttl_s=600, claim_ttl_s=600, tokens_per_ip=4)
    api = Api(srv.url)
    token = api.anonymous()["token"]
    # a second token for the same client while the first is valid → 429 with Retry-After
    r = httpx.post(f"{srv.url}/api/auth/anonymous-token", headers={"X-Client-Id": api.client_id})
    assert _code(r) == (429, 429) and 590 <= int(r.headers["Retry-After"]) <= 600
    s = api.session()
    sid = s["session_id"]
    ct = api.post("/api/auth/claim-token", json={"task_id": s["task_id"], "session_id": sid}).json()["data"][
        "claim_token"
    ]
    assert httpx.get(f"{srv.url}/api/claim/{ct}").status_code == 200
    httpx.get(f"{srv.url}/workspace/claim?ct={ct}")
    draft = {"w": 320, "h": 180, "t": [{"tt": 0, "sg": [{"d": 1000, "k": "scene"}]}]}
    assert api.render(sid, draft, render_id="render_log").status_code == 200
    url = api.poll("render_log")["output"]["url"]
    sig = url.split("sig=")[1].split("&")[0]
    assert httpx.get(url).status_code == 200
    httpx.get(f"{srv.url}/api/state/nemo_agent/me/x/latest", headers={"Authorization": f"Bearer {token}"})
    issued: list[str] = []
    # per-IP limit: 4 tokens per window (the first one above counts), then 429 with a Retry-After
    # no longer than the window
    for _ in range(3):
        r = httpx.post(f"{srv.url}/api/auth/anonymous-token", headers={"X-Client-Id": str(uuid.uuid4())})
        assert r.status_code == 200, r.text
        issued.append(r.json()["data"]["token"])
    r = httpx.post(f"{srv.url}/api/auth/anonymous-token", headers={"X-Client-Id": str(uuid.uuid4())})
    assert _code(r) == (429, 429)
    wait = int(r.headers["Retry-After"])
    assert 1 <= wait <= 600 and r.json()["data"]["retry_after"] == wait
    # sign-in throttle: 10 wrong passwords, then 429
    for _ in range(10):
        r = httpx.post(f"{srv.url}/api/auth/login", json={"username": "nobody", "password": "wrong-password"})
        assert _code(r) == (401, 1001)
    r = httpx.post(f"{srv.url}/api/auth/login", json={"username": "nobody", "password": "wrong-password"})
    assert _code(r) == (429, 429) and int(r.headers["Retry-After"]) > 0
    for t in issued:
        httpx.get(f"{srv.url}{BALANCE}", headers={"Authorization": f"Bearer {t}"})

    # every token, the claim token and the download signature: absent from the database files
    # (only SHA-256 hashes are kept) and from the server's log
    secrets = [token, *issued, ct, sig]
    stored = b"".join(p.read_bytes() for p in srv.data_dir.glob("promptreel.db*"))
    for secret in secrets:
        assert secret.encode() not in stored, secret[:12]
    hashes = {r["token_hash"] for r in rows(srv.data_dir, "SELECT token_hash FROM tokens")}
    assert {hashlib.sha256(t.encode()).hexdigest() for t in [token, *issued, ct]} <= hashes
    log = "".join(p.read_text(errors="replace") for p in srv.data_dir.glob("server-*.log"))
    assert "/api/claim/" in log and "sig=" in log  # the requests were logged…
    for secret in secrets:
        assert secret not in log, secret[:12]  # …without their secrets


def _strings(value: object) -> set[str]:
    """Every string in a JSON value, with the values of any query string inside it."""
    if isinstance(value, dict):
        return set().union(*(_strings(v) for v in value.values()), set(map(str, value)))
    if isinstance(value, list):
        return set().union(set(), *(_strings(v) for v in value))
    if not isinstance(value, str):
        return set()
    found = {value}
    for part in re.split(r"[?&=/]", value):
        found.add(part)
    return found


@pytest.fixture
def png_source() -> Iterator[str]:
    """A loopback web server (127.0.0.4) that serves a picture at a pre-signed-looking URL."""
    body = png()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a: Any) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.4", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.4:{httpd.server_address[1]}/pic.png?X-Amz-Signature=presigned0secret"
    httpd.shutdown()


def test_claim_link_grants_nothing(server_factory: Callable[..., LiveServer], png_source: str) -> None:
    """A claim link shows one project read-only and holds nothing that binds or opens the trial."""
    srv = server_factory(cost_generate=10, url_allow_hosts=["127.0.0.4"])
    victim = Api(srv.url)
    anon = victim.anonymous()
    s = victim.session()
    sid = s["session_id"]
    assert victim.run(sid, "generate a 2-second video about green tea").complete
    up = victim.post(f"/api/upload-video/nemo_agent/me/{sid}", files={"files": ("a.png", png(), "image/png")})
    assert up.status_code == 200, up.text
    up = victim.post(f"/api/upload-video/nemo_agent/me/{sid}", json={"urls": [png_source]})
    assert up.status_code == 200, up.text
    before = victim.balance()
    victim_user = user_of(srv.data_dir, victim.token or "")
    ct = victim.post("/api/auth/claim-token", json={"task_id": s["task_id"], "session_id": sid}).json()[
        "data"
    ]["claim_token"]

    opened = httpx.get(f"{srv.url}/api/claim/{ct}")
    assert opened.status_code == 200 and opened.json()["data"]["read_only"] is True
    assert opened.json()["data"]["state"]["draft"]["t"], "the claim link still shows the project"
    for secret in (anon["bind_id"], s["task_id"], sid, victim_user, victim.token, "presigned0secret"):
        assert secret not in opened.text, secret[:8]
    assert len(opened.json()["data"]["state"]["video_infos"]) == 2  # the uploads are shown, not their sources

    # whoever holds the link tries every string in it as a registration link: nothing moves
    candidates = sorted(
        x for x in _strings(opened.json()) if re.fullmatch(r"[A-Za-z]+_[A-Za-z0-9_\-]{4,}", x)
    )
    assert candidates, "the answer names its renders and media"
    for n, cand in enumerate(candidates):
        r = httpx.post(
            f"{srv.url}/api/auth/register",
            json={"username": f"thief{n}", "password": "a long passphrase", "bind_id": cand},
        )
        assert r.status_code == 422 and r.json()["code"] == 4000, (cand, r.text)
    me = victim.get("/api/auth/me").json()["data"]
    assert me["kind"] == "anonymous" and me["user_id"] == victim_user
    assert victim.balance() == before
    assert {r["user_id"] for r in rows(srv.data_dir, "SELECT user_id FROM sessions")} == {victim_user}
    assert {r["user_id"] for r in rows(srv.data_dir, "SELECT user_id FROM media")} == {victim_user}
    assert rows(srv.data_dir, "SELECT id FROM users WHERE kind = 'registered'") == []

    # the registration link's bind id stays out of the server log
    assert httpx.get(f"{srv.url}/register?bind={anon['bind_id']}").status_code == 200
    log = "".join(p.read_text(errors="replace") for p in srv.data_dir.glob("server-*.log"))
    assert "/register?bind=" in log and anon["bind_id"] not in log

    # the trial's own client still turns it into an account: with its bind id (the 2001 link) …
    reg = httpx.post(
        f"{srv.url}/api/auth/register",
        json={"username": "owner.one", "password": "a long passphrase", "bind_id": anon["bind_id"]},
    )
    assert reg.status_code == 200, reg.text
    assert reg.json()["data"]["moved_credits"] == before["available"]
    assert victim.get("/api/auth/me").json()["data"]["username"] == "owner.one"
    # … or with its own bearer token and no bind id (the studio's register page)
    other = Api(srv.url)
    other.anonymous()
    osid = other.session()["session_id"]
    r = other.post("/api/auth/register", json={"username": "owner.two", "password": "a long passphrase"})
    assert r.status_code == 200, r.text
    account = r.json()["data"]["user_id"]
    assert rows(srv.data_dir, "SELECT user_id FROM sessions WHERE id = ?", osid) == [{"user_id": account}]


def test_claim_link_needs_read_scope(server_factory: Callable[..., LiveServer]) -> None:
    """A token that cannot read cannot mint a link that reads (draft, uploads, signed render links)."""
    srv = server_factory()
    r = httpx.post(f"{srv.url}/api/auth/register", json={"username": "scoper", "password": "long password"})
    assert r.status_code == 200, r.text
    admin = Api(srv.url, token=r.json()["data"]["token"])
    s = admin.session()
    body = {"task_id": s["task_id"], "session_id": s["session_id"]}

    def token(*scopes: str) -> Api:
        made = admin.post("/api/tokens", json={"name": "t", "scopes": list(scopes)})
        assert made.status_code == 200, made.text
        return Api(srv.url, token=made.json()["data"]["token"])

    for scopes in (["write"], ["write", "upload", "render"]):
        refused = token(*scopes).post("/api/auth/claim-token", json=body)
        assert _code(refused) == (403, 4030), (scopes, refused.text)
        assert refused.json()["data"]["missing_scope"] == "read"
        assert "clm_" not in refused.text
    assert rows(srv.data_dir, "SELECT id FROM tokens WHERE kind = 'claim'") == []
    ok = token("read", "write").post("/api/auth/claim-token", json=body)
    assert ok.status_code == 200 and ok.json()["data"]["claim_token"].startswith("clm_")


def test_polled_reads_authenticate_like_every_route(live_server: str) -> None:
    """The state and render-status reads authenticate inside their own work (one thread hop):
    the same refusals as every other route, and a revoked token stops reading at once."""
    owner = Api(live_server)
    anon = owner.anonymous()
    sid = owner.session()["session_id"]
    assert owner.run(sid, "make a 10-second video about tea").complete
    draft = owner.state(sid)["state"]["draft"]
    rid = f"render_{uuid.uuid4().hex[:12]}"
    assert owner.render(sid, draft, rid).status_code == 200
    state = f"/api/state/nemo_agent/me/{sid}/latest"
    poll = f"/api/render/proxy/lambda/{rid}"
    for path in (state, poll):
        assert _code(httpx.get(f"{live_server}{path}")) == (401, 1001)
        for h in (
            "Bearer",
            f"Basic {owner.token}",
            f"Bearer {owner.token}x",
            "Bearer clm_" + anon["token"][8:],
        ):
            assert _code(httpx.get(f"{live_server}{path}", headers={"Authorization": h})) == (401, 1001), h
    # someone else's project and export do not exist for this token
    stranger = Api(live_server)
    stranger.anonymous()
    assert _code(stranger.get(state)) == (404, 1002)
    assert _code(stranger.get(poll)) == (404, 4040)
    # the trial registers: its token now acts for the account and still reads the project
    reg = _register(owner, anon["bind_id"])
    assert reg.status_code == 200, reg.text
    account = reg.json()["data"]
    body = owner.get(state).json()
    assert body["code"] == 0 and body["data"]["session_id"] == sid
    assert body["data"]["bind_id"] != anon["bind_id"]  # the project is the account's now
    assert owner.get(poll).json()["id"] == rid
    # a token without the read scope is refused with 4030; a revoked one with 1001 on the next request
    acct = Api(live_server, token=account["token"])
    writer = Api(
        live_server,
        token=acct.post("/api/tokens", json={"name": "w", "scopes": ["write"]}).json()["data"]["token"],
    )
    assert _code(writer.get(state)) == (403, 4030)
    made = acct.post("/api/tokens", json={"name": "r", "scopes": ["read"]}).json()["data"]
    reader = Api(live_server, token=made["token"])
    assert reader.get(state).json()["data"]["session_id"] == sid
    assert reader.get(poll).json()["id"] == rid
    assert acct.http.delete(f"/api/tokens/{made['id']}", headers=acct.headers()).json()["data"]["revoked"]
    for path in (state, poll):
        r = reader.get(path)
        assert _code(r) == (401, 1001) and "revoked" in r.json()["message"]
