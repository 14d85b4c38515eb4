"""Carrying the core's effects out: over ``httpx.Client`` (sync) or ``httpx.AsyncClient`` (async).

This is the only place the two clients differ. Each driver runs one core operation: it performs
every effect the operation yields and sends back the result, or throws back the exception the
effect raised, so the core's own ``try``/``except`` decides what a failure means. At most one
streamed response is open at a time, and it is closed when the operation ends however it ends.

What an effect means is written once (:meth:`_Driver._perform`, a coroutine); the drivers differ
only in six primitives (send a request, read a body, close a response, iterate and advance a
stream, sleep). The sync driver's primitives block and never suspend, so it runs the same
coroutine to its end at once (:func:`_now`) without an event loop.
"""

from __future__ import annotations

import contextlib
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Awaitable,
    Callable,
    Coroutine,
    Generator,
    Iterator,
)
from contextlib import ExitStack
from typing import Any, Generic, TypeVar

import httpx

from promptreel.client.effects import (
    Close,
    Effect,
    Emit,
    Open,
    Outcome,
    Read,
    ReadAll,
    Request,
    Send,
    Sleep,
    Stepper,
    Steps,
)
from promptreel.client.models import TurnItem

__all__ = ["AsyncDriver", "SyncDriver"]

T = TypeVar("T")
H = TypeVar("H", bound=httpx.Client | httpx.AsyncClient)
C = TypeVar("C")  # a streamed body's chunks (an iterator, or an async one)
_CHUNK = 1 << 16


def _now(coro: Coroutine[Any, Any, T]) -> T:
    """The result of a coroutine that never suspends (the sync driver's, whose IO blocks)."""
    try:
        coro.send(None)
    except StopIteration as stop:
        return stop.value  # type: ignore[no-any-return]
    coro.close()
    raise RuntimeError("the sync driver awaited something that suspends")  # pragma: no cover


class _Driver(Generic[H, C]):
    """What both drivers share: the open stream, and what each effect means."""

    def __init__(self, http: H) -> None:
        self.http: H = http
        self.response: httpx.Response | None = None  # the open stream (another thread may close it)
        self._chunks: C | None = None

    # -- the primitives each driver gives

    async def _transmit(self, request: httpx.Request, stream: bool) -> httpx.Response:
        raise NotImplementedError

    async def _read_body(self, response: httpx.Response) -> None:
        raise NotImplementedError

    async def _close_response(self, response: httpx.Response) -> None:
        raise NotImplementedError

    def _iterate(self, response: httpx.Response, binary: bool) -> C:
        raise NotImplementedError

    async def _next_chunk(self, chunks: C) -> Any:
        raise NotImplementedError

    async def _pause(self, seconds: float) -> None:
        raise NotImplementedError

    # -- written once

    async def _close(self) -> None:
        resp, self.response, self._chunks = self.response, None, None
        if resp is not None:
            # closing from another thread may race the reader; it stops either way
            with contextlib.suppress(Exception):
                await self._close_response(resp)

    async def _send(self, req: Request, *, stream: bool) -> httpx.Response:
        with ExitStack() as stack:
            kwargs: dict[str, Any] = {} if req.timeout is None else {"timeout": req.timeout}
            files = req.open_files(stack)
            request = self.http.build_request(
                req.method, req.url, headers=dict(req.headers), json=req.json, files=files, **kwargs
            )
            return await self._transmit(request, stream)

    async def _perform(self, effect: Effect) -> Any:
        if isinstance(effect, Send):
            return await self._send(effect, stream=False)
        if isinstance(effect, Open):
            await self._close()
            self.response = await self._send(effect, stream=True)
            return self.response
        if isinstance(effect, Read):
            if self.response is None:
                return None
            if self._chunks is None:
                self._chunks = self._iterate(self.response, effect.binary)
            return await self._next_chunk(self._chunks)
        if isinstance(effect, ReadAll):
            if self.response is not None:
                await self._read_body(self.response)
            await self._close()
            return None
        if isinstance(effect, Close):
            await self._close()
            return None
        if isinstance(effect, Sleep):
            await self._pause(effect.seconds)
            return None
        raise TypeError(f"not an effect this driver performs: {effect!r}")

    async def _attempt(self, effect: Effect) -> Outcome:
        """What performing ``effect`` gave (an emitted item is the caller's: nothing to do here)."""
        try:
            return Outcome(None if isinstance(effect, Emit) else await self._perform(effect))
        except Exception as exc:
            return Outcome(error=exc)


class SyncDriver(_Driver[httpx.Client, Iterator[Any]]):
    """Runs core operations with a blocking ``httpx.Client`` and a blocking ``sleep``."""

    def __init__(self, http: httpx.Client, sleep: Callable[[float], None]) -> None:
        super().__init__(http)
        self.sleep = sleep

    async def _transmit(self, request: httpx.Request, stream: bool) -> httpx.Response:
        return self.http.send(request, stream=stream)

    async def _read_body(self, response: httpx.Response) -> None:
        response.read()

    async def _close_response(self, response: httpx.Response) -> None:
        response.close()

    def _iterate(self, response: httpx.Response, binary: bool) -> Iterator[Any]:
        return response.iter_bytes(_CHUNK) if binary else response.iter_text()

    async def _next_chunk(self, chunks: Iterator[Any]) -> Any:
        return next(chunks, None)

    async def _pause(self, seconds: float) -> None:
        self.sleep(seconds)

    def close(self) -> None:
        """Close the open stream (safe from another thread: the reader stops)."""
        _now(self._close())

    def perform(self, effect: Effect) -> Any:
        return _now(self._perform(effect))

    def items(self, steps: Steps[T]) -> Generator[TurnItem, None, T | None]:
        """Run ``steps``, yielding the items it emits; returns what it returns."""
        stepper = Stepper(steps)
        try:
            effect = stepper.start()
            while effect is not None:
                if isinstance(effect, Emit):
                    yield effect.item
                effect = stepper.resume(_now(self._attempt(effect)))
            return stepper.result
        finally:
            self.close()
            stepper.close()

    def run(self, steps: Steps[T]) -> T:
        """Run an operation that emits nothing; its result."""
        items = self.items(steps)
        while True:
            try:
                next(items)
            except StopIteration as stop:
                return stop.value  # type: ignore[no-any-return]
            raise RuntimeError("a call emitted turn items")  # pragma: no cover - a core bug


class AsyncDriver(_Driver[httpx.AsyncClient, AsyncIterator[Any]]):
    """Runs core operations with an ``httpx.AsyncClient`` and an awaitable ``sleep``."""

    def __init__(self, http: httpx.AsyncClient, sleep: Callable[[float], Awaitable[None]]) -> None:
        super().__init__(http)
        self.sleep = sleep
        self.result: Any = None

    async def _transmit(self, request: httpx.Request, stream: bool) -> httpx.Response:
        return await self.http.send(request, stream=stream)

    async def _read_body(self, response: httpx.Response) -> None:
        await response.aread()

    async def _close_response(self, response: httpx.Response) -> None:
        await response.aclose()

    def _iterate(self, response: httpx.Response, binary: bool) -> AsyncIterator[Any]:
        return response.aiter_bytes(_CHUNK) if binary else response.aiter_text()

    async def _next_chunk(self, chunks: AsyncIterator[Any]) -> Any:
        return await anext(chunks, None)

    async def _pause(self, seconds: float) -> None:
        await self.sleep(seconds)

    async def close(self) -> None:
        await self._close()

    async def perform(self, effect: Effect) -> Any:
        return await self._perform(effect)

    async def items(self, steps: Steps[Any]) -> AsyncGenerator[TurnItem, None]:
        """Run ``steps``, yielding the items it emits; what it returns is left in :attr:`result`."""
        stepper = Stepper(steps)
        try:
            effect = stepper.start()
            while effect is not None:
                if isinstance(effect, Emit):
                    yield effect.item
                effect = stepper.resume(await self._attempt(effect))
            self.result = stepper.result
        finally:
            await self.close()
            stepper.close()

    async def run(self, steps: Steps[T]) -> T:
        """Run an operation that emits nothing; its result."""
        async for _ in self.items(steps):
            raise RuntimeError("a call emitted turn items")  # pragma: no cover - a core bug
        return self.result  # type: ignore[no-any-return]
