"""Liveness."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from promptreel import __version__

router = APIRouter(tags=["meta"])


@router.get("/api/health", summary="Liveness and version")
def health() -> dict[str, Any]:
    return {"code": 0, "message": "success", "data": {"status": "ok", "version": __version__}}
