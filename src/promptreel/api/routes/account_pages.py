"""The signed-in studio: who am I, sign out, and the Settings page (API tokens, credits history)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from promptreel import __version__
from promptreel.api.cookies import COOKIE, authorization_of, clear_session
from promptreel.api.deps import BaseUrl, ReadUser, ServicesDep
from promptreel.api.errors import responses
from promptreel.api.routes.common import ok
from promptreel.errors import AuthError, Forbidden
from promptreel.service.accounts import AccountService
from promptreel.service.auth import Principal
from promptreel.service.core import Services
from promptreel.wire import Envelope, Me, SignedOut

__all__ = ["router", "SETTINGS_PAGE"]

router = APIRouter(tags=["accounts"])
SETTINGS_PAGE = "/settings"
WEB_DIR = Path(__file__).resolve().parents[2] / "web"

_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
_HEADERS = {
    "Content-Security-Policy": _CSP,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-cache",
}


def _accounts(services: Services) -> AccountService:
    return AccountService(services.db, services.auth, services.credits)


@router.get(
    "/api/auth/me",
    response_model=Envelope[Me],
    response_model_exclude_unset=True,
    responses=responses(AuthError, Forbidden),
    summary="Who this token (or the studio's session cookie) acts for",
    description="`{user_id, username, kind: anonymous|registered, bind_id, token_id, token_kind, scopes, credits: "
    "{available, frozen, total}}`; anonymous users also get `register_url` (`<web>/register?bind=<bind_id>`). "
    "Needs scope `read`.",
)
def me(p: ReadUser, services: ServicesDep, base: BaseUrl) -> Envelope[Me]:
    account = _accounts(services).whoami(p.user_id)
    data = Me(**dict(account), token_id=p.token_id, token_kind=p.token_kind, scopes=sorted(p.scopes))
    if account.kind == "anonymous":  # set only here: `register_url` is omitted for an account
        data.register_url = services.credits.register_url(account.bind_id, base)
    return ok(data)


@router.post(
    "/api/auth/logout",
    response_model=Envelope[SignedOut],
    responses=responses(AuthError),
    summary="Sign out: revoke the token this request used and clear the studio's session cookie",
    description="Works with the session cookie or a bearer API token (that token is revoked at once). An anonymous "
    "trial token is not revoked (the client id could not get another for 7 days); the cookie is cleared either way.",
)
def logout(request: Request, response: Response, services: ServicesDep) -> Envelope[SignedOut]:
    revoked = False
    if request.headers.get("authorization") or request.cookies.get(COOKIE):
        try:
            p = _principal(request, services)
        except AuthError:
            p = None
        if p is not None and p.token_kind != "anonymous":
            revoked = services.auth.revoke_token(p.user_id, p.token_id)
    clear_session(response, request, services.settings.public_url)
    return ok(SignedOut(signed_out=True, revoked=revoked))


def _principal(request: Request, services: Services) -> Principal:
    return services.auth.authenticate(authorization_of(request))


@lru_cache(maxsize=1)
def _settings_template() -> str:
    return (WEB_DIR / "settings.html").read_text(encoding="utf-8")


@router.get(SETTINGS_PAGE, include_in_schema=False, response_class=HTMLResponse)
async def settings_page() -> HTMLResponse:
    """Settings → API Tokens and the credits history (static page; data from the API)."""
    return HTMLResponse(_settings_template().replace("{{version}}", __version__), headers=_HEADERS)
