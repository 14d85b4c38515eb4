"""Decoding the turn's event stream: events, both heartbeat forms, split chunks, errors."""

from __future__ import annotations

import json

import pytest

import promptreel.client as client_pkg
from promptreel.client.models import Heartbeat, TurnEvent
from promptreel.client.sse import EventDecoder, iter_items
from promptreel.errors import NoCredits


def event(n: int, **data: object) -> str:
    body = {"id": str(n), "author": "nemo_agent", "content": {"role": "model", "parts": []}, **data}
    return f"id: {n}\r\ndata: {json.dumps(body)}\r\n\r\n"


def test_comments_and_empty_data_are_heartbeats() -> None:
    text = ": ping - 2026-01-01\r\n\r\n" + "data:\n\n" + event(1, turn_complete=True)
    items = list(iter_items([text]))
    assert [type(i) for i in items] == [Heartbeat, Heartbeat, TurnEvent]
    assert isinstance(items[2], TurnEvent) and items[2].turn_complete and items[2].id == "1"


def test_events_split_across_chunks_at_any_byte() -> None:
    text = "".join(
        event(i, content={"role": "model", "parts": [{"text": f"part {i} — 中文"}]}) for i in range(1, 4)
    )
    for size in (1, 3, 7, 50):
        chunks = [text[i : i + size] for i in range(0, len(text), size)]
        got = [i.text for i in iter_items(chunks) if isinstance(i, TurnEvent)]
        assert got == ["part 1 — 中文", "part 2 — 中文", "part 3 — 中文"]


def test_an_event_cut_off_mid_way_is_not_dispatched() -> None:
    d = EventDecoder()
    assert d.feed(event(1)[:-4]) == []
    assert d.flush() == []


def test_tool_traffic_is_separated_from_text() -> None:
    parts = [
        {"function_call": {"id": "c1", "name": "edit", "args": {}}},
        {"function_response": {"id": "c1", "name": "edit", "response": {"ok": True}}},
        {"text": "Done."},
    ]
    (ev,) = iter_items([event(5, content={"role": "model", "parts": parts})])
    assert isinstance(ev, TurnEvent)
    assert ev.text == "Done." and ev.has_tool_traffic
    assert ev.function_calls[0]["name"] == "edit" and ev.function_responses[0]["response"] == {"ok": True}


def test_a_failed_turns_last_event_keeps_its_reason() -> None:
    (ev,) = iter_items(
        [
            event(
                9,
                content={"role": "model", "parts": [{"text": "Engine failed."}]},
                turn_complete=True,
                error_code=5001,
            )
        ]
    )
    assert isinstance(ev, TurnEvent) and ev.error_code == 5001 and ev.text == "Engine failed."


def test_an_error_envelope_in_the_stream_raises_its_exception() -> None:
    text = f"data: {json.dumps({'code': 2001, 'message': 'No credits', 'data': {'bind_id': 'b1'}})}\n\n"
    with pytest.raises(NoCredits) as info:
        list(iter_items([text]))
    assert info.value.data == {"bind_id": "b1"}


def test_public_api_is_listed() -> None:
    for name in client_pkg.__all__:
        assert hasattr(client_pkg, name), name


@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"])
def test_every_split_of_the_stream_decodes_the_same(newline: str) -> None:
    """Chunk boundaries anywhere (inside ``\\r\\n`` too) give the same items as the whole text."""
    text = (
        (": ping\n\n" + event(1) + event(2, turn_complete=True)).replace("\r\n", "\n").replace("\n", newline)
    )
    whole = [repr(i) for i in iter_items([text])]
    assert len(whole) == 3
    for cut in range(1, len(text)):
        assert [repr(i) for i in iter_items([text[:cut], text[cut:]])] == whole
    assert [repr(i) for i in iter_items(list(text))] == whole


def test_the_client_uses_only_the_public_httpx_sse_api() -> None:
    import inspect

    import promptreel.client.sse as sse

    assert "httpx_sse._" not in inspect.getsource(sse)
