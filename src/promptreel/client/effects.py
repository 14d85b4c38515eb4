"""What the SDK's core asks its transport to do, and the stepper that feeds the answers back.

The core (:mod:`promptreel.client.core`) is written once as generators that *yield* effects —
"send this request", "open this stream", "read the next chunk", "sleep", "hand this item to the
caller" — and receive each effect's result (or its exception) back. The sync and async clients
(:mod:`promptreel.client.transport`) differ only in how they carry an effect out: ``httpx.Client``
and ``time.sleep`` or ``httpx.AsyncClient`` and ``asyncio.sleep``.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Generic, TypeVar

import httpx

from promptreel.client.models import TurnItem

__all__ = [
    "Close",
    "Effect",
    "Emit",
    "Open",
    "Outcome",
    "Read",
    "ReadAll",
    "Request",
    "Send",
    "Sleep",
    "Stepper",
    "Steps",
]

T = TypeVar("T")


@dataclass(frozen=True)
class Request:
    """What to ask the server: the path (relative to the API base) or an absolute URL."""

    method: str
    url: str
    headers: Mapping[str, str]
    json: Any = None
    files: Sequence[Path] = ()  # uploaded as multipart field ``files``
    timeout: httpx.Timeout | None = None

    def open_files(self, stack: ExitStack) -> list[tuple[str, tuple[str, IO[bytes], str]]] | None:
        """The multipart ``files`` argument, each file opened on ``stack`` (closed when it unwinds)."""
        if not self.files:
            return None
        return [
            ("files", (Path(p).name, stack.enter_context(Path(p).open("rb")), "application/octet-stream"))
            for p in self.files
        ]


@dataclass(frozen=True)
class Send(Request):
    """One request whose whole answer is read; the result is the :class:`httpx.Response`."""


@dataclass(frozen=True)
class Open(Request):
    """A request whose answer is streamed: the result is the response with its body unread. One
    stream is open at a time; opening another closes the previous one."""


@dataclass(frozen=True)
class Read:
    """The next chunk of the open stream (``str``, or ``bytes`` when ``binary``); ``None`` at its end."""

    binary: bool = False


@dataclass(frozen=True)
class ReadAll:
    """Read the open stream's whole body (so ``response.json()`` works), then close it."""


@dataclass(frozen=True)
class Close:
    """Close the open stream, if any."""


@dataclass(frozen=True)
class Sleep:
    seconds: float


@dataclass(frozen=True)
class Emit:
    """Hand one item of a turn to the caller (only streams emit)."""

    item: TurnItem


Effect = Send | Open | Read | ReadAll | Close | Sleep | Emit
#: a core operation: yields effects, is sent each effect's result, returns ``T``
Steps = Generator[Effect, Any, T]


@dataclass(frozen=True)
class Outcome:
    """What carrying out one effect gave: its result, or the exception it raised."""

    value: Any = None
    error: Exception | None = None


@dataclass
class Stepper(Generic[T]):
    """Advances a core operation: ``next`` the first effect, then ``send`` each result or ``throw``
    the exception it raised; ``None`` means the operation returned ``result``."""

    steps: Steps[T]
    result: T | None = field(default=None, init=False)

    def _advance(self, value: Any, error: Exception | None) -> Effect | None:
        try:
            return self.steps.throw(error) if error is not None else self.steps.send(value)
        except StopIteration as stop:
            self.result = stop.value
            return None

    def start(self) -> Effect | None:
        return self._advance(None, None)

    def send(self, value: Any) -> Effect | None:
        return self._advance(value, None)

    def throw(self, error: Exception) -> Effect | None:
        return self._advance(None, error)

    def resume(self, outcome: Outcome) -> Effect | None:
        """Send ``outcome``'s value, or throw its exception, into the operation."""
        return self._advance(outcome.value, outcome.error)

    def close(self) -> None:
        self.steps.close()
