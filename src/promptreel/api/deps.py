"""Request dependencies (``Annotated``): services, the caller's principal and scopes, base URLs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from promptreel.api.clientaddr import client_address, from_trusted_proxy
from promptreel.api.cookies import authorization_of
from promptreel.service.auth import Principal
from promptreel.service.core import Services
from promptreel.service.renders import ATTRIBUTION_HEADERS

__all__ = [
    "ServicesDep",
    "BaseUrl",
    "Attribution",
    "ClientIp",
    "scoped",
    "ReadUser",
    "WriteUser",
    "UploadUser",
    "RenderUser",
    "ReadWriteUser",
    "AnyUser",
    "Credentials",
    "one_read",
]

T = TypeVar("T")

_bearer = HTTPBearer(auto_error=False, description="Authorization: Bearer nmv_usr_… (or an API token)")


# The dependencies that only read the request run on the event loop (``async def``): a sync one
# would take a thread of the request thread pool for a few microseconds of work, and under load
# wait for a free thread (and the GIL) on every hop.


async def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


async def base_url(request: Request, services: ServicesDep) -> str:
    """Where links point: ``settings.public_url`` or this request's own base URL (its scheme as
    a trusted proxy's ``X-Forwarded-Proto`` says, when there is one)."""
    st = services.settings
    if st.public_url:
        return st.public_url.rstrip("/")
    base = str(request.base_url)
    proto = request.headers.get("x-forwarded-proto", "").strip().lower()
    peer = request.client.host if request.client else None
    if proto in ("http", "https") and from_trusted_proxy(peer, st.trusted_proxies):
        base = proto + base[base.index(":") :]
    return base.rstrip("/")


BaseUrl = Annotated[str, Depends(base_url)]


async def attribution(request: Request) -> dict[str, str]:
    return {h: request.headers[h][:200] for h in ATTRIBUTION_HEADERS if request.headers.get(h)}


Attribution = Annotated[dict[str, str], Depends(attribution)]


async def client_ip(request: Request) -> str:
    """The caller's address for limits per address (:mod:`promptreel.api.clientaddr`)."""
    st = request.app.state.services.settings
    peer = request.client.host if request.client else None
    return client_address(peer, request.scope.get("headers", ()), st.trusted_proxies, st.proxy_header)


ClientIp = Annotated[str, Depends(client_ip)]


def principal(
    services: ServicesDep,
    request: Request,
    _cred: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    return services.auth.authenticate(authorization_of(request))


AnyUser = Annotated[Principal, Depends(principal)]


async def credentials(
    request: Request, _cred: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> str | None:
    """The request's ``Authorization`` (or studio cookie), not yet checked: for routes that
    authenticate in the same thread hop and transaction as the rest of their work (:func:`one_read`)."""
    return authorization_of(request)


Credentials = Annotated[str | None, Depends(credentials)]


async def one_read(services: Services, work: Callable[[], T]) -> T:
    """Run a read-only request's blocking part, authentication included, in one hop to the request
    thread pool, its database reads in one transaction.

    Under load every hop waits twice (for a pool thread, then for the event loop to resume) for a
    share of a core and for the GIL: measured under 50 turns on 2 busy cores, those waits were
    most of a slow state read when its dependencies, its route and its response each took a hop
    of their own (three, and five transactions). Reads of SQLite in WAL mode never wait for the
    write lock, so the hop's thread is never held by a writer.
    """

    def run() -> T:
        with services.db.reading():
            return work()

    return await run_in_threadpool(run)


def scoped(*scopes: str) -> Callable[..., Awaitable[Principal]]:
    """A dependency: the caller's principal, refused unless its token has every one of ``scopes``."""

    async def dep(p: AnyUser, services: ServicesDep) -> Principal:
        for scope in scopes:
            services.auth.require(p, scope)
        return p

    dep.__name__ = "require_" + "_".join(scopes)
    return dep


ReadUser = Annotated[Principal, Depends(scoped("read"))]
WriteUser = Annotated[Principal, Depends(scoped("write"))]
UploadUser = Annotated[Principal, Depends(scoped("upload"))]
RenderUser = Annotated[Principal, Depends(scoped("render"))]
ReadWriteUser = Annotated[Principal, Depends(scoped("read", "write"))]
