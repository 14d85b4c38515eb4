"""Odd numbers and paths over HTTP: every refusal is the protocol's envelope, never a 5000, and
the server goes on answering."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from conftest import LiveServer, server_env
from serverkit import Api


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    d = tmp_path_factory.mktemp("probe_inputs")
    srv = LiveServer(d, server_env(d, fake_engines=1)).start()
    yield srv
    srv.stop()


def test_frame_moments_that_are_not_numbers_are_4000(server: LiveServer) -> None:
    api = Api(server.url)
    api.anonymous()
    sid = api.session()["session_id"]
    assert api.run(sid, "generate a 4-second video about tea").complete
    for at in ("inf", "-inf", "Infinity", "1e999", "nan", "0,inf", "poster,1e400", "", "ten"):
        r = api.get(f"/api/projects/me/{sid}/frames", params={"at": at})
        assert r.status_code == 422, (at, r.status_code, r.text)
        assert r.json() == {
            "code": 4000,
            "message": "at: milliseconds separated by commas, or 'poster'.",
            "data": {"path": "at"},
        }
    r = api.get(f"/api/projects/me/{sid}/frames", params={"at": "0,1e300", "w": 16})
    assert r.status_code == 200 and r.headers["content-type"] == "image/jpeg"
    assert api.get("/api/health").status_code == 200


def test_studio_files_that_do_not_exist_are_envelopes(server: LiveServer) -> None:
    for path in ("/static/nope.js", "/static/", "/static/%2e%2e/%2e%2e/settings.py", "/static/..%2fcli.py"):
        r = httpx.get(server.url + path)
        assert r.status_code == 404 and r.json() == {"code": 4040, "message": "Not found.", "data": None}, (
            path
        )
        assert r.headers["x-content-type-options"] == "nosniff"
