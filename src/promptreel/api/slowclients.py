"""Slow clients are cut off: a connection may not hold the server by sending its request slowly.

* **Headers**: a connection must deliver a request's line and headers within
  :data:`HEADER_TIMEOUT_S` of opening (or of the previous response, on a kept-alive connection);
  one that sends nothing, or trickles its headers, is closed (:class:`BoundedH11Protocol`, the
  HTTP/1.1 protocol ``promptreel serve`` runs).
* **Body**: while a request's body is being read, each part must arrive within
  :data:`BODY_IDLE_S` of the server asking for it, and once :data:`BODY_GRACE_S` of waiting for
  the client have passed the body must keep up an average of :data:`BODY_MIN_RATE` bytes a second
  (only time spent waiting for the client counts, never the server's own work between reads). A body that stalls or trickles gets
  408 (code 4080) and the connection is closed (:class:`SlowBody`). A 500 MB upload at any
  ordinary speed is far inside this; once the body is read, nothing is bounded, so long SSE
  streams and downloads run as long as they need.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

from promptreel.api.status import http_status
from promptreel.errors import SlowRequest

__all__ = [
    "BODY_GRACE_S",
    "BODY_IDLE_S",
    "BODY_MIN_RATE",
    "HEADER_TIMEOUT_S",
    "BoundedH11Protocol",
    "SlowBody",
]

HEADER_TIMEOUT_S = 20.0
BODY_IDLE_S = 20.0
BODY_GRACE_S = 30.0
BODY_MIN_RATE = 16 * 1024

Scope = dict[str, Any]
Message = dict[str, Any]


class BoundedH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol with a deadline for each request's line and headers."""

    _header_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_header_deadline()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm_header_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_header_deadline()
        super().connection_lost(exc)

    def _arm_header_deadline(self) -> None:
        self._disarm_header_deadline()
        self._header_deadline = self.loop.call_later(HEADER_TIMEOUT_S, self._headers_too_slow)

    def _disarm_header_deadline(self) -> None:
        if self._header_deadline is not None:
            self._header_deadline.cancel()
            self._header_deadline = None

    def _headers_too_slow(self) -> None:
        self._header_deadline = None
        waiting = self.cycle is None or self.cycle.response_complete  # no request has begun since
        if waiting and not self.transport.is_closing():
            self.transport.close()


class _TooSlow(Exception):
    pass


class SlowBody:
    """Pure ASGI middleware: a request body that stalls or trickles → 408 and the connection closed."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        waited = 0.0  # time spent waiting for the client (never the app's own time between reads)
        got = 0
        body_done = False
        timed_out = False
        started = False

        async def bounded() -> Message:
            nonlocal waited, got, body_done, timed_out
            if body_done or timed_out:
                return await receive()  # e.g. a stream listening for the client going away
            allowed = min(BODY_IDLE_S, BODY_GRACE_S + got / BODY_MIN_RATE - waited)
            began = time.monotonic()
            try:
                message: Message = await asyncio.wait_for(receive(), max(allowed, 0.001))
            except TimeoutError:
                timed_out = True
                raise _TooSlow() from None
            finally:
                waited += time.monotonic() - began
            if message["type"] == "http.request":
                got += len(message.get("body", b""))
                body_done = not message.get("more_body", False)
            else:
                body_done = True
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            if timed_out:
                return  # the app's answer to a body it never got: the 408 goes instead
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, bounded, tracked)
        except Exception:
            if not timed_out:
                raise
        if timed_out and not started:
            await _refuse(send)


async def _refuse(send: Any) -> None:
    exc = SlowRequest(data={"min_bytes_per_s": BODY_MIN_RATE, "idle_s": BODY_IDLE_S})
    body = json.dumps({"code": exc.code, "message": exc.message, "data": exc.data}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": http_status(exc), "headers": headers})
    await send({"type": "http.response.body", "body": body})
