"""The HTTP status for a domain error (the core's errors know only their code).

The table itself is the protocol's (:mod:`promptreel.http_status`), so the SDK's in-process fake
server (``client/testing.py``) answers with the same statuses as the real one without importing
the server.
"""

from __future__ import annotations

from promptreel.errors import PromptreelError
from promptreel.http_status import HTTP_STATUS, status_of_code

__all__ = ["HTTP_STATUS", "http_status"]


def http_status(error: PromptreelError | type[PromptreelError] | int) -> int:
    """The HTTP status for an error, its class or its protocol code."""
    return status_of_code(error if isinstance(error, int) else error.code)
