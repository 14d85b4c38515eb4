"""Helpers shared by route modules."""

from __future__ import annotations

from typing import Any, TypeVar

from promptreel.service.core import Services
from promptreel.service.sessions import SessionInfo
from promptreel.service.uploads import media_info
from promptreel.wire import RenderStatus, RenderStatusEnvelope, SessionState

T = TypeVar("T")


def ok(data: T) -> dict[str, Any]:
    """The success envelope ``{"code": 0, "message": "success", "data": …}`` — built only here."""
    return {"code": 0, "message": "success", "data": data}


def render_envelope(base: str, status: RenderStatus) -> RenderStatusEnvelope:
    """A render's status envelope: ``data`` plus its main fields at the top level, links absolute."""
    out = status.output
    if out is not None and out.url.startswith("/"):
        status = status.model_copy(update={"output": out.model_copy(update={"url": base + out.url})})
    return RenderStatusEnvelope(
        code=0,
        message="success",
        data=status,
        id=status.id,
        status=status.status,
        progress=status.progress,
        output=status.output,
        error=status.error,
    )


def absolute(base: str, render: dict[str, Any]) -> dict[str, Any]:
    out = render.get("output")
    if out and out.get("url", "").startswith("/"):
        render = {**render, "output": {**out, "url": base + out["url"]}}
    return render


def state_of(services: Services, info: SessionInfo, base: str) -> SessionState:
    videos = [media_info(m) for m in services.uploads.for_session(info.id)]
    generated = [absolute(base, r) for r in services.renders.generated_media(info.id)]
    return services.sessions.state(info, video_infos=videos, generated_media=generated)
