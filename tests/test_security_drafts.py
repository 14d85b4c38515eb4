"""Hostile drafts posted to the render endpoint: each is a clear 4003 naming the exact fault's path,
never a crash and never a render (limits on duration, resolution, segments, strings, nesting)."""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import LiveServer, server_env
from promptreel.draft import Limits
from securitykit import rows
from serverkit import Api

L = Limits()
BASE: dict[str, Any] = {
    "w": 320,
    "h": 180,
    "fps": 30,
    "t": [
        {
            "tt": 0,
            "sg": [
                {"id": "seg_a", "s": 0, "d": 1000, "k": "scene", "m": {"text": "a"}},
                {"id": "seg_b", "s": 1000, "d": 1000, "k": "scene", "m": {"text": "b"}},
            ],
        },
        {"tt": 1, "sg": [{"id": "seg_m", "s": 0, "d": 2000, "k": "music", "m": {"style": "calm"}}]},
    ],
}

Mutation = tuple[str, Callable[[dict[str, Any]], None]]


def _nest(depth: int) -> Any:
    v: Any = "deep"
    for i in range(depth):
        v = {"k": v} if i % 2 else [v]
    return v


def _set(path: list[Any], value: Any) -> Callable[[dict[str, Any]], None]:
    def apply(d: dict[str, Any]) -> None:
        cur: Any = d
        for k in path[:-1]:
            cur = cur[k]
        cur[path[-1]] = value

    return apply


not_int = st.one_of(
    st.text(max_size=5),
    st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: not f.is_integer()),
    st.none().map(lambda _: [1]),
    st.booleans(),
)
huge = st.integers(L.max_duration_ms + 1, 2**70)

mutations: st.SearchStrategy[Mutation] = st.one_of(
    st.integers(0, 999).map(lambda s: ("t[0].sg[1].s", _set(["t", 0, "sg", 1, "s"], s))),  # overlap
    st.integers(-(2**70), -1).map(lambda s: ("t[0].sg[0].s", _set(["t", 0, "sg", 0, "s"], s))),
    st.integers(-(2**70), 0).map(lambda d: ("t[0].sg[0].d", _set(["t", 0, "sg", 0, "d"], d))),
    huge.map(lambda d: ("t[1].sg[0].d", _set(["t", 1, "sg", 0, "d"], d))),
    huge.map(lambda s: ("t[0].sg[1].s", _set(["t", 0, "sg", 1, "s"], s))),
    not_int.map(lambda v: ("t[0].sg[0].d", _set(["t", 0, "sg", 0, "d"], v))),
    st.integers().filter(lambda t: t not in (0, 1, 7)).map(lambda t: ("t[1].tt", _set(["t", 1, "tt"], t))),
    not_int.map(lambda v: ("t[0].tt", _set(["t", 0, "tt"], v))),
    st.one_of(st.integers(max_value=L.min_canvas_px - 1), st.integers(min_value=L.max_canvas_px + 1)).map(
        lambda w: ("w", _set(["w"], w))
    ),
    st.integers(L.min_canvas_px // 2, L.max_canvas_px // 2 - 1).map(
        lambda h: ("w", _set(["h"], h * 2 + 1))
    ),  # odd, in range
    st.one_of(st.integers(max_value=0), st.integers(min_value=L.max_fps + 1)).map(
        lambda f: ("fps", _set(["fps"], f))
    ),
    st.integers(L.max_depth + 1, 300).map(
        lambda n: ("t[0].sg[0].m.x*", _set(["t", 0, "sg", 0, "m"], {"x": _nest(n)}))
    ),
    st.sampled_from(["text", "headline"]).map(
        lambda k: (f"t[0].sg[0].m.{k}", _set(["t", 0, "sg", 0, "m", k], "x" * (10 * 1024 * 1024)))
    ),
    st.just(("t[0].sg[1].n", _set(["t", 0, "sg", 1, "n"], "n" * (L.max_string + 1)))),
    st.text(min_size=1, max_size=20)
    .filter(lambda k: k not in ("scene", "media"))
    .map(lambda k: ("t[0].sg[0].k", _set(["t", 0, "sg", 0, "k"], k))),
    st.just(("t[0].sg[1].id", _set(["t", 0, "sg", 1, "id"], "seg_a"))),
    st.just(("t[1].sg[0].id", _set(["t", 1, "sg", 0, "id"], "seg_b"))),
    st.integers(L.max_segments + 1, L.max_segments + 50).map(
        lambda n: (
            "t[1].sg",
            _set(["t", 1, "sg"], [{"s": i * 10, "d": 10, "k": "music"} for i in range(n)]),
        )
    ),
    st.just(("t", _set(["t"], [{"tt": 7, "sg": []}] * (L.max_tracks + 1)))),
    st.one_of(st.integers(), st.text(max_size=5)).map(lambda v: ("t[0].sg[0]", _set(["t", 0, "sg", 0], v))),
    st.one_of(st.integers(), st.text(max_size=5), st.just({})).map(
        lambda v: ("t", _set(["t"], v)) if v != {} else ("t", _set(["t"], {"a": 1}))
    ),
    st.integers(2, 10**6).map(lambda v: ("v", _set(["v"], v))),
)


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, Api, str]]:
    d = tmp_path_factory.mktemp("drafts")
    srv = LiveServer(d, server_env(d)).start()
    api = Api(srv.url)
    api.anonymous()
    sid = api.session()["session_id"]
    yield srv, api, sid
    srv.stop()


@settings(max_examples=70, deadline=None, suppress_health_check=list(HealthCheck))
@given(mutation=mutations)
def test_hostile_drafts_are_4003_with_the_exact_path(
    target: tuple[LiveServer, Api, str], mutation: Mutation
) -> None:
    srv, api, sid = target
    path, apply = mutation
    draft = copy.deepcopy(BASE)
    apply(draft)
    t0 = time.monotonic()
    r = api.render(sid, draft)
    assert time.monotonic() - t0 < 20
    assert r.status_code == 422, (path, r.text[:300])
    body = r.json()
    got = body["data"]["path"]
    exact = got.startswith(path[:-1]) if path.endswith("*") else got == path  # "*": the deepest point below
    assert body["code"] == 4003 and exact, (path, body["message"][:200])
    assert body["message"].startswith(got) and len(body["message"]) < 400  # readable, no echo of 10 MB
    assert (
        rows(srv.data_dir, "SELECT count(*) AS n FROM renders WHERE render_id != 'render_base_ok'")[0]["n"]
        == 0
    )


def test_the_base_draft_is_valid(target: tuple[LiveServer, Api, str]) -> None:
    _, api, sid = target
    r = api.render(sid, BASE, render_id="render_base_ok", headers={})
    assert r.status_code == 200, r.text
    assert api.poll("render_base_ok")["status"] == "completed"


@pytest.mark.parametrize(
    "body",
    [
        '{"id":"r1","sessionId":"SID","draft":' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"id":"r1","sessionId":"SID","draft":' + '{"a":' * 50_000 + "1" + "}" * 50_000 + "}",
        '{"id":"r1","sessionId":"SID","draft":{"t":[' + "1e999999," * 10 + "1]}}",
        '{"id":"r1","sessionId":"SID","draft":{"w":' + "9" * 5000 + "}}",
        '{"id":"r1","sessionId":"SID","draft":{"t":[{"tt":0,"sg":[{"d":NaN}]}]}}',
        '{"id":"r1","sessionId":"SID","draft":{"t":[{"tt":0,"sg":[{"d":Infinity}]}]}}',
        '{"id":"r1","sessionId":"SID","draft":"' + "x" * (10 * 1024 * 1024) + '"}',
    ],
    ids=["deep-arrays", "deep-objects", "huge-exponent", "huge-integer", "nan", "infinity", "10MB-string"],
)
def test_pathological_json_is_a_clean_4000_or_4003(target: tuple[LiveServer, Api, str], body: str) -> None:
    srv, api, sid = target
    r = httpx.post(
        f"{srv.url}/api/render/proxy/lambda",
        content=body.replace("SID", sid).encode(),
        headers={**api.headers(), "Content-Type": "application/json"},
        timeout=60,
    )
    assert r.status_code == 422 and r.json()["code"] in (4000, 4003), r.text[:300]
    assert "Traceback" not in r.text and len(r.text) < 5000
    assert api.get("/api/health").status_code == 200
    assert json.loads(r.text)["data"] is not None


def test_request_bodies_over_the_limit_are_refused_unread(target: tuple[LiveServer, Api, str]) -> None:
    srv, api, sid = target
    big = b'{"id":"r2","sessionId":"' + sid.encode() + b'","draft":"' + b"x" * (17 * 1024 * 1024) + b'"}'
    headers = {**api.headers(), "Content-Type": "application/json"}
    url = f"{srv.url}/api/render/proxy/lambda"
    r = httpx.post(url, content=big, headers=headers, timeout=60)
    assert (r.status_code, r.json()["code"]) == (413, 4002), r.text[:300]

    def chunks() -> Iterator[bytes]:  # no Content-Length: cut off while reading
        yield b'{"id":"r3","sessionId":"' + sid.encode() + b'","draft":"'
        for _ in range(40):
            yield b"y" * (1024 * 1024)
        yield b'"}'

    r = httpx.post(url, content=chunks(), headers=headers, timeout=60)
    assert (r.status_code, r.json()["code"]) == (413, 4002), r.text[:300]
    assert r.json()["data"]["max_bytes"] == 16 * 1024 * 1024
    assert api.get("/api/health").status_code == 200
