"""Sessions: creating one, the chat messages sent to it, its uploads, and its state as the
studio (or a read-only claim link) shows it."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from promptreel.wire.renders import GeneratedMedia, RenderOutput

__all__ = [
    "CreateSessionRequest",
    "SessionCreated",
    "MessagePart",
    "NewMessage",
    "RunSSERequest",
    "MediaInfo",
    "UploadResult",
    "UrlUploadRequest",
    "CanvasConfig",
    "StudioState",
    "ChatMessage",
    "ActiveTurn",
    "SessionState",
    "ClaimedRender",
    "ClaimedState",
    "ClaimedProject",
]


class CreateSessionRequest(BaseModel):
    task_name: str = Field("project", max_length=200)
    language: str = Field("en", max_length=16, description="'en', 'zh', … (the reply language)")


class SessionCreated(BaseModel):
    task_id: str
    session_id: str
    bind_id: str
    task_name: str
    language: str


class MessagePart(BaseModel):
    model_config = ConfigDict(extra="allow")
    text: str | None = None


#: at least one part carries text that is not blank (the server joins the text parts)
_SOME_TEXT: dict[str, Any] = {
    "contains": {
        "type": "object",
        "required": ["text"],
        "properties": {"text": {"type": "string", "pattern": r"\S"}},
    }
}


class NewMessage(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: str = "user"
    parts: list[MessagePart] = Field(
        min_length=1,
        max_length=50,
        description="at least one part with non-blank text; the text parts are joined (20,000 characters at most)",
        json_schema_extra=_SOME_TEXT,
    )


class RunSSERequest(BaseModel):
    model_config = ConfigDict(extra="allow")
    app_name: str = Field("nemo_agent", max_length=100)
    user_id: str = Field("me", max_length=200, description="always 'me'; the token decides the user")
    session_id: str = Field(max_length=100)
    new_message: NewMessage
    streaming: StrictBool | None = None

    def text(self) -> str:
        return "\n".join(p.text for p in self.new_message.parts if p.text).strip()


class MediaInfo(BaseModel):
    media_id: str = Field(description="reference it in a draft segment's m.media_id")
    name: str
    kind: Literal["image", "video", "audio"]
    format: str = Field(
        description="judged by content: mp4 mov avi webm mkv jpg png gif webp mp3 wav m4a aac"
    )
    mime: str
    size: int = Field(description="bytes")
    duration_ms: int = Field(description="milliseconds (0 for images)")
    duration: int = Field(description="same as duration_ms (milliseconds)")
    width: int
    height: int
    source_url: str | None = None


class UploadResult(BaseModel):
    files: list[MediaInfo]


class UrlUploadRequest(BaseModel):
    urls: list[str] = Field(min_length=1, max_length=10)
    source_type: Literal["url"] = "url"


class CanvasConfig(BaseModel):
    width: int
    height: int
    fps: int
    aspect_ratio: str


class _StudioContent(BaseModel):
    draft: dict[str, Any] = Field(description="the timeline in compact JSON (t/tt/sg/d/m, integer ms)")
    video_infos: list[MediaInfo] = Field(description="uploaded media of this session")
    canvas_config: CanvasConfig


class StudioState(_StudioContent):
    generated_media: list[GeneratedMedia] = Field(description="finished exports (render status objects)")


class ChatMessage(BaseModel):
    role: Literal["user", "agent"]
    text: str
    turn_id: str
    at: str = Field(description="ISO 8601, UTC")
    kind: str | None = Field(None, description="agent messages: generate | edit | undo | redo | question …")
    status: Literal["running", "completed", "failed"] | None = Field(
        None, description="agent messages: the turn's status"
    )
    error_code: int | None = Field(None, description="a failed turn's code (e.g. 2001)")


class ActiveTurn(BaseModel):
    turn_id: str
    kind: str
    message: str
    first_event: int = Field(description="id of the turn's first event (0: none yet)")


class SessionState(BaseModel):
    state: StudioState
    task_id: str
    session_id: str
    bind_id: str
    task_name: str
    version: int = Field(description="draft version (0: no draft yet); every turn adds one")
    ready: bool = Field(description="ready for export: some track has segments")
    duration_ms: int
    summary: str = Field(description="one-line track summary")
    can_undo: bool
    can_redo: bool
    turn_running: bool
    active_turn: ActiveTurn | None = Field(
        None,
        description="the running turn: reattach to its stream with `POST /run_sse` and header "
        "`Last-Event-ID: <first_event>` (or the last id received)",
    )
    messages: list[ChatMessage] = Field(
        default_factory=list, description="the conversation, oldest first (the same for every client)"
    )


class ClaimedRender(BaseModel):
    """A finished export as a claim link shows it: its signed download link, no ids of the owner's."""

    type: Literal["render"] = "render"
    id: str
    status: Literal["pending", "processing", "completed", "failed"]
    progress: float = Field(ge=0, le=1)
    output: RenderOutput | None = None
    quality: str
    created_at: str
    finished_at: str | None = None


class ClaimedState(_StudioContent):
    generated_media: list[ClaimedRender] = Field(description="finished exports with their signed links")


class ClaimedProject(BaseModel):
    """What a claim link shows: the project read-only, and no id that works anywhere else (no
    ``bind_id``, ``task_id`` or ``session_id``; renders keep only their signed download links)."""

    state: ClaimedState
    task_name: str
    version: int = Field(description="draft version (0: no draft yet)")
    ready: bool
    duration_ms: int
    summary: str = Field(description="one-line track summary")
    turn_running: bool
    read_only: bool = True
