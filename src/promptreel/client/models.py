"""Typed results of the SDK calls and the events of an agent turn.

Every ``from_data`` is tolerant: unknown fields are kept in ``raw`` and missing ones get
defaults, so a server that adds fields never breaks an older client.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from promptreel.draft import Draft, decode
from promptreel.errors import PromptreelError

__all__ = [
    "AnonymousToken",
    "Balance",
    "ClaimToken",
    "Heartbeat",
    "Media",
    "RenderJob",
    "RenderOutput",
    "SessionInfo",
    "SessionState",
    "StreamDropped",
    "TurnEvent",
    "TurnInterrupted",
    "TurnItem",
]


def _int(v: Any, default: int = 0) -> int:
    try:
        return int(v)
    except (TypeError, ValueError):
        return default


def _float(v: Any, default: float = 0.0) -> float:
    try:
        return float(v)
    except (TypeError, ValueError):
        return default


def _str(v: Any) -> str:
    return "" if v is None else str(v)


@dataclass(frozen=True)
class AnonymousToken:
    token: str = field(repr=False)
    credits: int = 0
    expires_at: Any = None

    @classmethod
    def from_data(cls, d: dict[str, Any]) -> AnonymousToken:
        return cls(_str(d.get("token")), _int(d.get("credits")), d.get("expires_at"))


@dataclass(frozen=True)
class SessionInfo:
    task_id: str
    session_id: str
    bind_id: str = ""

    @classmethod
    def from_data(cls, d: dict[str, Any]) -> SessionInfo:
        return cls(_str(d.get("task_id")), _str(d.get("session_id")), _str(d.get("bind_id")))

    def as_dict(self) -> dict[str, str]:
        return {"task_id": self.task_id, "session_id": self.session_id, "bind_id": self.bind_id}


@dataclass(frozen=True)
class ClaimToken:
    claim_token: str = field(repr=False)
    expires_in: int = 0
    url: str = ""  # the server's own studio link, used when NEMO_WEB_URL is not set

    @classmethod
    def from_data(cls, d: dict[str, Any]) -> ClaimToken:
        return cls(_str(d.get("claim_token")), _int(d.get("expires_in")), _str(d.get("url")))


@dataclass(frozen=True)
class Balance:
    available: int
    frozen: int
    total: int

    @classmethod
    def from_data(cls, d: dict[str, Any]) -> Balance:
        return cls(_int(d.get("available")), _int(d.get("frozen")), _int(d.get("total")))


@dataclass(frozen=True)
class Media:
    """One stored upload with its probed facts."""

    id: str
    kind: str = ""
    name: str = ""
    duration: int = 0  # ms
    size: int = 0  # bytes
    width: int = 0
    height: int = 0
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_data(cls, d: dict[str, Any]) -> Media:
        return cls(
            id=_str(d.get("media_id") or d.get("id")),
            kind=_str(d.get("kind") or d.get("media_kind")),
            name=_str(d.get("name") or d.get("filename")),
            duration=_int(d.get("duration_ms", d.get("duration"))),
            size=_int(d.get("size")),
            width=_int(d.get("width")),
            height=_int(d.get("height")),
            raw=dict(d),
        )

    @staticmethod
    def list_from_data(d: Any) -> list[Media]:
        if isinstance(d, dict):
            items = d.get("media") or d.get("files") or d.get("items") or d.get("uploads")
            if items is None:
                items = [d]
        else:
            items = d
        return [Media.from_data(x) for x in (items or []) if isinstance(x, dict)]


@dataclass(frozen=True)
class SessionState:
    """``GET /api/state/.../latest``: the draft (compact JSON) and what the session generated."""

    draft_json: dict[str, Any] | None
    video_infos: list[Any] = field(default_factory=list)
    canvas_config: dict[str, Any] = field(default_factory=dict)
    generated_media: list[Any] = field(default_factory=list)
    task_id: str = ""
    bind_id: str = ""
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_data(cls, d: dict[str, Any]) -> SessionState:
        state = d.get("state") if isinstance(d.get("state"), dict) else d
        assert isinstance(state, dict)
        draft = state.get("draft")
        return cls(
            draft_json=draft if isinstance(draft, dict) else None,
            video_infos=list(state.get("video_infos") or []),
            canvas_config=dict(state.get("canvas_config") or {}),
            generated_media=list(state.get("generated_media") or []),
            task_id=_str(d.get("task_id") or state.get("task_id")),
            bind_id=_str(d.get("bind_id") or state.get("bind_id")),
            raw=dict(d),
        )

    @property
    def turn_running(self) -> bool:
        """Whether the server reports a turn still at work (servers that don't say: ``False``)."""
        return bool(self.raw.get("turn_running", False))

    @property
    def messages(self) -> list[dict[str, Any]]:
        """The conversation the server keeps for this session, oldest first: ``{"role": "user" |
        "agent", "text", "turn_id", "at"}`` (agent messages also carry ``status`` and ``kind``);
        the same in the studio, the chat and every SDK (servers that don't keep one: empty)."""
        msgs = self.raw.get("messages")
        return [m for m in msgs if isinstance(m, dict)] if isinstance(msgs, list) else []

    @property
    def active_turn(self) -> dict[str, Any] | None:
        """The running turn (``turn_id``, ``message``, ``first_event``) to resume, or ``None``."""
        t = self.raw.get("active_turn")
        return dict(t) if isinstance(t, dict) else None

    @property
    def draft(self) -> Draft | None:
        """The draft as a model, or ``None`` when the session has none (or it cannot be read)."""
        if not self.draft_json:
            return None
        try:
            return decode(self.draft_json)
        except PromptreelError:
            return None

    @property
    def ready(self) -> bool:
        """Ready for export: at least one track has a non-empty ``sg``."""
        tracks = (self.draft_json or {}).get("t") or []
        return any(isinstance(t, dict) and t.get("sg") for t in tracks)


@dataclass(frozen=True)
class RenderOutput:
    url: str = ""
    duration: int = 0
    size: int = 0
    format: str = "mp4"  # or an editor project (otio, fcpxml, fcp7, edl, jianying): a zip

    @classmethod
    def from_data(cls, d: Any) -> RenderOutput | None:
        if not isinstance(d, dict):
            return None
        return cls(
            _str(d.get("url")), _int(d.get("duration")), _int(d.get("size")), _str(d.get("format")) or "mp4"
        )


@dataclass(frozen=True)
class RenderJob:
    id: str
    status: str  # pending | processing | completed | failed
    progress: float = 0.0
    output: RenderOutput | None = None
    error: str = ""

    @classmethod
    def from_data(cls, d: dict[str, Any]) -> RenderJob:
        err = d.get("error")
        if isinstance(err, dict):
            err = err.get("message") or err.get("code")
        return cls(
            id=_str(d.get("id")),
            status=_str(d.get("status")) or "pending",
            progress=min(1.0, max(0.0, _float(d.get("progress")))),
            output=RenderOutput.from_data(d.get("output")),
            error=_str(err),
        )

    @property
    def done(self) -> bool:
        return self.status in ("completed", "failed")


@dataclass(frozen=True)
class TurnEvent:
    """One event of the agent's turn (ADK-style)."""

    id: str
    parts: tuple[dict[str, Any], ...] = ()
    author: str = ""
    partial: bool = False
    turn_complete: bool = False
    error_code: int | None = None  # set on the last event of a failed turn (its text says why)
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_data(cls, event_id: str, d: dict[str, Any]) -> TurnEvent:
        content = d.get("content") if isinstance(d.get("content"), dict) else {}
        assert isinstance(content, dict)
        parts = tuple(p for p in (content.get("parts") or []) if isinstance(p, dict))
        return cls(
            id=_str(d.get("id")) or event_id,
            parts=parts,
            author=_str(d.get("author")),
            partial=bool(d.get("partial")),
            turn_complete=bool(d.get("turn_complete")),
            error_code=_int(d.get("error_code")) if d.get("error_code") else None,
            raw=dict(d),
        )

    @property
    def text(self) -> str:
        return "".join(str(p["text"]) for p in self.parts if isinstance(p.get("text"), str))

    @property
    def function_calls(self) -> list[dict[str, Any]]:
        return [p["function_call"] for p in self.parts if isinstance(p.get("function_call"), dict)]

    @property
    def function_responses(self) -> list[dict[str, Any]]:
        return [p["function_response"] for p in self.parts if isinstance(p.get("function_response"), dict)]

    @property
    def has_tool_traffic(self) -> bool:
        return bool(self.function_calls or self.function_responses)


@dataclass(frozen=True)
class Heartbeat:
    """A keep-alive (SSE comment or empty ``data:``): the server is still working."""


@dataclass(frozen=True)
class StreamDropped:
    """The stream broke; the SDK reconnects with ``Last-Event-ID`` (``attempt`` counts from 1)."""

    last_event_id: str
    attempt: int
    reason: str = ""


TurnItem = TurnEvent | Heartbeat | StreamDropped


class TurnInterrupted(Exception):
    """The turn's stream was lost and could not be resumed; the message was sent exactly once."""

    def __init__(self, last_event_id: str, reason: str = "") -> None:
        super().__init__(f"the turn's stream was lost after event {last_event_id or 'none'}: {reason}")
        self.last_event_id = last_event_id
        self.reason = reason
