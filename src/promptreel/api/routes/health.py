"""Liveness."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from promptreel import __version__
from promptreel.api.routes.common import ok

router = APIRouter(tags=["meta"])


@router.get("/api/health", summary="Liveness and version")
def health() -> dict[str, Any]:
    return ok({"status": "ok", "version": __version__})
