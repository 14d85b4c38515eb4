"""The studio's browser session: a signed-in account's token in an HttpOnly cookie.

Browsers sign in with ``POST /api/auth/login`` (or register); the answer sets the cookie
``promptreel_session`` (HttpOnly, ``SameSite=Strict``, ``Secure`` when served over https, path
``/``). Requests without an ``Authorization`` header are then authenticated by that cookie; an
``Authorization`` header always wins. Cookie-authenticated requests that change something
(anything but GET/HEAD/OPTIONS) must come from the studio's own origin: a present ``Origin``
header naming another site, or a ``Sec-Fetch-Site`` other than ``same-origin``, is refused with
4030 (cross-site request forgery guard on top of ``SameSite=Strict``); so is signing in or
registering from another site (login CSRF). API clients keep using bearer tokens.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import Request, Response

from promptreel.api.clientaddr import from_trusted_proxy
from promptreel.errors import Forbidden

__all__ = ["COOKIE", "authorization_of", "set_session", "clear_session", "refuse_cross_site"]

COOKIE = "promptreel_session"
_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})


def _secure(request: Request, public_url: str) -> bool:
    scheme = urlsplit(public_url).scheme if public_url else request.url.scheme
    return scheme == "https" or request.headers.get("x-forwarded-proto", "") == "https"


def set_session(response: Response, request: Request, token: str, max_age: int, public_url: str = "") -> None:
    response.set_cookie(
        COOKIE,
        token,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="strict",
        secure=_secure(request, public_url),
    )


def clear_session(response: Response, request: Request, public_url: str = "") -> None:
    response.delete_cookie(
        COOKIE, path="/", httponly=True, samesite="strict", secure=_secure(request, public_url)
    )


def _same_origin(request: Request) -> bool:
    """Whether a browser says this request comes from this site: ``Sec-Fetch-Site`` (when sent)
    is ``same-origin`` or ``none``, and ``Origin`` (when sent) names this server: its ``Host``,
    the host of ``public_url``, or ``X-Forwarded-Host`` from a trusted proxy only."""
    fetch_site = request.headers.get("sec-fetch-site", "").strip().lower()
    if fetch_site and fetch_site not in ("same-origin", "none"):
        return False
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    st = request.app.state.services.settings
    hosts = {request.headers.get("host", "")}
    if st.public_url:
        hosts.add(urlsplit(st.public_url).netloc)
    peer = request.client.host if request.client else None
    if from_trusted_proxy(peer, st.trusted_proxies):
        hosts.add(request.headers.get("x-forwarded-host", ""))
    return urlsplit(origin).netloc.lower() in {h.strip().lower() for h in hosts if h}


def refuse_cross_site(request: Request) -> None:
    """4030 for a request a browser sent from another site (signing in or registering there would
    put the visitor's browser in someone else's account); API clients send no ``Origin``."""
    if not _same_origin(request):
        raise Forbidden("Cross-site request refused: sign in and register on this site only.")


def authorization_of(request: Request) -> str | None:
    """The request's ``Authorization`` value, or ``Bearer <cookie>`` for a signed-in browser."""
    header = request.headers.get("authorization")
    if header:
        return header
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    if request.method not in _SAFE and not _same_origin(request):
        raise Forbidden("Cross-site request refused: the studio session cookie works only on this site.")
    return f"Bearer {token}"
