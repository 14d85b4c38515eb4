"""Helpers shared by route modules."""

from __future__ import annotations

from typing import TypeVar

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


def ok(data: T) -> Envelope[T]:
    """The success envelope ``{"code": 0, "message": "success", "data": …}`` — built only here."""
    return Envelope(code=0, message="success", data=data)


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
