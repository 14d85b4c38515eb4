"""Helpers shared by route modules."""

from __future__ import annotations

from typing import Any

from promptreel.service.core import Services
from promptreel.service.sessions import SessionInfo
from promptreel.service.uploads import media_info


def absolute(base: str, render: dict[str, Any]) -> dict[str, Any]:
    out = render.get("output")
    if out and out.get("url", "").startswith("/"):
        render = {**render, "output": {**out, "url": base + out["url"]}}
    return render


def state_of(services: Services, info: SessionInfo, base: str) -> dict[str, Any]:
    videos = [media_info(m) for m in services.uploads.for_session(info.id)]
    generated = [absolute(base, r) for r in services.renders.generated_media(info.id)]
    return services.sessions.state(info, video_infos=videos, generated_media=generated)
