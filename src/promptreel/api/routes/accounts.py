"""Accounts: register from a bind link (the anonymous trial moves in) and sign in."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request, Response

from promptreel.api.cookies import refuse_cross_site, set_session
from promptreel.api.deps import ClientIp, ReadUser, ServicesDep, WriteUser
from promptreel.api.errors import responses
from promptreel.api.routes.common import ok
from promptreel.errors import AuthError, Forbidden, NotFound, RateLimited, SessionBusy
from promptreel.service.auth import Principal
from promptreel.wire import (
    AccountToken,
    ApiToken,
    CreateTokenRequest,
    Envelope,
    LedgerEntry,
    LoginRequest,
    RegisterRequest,
    TokenInfo,
    TokenRevoked,
)

router = APIRouter(tags=["accounts"])


@router.post(
    "/api/auth/register",
    response_model=Envelope[AccountToken],
    responses=responses(AuthError, SessionBusy, RateLimited, Forbidden),
    summary="Create an account; with a bind id the anonymous trial's projects and credits move in",
    description="Body `{username, password, bind_id}` (`bind_id` from `/register?bind=<bind_id>`; when omitted, "
    "the bearer token's anonymous user is bound). Passwords are hashed with argon2. The anonymous user's sessions, "
    "uploads, renders, tokens and remaining credits move to the account; its old token keeps working for the "
    "account. Returns a new API token with all scopes and sets it as the studio's browser session cookie `promptreel_session` "
    "(HttpOnly, SameSite=Strict, Secure over https). A bad username/password or a used link → 4000. At most "
    "`tokens_per_ip` (10) new accounts per IP address per 7 days → 429 with `Retry-After`. A name that differs from "
    "a taken one only in upper/lower case is taken (4000). A browser request from another site (`Origin` or "
    "`Sec-Fetch-Site`) → 4030.",
)
def register(
    body: RegisterRequest,
    services: ServicesDep,
    request: Request,
    response: Response,
    ip: ClientIp,
    authorization: Annotated[str | None, Header()] = None,
) -> Envelope[AccountToken]:
    refuse_cross_site(request)
    bind_id = body.bind_id
    if not bind_id and authorization:
        p = services.auth.authenticate(authorization)
        bind_id = p.bind_id if p.user_kind == "anonymous" else None
    account = services.auth.register(bind_id or "", body.username, body.password, ip=ip)
    token = services.auth.create_api_token(account.user_id, "studio", ["*"], services.settings.token_ttl_s)
    st = services.settings
    set_session(response, request, token.token, st.token_ttl_s, st.public_url)
    return ok(
        AccountToken(
            token=token.token,
            expires_at=token.expires_at,
            user_id=account.user_id,
            username=account.username,
            credits=account.credits,
            moved_credits=account.moved_credits,
        )
    )


@router.post(
    "/api/auth/login",
    response_model=Envelope[AccountToken],
    responses=responses(AuthError, RateLimited, Forbidden),
    summary="Sign in with username and password; returns a new API token",
    description="Wrong username or password → 1001; after 10 wrong passwords for one account from one address in 15 "
    "minutes → 429 with Retry-After for that account from that address (other addresses can still sign in), and "
    "after `login_failures_per_address` (100) wrong passwords from one address for any accounts → 429 too. The "
    "token has all scopes and lives `token_ttl_s` (7 days); it is also set as the browser session "
    "cookie `promptreel_session` (HttpOnly, SameSite=Strict, Secure over https), which authenticates requests that "
    "carry no Authorization header. The username is found in any case. A browser request from another site → 4030.",
)
def login(
    body: LoginRequest, services: ServicesDep, request: Request, response: Response, ip: ClientIp
) -> Envelope[AccountToken]:
    refuse_cross_site(request)
    token = services.auth.sign_in(body.username, body.password, ip=ip)
    st = services.settings
    set_session(response, request, token.token, st.token_ttl_s, st.public_url)
    return ok(
        AccountToken(
            token=token.token,
            expires_at=token.expires_at,
            user_id=services.auth.user_of_token(token.token),
            username=body.username.strip(),
        )
    )


@router.get(
    "/api/tokens",
    response_model=Envelope[list[TokenInfo]],
    responses=responses(AuthError, Forbidden),
    summary="List this account's tokens (never the secrets)",
    description="Registered accounts only (4030 otherwise). Shows id, name, kind, last characters, scopes, expiry.",
)
def list_tokens(p: ReadUser, services: ServicesDep) -> Envelope[list[TokenInfo]]:
    _registered(p)
    return ok(services.auth.list_tokens(p.user_id))


@router.post(
    "/api/tokens",
    response_model=Envelope[ApiToken],
    responses=responses(AuthError, Forbidden),
    summary="Create a named API token with chosen scopes and optional expiry",
    description="Body `{name, scopes: [read|write|upload|render|*], expires_in (seconds, optional)}`. A token can "
    "only grant scopes it has itself. The secret is shown once.",
)
def create_token(body: CreateTokenRequest, p: WriteUser, services: ServicesDep) -> Envelope[ApiToken]:
    _registered(p)
    if not p.has("*") and not set(body.scopes) <= set(p.scopes):
        raise Forbidden("A token can only create tokens with scopes it has itself.")
    return ok(services.auth.create_api_token(p.user_id, body.name, body.scopes, body.expires_in))


@router.delete(
    "/api/tokens/{token_id}",
    response_model=Envelope[TokenRevoked],
    responses=responses(AuthError, Forbidden, NotFound),
    summary="Revoke a token (effective on its next request)",
)
def revoke_token(token_id: str, p: WriteUser, services: ServicesDep) -> Envelope[TokenRevoked]:
    _registered(p)
    if not services.auth.revoke_token(p.user_id, token_id):
        raise NotFound("No such active token on this account.")
    return ok(TokenRevoked(id=token_id, revoked=True))


@router.get(
    "/api/credits/history",
    response_model=Envelope[list[LedgerEntry]],
    responses=responses(AuthError, Forbidden),
    summary="The credits ledger, newest first",
    description="Every grant, reservation, spend, release, expiry and transfer with its deltas on available and "
    "frozen credits.",
)
def credit_history(p: ReadUser, services: ServicesDep) -> Envelope[list[LedgerEntry]]:
    return ok(services.credits.history(p.user_id))


def _registered(p: Principal) -> None:
    if p.user_kind != "registered":
        raise Forbidden("Register an account to manage API tokens.")
