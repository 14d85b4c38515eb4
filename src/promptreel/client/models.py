"""Typed results of the SDK calls and the events of an agent turn.

Where the SDK returns an answer as the protocol shapes it (tokens, balance), the model *is* the
wire model of :mod:`promptreel.wire` (the one the server answers with), frozen and with its secrets
out of ``repr``. The others are the SDK's views of a wire shape (a media item by ``id``, a render
job with its output, the session state flattened, the events of a turn).

Every ``from_data`` is tolerant: unknown fields are ignored (or kept in ``raw``) and missing ones
get empty values, so a server that adds or leaves out fields never breaks an older client.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar, Self, get_args, get_origin

from pydantic import BaseModel, ConfigDict

from promptreel import wire
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


class _WireView(BaseModel):
    """A wire model as the SDK returns it: frozen, built leniently, secrets out of its ``repr``."""

    model_config = ConfigDict(frozen=True)
    _secret: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def from_data(cls, d: dict[str, Any]) -> Self:
        """The model from an answer's ``data``: a missing field gets its type's empty value (``""``,
        ``0``, ``[]``, ``None`` …) and a field of another type is read as best it can be."""
        values: dict[str, Any] = {}
        for name, info in cls.model_fields.items():
            value = d.get(name)
            empty = _empty(info.annotation)
            values[name] = empty if value is None else _coerce(value, empty)
        return cls.model_validate(values)

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        return ((k, v) for k, v in super().__repr_args__() if k not in self._secret)


def _empty(annotation: Any) -> Any:
    """The empty value of a field's type: ``None`` when it may be ``None``, else ``""``, ``0``, …"""
    if type(None) in get_args(annotation):
        return None
    origin = get_origin(annotation) or annotation
    for kind, empty in ((bool, False), (int, 0), (float, 0.0), (str, ""), (list, []), (dict, {})):
        if origin is kind:
            return empty
    return None


def _coerce(value: Any, empty: Any) -> Any:
    """``value`` as the type of ``empty`` (that type's empty value when it cannot be)."""
    if empty is None or isinstance(empty, bool):
        return value
    if isinstance(empty, int):
        return _int(value)
    if isinstance(empty, float):
        return _float(value)
    if isinstance(empty, str):
        return _str(value)
    return value if isinstance(value, type(empty)) else empty


class AnonymousToken(_WireView, wire.AnonymousToken):
    """``POST /api/auth/anonymous-token``'s answer (:class:`promptreel.wire.AnonymousToken`)."""

    _secret: ClassVar[frozenset[str]] = frozenset({"token"})


class ClaimToken(_WireView, wire.ClaimToken):
    """``POST /api/auth/claim-token``'s answer; ``url`` is the server's own studio link, used when
    ``NEMO_WEB_URL`` is not set."""

    _secret: ClassVar[frozenset[str]] = frozenset({"claim_token"})


class Balance(_WireView, wire.Balance):
    """``GET /api/credits/balance/simple``'s answer (:class:`promptreel.wire.Balance`)."""


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
