"""Typed results of the SDK calls and the events of an agent turn.

Every result of a call *is* the wire model of :mod:`promptreel.wire` the server answers with (a
subclass of it, so one definition names every field): frozen, read leniently from the answer and
with its secrets out of ``repr`` (see :class:`~promptreel.client.views.WireView`). A few names
older SDKs used stay as documented properties: :attr:`Media.id` (``media_id``) and, on
:class:`SessionState`, ``draft_json``, ``video_infos``, ``canvas_config`` and ``generated_media``
(the fields of its ``state``); every view also reads like the dict older SDKs returned
(``state.messages[0]["text"]``). A copy with a field changed is ``view.model_copy(update={...})``.

The events of a turn (ADK-style, not a wire model) are plain frozen dataclasses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Self

from pydantic import Field

from promptreel import wire
from promptreel.client.views import WireView
from promptreel.draft import Draft, decode
from promptreel.errors import PromptreelError

__all__ = [
    "ActiveTurn",
    "AnonymousToken",
    "Balance",
    "CanvasConfig",
    "ChatMessage",
    "ClaimToken",
    "GeneratedMedia",
    "Heartbeat",
    "Media",
    "RenderJob",
    "RenderOutput",
    "SessionInfo",
    "SessionState",
    "StreamDropped",
    "StudioState",
    "TurnEvent",
    "TurnInterrupted",
    "TurnItem",
]


def _str(v: Any) -> str:
    return "" if v is None else str(v)


def _int(v: Any) -> int:
    try:
        return int(v)
    except (TypeError, ValueError):
        return 0


class AnonymousToken(WireView, wire.AnonymousToken):
    """``POST /api/auth/anonymous-token``'s answer (:class:`promptreel.wire.AnonymousToken`)."""

    _secret: ClassVar[frozenset[str]] = frozenset({"token"})


class ClaimToken(WireView, wire.ClaimToken):
    """``POST /api/auth/claim-token``'s answer; ``url`` is the server's own studio link, used when
    ``NEMO_WEB_URL`` is not set."""

    _secret: ClassVar[frozenset[str]] = frozenset({"claim_token"})


class Balance(WireView, wire.Balance):
    """``GET /api/credits/balance/simple``'s answer (:class:`promptreel.wire.Balance`)."""


class SessionInfo(WireView, wire.SessionCreated):
    """A session: ``POST /api/tasks/me/with-session/...``'s answer (:class:`promptreel.wire.SessionCreated`).

    ``SessionInfo(task_id, session_id, bind_id)`` (positional, as older SDKs made it) still works;
    ``task_name`` and ``language`` are then empty."""

    def __init__(self, task_id: str = "", session_id: str = "", bind_id: str = "", **data: Any) -> None:
        data.setdefault("task_name", "")
        data.setdefault("language", "")
        super().__init__(task_id=task_id, session_id=session_id, bind_id=bind_id, **data)

    def as_dict(self) -> dict[str, str]:
        """What the private cache keeps of a session."""
        return {"task_id": self.task_id, "session_id": self.session_id, "bind_id": self.bind_id}


class Media(WireView, wire.MediaInfo):
    """One stored upload with its probed facts (:class:`promptreel.wire.MediaInfo`); ``duration``
    and ``duration_ms`` are milliseconds, ``size`` bytes."""

    @property
    def id(self) -> str:
        """The media id (``media_id``), as older SDKs named it."""
        return self.media_id

    @classmethod
    def from_data(cls, d: Any) -> Self:
        """Also reads the names other servers use: ``id``, ``filename``, ``media_kind``, ``duration``."""
        if not isinstance(d, dict):
            return super().from_data({})
        ms = d.get("duration_ms", d.get("duration"))
        view = super().from_data(
            {
                **d,
                "media_id": d.get("media_id") or d.get("id"),
                "name": d.get("name") or d.get("filename"),
                "kind": d.get("kind") or d.get("media_kind"),
                "duration_ms": ms,
                "duration": d.get("duration", ms),
            }
        )
        view._raw = dict(d)
        return view

    @classmethod
    def list_from_data(cls, d: Any) -> list[Self]:
        """The media of an upload's answer (``files``; other servers: ``media``, ``items``, ``uploads``,
        a bare list, or one item)."""
        if isinstance(d, dict):
            items = d.get("files") or d.get("media") or d.get("items") or d.get("uploads")
            if items is None:
                items = [d]
        else:
            items = d
        return [cls.from_data(x) for x in (items or []) if isinstance(x, dict)]


class RenderOutput(WireView, wire.RenderOutput):
    """A finished job's file: ``format`` is ``mp4`` or an editor project (``otio``, ``fcpxml``,
    ``fcp7``, ``edl``, ``jianying``) as a zip."""

    @classmethod
    def from_data(cls, d: Any) -> Self:
        data = d if isinstance(d, dict) else {}
        view = super().from_data({**data, "format": _str(data.get("format")) or "mp4"})
        view._raw = dict(data)
        return view


def _error_text(err: Any) -> str:
    """A job's error as a sentence (some servers send ``{"message", "code"}``); ``""`` when none."""
    if isinstance(err, dict):
        err = err.get("message") or err.get("code")
    return _str(err)


class RenderJob(WireView, wire.RenderStatus):
    """A render or project-export job (:class:`promptreel.wire.RenderStatus`): ``status`` is
    ``pending | processing | completed | failed``; ``error`` is ``""`` unless it failed."""

    output: RenderOutput | None = None

    @classmethod
    def from_data(cls, d: Any) -> Self:
        data = d if isinstance(d, dict) else {}
        view = super().from_data({**data, "error": _error_text(data.get("error"))})
        view._raw = dict(data)
        return view

    @property
    def done(self) -> bool:
        return self.status in ("completed", "failed")


class GeneratedMedia(WireView, wire.GeneratedMedia):
    """A finished export in a session's state (:class:`promptreel.wire.GeneratedMedia`)."""

    output: RenderOutput | None = None


class CanvasConfig(WireView, wire.CanvasConfig):
    """The draft's canvas (:class:`promptreel.wire.CanvasConfig`)."""


class StudioState(WireView, wire.StudioState):
    """The studio's content of a session: draft (compact JSON), uploads, canvas and exports."""

    video_infos: list[Media]  # type: ignore[assignment]  # a list of the SDK's view of MediaInfo
    canvas_config: CanvasConfig
    generated_media: list[GeneratedMedia]  # type: ignore[assignment]  # likewise


class ChatMessage(WireView, wire.ChatMessage):
    """One message of a session's conversation (:class:`promptreel.wire.ChatMessage`)."""


class ActiveTurn(WireView, wire.ActiveTurn):
    """The running turn to reattach to (:class:`promptreel.wire.ActiveTurn`)."""


class SessionState(WireView, wire.SessionState):
    """``GET /api/state/.../latest`` (:class:`promptreel.wire.SessionState`): the draft, what the
    session generated, its conversation and whether a turn is running."""

    state: StudioState
    active_turn: ActiveTurn | None = None
    messages: list[ChatMessage] = Field(default_factory=list)  # type: ignore[assignment]  # the SDK's view

    @classmethod
    def from_data(cls, d: Any) -> Self:
        """Also reads servers that send the studio state flat, or leave out ``ready``."""
        data = d if isinstance(d, dict) else {}
        state = data["state"] if isinstance(data.get("state"), dict) else data
        values = {**data, "state": state}
        for key in ("task_id", "bind_id"):
            values[key] = data.get(key) or state.get(key)
        if "ready" not in data:
            values["ready"] = _has_segments(state.get("draft"))
        view = super().from_data(values)
        view._raw = dict(data)
        return view

    @property
    def draft_json(self) -> dict[str, Any] | None:
        """The draft in compact JSON (``state.draft``), or ``None`` when the session has none."""
        return self.state.draft or None

    @property
    def video_infos(self) -> list[Media]:
        """The session's uploads (``state.video_infos``)."""
        return self.state.video_infos

    @property
    def canvas_config(self) -> CanvasConfig:
        """The draft's canvas (``state.canvas_config``)."""
        return self.state.canvas_config

    @property
    def generated_media(self) -> list[GeneratedMedia]:
        """The session's finished exports (``state.generated_media``)."""
        return self.state.generated_media

    @property
    def draft(self) -> Draft | None:
        """The draft as a model, or ``None`` when the session has none (or it cannot be read)."""
        if not self.draft_json:
            return None
        try:
            return decode(self.draft_json)
        except PromptreelError:
            return None


def _has_segments(draft: Any) -> bool:
    """Ready for export: at least one track has a non-empty ``sg``."""
    tracks = draft.get("t") if isinstance(draft, dict) else None
    return any(isinstance(t, dict) and t.get("sg") for t in tracks or [])


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
