"""Credits balance."""

from __future__ import annotations

from fastapi import APIRouter

from promptreel.api.deps import ReadUser, ServicesDep
from promptreel.api.errors import responses
from promptreel.api.routes.common import ok
from promptreel.errors import AuthError, Forbidden
from promptreel.wire import Balance, Costs, Envelope

router = APIRouter(tags=["credits"])


@router.get(
    "/api/credits/balance/simple",
    response_model=Envelope[Balance],
    responses=responses(AuthError, Forbidden),
    summary="Credits: available, frozen (held by running work) and total",
    description="Generation costs `cost_generate` (default 20), an editing turn `cost_edit` (default 2), export "
    "is free; `GET /api/credits/costs` says what each costs on this server. Credits are frozen when work starts, spent on success, "
    "released on failure.",
)
def balance(p: ReadUser, services: ServicesDep) -> Envelope[Balance]:
    return ok(services.credits.balance(p.user_id))


@router.get(
    "/api/credits/costs",
    response_model=Envelope[Costs],
    responses=responses(AuthError, Forbidden),
    summary="What generation and an edit cost on this server (export is free)",
    description="`unlimited` is true on a single-user local server (`promptreel serve --local`), where "
    "credits never block. A client warns before an action the balance cannot pay for.",
)
def costs(p: ReadUser, services: ServicesDep) -> Envelope[Costs]:
    return ok(services.credits.costs())
