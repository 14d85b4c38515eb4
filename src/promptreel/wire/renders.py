"""Exports: the render request and an editor project export, and a render job as every view
shows it (status, progress, the finished file's signed link)."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator

from promptreel.wire.envelope import Envelope

__all__ = [
    "JOB_ID_PATTERN",
    "RenderOutputSpec",
    "RenderRequest",
    "ProjectExportRequest",
    "RenderOutput",
    "RenderView",
    "RenderStatus",
    "GeneratedMedia",
    "RenderStatusEnvelope",
]


#: what a client-chosen export id may be: 1-128 ASCII letters, digits, '_', '-' and '.', not
#: starting with '.' or '-' (so never "." or "..", a hidden or option-like file name, a path, a
#: NUL or a control character); ``render_<ts>``, ``project_<ts>`` and UUIDs all fit
JOB_ID_PATTERN = r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$"
_JOB_ID_HELP = (
    "1-128 characters: letters A-Z a-z, digits, '_', '-' and '.', not starting with '.' or '-' "
    "(e.g. render_1712345678901)"
)


def _job_id(v: str | None) -> str | None:
    if v is not None and not re.fullmatch(JOB_ID_PATTERN, v):
        raise ValueError(f"the id must be {_JOB_ID_HELP}")
    return v


class RenderOutputSpec(BaseModel):
    format: Literal["mp4"] = "mp4"
    quality: Literal["high", "medium", "low", "preview"] = "high"


class RenderRequest(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    id: str = Field(
        min_length=1,
        max_length=128,
        description=f"client-chosen id, e.g. render_<ts>; idempotency key; {_JOB_ID_HELP}",
        json_schema_extra={"pattern": JOB_ID_PATTERN},
    )
    session_id: str = Field(
        validation_alias=AliasChoices("sessionId", "session_id"),
        serialization_alias="sessionId",
        max_length=100,
    )
    draft: Any = Field(None, description="compact draft JSON; omitted → the session's current draft")
    output: RenderOutputSpec = Field(default_factory=RenderOutputSpec)

    _plain_id = field_validator("id")(_job_id)


class ProjectExportRequest(BaseModel):
    """Export the draft as a zipped project for a video editor (a job like a render)."""

    model_config = ConfigDict(populate_by_name=True)
    id: str | None = Field(
        None,
        min_length=1,
        max_length=128,
        description=f"client-chosen id, e.g. project_<ts>; idempotency key (omitted → a new one); {_JOB_ID_HELP}",
        json_schema_extra={"pattern": JOB_ID_PATTERN},
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

    _plain_id = field_validator("id")(_job_id)


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
