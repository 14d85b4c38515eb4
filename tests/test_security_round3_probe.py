"""Third attacker's pass over HTTP against a real server: usernames that look alike, requests from
other sites (CSRF and login CSRF), encoded slashes in paths, invisible characters in download
names, bad Range headers, method override headers, deep JSON, and what a share link opens."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from conftest import LiveServer, server_env
from securitykit import rows
from serverkit import Api

PASSWORD = "correct horse battery"
DRAFT = {"w": 320, "h": 180, "t": [{"tt": 0, "sg": [{"d": 1000, "k": "scene", "m": {"text": "hello"}}]}]}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    d = tmp_path_factory.mktemp("probe_round3")
    srv = LiveServer(d, server_env(d, fake_engines=1)).start()
    yield srv
    srv.stop()


def _register(url: str, name: str, **headers: str) -> httpx.Response:
    return httpx.post(
        f"{url}/api/auth/register", json={"username": name, "password": PASSWORD}, headers=headers
    )


def _login(url: str, name: str, **headers: str) -> httpx.Response:
    return httpx.post(f"{url}/api/auth/login", json={"username": name, "password": PASSWORD}, headers=headers)


# 1. usernames that look alike ------------------------------------------------------------------


@pytest.mark.parametrize("base", ["Alice", "bob.Smith-2"])
def test_a_name_that_differs_only_in_case_is_taken(server: LiveServer, base: str) -> None:
    tag = uuid.uuid4().hex[:6]
    first = _register(server.url, f"{base}{tag}")
    assert first.status_code == 200, first.text
    for alike in (f"{base.lower()}{tag}", f"{base.upper()}{tag.upper()}", f"{base.swapcase()}{tag}"):
        r = _register(server.url, alike)
        assert r.status_code == 422 and r.json()["code"] == 4000, r.text
        assert r.json()["data"]["path"] == "username" and "taken" in r.json()["message"]
    # confusable letters from other scripts, full-width forms and invisible characters are no names
    for lookalike in (f"\u0410lice{tag}", f"\uff21lice{tag}", f"Al\u200bice{tag}", f"Ali\u0301ce{tag}"):
        r = _register(server.url, lookalike)
        assert r.status_code == 422 and r.json()["data"]["path"] == "username", r.text
    assert (
        rows(
            server.data_dir,
            "SELECT COUNT(*) AS n FROM users WHERE lower(username) = ?",
            f"{base}{tag}".lower(),
        )[0]["n"]
        == 1
    )
    # the owner signs in in any case, to the one account
    for spelled in (f"{base}{tag}", f"{base.lower()}{tag}", f" {base.upper()}{tag.upper()} "):
        r = _login(server.url, spelled)
        assert r.status_code == 200 and r.json()["data"]["user_id"] == first.json()["data"]["user_id"], r.text


# 2. requests from other sites ------------------------------------------------------------------


def test_cookie_writes_and_sign_in_from_other_sites_are_refused(server: LiveServer) -> None:
    host = urlsplit(server.url).netloc
    name = f"csrf_{uuid.uuid4().hex[:6]}"
    cookie = _register(server.url, name).cookies["promptreel_session"]
    jar = {"promptreel_session": cookie}
    create = f"{server.url}/api/tasks/me/with-session/nemo_agent"
    refused = [
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Origin": f"http://{host}.evil.example"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},  # a sibling subdomain is another site for the studio
        {"Origin": "http://evil.example", "X-Forwarded-Host": "evil.example"},  # no trusted proxy says so
        {"Origin": f"http://{host}", "Sec-Fetch-Site": "cross-site"},
    ]
    before = rows(server.data_dir, "SELECT COUNT(*) AS n FROM sessions")[0]["n"]
    for headers in refused:
        r = httpx.post(create, json={"task_name": "x"}, cookies=jar, headers=headers)
        assert r.status_code == 403 and r.json()["code"] == 4030, (headers, r.text)
        # signing in or registering from there would put the visitor in someone else's account
        r = _login(server.url, name, **headers)
        assert r.status_code == 403 and r.json()["code"] == 4030 and "set-cookie" not in r.headers, r.text
        r = _register(server.url, f"x{uuid.uuid4().hex[:8]}", **headers)
        assert r.status_code == 403 and "set-cookie" not in r.headers, r.text
    assert rows(server.data_dir, "SELECT COUNT(*) AS n FROM sessions")[0]["n"] == before
    # the studio itself, and API clients (no Origin), go on working
    for headers in (
        {"Origin": f"http://{host}", "Sec-Fetch-Site": "same-origin"},
        {},
        {"Sec-Fetch-Site": "none"},
    ):
        assert httpx.post(create, json={"task_name": "x"}, cookies=jar, headers=headers).status_code == 200
        assert _login(server.url, name, **headers).status_code == 200
    # a bearer token is no ambient credential: other sites cannot send it
    api = Api(server.url)
    api.anonymous()
    assert (
        api.post(
            "/api/tasks/me/with-session/nemo_agent",
            json={"task_name": "x"},
            headers={"Origin": "http://evil.example"},
        ).status_code
        == 200
    )


# 3. paths with encoded slashes -----------------------------------------------------------------


def test_encoded_slashes_name_nothing(server: LiveServer) -> None:
    api = Api(server.url)
    api.anonymous()
    s = api.session()
    sid = s["session_id"]
    probes = [
        f"/api/projects/me/{sid}%2Fduplicate",  # decoded, this was the duplicate route
        f"/api/projects/me/{sid}%2fduplicate",
        f"/api/state/nemo_agent/me/{sid}%2F..%2F/latest",
        "/api/render/proxy/a%2Fb/download",
        "/api/render/proxy/lambda/..%2F..%2Fetc%2Fpasswd",
        "/api/render/proxy/lambda/..%5C..%5Cwin.ini",
        "/static/..%5cpyproject.toml",
        f"/api/claim/clm_x%2F..%2F{sid}",
    ]
    for path in probes:
        for method in ("GET", "POST", "DELETE"):
            r = api.http.request(method, path, headers=api.headers())
            assert r.status_code == 404 and r.json() == {
                "code": 4040,
                "message": "Not found.",
                "data": None,
            }, (
                method,
                path,
                r.text,
            )
    assert (
        rows(
            server.data_dir,
            "SELECT COUNT(*) AS n FROM sessions WHERE user_id = (SELECT user_id FROM sessions WHERE id = ?)",
            sid,
        )[0]["n"]
        == 1
    )  # nothing duplicated
    # ordinary paths, and an encoded character that is no separator, still work
    assert api.get(f"/api/projects/me/{sid}").status_code == 200
    assert api.get(f"/api/state/nemo_agent/me/{sid}/latest").status_code == 200
    assert api.get("/api/render/proxy/lambda/render%5F1").status_code == 404  # no such render: its own answer
    assert "No render" in api.get("/api/render/proxy/lambda/render%5F1").json()["message"]


# 4. download names -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title, shown",
    [
        ("clip\u202eexe.mp4", "clip exe.mp4.mp4"),  # would show as "clip4pm.exe…"
        ('Evil"\r\nSet-Cookie: x=1; \x7fa\u200bb\u2028c', "Evil Set-Cookie x=1; a b c.mp4"),
    ],
)
def test_download_names_hold_no_invisible_or_control_characters(
    server: LiveServer, title: str, shown: str
) -> None:
    api = Api(server.url)
    api.anonymous()
    sid = api.session()["session_id"]
    rid = f"render_{uuid.uuid4().hex[:8]}"
    draft = {**DRAFT, "m": {"title": title}}
    assert api.render(sid, draft, render_id=rid).status_code == 200
    done = api.poll(rid)
    assert done["status"] == "completed", done
    u = urlsplit(done["output"]["url"])
    r = httpx.get(f"{server.url}{u.path}?{u.query}")
    assert r.status_code == 200
    cd = r.headers["content-disposition"]
    assert (
        "\r" not in cd
        and "\n" not in cd
        and "set-cookie" not in {k.lower() for k in r.headers if k != "content-disposition"}
    )
    from urllib.parse import unquote

    name = (
        unquote(cd.split("filename*=utf-8''", 1)[1])
        if "filename*=" in cd
        else cd.split('filename="', 1)[1][:-1]
    )
    assert name == shown, cd


# 5. ranges, method overrides, deep JSON --------------------------------------------------------


def test_bad_ranges_method_overrides_and_deep_json_are_envelopes(server: LiveServer) -> None:
    api = Api(server.url)
    api.anonymous()
    sid = api.session()["session_id"]
    assert api.render(sid, DRAFT, render_id="render_ranges").status_code == 200
    done = api.poll("render_ranges")
    u = urlsplit(done["output"]["url"])
    signed = f"{server.url}{u.path}?{u.query}"
    size = len(httpx.get(signed).content)
    many = "bytes=" + ",".join(f"{i}-{i}" for i in range(2000))
    for rng in ("bytes=5-2", "bytes=abc", "items=0-1", "bytes=-0", "bytes=99999999999999999999999999-", many):
        r = httpx.get(signed, headers={"Range": rng})
        if r.status_code in (200, 206):  # an unusable Range may be ignored: the whole file, or a range
            assert len(r.content) <= size
        else:
            assert r.status_code in (416, 422) and r.json()["code"] in (4000, 4160), (rng, r.text)
    # method override headers are never obeyed
    for header in ("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override"):
        r = api.post(f"/api/projects/me/{sid}", headers={header: "DELETE"})
        assert r.status_code == 405 and r.json()["code"] == 4050
        r = api.post(f"/api/projects/me/{sid}?_method=DELETE")
        assert r.status_code == 405
    assert api.get(f"/api/projects/me/{sid}").status_code == 200
    # deep or huge JSON anywhere: 4000, the server stays up
    for depth in (2000, 200_000):
        for path in (
            "/api/render/proxy/lambda",
            "/run_sse",
            "/api/auth/register",
            f"/api/upload-video/nemo_agent/me/{sid}",
        ):
            body = '{"a":' + "[" * depth + "]" * depth + "}"
            r = api.post(path, content=body, headers={"content-type": "application/json"})
            assert r.status_code == 422 and r.json()["code"] == 4000, (path, r.text[:200])
    assert httpx.get(f"{server.url}/api/health").status_code == 200


# 6. what a share (claim) link opens --------------------------------------------------------------


def test_a_share_link_reads_its_project_and_nothing_else(server: LiveServer) -> None:
    owner = Api(server.url)
    owner.anonymous()
    s = owner.session()
    mine, other = s["session_id"], owner.session()["session_id"]
    r = owner.post("/api/auth/claim-token", json={"task_id": s["task_id"], "session_id": mine})
    ct = r.json()["data"]["claim_token"]
    ok = httpx.get(f"{server.url}/api/claim/{ct}", params={"session_id": other})
    assert ok.status_code == 200 and ok.json()["data"]["read_only"] is True
    text = ok.text
    assert other not in text and mine not in text and "bind_" not in text
    as_bearer: dict[str, Any] = {"Authorization": f"Bearer {ct}"}
    for method, path, body in [
        ("GET", f"/api/state/nemo_agent/me/{mine}/latest", None),
        ("GET", f"/api/state/nemo_agent/me/{other}/latest", None),
        ("GET", "/api/projects/me", None),
        ("GET", f"/api/projects/me/{mine}/frames", None),
        ("POST", "/api/tasks/me/with-session/nemo_agent", {"task_name": "x"}),
        ("POST", "/api/render/proxy/lambda", {"id": "render_ct", "sessionId": mine, "draft": DRAFT}),
        ("PATCH", f"/api/projects/me/{mine}", {"task_name": "renamed"}),
        ("DELETE", f"/api/projects/me/{mine}", None),
        ("POST", "/api/auth/claim-token", {"task_id": s["task_id"], "session_id": mine}),
    ]:
        for creds in ({"headers": as_bearer}, {"cookies": {"promptreel_session": ct}}):
            r = httpx.request(method, f"{server.url}{path}", json=body, **creds)  # type: ignore[arg-type]
            assert r.status_code == 401 and r.json()["code"] == 1001, (method, path, r.text)
    assert owner.get(f"/api/projects/me/{mine}").json()["data"]["task_name"] == "project"
