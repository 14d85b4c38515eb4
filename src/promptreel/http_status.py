"""The protocol's one table from an error code to the HTTP status that answers it (the error table
of ``PROTOCOL.md``).

The domain errors know only their codes. The server (:mod:`promptreel.api.status`) and the SDK's
in-process fake server (:mod:`promptreel.client.testing`) both answer from this table, so the fake
needs nothing of the server to answer as it does.
"""

from __future__ import annotations

__all__ = ["HTTP_STATUS", "status_of_code"]

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
    4080: 408,  # SlowRequest
    4090: 409,  # SessionBusy
    4160: 416,  # RangeNotSatisfiable
    5000: 500,  # InternalError, and anything unexpected
    5001: 500,  # GenerationFailed
    5002: 500,  # RenderFailed
    5020: 502,  # UpstreamError
    5070: 507,  # StorageFull
}


def status_of_code(code: int) -> int:
    """The HTTP status that answers protocol code ``code``."""
    return HTTP_STATUS.get(code, 500)
