"""The protocol's envelope as the SDK reads it: ``data`` on success, the matching exception otherwise."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx

from promptreel.errors import AuthError, InternalError, PromptreelError, RateLimited, error_for_code

__all__ = ["APP_NAME", "Notice", "new_render_id", "parse_envelope"]

APP_NAME = "nemo_agent"

#: ``notice(kind, detail)`` — kinds: ``reauth``, ``rate_limited``, ``new_client_id``
Notice = Callable[[str, dict[str, Any]], None]


def new_render_id() -> str:
    """``render_<ms timestamp>`` — unique per submit (a retry gets a new one)."""
    return f"render_{time.time_ns() // 1_000_000}"


def parse_envelope(response: httpx.Response) -> Any:
    """The ``data`` of a success envelope; otherwise raise the protocol's exception for the code."""
    try:
        body = response.json()
    except ValueError:
        body = None
    err: PromptreelError
    if isinstance(body, dict) and isinstance(body.get("code"), int):
        code = body["code"]
        if code == 0:
            return body.get("data")
        data = body.get("data") if isinstance(body.get("data"), dict) else None
        err = error_for_code(code, str(body.get("message") or ""), data)
    elif response.is_success:
        return body
    elif response.status_code == 429:
        err = RateLimited()
    elif response.status_code == 401:
        err = AuthError()
    else:
        err = InternalError(f"The server answered HTTP {response.status_code}.")
    if isinstance(err, RateLimited):
        try:
            err.retry_after = max(0, int(float(response.headers.get("Retry-After", "30"))))
        except ValueError:
            err.retry_after = 30
    raise err
