"""NUL characters over HTTP: no text the server keeps may hold U+0000 (PostgreSQL cannot store it,
so it was a 5000 there and stored as-is on SQLite). Every body field, path and query that holds
one is refused at the edge with 4000 naming where, before anything is created, charged or queued,
on SQLite and on PostgreSQL alike (a draft's text: 4003 naming the draft's path)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from conftest import LiveServer
from securitykit import rows
from serverkit import Api

DRAFT = {"w": 320, "h": 180, "t": [{"tt": 0, "sg": [{"d": 1000, "k": "scene", "m": {"text": "a\u0000b"}}]}]}


def _probe(srv: LiveServer) -> None:
    api = Api(srv.url)
    api.anonymous()
    s = api.session()
    sid = s["session_id"]
    sessions_before = (
        rows(srv.data_dir, "SELECT COUNT(*) AS n FROM sessions")[0]["n"] if _sqlite(srv) else None
    )
    message = {
        "app_name": "nemo_agent",
        "user_id": "me",
        "session_id": sid,
        "new_message": {"role": "user", "parts": [{"text": "make a video about \u0000 tea"}]},
    }
    cases: list[tuple[str, str, dict[str, Any], str]] = [
        ("POST", "/api/tasks/me/with-session/nemo_agent", {"json": {"task_name": "a\u0000b"}}, "task_name"),
        ("POST", "/api/tasks/me/with-session/nemo_agent", {"json": {"language": "e\u0000n"}}, "language"),
        ("PATCH", f"/api/projects/me/{sid}", {"json": {"task_name": "x\u0000"}}, "task_name"),
        ("POST", "/run_sse", {"json": message}, "new_message.parts.0.text"),
        (
            "POST",
            "/api/render/proxy/lambda",
            {"json": {"id": "render_nul", "sessionId": sid, "draft": DRAFT, "output": {"format": "mp4"}}},
            "t[0].sg[0].m.text",  # a draft's text: the draft's own 4003, after its other faults
        ),
        (
            "POST",
            f"/api/projects/me/{sid}/media-fit",
            {"json": {"media_id": "m\u0000", "fit": "cover"}},
            "media_id",
        ),
        ("POST", "/api/auth/login", {"json": {"username": "abc", "password": "pass\u0000word"}}, "password"),
        ("GET", "/api/projects/me/ses_%00", {}, "path"),
        ("GET", "/api/render/proxy/lambda/render%00x", {}, "path"),
        ("GET", f"/api/projects/me/{sid}/frames?at=%00", {}, "query.at"),
    ]
    for method, path, kw, where in cases:
        r = api.http.request(method, path, headers=api.headers(), **kw)
        assert r.status_code == 422, (path, r.status_code, r.text)
        body = r.json()
        code = 4003 if path == "/api/render/proxy/lambda" else 4000
        assert body["code"] == code and body["data"]["path"] == where, (path, body)
        assert "NUL" in body["message"]
    # nothing was made or charged, and the server goes on answering
    assert api.get("/api/render/proxy/lambda/render_nul").json()["code"] == 4040
    assert api.balance()["frozen"] == 0
    state = api.state(sid)
    assert state["task_name"] != "x\u0000"
    if sessions_before is not None:
        assert rows(srv.data_dir, "SELECT COUNT(*) AS n FROM sessions")[0]["n"] == sessions_before
    assert httpx.get(f"{srv.url}/api/health").status_code == 200
    # an escaped backslash before "u0000" is ordinary text
    r = api.post("/api/tasks/me/with-session/nemo_agent", json={"task_name": "C:\\u0000 path"})
    assert r.status_code == 200 and r.json()["data"]["task_name"] == "C:\\u0000 path", r.text


def _sqlite(srv: LiveServer) -> bool:
    return "PROMPTREEL_DATABASE_URL" not in srv.env


def test_nul_is_refused_at_the_edge_on_sqlite(server_factory: Callable[..., LiveServer]) -> None:
    _probe(server_factory())


@pytest.mark.slow
def test_nul_is_refused_at_the_edge_on_postgres(
    server_factory: Callable[..., LiveServer], postgres_url: str
) -> None:
    _probe(server_factory(database_url=postgres_url))


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_a_language_the_project_cannot_keep_is_4000(
    server_factory: Callable[..., LiveServer], request: pytest.FixtureRequest, backend: str
) -> None:
    """A language longer than a project keeps (16) was a 5000 on PostgreSQL: 4000 on both now."""
    extra = {"database_url": request.getfixturevalue("postgres_url")} if backend == "postgres" else {}
    srv = server_factory(**extra)
    api = Api(srv.url)
    api.anonymous()
    r = api.post(
        "/api/tasks/me/with-session/nemo_agent", json={"task_name": "t" * 200, "language": "zh-Hans-CN-x-abc"}
    )
    assert r.status_code == 200, r.text
    project = api.get(f"/api/projects/me/{r.json()['data']['session_id']}").json()["data"]
    assert project["language"] == "zh-Hans-CN-x-abc"
    before = len(api.get("/api/projects/me").json()["data"]["projects"])
    for language in ("x" * 17, "x" * 32):
        r = api.post("/api/tasks/me/with-session/nemo_agent", json={"task_name": "t", "language": language})
        assert r.status_code == 422, r.text
        assert r.json()["code"] == 4000 and r.json()["data"]["path"] == "language"
    assert len(api.get("/api/projects/me").json()["data"]["projects"]) == before
