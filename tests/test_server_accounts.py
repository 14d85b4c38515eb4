"""Registration from a bind link moves the anonymous trial into the account; sign-in issues tokens."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from conftest import LiveServer
from serverkit import Api


def test_register_from_bind_link_moves_projects_and_credits(
    server_factory: Callable[..., LiveServer],
) -> None:
    srv = server_factory(cost_generate=40)
    anon = Api(srv.url)
    anon.anonymous()
    sess = anon.session()
    sid = sess["session_id"]
    assert anon.run(sid, "generate a 3-second video about tea").complete
    assert anon.render(sid, None, "render_before").status_code == 200
    assert anon.poll("render_before")["status"] == "completed"
    assert anon.balance()["available"] == 60

    r = httpx.post(
        f"{srv.url}/api/auth/register",
        json={"username": "mia", "password": "correct horse", "bind_id": sess["bind_id"]},
    )
    assert r.status_code == 200, r.text
    reg = r.json()["data"]
    assert reg["token"].startswith("nmv_api_") and reg["moved_credits"] == 60 and reg["credits"] == 60

    acct = Api(srv.url, token=reg["token"])
    assert acct.balance() == {"available": 60, "frozen": 0, "total": 60}
    assert acct.state(sid)["ready"]  # the project moved
    assert acct.get("/api/render/proxy/lambda/render_before").json()["status"] == "completed"
    assert anon.balance()["available"] == 60  # the old token now acts for the account

    login = httpx.post(f"{srv.url}/api/auth/login", json={"username": "mia", "password": "correct horse"})
    assert login.status_code == 200 and login.json()["data"]["user_id"] == reg["user_id"]
    bad = httpx.post(f"{srv.url}/api/auth/login", json={"username": "mia", "password": "wrong password"})
    assert bad.status_code == 401 and bad.json()["code"] == 1001
    again = httpx.post(
        f"{srv.url}/api/auth/register",
        json={"username": "mia2", "password": "correct horse", "bind_id": sess["bind_id"]},
    )
    assert again.status_code == 422 and again.json()["code"] == 4000
    taken = httpx.post(f"{srv.url}/api/auth/register", json={"username": "mia", "password": "another pass"})
    assert taken.json()["code"] == 4000 and "taken" in taken.json()["message"]

    # a registered account that runs short is told to top up, not to register
    acct2 = Api(srv.url, token=reg["token"])
    sid2 = acct2.session()["session_id"]
    assert acct2.run(sid2, "generate a 2-second video about rain").complete
    short = acct2.run(acct2.session()["session_id"], "generate a 2-second video about snow")
    assert short.body and short.body["code"] == 2001 and "Top up" in short.body["message"]
    assert "register_url" not in short.body["data"]


def test_scoped_api_tokens_and_revocation(server_factory: Callable[..., LiveServer]) -> None:
    srv = server_factory()
    reg = httpx.post(
        f"{srv.url}/api/auth/register", json={"username": "ops", "password": "long password"}
    ).json()
    admin = Api(srv.url, token=reg["data"]["token"])
    sid = admin.session()["session_id"]
    made = admin.post("/api/tokens", json={"name": "ci", "scopes": ["read", "write"]}).json()["data"]
    limited = Api(srv.url, token=made["token"])
    assert limited.balance()["available"] == 0
    blocked = limited.render(sid, None, "render_x")
    assert blocked.status_code == 402 and blocked.json()["code"] == 402  # no 'render' scope: export blocked
    up = limited.post(f"/api/upload-video/nemo_agent/me/{sid}", files={"files": ("a.png", b"x")})
    assert up.status_code == 403 and up.json()["code"] == 4030
    escalate = limited.post("/api/tokens", json={"name": "more", "scopes": ["*"]})
    assert escalate.json()["code"] == 4030
    listed = admin.get("/api/tokens").json()["data"]
    assert {t["name"] for t in listed} >= {"studio", "ci"} and all("token" not in t for t in listed)
    assert admin.http.delete(f"/api/tokens/{made['id']}", headers=admin.headers()).json()["data"]["revoked"]
    gone = limited.get("/api/credits/balance/simple")
    assert gone.status_code == 401 and gone.json()["code"] == 1001  # revoked: refused at once
    history = admin.get("/api/credits/history").json()["data"]
    assert history == []
    anon = Api(srv.url)
    anon.anonymous()
    assert anon.get("/api/tokens").json()["code"] == 4030
    assert [e["kind"] for e in anon.get("/api/credits/history").json()["data"]] == ["grant"]


def test_wrong_passwords_are_throttled(live_server: str) -> None:
    assert httpx.post(
        f"{live_server}/api/auth/register", json={"username": "bob", "password": "good password"}
    )
    codes = [
        httpx.post(
            f"{live_server}/api/auth/login", json={"username": "bob", "password": f"guess {i}"}
        ).json()["code"]
        for i in range(11)
    ]
    assert codes == [1001] * 10 + [429]
    r = httpx.post(f"{live_server}/api/auth/login", json={"username": "bob", "password": "good password"})
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
