"""Streams held open, attacked over HTTP: one account cannot hold more than ``streams_per_user``
agent streams, nor one preview more than ``streams_per_render`` viewers; past that 429 in the
envelope, nothing started; slots come back when streams close; others are never held up."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any
from urllib.parse import urlsplit

import httpx

from conftest import LiveServer
from securitykit import rows, user_of
from serverkit import Api


def _body(sid: str, text: str = "a video about tea") -> dict[str, Any]:
    return {
        "app_name": "nemo_agent",
        "user_id": "me",
        "session_id": sid,
        "new_message": {"parts": [{"text": text}]},
    }


@contextmanager
def _open(url: str, path: str, method: str = "GET", **kw: Any) -> Iterator[httpx.Response]:
    with httpx.Client(base_url=url, timeout=60) as c, c.stream(method, path, **kw) as r:
        if r.status_code != 200:
            r.read()
        yield r


def test_an_account_holds_a_bounded_number_of_agent_streams(
    server_factory: Callable[..., LiveServer],
) -> None:
    srv = server_factory(streams_per_user=4, FAKE_STUDIO_STAGE_S=8, cost_generate=20)
    api = Api(srv.url)
    api.anonymous()
    sid = api.session()["session_id"]
    sid2 = api.session()["session_id"]
    headers = api.headers(Accept="text/event-stream", **{"Last-Event-ID": "0"})
    with ExitStack() as streams:
        held = [streams.enter_context(_open(srv.url, "/run_sse", "POST", json=_body(sid), headers=headers))]
        assert held[0].status_code == 200, held[0].text
        for _ in range(3):  # the same turn, resumed from three more places
            held.append(
                streams.enter_context(_open(srv.url, "/run_sse", "POST", json=_body(sid), headers=headers))
            )
        assert [r.status_code for r in held] == [200] * 4
        turns_before = rows(srv.data_dir, "SELECT COUNT(*) AS n FROM turns")[0]["n"]
        for path_sid in (sid, sid2):  # a fifth, on the same turn or a new one in another project
            with _open(srv.url, "/run_sse", "POST", json=_body(path_sid), headers=headers) as r:
                assert r.status_code == 429 and r.json()["code"] == 429, r.text
                assert int(r.headers["Retry-After"]) > 0 and "at most 4" in r.json()["message"]
        assert (
            rows(srv.data_dir, "SELECT COUNT(*) AS n FROM turns")[0]["n"] == turns_before
        )  # nothing started
        # another account is not held up, and neither are quick reads of this one
        other = Api(srv.url)
        other.anonymous()
        osid = other.session()["session_id"]
        done = other.run(osid, "a video about coffee", timeout=120)
        assert done.complete, done.body
        t0 = time.monotonic()
        assert api.get("/api/credits/balance/simple").status_code == 200
        assert time.monotonic() - t0 < 5
        held[-1].close()  # a client drops its stream: its slot comes back
    time.sleep(0.5)
    again = api.run(sid2, "a video about tea", timeout=120)
    assert again.status == 200 and again.complete, again.body
    user = user_of(srv.data_dir, api.token or "")
    assert rows(srv.data_dir, "SELECT COUNT(*) AS n FROM turns WHERE user_id = ?", user)[0]["n"] == 2


def test_many_streams_at_once_stop_at_the_limit(server_factory: Callable[..., LiveServer]) -> None:
    srv = server_factory(streams_per_user=5, FAKE_STUDIO_STAGE_S=6)
    api = Api(srv.url)
    api.anonymous()
    sid = api.session()["session_id"]
    headers = api.headers(Accept="text/event-stream", **{"Last-Event-ID": "0"})
    codes: list[int] = []
    gate = threading.Barrier(30)
    stop = threading.Event()

    def hold() -> None:
        gate.wait()
        with _open(srv.url, "/run_sse", "POST", json=_body(sid), headers=headers) as r:
            codes.append(r.status_code)
            stop.wait(10)

    threads = [threading.Thread(target=hold) for _ in range(30)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 30
    while len(codes) < 30 and time.monotonic() < deadline:
        time.sleep(0.1)
    stop.set()
    for t in threads:
        t.join()
    assert sorted(codes) == [200] * 5 + [429] * 25, codes


def test_a_preview_has_a_bounded_number_of_viewers(server_factory: Callable[..., LiveServer]) -> None:
    srv = server_factory(streams_per_render=2, FAKE_STUDIO_RENDER_S=8)
    api = Api(srv.url)
    api.anonymous()
    sid = api.session()["session_id"]
    draft = {"w": 320, "h": 180, "t": [{"tt": 0, "sg": [{"d": 10_000, "k": "scene"}]}]}
    body = {
        "id": "render_watch",
        "sessionId": sid,
        "draft": draft,
        "output": {"format": "mp4", "quality": "preview"},
    }
    assert api.post("/api/render/proxy/lambda", json=body).status_code == 200
    link = ""
    deadline = time.monotonic() + 30
    while not link and time.monotonic() < deadline:
        link = api.get("/api/render/proxy/lambda/render_watch").json()["data"].get("stream_url") or ""
        time.sleep(0.1)
    assert link, "no stream_url while the preview rendered"
    u = urlsplit(link)
    path = f"{u.path}?{u.query}"
    with _open(srv.url, path) as a, _open(srv.url, path) as b:
        assert (a.status_code, b.status_code) == (200, 200)
        with _open(srv.url, path) as c:
            assert c.status_code == 429 and c.json()["code"] == 429, c.text
            assert int(c.headers["Retry-After"]) > 0
        a.close()
        time.sleep(0.5)
        with _open(srv.url, path) as d:
            assert d.status_code == 200
