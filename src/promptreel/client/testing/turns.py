"""The fake server's turns: a script played into a run's events, and the events streamed as SSE.

A :class:`TurnRun` keeps every event of one turn, so a client that reconnects with
``Last-Event-ID`` is sent the rest; a run may drop its first connection on purpose after
``drop_after`` events (the case a client must resume from).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from starlette.responses import StreamingResponse

from promptreel.client.testing.script import Done, DraftEdit, Quiet, Say, Tool, Turn
from promptreel.draft import decode, encode

__all__ = ["DraftHolder", "TurnRun", "play", "stream"]


class DraftHolder(Protocol):
    """What a turn edits: a session's draft in compact JSON."""

    draft: dict[str, Any] | None


@dataclass
class TurnRun:
    number: int
    events: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    done: bool = False
    drop_after: int | None = None
    dropped: bool = False
    cond: asyncio.Condition = field(default_factory=asyncio.Condition)

    async def emit(self, *parts: dict[str, Any], partial: bool = False, turn_complete: bool = False) -> None:
        """Append one model event with ``parts`` and wake the streams that wait for it."""
        async with self.cond:
            n = len(self.events) + 1
            event = {
                "id": str(n),
                "author": "nemo_agent",
                "content": {"role": "model", "parts": list(parts)},
                "partial": partial,
                "turn_complete": turn_complete,
            }
            self.events.append((n, event))
            self.cond.notify_all()

    async def finish(self) -> None:
        async with self.cond:
            self.done = True
            self.cond.notify_all()


async def play(
    run: TurnRun,
    script: Turn,
    session: DraftHolder,
    *,
    step_s: float,
    charge: Callable[[], None],
) -> None:
    """Play ``script`` into ``run``: one step every ``step_s``; a ``DraftEdit`` changes the
    session's draft and ``Done`` charges the turn (``charge``) before its last event."""
    for step in script.steps:
        await asyncio.sleep(step_s)
        if isinstance(step, Say):
            await run.emit({"text": step.text}, partial=step.partial)
        elif isinstance(step, Tool):
            call = {"id": secrets.token_hex(4), "name": step.name}
            await run.emit({"function_call": {**call, "args": step.args}})
            await run.emit({"function_response": {**call, "response": {"ok": True}}})
        elif isinstance(step, DraftEdit):
            session.draft = encode(step.fn(decode(session.draft) if session.draft else None))
        elif isinstance(step, Quiet):
            await asyncio.sleep(step.seconds)
        elif isinstance(step, Done):
            charge()
            await run.emit(turn_complete=True)
    await run.finish()


def stream(run: TurnRun, start: int, *, first: bool, heartbeat_s: float) -> StreamingResponse:
    """The run's events after ``start`` as SSE, with a ``: ping`` comment every quiet ``heartbeat_s``;
    the ``first`` connection of a run with ``drop_after`` breaks once after that many events."""

    async def gen() -> AsyncIterator[bytes]:
        sent = start
        emitted = 0
        while True:
            async with run.cond:
                if len(run.events) <= sent and not run.done:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(run.cond.wait(), heartbeat_s)
                pending = run.events[sent:]
                finished = run.done
            if not pending:
                if finished:
                    return
                yield b": ping\n\n"
                continue
            for n, data in pending:
                if first and run.drop_after is not None and emitted >= run.drop_after and not run.dropped:
                    run.dropped = True
                    raise ConnectionAbortedError("dropped on purpose")
                yield f"id: {n}\ndata: {json.dumps(data)}\n\n".encode()
                sent = n
                emitted += 1
                if data.get("turn_complete"):
                    return

    return StreamingResponse(gen(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"})
