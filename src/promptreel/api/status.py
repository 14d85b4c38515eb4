"""The one table from a protocol code to its HTTP status (the core's errors know only their code).

Kept free of FastAPI so the SDK's in-process fake server (``client/testing.py``) answers with the
same statuses as the real one.
"""

from __future__ import annotations

from promptreel.errors import PromptreelError

__all__ = ["HTTP_STATUS", "http_status"]

#: protocol code → HTTP status; a code not listed answers 500
HTTP_STATUS: dict[int, int] = {
    400: 400,  # MissingClientId
    402: 402,  # ExportBlocked
    429: 429,  # RateLimited
    1001: 401,  # AuthError
    1002: 404,  # SessionNotFound
    2001: 402,  # NoCredits
    4000: 422,  # InvalidRequest (and every refusal built on it)
    4001: 415,  # UnsupportedFile
    4002: 413,  # FileTooLarge
    4003: 422,  # InvalidDraft
    4030: 403,  # Forbidden
    4040: 404,  # NotFound
    4050: 405,  # method not allowed (no exception class: the router answers it)
    4090: 409,  # SessionBusy
    4160: 416,  # RangeNotSatisfiable
    5000: 500,  # InternalError, and anything unexpected
    5001: 500,  # GenerationFailed
    5002: 500,  # RenderFailed
    5020: 502,  # UpstreamError
    5070: 507,  # StorageFull
}


def http_status(error: PromptreelError | type[PromptreelError] | int) -> int:
    """The HTTP status for an error, its class or its protocol code."""
    code = error if isinstance(error, int) else error.code
    return HTTP_STATUS.get(code, 500)
