"""Long-lived responses held at once: agent streams per account and preview streams per render.

Each open stream holds a connection, and a turn's stream polls for events in the request thread
pool that every other request shares: one account holding hundreds open would slow everyone.
So an account keeps at most ``streams_per_user`` agent streams open at once and a preview at
most ``streams_per_render`` followers; one more → 429 with ``Retry-After`` (close a stream, or
read the state instead). A stream's slot is given back when it ends, however it ends.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable
from typing import TypeVar

from promptreel.errors import RateLimited

__all__ = ["Slots", "held"]

T = TypeVar("T")

#: seconds a refused client waits before trying again
RETRY_S = 5


class Slots:
    """At most ``per_key`` held at once per key (thread-safe; counts live only while held)."""

    def __init__(self, per_key: int, what: str) -> None:
        self.per_key = max(1, per_key)
        self.what = what
        self._lock = threading.Lock()
        self._held: dict[str, int] = {}

    def take(self, key: str) -> Callable[[], None]:
        """A slot for ``key`` and the function that gives it back (once, however often called);
        :class:`RateLimited` when ``key`` holds them all."""
        with self._lock:
            n = self._held.get(key, 0)
            if n >= self.per_key:
                raise RateLimited(
                    f"Too many {self.what} open at once (at most {self.per_key}). Close one, or "
                    "read the state instead.",
                    retry_after=RETRY_S,
                    data={"retry_after": RETRY_S, "limit": self.per_key},
                )
            self._held[key] = n + 1
        done = threading.Event()

        def release() -> None:
            with self._lock:
                if done.is_set():
                    return
                done.set()
                left = self._held.get(key, 1) - 1
                if left > 0:
                    self._held[key] = left
                else:
                    self._held.pop(key, None)

        return release

    def held(self, key: str) -> int:
        with self._lock:
            return self._held.get(key, 0)


async def held(items: AsyncIterator[T], release: Callable[[], None]) -> AsyncIterator[T]:
    """``items``, giving the slot back when the stream ends, fails or is dropped."""
    try:
        async for item in items:
            yield item
    finally:
        release()
