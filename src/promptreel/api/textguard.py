"""Text that is not Unicode, or that no database can keep, stops at the edge: lone UTF-16
surrogates and NUL characters in JSON bodies, and query strings or paths that are not UTF-8 or
hold a NUL, are refused with 4000 (HTTP 422) before any route runs.

JSON may spell a lone surrogate as an escape (``"\\ud83d"``) or as the raw UTF-8-style bytes
``ED A0 BD`` (Python's JSON reader lets both through); such a string cannot be stored, encoded or
shown, so a request carrying one is refused with ``data.path`` naming the field
(``new_message.parts.0.text``). Real surrogate pairs (emoji written as two escapes) are ordinary
text. U+0000 (NUL, ``"\\u0000"``) is refused the same way: PostgreSQL cannot store it in text
(it was a 5000 there) and no name, message or draft needs it. A query string whose
percent-escapes decode to bytes that are not UTF-8, or to a NUL, is refused the same way
(``data.path``: ``query.<name>``), as is a path holding ``%00`` (``data.path``: ``path``). A
path holding an encoded ``/`` or ``\\`` (``%2F``, ``%5C``) names nothing (4040, HTTP 404): no
id or file name holds one, and the router would read it as two segments.
Multipart and form bodies are left to their routes (upload names are cleaned there).
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import unquote_to_bytes

from promptreel.api.errors import envelope, http_status
from promptreel.errors import InvalidRequest, NotFound

__all__ = ["TextGuard", "lone_surrogate_path", "bad_text"]

Scope = dict[str, Any]
Message = dict[str, Any]

#: a surrogate escape (``\uD800``–``\uDFFF``), the raw bytes of an encoded surrogate, or a NUL escape
_MAYBE = re.compile(rb"\\u[dD][89a-fA-F]|\xed[\xa0-\xbf]|\\u0000")
_SURROGATE = re.compile("[\ud800-\udfff]")
_BAD = re.compile("[\ud800-\udfff\x00]")
_SURROGATE_MESSAGE = "the text holds a lone UTF-16 surrogate; send valid Unicode text."
_NUL_MESSAGE = "the text holds a NUL character (U+0000), which the server does not store; remove it."
_SKIP_TYPES = ("multipart/", "application/x-www-form-urlencoded")
#: ``%2F`` or ``%5C`` in a path: decoded, it would split one name into two segments (and a proxy
#: in front may route the raw path differently from this server); no id or file name holds one
_ENCODED_SEPARATOR = re.compile(rb"%(2f|5c)", re.IGNORECASE)


def lone_surrogate_path(value: Any) -> str | None:
    """The dotted path of the first string (value or key) in ``value`` holding a lone surrogate."""
    found = _first(value, _SURROGATE)
    return found[0] if found else None


def bad_text(value: Any) -> tuple[str, str] | None:
    """``(dotted path, message)`` of the first string (value or key) in ``value`` holding a lone
    surrogate or a NUL, or None. A NUL inside a top-level ``draft`` is left to the draft's own
    validation (4003 with the draft's path, after the draft's other faults)."""
    found = _first(value, _BAD, skip_nul_under="draft")
    if found is None:
        return None
    path, char = found
    return path, _NUL_MESSAGE if char == "\x00" else _SURROGATE_MESSAGE


def _first(value: Any, pattern: re.Pattern[str], skip_nul_under: str = "") -> tuple[str, str] | None:
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        path, v = stack.pop()
        if skip_nul_under and (path == skip_nul_under or path.startswith(skip_nul_under + ".")):
            if found := _first(v, _SURROGATE):
                inner, char = found
                return (f"{path}.{inner}" if inner != "body" else path), char
            continue
        if isinstance(v, str):
            if m := pattern.search(v):
                return path or "body", m.group()
        elif isinstance(v, dict):
            for k, item in reversed(list(v.items())):
                key = f"{path}.{k}" if path else str(k)
                if m := pattern.search(k):
                    return key, m.group()
                stack.append((key, item))
        elif isinstance(v, list):
            for i in range(len(v) - 1, -1, -1):
                stack.append((f"{path}.{i}" if path else str(i), v[i]))
    return None


def _bad_query(query: bytes) -> tuple[str, str] | None:
    for pair in query.split(b"&"):
        name, _, val = pair.partition(b"=")
        for part in (name, val):
            try:
                text = unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
            except UnicodeDecodeError:
                return _query_name(name), "the query string is not valid UTF-8 text."
            if "\x00" in text:
                return _query_name(name), _NUL_MESSAGE
    return None


def _query_name(name: bytes) -> str:
    return unquote_to_bytes(name).decode("utf-8", "replace").replace("\x00", "")[:50] or "query"


def _refuse(path: str, message: str) -> Any:
    return envelope(
        InvalidRequest.code,
        f"Invalid request: {path}: {message}",
        {"path": path},
        http_status(InvalidRequest),
    )


class TextGuard:
    """Pure ASGI middleware; reads at most ``max_bytes`` of a JSON body to judge it (a longer body
    is passed on untouched: the body limit in front, or the route, refuses it)."""

    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if "\x00" in str(scope.get("path", "")):
            await _refuse("path", _NUL_MESSAGE)(scope, receive, send)
            return
        if _ENCODED_SEPARATOR.search(scope.get("raw_path") or b""):
            nosniff = {"X-Content-Type-Options": "nosniff"}
            await envelope(NotFound.code, "Not found.", None, http_status(NotFound), nosniff)(
                scope, receive, send
            )
            return
        query = _bad_query(scope.get("query_string", b""))
        if query is not None:
            name, why = query
            await _refuse(f"query.{name}", why)(scope, receive, send)
            return
        ctype = ""
        for key, value in scope.get("headers", ()):
            if key == b"content-type":
                ctype = value.decode("latin-1").lower()
        if ctype.startswith(_SKIP_TYPES):
            await self.app(scope, receive, send)
            return
        await self._json(scope, receive, send)

    async def _json(self, scope: Scope, receive: Any, send: Any) -> None:
        held: list[Message] = []
        size = 0
        failure: BaseException | None = None
        complete = False
        while True:
            try:
                message: Message = await receive()
            except Exception as exc:  # e.g. the body limit cut the body off: the route reports it
                failure = exc
                break
            held.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if not message.get("more_body", False):
                complete = True
                break
            if size > self.max_bytes:
                break
        if complete and failure is None:
            body = b"".join(m.get("body", b"") for m in held)
            bad = _judge(body)
            if bad is not None:
                await _refuse(*bad)(scope, receive, send)
                return

        async def replay() -> Message:
            if held:
                return held.pop(0)
            if failure is not None:
                raise failure
            message: Message = await receive()
            return message

        await self.app(scope, replay, send)


def _judge(body: bytes) -> tuple[str, str] | None:
    """The path of a lone surrogate or a NUL in a JSON body and why, if any (bodies that are not
    JSON pass)."""
    if not _MAYBE.search(body):
        return None
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):
        return None
    return bad_text(value)
