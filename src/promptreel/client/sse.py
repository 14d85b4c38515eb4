"""Decoding the agent turn's event stream: events, heartbeats and in-stream errors.

The event-stream format is parsed here as the WHATWG specification describes it (lines end in
``\r\n``, ``\r`` or ``\n``; ``event``/``data``/``id``/``retry`` fields; a blank line dispatches)
into httpx-sse's public :class:`~httpx_sse.ServerSentEvent`, with one addition the protocol
needs: comment lines (``: ping``) are surfaced as :class:`Heartbeat` instead of being dropped,
so a client can tell "the server is alive but quiet" from "nothing is arriving".
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

from httpx_sse import ServerSentEvent

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


class _Lines:
    """Splits text chunks into lines on ``\r\n``, ``\r`` or ``\n`` (a ``\r`` at the end of a
    chunk waits for the next one, which may start with its ``\n``)."""

    def __init__(self) -> None:
        self._buffer = ""

    def decode(self, text: str) -> list[str]:
        text = self._buffer + text
        lines: list[str] = []
        start = i = 0
        n = len(text)
        while i < n:
            ch = text[i]
            if ch == "\n" or ch == "\r":
                if ch == "\r" and i + 1 == n:
                    break  # maybe the first half of \r\n
                lines.append(text[start:i])
                i += 2 if ch == "\r" and text[i + 1] == "\n" else 1
                start = i
            else:
                i += 1
        self._buffer = text[start:]
        return lines

    def flush(self) -> list[str]:
        rest, self._buffer = self._buffer, ""
        if not rest:
            return []
        return [rest[:-1] if rest.endswith("\r") else rest]


class _Events:
    """Collects fields line by line; a blank line dispatches the event (if it has anything)."""

    def __init__(self) -> None:
        self._event = ""
        self._data: list[str] = []
        self._last_id = ""  # kept across events, as the specification says
        self._retry: int | None = None

    def decode(self, line: str) -> ServerSentEvent | None:
        if not line:
            if not self._event and not self._data and not self._last_id and self._retry is None:
                return None
            sse = ServerSentEvent(
                event=self._event, data="\n".join(self._data), id=self._last_id, retry=self._retry
            )
            self._event, self._data, self._retry = "", [], None
            return sse
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "event":
            self._event = value
        elif name == "data":
            self._data.append(value)
        elif name == "id" and "\0" not in value:
            self._last_id = value
        elif name == "retry" and value.isascii() and value.isdigit():
            self._retry = int(value)
        return None


class EventDecoder:
    """Feed text chunks, get turn items (events and heartbeats) out."""

    def __init__(self) -> None:
        self._lines = _Lines()
        self._events = _Events()

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
