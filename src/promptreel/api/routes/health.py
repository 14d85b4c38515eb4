"""Liveness."""

from __future__ import annotations

from fastapi import APIRouter

from promptreel import __version__
from promptreel.api.routes.common import ok
from promptreel.wire import Envelope, Health

router = APIRouter(tags=["meta"])


@router.get("/api/health", response_model=Envelope[Health], summary="Liveness and version")
def health() -> Envelope[Health]:
    return ok(Health(status="ok", version=__version__))
