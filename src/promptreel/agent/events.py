"""ADK-style agent events, as streamed by ``/run_sse``.

Wire shape of one event (the SSE ``id:`` equals ``id``, monotonic within the session and so
within each turn)::

    {"id": "7", "invocation_id": "turn_…", "author": "nemo_agent",
     "content": {"role": "model", "parts": [{"text": "…"}]},
     "partial": false, "turn_complete": false, "timestamp": 1764100000.25}

A part is one of ``{"text": …}``, ``{"function_call": {"id", "name", "args"}}`` or
``{"function_response": {"id", "name", "response"}}``. The last event of a turn has
``turn_complete: true`` (its parts may be empty).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

__all__ = ["AUTHOR", "Event", "text", "call", "response", "complete"]

AUTHOR = "nemo_agent"


@dataclass(frozen=True, slots=True)
class Event:
    parts: tuple[dict[str, Any], ...] = ()
    partial: bool = False
    turn_complete: bool = False
    error_code: int | None = None
    timestamp: float = field(default_factory=time.time)

    def to_wire(self, event_id: int, invocation_id: str) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": str(event_id),
            "invocation_id": invocation_id,
            "author": AUTHOR,
            "content": {"role": "model", "parts": list(self.parts)},
            "partial": self.partial,
            "turn_complete": self.turn_complete,
            "timestamp": round(self.timestamp, 3),
        }
        if self.error_code is not None:
            out["error_code"] = self.error_code
        return out

    def to_json(self, event_id: int, invocation_id: str) -> str:
        return json.dumps(self.to_wire(event_id, invocation_id), ensure_ascii=False, separators=(",", ":"))

    @property
    def texts(self) -> list[str]:
        return [p["text"] for p in self.parts if "text" in p]


def text(message: str, *, partial: bool = False) -> Event:
    return Event(({"text": message},), partial=partial)


def call(call_id: str, name: str, args: dict[str, Any]) -> Event:
    return Event(({"function_call": {"id": call_id, "name": name, "args": args}},))


def response(call_id: str, name: str, result: dict[str, Any]) -> Event:
    return Event(({"function_response": {"id": call_id, "name": name, "response": result}},))


def complete(message: str = "", *, error_code: int | None = None) -> Event:
    parts = ({"text": message},) if message else ()
    return Event(parts, turn_complete=True, error_code=error_code)
