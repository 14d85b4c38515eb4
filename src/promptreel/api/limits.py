"""Request body size limit for every JSON endpoint (uploads stream and have their own limits).

A body that declares a larger ``Content-Length`` is refused before it is read (4002, HTTP 413);
a chunked body is cut off at the limit and refused the same way, so no request can make the
server hold more than ``max_body_bytes`` of JSON in memory.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["BodyLimit", "TOO_LARGE"]

#: set in the request scope's state when a chunked body passed the limit
TOO_LARGE = "body_too_large"

Scope = dict[str, Any]
Message = dict[str, Any]


class _TooLarge(Exception):
    pass


class BodyLimit:
    """Pure ASGI middleware: at most ``max_bytes`` of request body outside ``skip_prefixes``."""

    def __init__(self, app: Any, max_bytes: int, skip_prefixes: tuple[str, ...] = ()) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.skip = skip_prefixes

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or str(scope.get("path", "")).startswith(self.skip):
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0
                if declared > self.max_bytes:
                    await self._refuse(send)
                    return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message: Message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    scope.setdefault("state", {})[TOO_LARGE] = True
                    raise _TooLarge()
            return message

        await self.app(scope, limited, send)

    async def _refuse(self, send: Any) -> None:
        mb = self.max_bytes / (1024 * 1024)
        body = json.dumps(
            {
                "code": 4002,
                "message": f"The request body is larger than {mb:g} MB.",
                "data": {"max_bytes": self.max_bytes},
            }
        ).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})
