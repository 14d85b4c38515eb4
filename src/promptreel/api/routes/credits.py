"""Credits balance."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from promptreel.api.deps import ReadUser, ServicesDep
from promptreel.api.errors import responses
from promptreel.errors import AuthError, Forbidden
from promptreel.wire import Balance, Envelope

router = APIRouter(tags=["credits"])


@router.get(
    "/api/credits/balance/simple",
    response_model=Envelope[Balance],
    responses=responses(AuthError, Forbidden),
    summary="Credits: available, frozen (held by running work) and total",
    description="Generation costs `cost_generate` (100), an editing turn `cost_edit` (50), export is free. Credits "
    "are frozen when work starts, spent on success, released on failure.",
)
def balance(p: ReadUser, services: ServicesDep) -> dict[str, Any]:
    return {"code": 0, "message": "success", "data": services.credits.balance(p.user_id)}
