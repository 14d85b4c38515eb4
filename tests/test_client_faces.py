"""The sync and async clients are two faces of one core: the same scenarios, the same outcomes.

Every scenario runs against ``Client`` and ``AsyncClient`` (the async one driven from a private
event loop), and the core's steps are also driven by hand, with no transport at all.
"""

from __future__ import annotations

import asyncio
import inspect
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from promptreel.client.config import ClientConfig, CredentialStore
from promptreel.client.core import TurnCore
from promptreel.client.effects import Emit, Open, Read, Send, Sleep, Stepper
from promptreel.client.models import StreamDropped, TurnEvent, TurnInterrupted
from promptreel.client.sdk import AsyncClient, Client
from promptreel.client.testing import Done, FakeServer, Quiet, Say, Turn
from promptreel.errors import AuthError, NoCredits, RateLimited


class AsyncFace:
    """``AsyncClient`` with blocking calls: each awaitable method runs on a private loop."""

    def __init__(self, client: AsyncClient) -> None:
        self._client = client
        self._loop = asyncio.new_event_loop()

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._client, name)
        if inspect.iscoroutinefunction(attr):
            return lambda *a, **k: self._loop.run_until_complete(attr(*a, **k))
        return attr

    def turn_items(self, session_id: str, text: str, **options: Any) -> list[Any]:
        async def collect() -> list[Any]:
            stream = await self._client.turn(session_id, text, **options)
            return [item async for item in stream]

        return self._loop.run_until_complete(collect())

    def resume_items(self, session_id: str, text: str, last_event_id: str) -> list[Any]:
        async def collect() -> list[Any]:
            stream = await self._client.resume_turn(session_id, text, last_event_id)
            return [item async for item in stream]

        return self._loop.run_until_complete(collect())

    def close(self) -> None:
        self._loop.run_until_complete(self._client.aclose())
        self._loop.close()


class SyncFace:
    def __init__(self, client: Client) -> None:
        self._client = client

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def turn_items(self, session_id: str, text: str, **options: Any) -> list[Any]:
        return list(self._client.turn(session_id, text, **options))

    def resume_items(self, session_id: str, text: str, last_event_id: str) -> list[Any]:
        return list(self._client.resume_turn(session_id, text, last_event_id))


Face = SyncFace | AsyncFace
MakeFace = Callable[..., Face]


@pytest.fixture
def fake() -> Iterator[FakeServer]:
    with FakeServer() as f:
        yield f


@pytest.fixture(params=["sync", "async"])
def make(request: pytest.FixtureRequest, fake: FakeServer, tmp_path: Path) -> Iterator[MakeFace]:
    made: list[Face] = []

    def build(waits: list[float] | None = None, **kw: Any) -> Face:
        cfg = ClientConfig(api_url=fake.url, config_dir=tmp_path / "cfg", source="tests", platform="pytest")
        record = waits if waits is not None else []
        face: Face
        if request.param == "sync":
            face = SyncFace(Client(config=cfg, sleep=record.append, **kw))
        else:

            async def sleep(s: float) -> None:
                record.append(s)

            face = AsyncFace(AsyncClient(config=cfg, sleep=sleep, **kw))
        made.append(face)
        return face

    yield build
    for face in made:
        face.close()


def test_a_rejected_token_is_replaced_once_then_raised(
    make: MakeFace, fake: FakeServer, tmp_path: Path
) -> None:
    notices: list[str] = []
    c = make(on_notice=lambda kind, detail: notices.append(kind))
    c.balance()
    old = c._auth.token
    fake.revoke_all_tokens()
    assert c.balance().available == 100
    assert c._auth.token != old and notices == ["reauth"]
    assert CredentialStore(tmp_path / "cfg").token(fake.url) == c._auth.token
    fake.fail("balance", 1001, times=2)
    with pytest.raises(AuthError):
        c.balance()


def test_rate_limited_waits_once_then_raises(make: MakeFace, fake: FakeServer) -> None:
    waits: list[float] = []
    c = make(waits)
    c.balance()
    fake.fail("balance", 429, retry_after=7)
    assert c.balance().available == 100 and waits == [7]
    fake.fail("balance", 429, times=2, retry_after=3)
    with pytest.raises(RateLimited) as info:
        c.balance()
    assert info.value.retry_after == 3 and waits == [7, 3]
    fake.fail("balance", 429, retry_after=600)  # longer than max_retry_wait_s: raised at once
    with pytest.raises(RateLimited):
        c.balance()
    assert waits == [7, 3]


def test_a_missing_client_id_is_replaced_and_retried(
    make: MakeFace, fake: FakeServer, tmp_path: Path
) -> None:
    c = make()
    first = c.client_id
    fake.fail("anonymous_token", 400)
    c.balance()
    assert c.client_id != first and CredentialStore(tmp_path / "cfg").client_id() == c.client_id


def test_a_dropped_turn_resumes_after_its_last_event(make: MakeFace, fake: FakeServer) -> None:
    fake.script(Turn([Say("one "), Say("two "), Quiet(0.1), Say("three"), Done()], drop_after=2))
    c = make()
    s = c.create_session()
    items = c.turn_items(s.session_id, "count")
    events = [i for i in items if isinstance(i, TurnEvent)]
    assert "".join(e.text for e in events) == "one two three"
    assert [e.id for e in events] == ["1", "2", "3", "4"]
    assert [i.last_event_id for i in items if isinstance(i, StreamDropped)] == ["2"]
    assert fake.session().messages == ["count"]


def test_a_turn_rate_limited_before_streaming_waits_and_posts_once(make: MakeFace, fake: FakeServer) -> None:
    waits: list[float] = []
    c = make(waits)
    s = c.create_session()
    fake.fail("run_sse", 429, retry_after=2)
    items = c.turn_items(s.session_id, "generate a video about tea")
    assert waits == [2] and any(isinstance(i, TurnEvent) and i.turn_complete for i in items)
    assert fake.session().messages == ["generate a video about tea"]


def test_protocol_errors_and_unresumable_drops_are_raised(make: MakeFace, fake: FakeServer) -> None:
    c = make()
    s = c.create_session()
    fake.fail("run_sse", 2001, data={"bind_id": s.bind_id})
    with pytest.raises(NoCredits):
        c.turn_items(s.session_id, "generate a video about rain")
    fake.script(Turn([Say("never seen"), Done()], drop_after=0))
    with pytest.raises(TurnInterrupted):
        c.turn_items(s.session_id, "hello")


def test_a_resumed_turn_reattaches_without_posting(make: MakeFace, fake: FakeServer) -> None:
    fake.script(Turn([Say("one "), Say("two "), Quiet(0.3), Say("three"), Done()], drop_after=1))
    c = make()
    s = c.create_session()
    items = c.turn_items(s.session_id, "count")
    assert [i.id for i in items if isinstance(i, TurnEvent)] == ["1", "2", "3", "4"]
    again = c.resume_items(s.session_id, "count", "2")
    assert [i.id for i in again if isinstance(i, TurnEvent)] == ["3", "4"]
    assert fake.session().messages == ["count"]


def test_download_falls_back_and_leaves_no_part_file(
    make: MakeFace, fake: FakeServer, tmp_path: Path
) -> None:
    c = make()
    s = c.create_session()
    c.turn_items(s.session_id, "generate a video about tea")
    job = c.wait_render(c.submit_render(s.session_id, c.state(s.session_id).draft_json or {}).id, poll_s=0)
    assert job.output is not None
    bad_url = job.output.url.replace("sig=", "sig=bad")
    broken = job.model_copy(update={"output": job.output.model_copy(update={"url": bad_url})})
    path = c.download(broken, tmp_path / "x.mp4")
    assert path.read_bytes() == b"FAKEMP4DATA!" and not list(tmp_path.glob("*.part"))
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"\x00" * 1024)
    assert [m.size for m in c.upload(s.session_id, [clip])] == [1024]


# -- the core with no transport: its steps driven by hand


def _answer(code: int, data: Any = None, status: int = 200, **headers: str) -> httpx.Response:
    return httpx.Response(status, json={"code": code, "message": "", "data": data}, headers=headers)


def _core(tmp_path: Path, token: str | None = "nmv_usr_given") -> Client:
    cfg = ClientConfig(api_url="http://promptreel.invalid", config_dir=tmp_path / "cfg")
    return Client(config=cfg, token=token)


def test_the_core_builds_requests_and_decodes_answers_without_io(tmp_path: Path) -> None:
    c = _core(tmp_path, token=None)
    steps = Stepper(c._balance())
    ask = steps.start()
    assert isinstance(ask, Send) and ask.url == "/api/auth/anonymous-token"
    assert ask.headers["X-Client-Id"] == c.client_id and "Authorization" not in ask.headers
    ask = steps.send(_answer(0, {"token": "nmv_usr_new", "credits": 100}))
    assert isinstance(ask, Send) and ask.url == "/api/credits/balance/simple"
    assert ask.headers["Authorization"] == "Bearer nmv_usr_new"
    ask = steps.send(_answer(429, status=429, **{"Retry-After": "5"}))
    assert ask == Sleep(5)
    ask = steps.send(None)
    assert isinstance(ask, Send) and ask.url == "/api/credits/balance/simple"
    assert steps.send(_answer(0, {"available": 7, "frozen": 1, "total": 8})) is None
    assert steps.result is not None and steps.result.total == 8


def test_the_core_resumes_a_turn_whose_transport_failed(tmp_path: Path) -> None:
    turn = TurnCore(_core(tmp_path), "ses_1", "hi", backoff_s=0.5)
    steps = Stepper(turn._steps())
    ask = steps.start()
    assert isinstance(ask, Open) and ask.url == "/run_sse" and "Last-Event-ID" not in ask.headers
    sse = httpx.Response(200, headers={"content-type": "text/event-stream"})
    assert steps.send(sse) == Read()
    out = steps.send('id: 1\ndata: {"content": {"parts": [{"text": "hel"}]}}\n\n')
    assert isinstance(out, Emit) and isinstance(out.item, TurnEvent) and out.item.text == "hel"
    assert steps.send(None) == Read()
    out = steps.throw(httpx.ReadError("connection reset"))  # the transport failed mid-stream
    while not isinstance(out, Emit):
        out = steps.send(None)  # closing the broken stream
    assert out.item == StreamDropped("1", 1, "connection reset")
    assert steps.send(None) == Sleep(0.5)
    ask = steps.send(None)
    assert isinstance(ask, Open) and ask.headers["Last-Event-ID"] == "1"


def test_a_turn_closed_from_another_thread_stops_at_once(fake: FakeServer, tmp_path: Path) -> None:
    fake.script(Turn([Say("first"), Quiet(5), Say("never"), Done()]))
    cfg = ClientConfig(api_url=fake.url, config_dir=tmp_path / "cfg")
    with Client(config=cfg) as c:
        s = c.create_session()
        stream = c.turn(s.session_id, "hello")
        started = time.monotonic()
        texts: list[str] = []
        for item in stream:
            if isinstance(item, TurnEvent) and item.text:
                texts.append(item.text)
                threading.Timer(0.2, stream.close).start()
            assert not isinstance(item, StreamDropped)
        assert texts == ["first"] and not stream.completed
        assert time.monotonic() - started < 3
