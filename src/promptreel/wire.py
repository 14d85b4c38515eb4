"""Request and response bodies of the HTTP protocol (``shared/PROTOCOL.md``), shared with the client SDK.

Every JSON response is the envelope ``{"code", "message", "data"}``; ``code == 0`` is success.
Request bodies are snake_case except the render request's historic ``sessionId``.
"""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, StrictBool

__all__ = [
    "Envelope",
    "Health",
    "ProjectExportRequest",
    "ErrorEnvelope",
    "AnonymousToken",
    "ClaimTokenRequest",
    "ClaimToken",
    "ClaimedProject",
    "USERNAME_PATTERN",
    "CLIENT_ID_PATTERN",
    "RegisterRequest",
    "LoginRequest",
    "AccountToken",
    "Account",
    "AccountCredits",
    "AccountHistory",
    "Me",
    "SignedOut",
    "ApiToken",
    "TokenInfo",
    "TokenRevoked",
    "CreateTokenRequest",
    "CreateSessionRequest",
    "SessionCreated",
    "MessagePart",
    "NewMessage",
    "RunSSERequest",
    "Balance",
    "Costs",
    "LedgerEntry",
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
    "RenderOutputSpec",
    "RenderRequest",
    "RenderOutput",
    "RenderView",
    "RenderStatus",
    "GeneratedMedia",
    "RenderStatusEnvelope",
    "Project",
    "ProjectList",
    "RenameRequest",
    "DuplicateRequest",
    "Duplicated",
    "Deleted",
    "FitRequest",
    "FitResult",
]

T = TypeVar("T")


class Envelope(BaseModel, Generic[T]):
    """The success envelope."""

    code: int = Field(0, description="0 on success")
    message: str = "success"
    data: T | None = None


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    version: str


class ErrorEnvelope(BaseModel):
    """Every failure: ``code`` is the protocol code (see the error table), ``data`` has details."""

    code: int = Field(
        description="protocol error code (400, 1001, 1002, 2001, 402, 4001, 4002, 429, 4000, …)"
    )
    message: str = Field(description="a sentence a person can act on")
    data: dict[str, Any] | None = None


class AnonymousToken(BaseModel):
    token: str = Field(description="bearer token nmv_usr_… (shown once; only its hash is stored)")
    credits: int = Field(description="available credits (a new anonymous token grants 100)")
    expires_at: str = Field(description="ISO 8601 UTC")
    expires_in: int = Field(description="seconds until expiry (7 days)")
    bind_id: str = Field(description="id for the registration link /register?bind=<bind_id>")
    scopes: list[str]


class ClaimTokenRequest(BaseModel):
    task_id: str = Field(max_length=100)
    session_id: str = Field(max_length=100)


class ClaimToken(BaseModel):
    claim_token: str = Field(
        description="clm_…: opens this one project read-only in the studio; no API access"
    )
    expires_in: int = Field(description="seconds (604800 = 7 days)")
    url: str = Field(description="studio link: <web>/workspace/claim?ct=<claim_token>")


#: what a username may be (the server checks exactly this; the schema says exactly this)
USERNAME_PATTERN = r"^[A-Za-z0-9._-]{3,64}$"
#: what an X-Client-Id may be: 1-200 visible ASCII characters (a UUID is the usual choice)
CLIENT_ID_PATTERN = r"^[!-~]{1,200}$"


class RegisterRequest(BaseModel):
    username: str = Field(
        min_length=3,
        max_length=64,
        description="3-64 letters (A-Z, a-z), digits, '.', '-' or '_'",
        json_schema_extra={"pattern": USERNAME_PATTERN},
    )
    password: str = Field(min_length=8, max_length=256)
    bind_id: str | None = Field(None, max_length=64, description="from /register?bind=<bind_id>")


class LoginRequest(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class AccountToken(BaseModel):
    token: str = Field(description="a new API token (nmv_api_…, all scopes) for the account")
    expires_at: str | None
    user_id: str
    username: str
    credits: int | None = None
    moved_credits: int | None = None


class ApiToken(BaseModel):
    """A newly made API token: the secret is shown this once."""

    id: str
    token: str = Field(description="nmv_api_… (shown once; only its hash is stored)")
    name: str
    scopes: list[str]
    expires_at: str | None = Field(description="ISO 8601 UTC; null: never expires")


class TokenInfo(BaseModel):
    """One of an account's tokens, without its secret."""

    id: str
    name: str
    kind: str = Field(description="anonymous | api")
    hint: str = Field(description="the token's last characters")
    scopes: list[str]
    created_at: str | None
    expires_at: str | None
    revoked: bool


class TokenRevoked(BaseModel):
    id: str
    revoked: bool


class CreateTokenRequest(BaseModel):
    name: str = Field("api", max_length=100)
    scopes: list[Literal["read", "write", "upload", "render", "*"]] = Field(min_length=1, max_length=5)
    expires_in: int | None = Field(None, ge=60, le=10 * 365 * 24 * 3600, description="seconds; omit for none")


class CreateSessionRequest(BaseModel):
    task_name: str = Field("project", max_length=200)
    language: str = Field("en", max_length=32, description="'en', 'zh', … (the reply language)")


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


class Balance(BaseModel):
    available: int
    frozen: int = Field(description="held for operations in progress")
    total: int = Field(description="available + frozen")


class Costs(BaseModel):
    generate: int = Field(description="a generation turn (both stages)")
    edit: int = Field(description="an editing turn that changes the draft; undo, redo and questions are free")
    export: int = Field(0, description="always 0: export is free")
    unlimited: bool = Field(description="single-user local server: credits never block, nothing is charged")
    signup_credits: int = Field(description="granted once to a newly registered account")


class LedgerEntry(BaseModel):
    """One line of the credits ledger (append-only)."""

    id: int
    kind: str = Field(description="grant | reserve | commit | release | expire | transfer …")
    available_delta: int
    frozen_delta: int
    reservation_id: str | None
    reason: str
    created_at: str = Field(description="ISO 8601, UTC")


class Account(BaseModel):
    """A user as the account pages and the operator CLI see it (a merged trial: its account)."""

    user_id: str
    username: str | None = Field(description="null for an anonymous trial")
    kind: str = Field(description="anonymous | registered")
    bind_id: str = Field(description="id for the registration link /register?bind=<bind_id>")
    created_at: str | None = Field(description="ISO 8601 UTC")


class AccountCredits(Account):
    credits: Balance


class AccountHistory(AccountCredits):
    entries: list[LedgerEntry] = Field(description="the credits ledger, newest first")


class Me(AccountCredits):
    """Who a token (or the studio's session cookie) acts for."""

    token_id: str
    token_kind: str = Field(description="anonymous | api")
    scopes: list[str]
    register_url: str | None = Field(
        None, description="anonymous users only (omitted otherwise): <web>/register?bind=<bind_id>"
    )


class SignedOut(BaseModel):
    signed_out: bool
    revoked: bool = Field(description="the token this request used was revoked (never an anonymous one)")


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


class RenderOutputSpec(BaseModel):
    format: Literal["mp4"] = "mp4"
    quality: Literal["high", "medium", "low", "preview"] = "high"


class RenderRequest(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    id: str = Field(
        min_length=1, max_length=200, description="client-chosen id, e.g. render_<ts>; idempotency key"
    )
    session_id: str = Field(
        validation_alias=AliasChoices("sessionId", "session_id"),
        serialization_alias="sessionId",
        max_length=100,
    )
    draft: Any = Field(None, description="compact draft JSON; omitted → the session's current draft")
    output: RenderOutputSpec = Field(default_factory=RenderOutputSpec)


class ProjectExportRequest(BaseModel):
    """Export the draft as a zipped project for a video editor (a job like a render)."""

    model_config = ConfigDict(populate_by_name=True)
    id: str | None = Field(
        None,
        min_length=1,
        max_length=200,
        description="client-chosen id, e.g. project_<ts>; idempotency key (omitted → a new one)",
    )
    session_id: str = Field(
        validation_alias=AliasChoices("sessionId", "session_id"),
        serialization_alias="sessionId",
        max_length=100,
    )
    format: str = Field(
        max_length=40,
        description="otio | fcpxml (Final Cut Pro X) | fcp7 (Premiere, Resolve) | edl | jianying (CapCut); "
        'an editor\'s name works too ("premiere", "davinci", "剪映")',
    )
    quality: Literal["high", "medium", "low", "preview"] = Field(
        "high", description="clip size: high = the draft's canvas, preview = small and fast"
    )
    draft: Any = Field(None, description="compact draft JSON; omitted → the session's current draft")


class RenderOutput(BaseModel):
    url: str = Field(description="signed, expiring download link; needs no Authorization header")
    duration: int = Field(description="milliseconds")
    duration_ms: int
    size: int = Field(description="bytes")
    width: int
    height: int
    format: str


class RenderView(BaseModel):
    """What every view of a render job shows."""

    id: str
    job_id: str
    session_id: str
    status: Literal["pending", "processing", "completed", "failed"]
    progress: float = Field(ge=0, le=1)
    stage: str
    output: RenderOutput | None = None
    error: str | None = None
    quality: str
    created_at: str
    started_at: str | None = None
    finished_at: str | None = None


class RenderStatus(RenderView):
    queue_position: int | None = Field(None, description="while pending: jobs ahead of this one")
    stream_url: str | None = Field(
        None,
        description="while a preview renders: a signed link to the video as it is made (fragmented MP4, "
        "no Range), playable before the render ends",
    )


class _RenderKind(BaseModel):
    type: Literal["render"] = "render"


class GeneratedMedia(RenderView, _RenderKind):  # fields of the last base come first: `type` leads
    """A finished export in a session's state: a render status (never a queue position) with its ``type``."""


class RenderStatusEnvelope(Envelope[RenderStatus]):
    """Also carries ``id``, ``status``, ``progress``, ``output`` and ``error`` at the top level."""

    id: str
    status: Literal["pending", "processing", "completed", "failed"]
    progress: float
    output: RenderOutput | None = None
    error: str | None = None


# -- the studio's projects (list, open, rename, duplicate, delete, a photo's fit) ----------


class Project(BaseModel):
    session_id: str
    task_id: str
    task_name: str = Field(description="the project's name (rename changes it)")
    title: str = Field(description="the video's own title when it has one, else the project's name")
    language: str
    version: int = Field(description="the head draft's version (0: nothing generated yet)")
    ready: bool
    duration_ms: int
    scenes: int
    width: int
    height: int
    poster_ms: int = Field(description="the representative moment the poster shows")
    turn_running: bool
    created_at: str
    updated_at: str


class ProjectList(BaseModel):
    projects: list[Project]


class RenameRequest(BaseModel):
    task_name: str = Field(min_length=1, max_length=200)


class DuplicateRequest(BaseModel):
    task_name: str = Field("", max_length=200, description='the copy\'s name; empty: "<name> (copy)"')


class Duplicated(BaseModel):
    task_id: str
    session_id: str
    bind_id: str
    task_name: str
    language: str
    project: Project


class Deleted(BaseModel):
    session_id: str
    task_id: str
    deleted: bool


class FitRequest(BaseModel):
    media_id: str = Field(min_length=1, max_length=80)
    fit: Literal["cover", "contain"] = Field(
        description="cover: fill the frame (edges cropped); contain: show it whole"
    )


class FitResult(BaseModel):
    media_id: str
    fit: str
    segments: int = Field(description="timeline segments showing this upload")
    changed: int = Field(description="segments whose fit changed (a new draft version when > 0)")
    version: int
