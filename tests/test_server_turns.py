"""Agent turns over SSE: resume with Last-Event-ID, busy sessions, credits under concurrency, failures."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from conftest import LiveServer
from serverkit import COFFEE, Api


def test_resume_with_last_event_id_returns_exactly_the_missed_events(live_server: str) -> None:
    api = Api(live_server)
    api.anonymous()
    sid = api.session()["session_id"]
    first = api.run(sid, COFFEE, stop_after=2)  # the client drops after two events
    assert len(first.events) == 2 and not first.complete
    time.sleep(1.5)  # the turn keeps running server-side meanwhile
    rest = api.run(sid, COFFEE, last_event_id=first.ids[-1])
    assert rest.complete
    assert rest.ids[0] == first.ids[-1] + 1
    full = first.ids + rest.ids
    assert full == list(range(full[0], full[0] + len(full)))  # nothing lost, nothing repeated
    assert [c for c in first.calls() + rest.calls()][:2] == ["generate_raw_cut", "add_post_production"]
    # resuming from the middle again replays exactly the same tail
    again = api.run(sid, "anything", last_event_id=first.ids[-1])
    assert again.ids == rest.ids and again.events == rest.events
    assert api.balance()["available"] == 0  # charged once


def test_busy_session_never_duplicates_or_charges_twice(server_factory: Callable[..., LiveServer]) -> None:
    srv = server_factory(cost_generate=60, FAKE_STUDIO_STAGE_S=1.0)
    api = Api(srv.url)
    api.anonymous()
    sid = api.session()["session_id"]
    first = api.run(sid, COFFEE, stop_after=1)
    assert api.balance() == {"available": 40, "frozen": 60, "total": 100}
    # a different message while the turn runs → 409 / 4090, nothing started
    busy = api.run(sid, "make the title red")
    assert busy.status == 409 and busy.body and busy.body["code"] == 4090
    assert busy.body["data"]["turn_id"] == first.events[0]["invocation_id"]
    # the same message re-sent → attached to the running turn, from its start
    attached = api.run(sid, COFFEE)
    assert attached.complete and attached.ids[0] == first.ids[0]
    assert {e["invocation_id"] for e in attached.events} == {first.events[0]["invocation_id"]}
    assert api.balance() == {"available": 40, "frozen": 0, "total": 40}
    st = api.state(sid)
    assert st["version"] == 2 and not st["turn_running"]


def test_credits_never_negative_under_concurrent_turns(server_factory: Callable[..., LiveServer]) -> None:
    srv = server_factory(cost_generate=30, FAKE_STUDIO_STAGE_S=0.2, turn_workers=8)
    api = Api(srv.url)
    api.anonymous()
    sids = [api.session()["session_id"] for _ in range(8)]
    results: list[int] = []
    lock = threading.Lock()

    def go(sid: str) -> None:
        s = Api(srv.url, token=api.token).run(sid, "generate a 2-second video about rain")
        code = s.body["code"] if s.body else (0 if s.complete else -1)
        with lock:
            results.append(code)

    threads = [threading.Thread(target=go, args=(sid,)) for sid in sids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(results) == [0, 0, 0] + [2001] * 5  # 100 credits cover exactly three 30-credit turns
    assert api.balance() == {"available": 10, "frozen": 0, "total": 10}


def test_failed_turn_releases_credits_and_keeps_the_draft(live_server: str) -> None:
    api = Api(live_server)
    api.anonymous()
    sid = api.session()["session_id"]
    s = api.run(sid, "generate a video that will FAIL")
    assert s.complete
    last = s.events[-1]
    assert last["error_code"] and "Nothing was charged" in last["content"]["parts"][0]["text"]
    assert api.balance() == {"available": 100, "frozen": 0, "total": 100}
    assert api.state(sid)["version"] == 0


def test_edit_undo_redo_and_refusal(server_factory: Callable[..., LiveServer]) -> None:
    srv = server_factory(cost_generate=40, cost_edit=10)
    api = Api(srv.url)
    api.anonymous()
    sid = api.session()["session_id"]
    assert api.run(sid, "generate a 4-second video about tea").complete
    v_gen = api.state(sid)["version"]
    edit = api.run(sid, "make it vertical")
    assert edit.complete and "set_aspect" in edit.calls() and any("vertical" in t for t in edit.texts())
    st = api.state(sid)
    assert st["state"]["canvas_config"]["width"] == 1080 and st["version"] == v_gen + 1 and st["can_undo"]
    assert api.balance()["available"] == 100 - 40 - 10
    # undo is free and restores the generated draft; redo brings the edit back
    assert api.run(sid, "undo").complete
    st = api.state(sid)
    assert st["state"]["canvas_config"]["width"] == 1920 and st["version"] == v_gen and st["can_redo"]
    assert api.run(sid, "redo").complete
    assert api.state(sid)["state"]["canvas_config"]["width"] == 1080
    # undo stops at the first generated draft (there is nothing before it)
    assert api.run(sid, "撤销").complete and api.run(sid, "undo").complete
    assert api.state(sid)["version"] == v_gen
    # a refused edit says why and charges nothing; so does an edit that changes nothing
    before = api.balance()
    r = api.run(sid, "hello there")
    assert r.complete and r.texts() and api.balance() == before
    r = api.run(sid, "do the impossible")
    assert r.complete and any("can't" in t for t in r.texts())
    assert api.balance() == before


def test_restart_fails_an_interrupted_turn_cleanly(server_factory: Callable[..., LiveServer]) -> None:
    srv = server_factory(job_processes=True)  # as served: worker processes
    api = Api(srv.url)
    api.anonymous()
    sid = api.session()["session_id"]
    first = api.run(sid, f"{COFFEE}, SLOW", stop_after=2)  # its stages take 3 s each
    assert api.balance()["frozen"] == 100
    srv.restart(kill=True)  # kill -9 mid-turn
    rest = api.run(sid, COFFEE, last_event_id=first.ids[-1])
    assert rest.complete and rest.events[-1]["error_code"]
    assert "restarted" in rest.texts()[-1]
    assert api.balance() == {"available": 100, "frozen": 0, "total": 100}
    st = api.state(sid)
    assert st["version"] == 0 and not st["turn_running"]
    assert api.run(sid, "generate a 2-second video about tea").complete  # the session is usable again


def test_a_turn_past_its_time_limit_is_stopped_and_not_charged(
    server_factory: Callable[..., LiveServer],
) -> None:
    srv = server_factory(turn_timeout_s=1)
    api = Api(srv.url)
    api.anonymous()
    sid = api.session()["session_id"]
    s = api.run(sid, "generate a SLOW 4-second video")
    assert s.complete and s.events[-1]["error_code"]
    assert "longer than" in s.texts()[-1]
    assert api.balance() == {"available": 100, "frozen": 0, "total": 100}
    assert api.state(sid)["version"] == 0


def test_concurrent_streams_lose_and_reorder_nothing(server_factory: Callable[..., LiveServer]) -> None:
    srv = server_factory(cost_generate=1, turn_workers=12, FAKE_STUDIO_STAGE_S=0.3)
    api = Api(srv.url)
    api.anonymous()
    sids = [api.session()["session_id"] for _ in range(12)]
    streams: dict[str, list[int]] = {}
    lock = threading.Lock()

    def go(i: int, sid: str) -> None:
        client = Api(srv.url, token=api.token)
        if i % 2:  # half of the clients drop after two events and resume
            first = client.run(sid, "generate a 2-second video about rain", stop_after=2)
            rest = client.run(sid, "generate a 2-second video about rain", last_event_id=first.ids[-1])
            ids, done = first.ids + rest.ids, rest.complete
        else:
            s = client.run(sid, "generate a 2-second video about rain")
            ids, done = s.ids, s.complete
        with lock:
            streams[sid] = ids if done else []

    threads = [threading.Thread(target=go, args=(i, sid)) for i, sid in enumerate(sids)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert len(streams) == 12
    for ids in streams.values():
        assert ids and ids == list(range(1, len(ids) + 1))  # each session: 1, 2, 3, … with no gap
    assert api.balance() == {"available": 88, "frozen": 0, "total": 88}
