"""Accounts: register from a bind link (the anonymous trial moves in) and sign in."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header

from promptreel.api.deps import ServicesDep
from promptreel.api.errors import responses
from promptreel.errors import AuthError, SessionBusy
from promptreel.wire import AccountToken, Envelope, LoginRequest, RegisterRequest

router = APIRouter(tags=["accounts"])


@router.post(
    "/api/auth/register",
    response_model=Envelope[AccountToken],
    responses=responses(AuthError, SessionBusy),
    summary="Create an account; with a bind id the anonymous trial's projects and credits move in",
    description="Body `{username, password, bind_id}` (`bind_id` from `/register?bind=<bind_id>`; when omitted, "
    "the bearer token's anonymous user is bound). Passwords are hashed with argon2. The anonymous user's sessions, "
    "uploads, renders, tokens and remaining credits move to the account; its old token keeps working for the "
    "account. Returns a new API token with all scopes. A bad username/password or a used link → 4000.",
)
def register(
    body: RegisterRequest, services: ServicesDep, authorization: Annotated[str | None, Header()] = None
) -> dict[str, Any]:
    bind_id = body.bind_id
    if not bind_id and authorization:
        p = services.auth.authenticate(authorization)
        bind_id = p.bind_id if p.user_kind == "anonymous" else None
    account = services.auth.register(bind_id or "", body.username, body.password)
    token = services.auth.create_api_token(account["user_id"], "studio", ["*"], services.settings.token_ttl_s)
    data = {"token": token["token"], "expires_at": token["expires_at"], **account}
    return {"code": 0, "message": "success", "data": data}


@router.post(
    "/api/auth/login",
    response_model=Envelope[AccountToken],
    responses=responses(AuthError),
    summary="Sign in with username and password; returns a new API token",
    description="Wrong username or password → 1001. The token has all scopes and lives `token_ttl_s` (7 days).",
)
def login(body: LoginRequest, services: ServicesDep) -> dict[str, Any]:
    token = services.auth.sign_in(body.username, body.password)
    with_user = {
        "token": token["token"],
        "expires_at": token["expires_at"],
        "username": body.username.strip(),
        "user_id": services.auth.user_of_token(token["token"]),
    }
    return {"code": 0, "message": "success", "data": with_user}
