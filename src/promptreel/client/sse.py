"""Decoding the agent turn's event stream: events, heartbeats and in-stream errors.

Built on httpx-sse's line and event decoders, with one addition the protocol needs: SSE
comment lines (``: ping``) are surfaced as :class:`Heartbeat` instead of being dropped, so a
client can tell "the server is alive but quiet" from "nothing is arriving".
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

from httpx_sse import ServerSentEvent
from httpx_sse._decoders import SSEDecoder, SSELineDecoder

from promptreel.client.models import Heartbeat, TurnEvent
from promptreel.errors import GenerationFailed, error_for_code

__all__ = ["EventDecoder", "parse_event", "iter_items", "aiter_items"]


def parse_event(sse: ServerSentEvent) -> TurnEvent | Heartbeat:
    """One dispatched SSE event → a turn event, or a heartbeat when it carries no JSON object."""
    text = sse.data.strip()
    if not text:
        return Heartbeat()
    try:
        data: Any = json.loads(text)
    except ValueError:
        return Heartbeat()
    if not isinstance(data, dict):
        return Heartbeat()
    code = data.get("code")
    if isinstance(code, int) and code != 0 and "content" not in data:
        raise error_for_code(code, str(data.get("message") or ""), data.get("data") or None)
    if (data.get("error_code") or data.get("error_message")) and not isinstance(data.get("content"), dict):
        raise GenerationFailed(str(data.get("error_message") or data.get("error_code")))
    return TurnEvent.from_data(sse.id, data)


class EventDecoder:
    """Feed text chunks, get turn items (events and heartbeats) out."""

    def __init__(self) -> None:
        self._lines = SSELineDecoder()
        self._events = SSEDecoder()

    def _line(self, line: str) -> TurnEvent | Heartbeat | None:
        if line.startswith(":"):
            return Heartbeat()
        sse = self._events.decode(line)
        return parse_event(sse) if sse is not None else None

    def feed(self, chunk: str) -> list[TurnEvent | Heartbeat]:
        out = []
        for line in self._lines.decode(chunk):
            item = self._line(line)
            if item is not None:
                out.append(item)
        return out

    def flush(self) -> list[TurnEvent | Heartbeat]:
        out = []
        for line in self._lines.flush():  # an event cut off mid-way is never dispatched
            item = self._line(line)
            if item is not None:
                out.append(item)
        return out


def iter_items(chunks: Iterable[str]) -> Iterator[TurnEvent | Heartbeat]:
    decoder = EventDecoder()
    for chunk in chunks:
        yield from decoder.feed(chunk)
    yield from decoder.flush()


async def aiter_items(chunks: AsyncIterator[str]) -> AsyncIterator[TurnEvent | Heartbeat]:
    decoder = EventDecoder()
    async for chunk in chunks:
        for item in decoder.feed(chunk):
            yield item
    for item in decoder.flush():
        yield item
