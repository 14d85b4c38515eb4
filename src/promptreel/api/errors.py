"""Every failure → the envelope ``{"code", "message", "data"}`` with the matching HTTP status.

Validation errors become code 4000 (HTTP 422) naming the field; unknown paths 4040; anything
unexpected 5000 with a reference id — tracebacks go to the server log, never to the client.
"""

from __future__ import annotations

import logging
import secrets
import ssl
from typing import Any

import httpx
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from promptreel.api.limits import TOO_LARGE
from promptreel.api.status import HTTP_STATUS, http_status
from promptreel.errors import (
    AuthError,
    ExportBlocked,
    FileTooLarge,
    Forbidden,
    InvalidDraft,
    InvalidRequest,
    MissingClientId,
    NoCredits,
    NotFound,
    PromptreelError,
    RangeNotSatisfiable,
    RateLimited,
    SessionBusy,
    SessionNotFound,
    SlowRequest,
    StorageFull,
    UnsupportedFile,
    UpstreamError,
)
from promptreel.wire import ErrorEnvelope

__all__ = ["HTTP_STATUS", "envelope", "http_status", "install", "responses"]

log = logging.getLogger("promptreel.api")


def envelope(
    code: int, message: str, data: Any = None, status: int = 200, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse({"code": code, "message": message, "data": data}, status_code=status, headers=headers)


def _from_error(exc: PromptreelError) -> JSONResponse:
    headers: dict[str, str] | None = None
    if isinstance(exc, RateLimited):
        headers = {"Retry-After": str(exc.retry_after)}
    elif isinstance(exc, RangeNotSatisfiable):
        headers = {"Content-Range": f"bytes */{exc.size}"}
    return envelope(exc.code, exc.message, exc.data, http_status(exc), headers)


async def _promptreel(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, PromptreelError)
    return _from_error(exc)


async def _validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    first = errors[0] if errors else {}
    loc = ".".join(str(x) for x in first.get("loc", ()) if x != "body") or "body"
    msg = f"Invalid request: {loc}: {first.get('msg', 'invalid')}"
    details = [
        {"loc": ".".join(str(x) for x in e.get("loc", ())), "msg": str(e.get("msg", ""))} for e in errors[:20]
    ]
    return envelope(InvalidRequest.code, msg, {"errors": details, "path": loc}, http_status(InvalidRequest))


async def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400 and request.scope.get("state", {}).get(TOO_LARGE):
        limit = request.app.state.services.settings.max_body_bytes
        return envelope(
            FileTooLarge.code,
            f"The request body is larger than {limit / (1024 * 1024):g} MB.",
            {"max_bytes": limit},
            http_status(FileTooLarge),
        )
    if exc.status_code == 404:
        return envelope(NotFound.code, "Not found.", None, 404)
    if exc.status_code == 405:
        allowed = _allowed_methods(request)
        return envelope(
            4050,
            f"Method {request.method} is not allowed on this path; use {', '.join(allowed)}.",
            {"allow": allowed},
            405,
            {"Allow": ", ".join(allowed)},
        )
    if exc.status_code == 400:  # a body that is not parseable JSON (too deep, numbers too long, …)
        return envelope(
            InvalidRequest.code,
            "Invalid request: the body is not valid JSON (or nests or numbers beyond what the server accepts).",
            {"path": "body"},
            http_status(InvalidRequest),
        )
    return envelope(
        exc.status_code * 10, str(exc.detail), None, exc.status_code, dict(exc.headers or {}) or None
    )


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route serves on this request's path (``Allow`` of a 405, RFC 9110)."""
    allowed: list[str] = []
    for method in _METHODS:
        scope = {**request.scope, "method": method}
        if any(route.matches(scope)[0] == Match.FULL for route in request.app.router.routes):
            allowed.append(method)
    # HEAD is served where GET is (the downloads); Allow names the GET, as the schema does
    return [m for m in allowed if m != "HEAD" or "GET" not in allowed]


async def _upstream(_: Request, exc: Exception) -> JSONResponse:
    """A network or TLS failure that reached the API unhandled (a URL fetch, an LLM call): 5020."""
    cause: BaseException | None = exc
    while cause is not None and not isinstance(cause, ssl.SSLError):
        cause = cause.__cause__ or cause.__context__
    if isinstance(cause, ssl.SSLCertVerificationError):
        why = cause.verify_message or "the certificate could not be verified"
        message = f"Fetching a URL failed: its TLS (https) certificate was refused ({why})."
    elif cause is not None:
        message = "Fetching a URL failed: the TLS (https) handshake with its server failed."
    else:
        message = f"Fetching a URL failed: the connection to its server failed ({exc.__class__.__name__})."
    data = {"reason": "tls" if cause is not None else "network"}
    return _from_error(UpstreamError(message, data=data))


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    ref = secrets.token_hex(6)
    log.error("unexpected error ref=%s on %s %s", ref, request.method, request.url.path, exc_info=exc)
    return envelope(
        5000, f"Something went wrong on the server (ref {ref}). Please try again.", {"ref": ref}, 500
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(PromptreelError, _promptreel)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(ssl.SSLError, _upstream)
    app.add_exception_handler(httpx.TransportError, _upstream)
    app.add_exception_handler(Exception, _unexpected)


_DOC: dict[type[PromptreelError], str] = {
    MissingClientId: "400: header X-Client-Id missing",
    AuthError: "1001: token missing, unknown, revoked or expired",
    SessionNotFound: "1002: session not found (or not yours)",
    NoCredits: "2001: not enough credits (data.register_url for anonymous users)",
    ExportBlocked: "402: export not allowed (token lacks scope 'render', or an attribution header is missing — "
    "data names it)",
    Forbidden: "4030: the token lacks the scope this call needs",
    UnsupportedFile: "4001: unsupported file type (judged by content)",
    FileTooLarge: "4002: file too large (default limit 500 MB)",
    RateLimited: "429: rate limited; Retry-After header set",
    InvalidRequest: "4000: invalid request body or parameters",
    InvalidDraft: "4003: invalid draft; data.path names the exact fault (e.g. t[1].sg[0].d)",
    SessionBusy: "4090: a turn is already running in this session (nothing started or charged)",
    NotFound: "4040: not found",
    UpstreamError: "5020: a URL fetch failed (also a TLS or connection failure)",
    RangeNotSatisfiable: "4160: the Range starts past the end of the file (Content-Range: bytes */<size>)",
    SlowRequest: "4080: the request body came too slowly and was not read (the connection is closed)",
    StorageFull: "5070: the server's storage is full; nothing was saved",
}


def responses(*errors: type[PromptreelError]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` for these errors (plus 4000 validation and 5000 internal on every route)."""
    by_status: dict[int, list[str]] = {}
    every: list[type[PromptreelError]] = [*errors, InvalidRequest]
    for e in every:
        by_status.setdefault(http_status(e), []).append(_DOC.get(e, f"{e.code}: {e.default_message}"))
    by_status.setdefault(500, []).append("5000: internal error (no traceback; a reference id in data.ref)")
    out: dict[int | str, dict[str, Any]] = {}
    for status, lines in sorted(by_status.items()):
        out[status] = {"model": ErrorEnvelope, "description": "; ".join(dict.fromkeys(lines))}
    return out
