"""Carrying the core's effects out: over ``httpx.Client`` (sync) or ``httpx.AsyncClient`` (async).

This is the only place the two clients differ. Each driver runs one core operation: it performs
every effect the operation yields and sends back the result, or throws back the exception the
effect raised, so the core's own ``try``/``except`` decides what a failure means. At most one
streamed response is open at a time, and it is closed when the operation ends however it ends.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Generator, Iterator
from contextlib import ExitStack
from typing import Any, TypeVar

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
_CHUNK = 1 << 16


def _build(http: httpx.Client | httpx.AsyncClient, req: Request, stack: ExitStack) -> httpx.Request:
    kwargs: dict[str, Any] = {}
    if req.timeout is not None:
        kwargs["timeout"] = req.timeout
    return http.build_request(
        req.method, req.url, headers=dict(req.headers), json=req.json, files=req.open_files(stack), **kwargs
    )


class SyncDriver:
    """Runs core operations with a blocking ``httpx.Client`` and a blocking ``sleep``."""

    def __init__(self, http: httpx.Client, sleep: Callable[[float], None]) -> None:
        self.http = http
        self.sleep = sleep
        self.response: httpx.Response | None = None  # the open stream (another thread may close it)
        self._chunks: Iterator[str] | Iterator[bytes] | None = None

    def close(self) -> None:
        resp, self.response, self._chunks = self.response, None, None
        if resp is not None:
            # closing from another thread may race the reader; it stops either way
            with contextlib.suppress(Exception):
                resp.close()

    def perform(self, effect: Effect) -> Any:
        if isinstance(effect, Send):
            with ExitStack() as stack:
                return self.http.send(_build(self.http, effect, stack))
        if isinstance(effect, Open):
            self.close()
            with ExitStack() as stack:
                self.response = self.http.send(_build(self.http, effect, stack), stream=True)
            return self.response
        if isinstance(effect, Read):
            if self.response is None:
                return None
            if self._chunks is None:
                resp = self.response
                self._chunks = resp.iter_bytes(_CHUNK) if effect.binary else resp.iter_text()
            return next(self._chunks, None)
        if isinstance(effect, ReadAll):
            if self.response is not None:
                self.response.read()
            self.close()
            return None
        if isinstance(effect, Close):
            self.close()
            return None
        if isinstance(effect, Sleep):
            self.sleep(effect.seconds)
            return None
        raise TypeError(f"not an effect this driver performs: {effect!r}")

    def _attempt(self, effect: Effect) -> Outcome:
        try:
            return Outcome(None if isinstance(effect, Emit) else self.perform(effect))
        except Exception as exc:
            return Outcome(error=exc)

    def items(self, steps: Steps[T]) -> Generator[TurnItem, None, T | None]:
        """Run ``steps``, yielding the items it emits; returns what it returns."""
        stepper = Stepper(steps)
        try:
            effect = stepper.start()
            while effect is not None:
                if isinstance(effect, Emit):
                    yield effect.item
                effect = stepper.resume(self._attempt(effect))
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


class AsyncDriver:
    """Runs core operations with an ``httpx.AsyncClient`` and an awaitable ``sleep``."""

    def __init__(self, http: httpx.AsyncClient, sleep: Callable[[float], Awaitable[None]]) -> None:
        self.http = http
        self.sleep = sleep
        self.response: httpx.Response | None = None
        self._chunks: AsyncIterator[str] | AsyncIterator[bytes] | None = None
        self.result: Any = None

    async def close(self) -> None:
        resp, self.response, self._chunks = self.response, None, None
        if resp is not None:
            with contextlib.suppress(Exception):
                await resp.aclose()

    async def perform(self, effect: Effect) -> Any:
        if isinstance(effect, Send):
            with ExitStack() as stack:
                return await self.http.send(_build(self.http, effect, stack))
        if isinstance(effect, Open):
            await self.close()
            with ExitStack() as stack:
                self.response = await self.http.send(_build(self.http, effect, stack), stream=True)
            return self.response
        if isinstance(effect, Read):
            if self.response is None:
                return None
            if self._chunks is None:
                resp = self.response
                self._chunks = resp.aiter_bytes(_CHUNK) if effect.binary else resp.aiter_text()
            return await anext(self._chunks, None)
        if isinstance(effect, ReadAll):
            if self.response is not None:
                await self.response.aread()
            await self.close()
            return None
        if isinstance(effect, Close):
            await self.close()
            return None
        if isinstance(effect, Sleep):
            await self.sleep(effect.seconds)
            return None
        raise TypeError(f"not an effect this driver performs: {effect!r}")

    async def _attempt(self, effect: Effect) -> Outcome:
        try:
            return Outcome(None if isinstance(effect, Emit) else await self.perform(effect))
        except Exception as exc:
            return Outcome(error=exc)

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
