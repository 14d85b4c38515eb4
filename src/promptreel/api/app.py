"""The FastAPI application factory: ``create_app(settings) -> FastAPI``."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI

from promptreel import __version__
from promptreel.api import errors
from promptreel.api.limits import BodyLimit
from promptreel.api.routes import (
    account_pages,
    accounts,
    agent,
    auth,
    credits,
    docs,
    exports,
    health,
    projects,
    renders,
    sessions,
    uploads,
)
from promptreel.api.slowclients import SlowBody
from promptreel.api.streamslots import Slots
from promptreel.api.textguard import TextGuard
from promptreel.clock import SYSTEM, Clock
from promptreel.service.core import Services, build_services
from promptreel.service.port import Studio
from promptreel.settings import Settings, get_settings

__all__ = ["REQUEST_THREADS", "create_app"]

#: threads that run sync routes and dependencies at once (anyio's default is 40)
REQUEST_THREADS = 256

_DESCRIPTION = """
promptreel's HTTP API: the backend that video-generation agent skills talk to (see PROTOCOL.md).

Every JSON response is the envelope `{"code", "message", "data"}`; `code == 0` is success and the
HTTP status agrees with the code. Error codes: 400 (X-Client-Id missing), 1001/401 (token unknown,
revoked or expired), 1002/404 (session not found), 2001/402 (not enough credits; `data.register_url`),
402/402 (export not allowed: scope `render` or an attribution header missing), 4001/415 (unsupported
file), 4002/413 (file too large), 429/429 (rate limited, `Retry-After`), 4000/422 (invalid request),
4003/422 (invalid draft, `data.path`), 4030/403 (scope missing), 4040/404 (not found), 4050/405 (method not
allowed; `Allow` set), 4090/409 (a turn is already running in this session), 4160/416 (Range past the end of
the file), 5000/500 (internal, no traceback), 5020/502 (URL fetch failed, TLS or connection failure included).

Auth: `Authorization: Bearer <token>`; token scopes `read`, `write`, `upload`, `render`, `*`.
A missing `render` scope answers 402 (export blocked); any other missing scope 4030.

Decisions where the protocol is silent:

* Times are integer milliseconds everywhere (`duration`, `duration_ms`, draft `d`/`s`).
* SSE event ids are integers, monotonic within a session (so within each turn); `Last-Event-ID`
  resumes exactly after that id. A different message while a turn runs → HTTP 409, code 4090
  with `data.turn_id`; re-sending the running turn's own message attaches to it.
* `2001` carries `data.required`, `data.available` and, for anonymous users, `data.bind_id` and
  `data.register_url` (`<web>/register?bind=<bind_id>`, also in the message).
* Anonymous tokens: asking again with the same `X-Client-Id` while its token is valid → 429 with
  `Retry-After` = seconds until it expires; after expiry a new token replaces the old grant.
* Claim tokens: `GET /api/claim/{claim_token}` returns the project's state read-only (no bearer) and
  no id usable elsewhere (no `bind_id`, `task_id` or `session_id`). Creating one needs scopes `read`
  and `write`.
* Renders: `id` is unique per user; `output.url` = `/api/render/proxy/{id}/download?job=&exp=&sig=`
  (HMAC-SHA256, `link_ttl_s`); the same path with a bearer token works too. Jobs interrupted by a
  restart are queued again (failed after 3 interruptions).
* Uploads: all files of one request are stored or none; refused URLs (non-http(s), loopback,
  private, link-local, also after redirects) → 4000; a failed fetch → 5020.
* Accounts: `POST /api/auth/register` with the trial's `bind_id` (or, without one, the trial's own
  bearer token) moves its projects, uploads, renders and remaining credits into the account in one
  transaction; the trial's token keeps working and acts for the account. A `bind_id` is a secret of
  the trial's owner: only that owner's authenticated calls return it (anonymous token, new session,
  state, `/api/auth/me`, 2001), never a claim link, and the log redacts it. Register and sign-in also set the studio's browser session
  cookie `promptreel_session` (HttpOnly, SameSite=Strict, Secure over https); it authenticates
  requests without an `Authorization` header (a bearer header always wins), and cookie requests
  that change something from another origin are refused with 4030.
* A method a path does not serve → 405, code 4050, with `Allow` listing the methods it does serve.
* Downloads: a malformed `Range` → 4000 (`data.path: "Range"`); one past the end → 4160 (HTTP 416,
  `Content-Range: bytes */<size>`). A TLS or connection failure talking to another server (a URL
  upload) → 5020 naming the cause, never 5000.
* Text must be Unicode: a JSON body holding a lone UTF-16 surrogate (`"\\ud83d"` without its pair)
  or a query string that is not UTF-8 → 4000 with `data.path` naming the field, before any route runs.
* Editing turns that change nothing (questions, summaries) and undo/redo are free.
"""


_SECRETS = re.compile(r"(clm_|nmv_[a-z]+_)[A-Za-z0-9_\-]+|(bind_)[0-9a-f]{8,}|((?:sig|ct|bind)=)[^&\s\"]+")


class RedactTokens(logging.Filter):
    """Keeps claim tokens, bearer tokens, registration (bind) ids and link signatures out of the access log."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_redact(a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str):
            record.msg = _redact(record.msg)
        return True


def _redact(text: str) -> str:
    return _SECRETS.sub(lambda m: (m.group(1) or m.group(2) or m.group(3)) + "***", text)


def create_app(
    settings: Settings | None = None, *, studio: Studio | None = None, clock: Clock = SYSTEM
) -> FastAPI:
    """Build the app; migrations, crash recovery and workers start with its lifespan. ``clock`` is
    what token and link expiry read (tests pass a :class:`promptreel.clock.ManualClock`)."""
    settings = settings or get_settings()
    for name in ("uvicorn.access", "uvicorn.error"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactTokens) for f in logger.filters):
            logger.addFilter(RedactTokens())
    services = build_services(settings, studio, clock)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # sync routes run in this loop's thread pool; writers waiting their turn for SQLite's one
        # write lock hold their threads, so the pool is large enough that reads never queue
        # behind them (an idle thread costs nothing; threads start only when needed)
        anyio.to_thread.current_default_thread_limiter().total_tokens = REQUEST_THREADS
        services.start()
        await _warm_routes(app)
        try:
            yield
        finally:
            services.stop()

    # the API docs are served from this server (routes/docs.py), not from a CDN
    app = FastAPI(
        title="promptreel",
        version=__version__,
        description=_DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.services = services
    app.state.agent_streams = Slots(settings.streams_per_user, "agent streams for this account")
    app.state.preview_streams = Slots(settings.streams_per_render, "viewers of this preview")
    errors.install(app)
    # the last added runs first: the body limit, then the text guard (which reads at most that much)
    app.add_middleware(TextGuard, max_bytes=settings.max_body_bytes)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes, skip_prefixes=("/api/upload-video/",))
    # outermost: a body that stalls or trickles is answered 408 and its connection closed
    app.add_middleware(SlowBody)
    for module in (
        health,
        auth,
        accounts,
        account_pages,
        sessions,
        agent,
        uploads,
        credits,
        renders,
        exports,
    ):
        app.include_router(module.router)
    app.include_router(projects.router)  # the studio's project list, stills and fit/fill
    app.include_router(docs.router)  # /docs from local files
    _mount_web(app)
    return app


async def _warm_routes(app: FastAPI) -> None:
    """Build the middleware stack and every route's request handling before the first request:
    FastAPI builds them on first use, which would otherwise fall on the first requests after start.
    A request for a path no route serves walks them all (and answers 404 to no one)."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/api/-warm-up",
        "raw_path": b"/api/-warm-up",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"localhost")],
        "client": ("127.0.0.1", 0),
        "server": ("127.0.0.1", 80),
        "state": {},
    }

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(_: object) -> None:
        return None

    try:
        await app(scope, receive, send)
    except Exception:
        logging.getLogger("promptreel.api").warning("warming up the routes failed", exc_info=True)


def _mount_web(app: FastAPI) -> None:
    """The web studio's pages and static files (``api/routes/studio.py``), when installed."""
    try:
        from promptreel.api.routes import studio
    except ImportError:
        return
    app.include_router(studio.router)


def _services(app: FastAPI) -> Services:
    services: Services = app.state.services
    return services
