"""Helpers shared by route modules."""

from __future__ import annotations

from typing import Generic, TypeVar

from fastapi import Response
from pydantic import BaseModel

from promptreel.service.core import Services
from promptreel.service.sessions import SessionInfo
from promptreel.service.uploads import media_info
from promptreel.wire import (
    Envelope,
    RenderOutput,
    RenderStatus,
    RenderStatusEnvelope,
    RenderView,
    SessionState,
)

T = TypeVar("T")
R = TypeVar("R", bound=RenderView)
E = TypeVar("E", bound=BaseModel)


def ok(data: T) -> Envelope[T]:
    """The success envelope ``{"code": 0, "message": "success", "data": …}`` — built only here."""
    return Envelope(code=0, message="success", data=data)


class EnvelopeJSON(Response, Generic[E]):
    """An envelope as the JSON response its route's ``response_model`` declares, serialized where it
    is built: in the request's thread, instead of validated again and serialized on the event loop
    (what FastAPI does with a model an ``async`` route returns)."""

    media_type = "application/json"

    def __init__(self, envelope: E, *, exclude_unset: bool = False) -> None:
        super().__init__(envelope.model_dump_json(by_alias=True, exclude_unset=exclude_unset))


def render_envelope(base: str, status: RenderStatus) -> RenderStatusEnvelope:
    """A render's status envelope: ``data`` plus its main fields at the top level, links absolute."""
    status = absolute(base, status)
    envelope = ok(status)
    return RenderStatusEnvelope(
        code=envelope.code,
        message=envelope.message,
        data=status,
        id=status.id,
        status=status.status,
        progress=status.progress,
        output=status.output,
        error=status.error,
    )


def absolute(base: str, render: R) -> R:
    """The render with its download link prefixed by the API's base URL."""
    out = render.output
    if out is None or not out.url.startswith("/"):
        return render
    link: RenderOutput = out.model_copy(update={"url": base + out.url})
    return render.model_copy(update={"output": link})


def state_of(services: Services, info: SessionInfo, base: str) -> SessionState:
    videos = [media_info(m) for m in services.uploads.for_session(info.id)]
    generated = [absolute(base, r) for r in services.renders.generated_media(info.id)]
    return services.sessions.state(info, video_infos=videos, generated_media=generated)
