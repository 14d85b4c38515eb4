"""What time it is, as one injected seam: token and link expiry read it, tests move it.

``SYSTEM`` is the real clock. A :class:`ManualClock` starts at the real time and moves only
when told, so "the token expires after ten seconds" is checked without waiting ten seconds.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Protocol

__all__ = ["SYSTEM", "Clock", "ManualClock", "SystemClock"]


class Clock(Protocol):
    def time(self) -> float:
        """Seconds since the epoch."""
        ...

    def now(self) -> datetime:
        """The current UTC time, naive (as the database stores it)."""
        ...


class SystemClock:
    def time(self) -> float:
        return time.time()

    def now(self) -> datetime:
        return datetime.now(UTC).replace(tzinfo=None)


SYSTEM: Clock = SystemClock()


class ManualClock:
    """A clock that stands still until :meth:`advance` moves it (thread-safe)."""

    def __init__(self, start: float | None = None) -> None:
        self._t = time.time() if start is None else start
        self._lock = threading.Lock()

    def time(self) -> float:
        with self._lock:
            return self._t

    def now(self) -> datetime:
        return datetime(1970, 1, 1) + timedelta(seconds=self.time())

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._t += seconds
