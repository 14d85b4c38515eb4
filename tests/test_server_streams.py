"""Streams and state reads of a single-process server: streams are woken by the turn's own writes
(never left to a database poll), and the state view stays exact as drafts, turns and undo move."""

from __future__ import annotations

from collections.abc import Callable

from conftest import LiveServer
from serverkit import COFFEE, Api


def test_streams_are_woken_by_each_event_not_by_a_poll(server_factory: Callable[..., LiveServer]) -> None:
    # a poll every 10 minutes: a stream that waited for it would outlast the client's timeout
    srv = server_factory(stream_poll_s=600, cost_generate=0, FAKE_STUDIO_STAGE_S=0.5)
    api = Api(srv.url)
    api.anonymous()
    sid = api.session()["session_id"]
    first = api.run(sid, COFFEE, stop_after=1, timeout=30)  # the opening event, stored when accepted
    rest = api.run(sid, COFFEE, last_event_id=first.ids[-1], timeout=30)  # then each stage as it is saved
    assert rest.complete and rest.ids[0] == first.ids[-1] + 1
    assert rest.calls()[:2] == ["generate_raw_cut", "add_post_production"]
    # two readers of one running turn (the message re-sent attaches from its start) get every event
    sid2 = api.session()["session_id"]
    head = api.run(sid2, COFFEE, stop_after=1, timeout=30)
    whole = api.run(sid2, COFFEE, timeout=30)
    tail = api.run(sid2, COFFEE, last_event_id=head.ids[-1], timeout=30)
    assert whole.complete and tail.complete
    assert whole.events == head.events + tail.events


def test_state_follows_turns_undo_and_redo(server_factory: Callable[..., LiveServer]) -> None:
    srv = server_factory(cost_generate=0, cost_edit=0)
    api = Api(srv.url)
    api.anonymous()
    sid = api.session()["session_id"]
    empty = api.state(sid)
    assert empty["version"] == 0 and not empty["ready"] and not empty["can_undo"] and not empty["can_redo"]
    assert empty["messages"] == []

    assert api.run(sid, COFFEE).complete
    made = api.state(sid)
    assert made["version"] == 2 and made["ready"] and not made["can_undo"] and not made["can_redo"]
    assert made == api.state(sid)  # read again: the same view
    roles = [m["role"] for m in made["messages"]]
    assert roles[0] == "user" and set(roles[1:]) == {"agent"}
    assert made["messages"][-1]["status"] == "completed"
    assert made["state"]["canvas_config"]["width"] == 1920

    assert api.run(sid, "make it vertical").complete
    vertical = api.state(sid)
    assert vertical["version"] == 3 and vertical["can_undo"] and not vertical["can_redo"]
    assert vertical["state"]["canvas_config"]["width"] == 1080
    assert vertical["state"]["draft"] != made["state"]["draft"]

    assert api.run(sid, "undo").complete
    undone = api.state(sid)
    assert undone["version"] == 2 and not undone["can_undo"] and undone["can_redo"]
    assert undone["state"]["draft"] == made["state"]["draft"]

    assert api.run(sid, "redo").complete
    redone = api.state(sid)
    assert redone["version"] == 3 and redone["can_undo"] and not redone["can_redo"]
    assert redone["state"]["draft"] == vertical["state"]["draft"]
    texts = [m["text"] for m in redone["messages"] if m["role"] == "user"]
    assert texts == [COFFEE, "make it vertical", "undo", "redo"]
    assert all(m["status"] == "completed" for m in redone["messages"] if m["role"] == "agent")
