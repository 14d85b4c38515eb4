"""One exception tree; every error carries its protocol code (and nothing of HTTP).

``api/errors.py`` maps these to the envelope ``{"code", "message", "data"}`` and ``api/status.py``
maps each code to its HTTP status; the client SDK
raises the same classes from a response's code (see :func:`error_for_code`).
"""

from __future__ import annotations

from typing import Any, ClassVar

__all__ = [
    "PromptreelError",
    "MissingClientId",
    "AuthError",
    "SessionNotFound",
    "NotFound",
    "SlowRequest",
    "NoCredits",
    "ExportBlocked",
    "Forbidden",
    "UnsupportedFile",
    "FileTooLarge",
    "RateLimited",
    "InvalidRequest",
    "InvalidDraft",
    "RangeNotSatisfiable",
    "SessionBusy",
    "RenderFailed",
    "GenerationFailed",
    "UpstreamError",
    "StorageFull",
    "InternalError",
    "ERROR_CODES",
    "error_for_code",
]


class PromptreelError(Exception):
    """Base of every error promptreel raises on purpose."""

    code: ClassVar[int] = 5000
    default_message: ClassVar[str] = "Something went wrong on the server. Please try again."

    def __init__(self, message: str | None = None, *, data: dict[str, Any] | None = None) -> None:
        self.message = message or self.default_message
        self.data = data
        super().__init__(self.message)


class MissingClientId(PromptreelError):
    code = 400
    default_message = "Header X-Client-Id is required: send a UUID that identifies this client."


class AuthError(PromptreelError):
    code = 1001
    default_message = "Token is missing, unknown, revoked or expired. Get a new anonymous token."


class SessionNotFound(PromptreelError):
    code = 1002
    default_message = "Session not found. Create a new session."


class NoCredits(PromptreelError):
    code = 2001
    default_message = "Not enough credits for this operation."


class ExportBlocked(PromptreelError):
    code = 402
    default_message = "Export is not allowed for this plan or token. Register or upgrade to unlock export."


class UnsupportedFile(PromptreelError):
    code = 4001
    default_message = (
        "Unsupported file type. Accepted: mp4, mov, avi, webm, mkv, jpg, png, gif, webp, mp3, wav, m4a, aac."
    )


class FileTooLarge(PromptreelError):
    code = 4002
    default_message = "File too large. Compress or trim it and try again."


class RateLimited(PromptreelError):
    code = 429
    default_message = "Too many requests. Retry after the delay in Retry-After."

    def __init__(
        self, message: str | None = None, *, retry_after: int = 30, data: dict[str, Any] | None = None
    ):
        super().__init__(message, data=data)
        self.retry_after = retry_after


class InvalidRequest(PromptreelError):
    """The request body or parameters are malformed."""

    code = 4000
    default_message = "The request is invalid."


class InvalidDraft(InvalidRequest):
    """A draft failed validation; ``path`` names the exact fault (e.g. ``t[1].sg[0].d``)."""

    code = 4003
    default_message = "The draft is invalid."

    def __init__(self, message: str | None = None, *, path: str = "", data: dict[str, Any] | None = None):
        full = f"{path}: {message}" if path and message else message
        super().__init__(full, data={"path": path, **(data or {})})
        self.path = path


class SlowRequest(InvalidRequest):
    """A request body that came too slowly to be read (HTTP 408; the connection is closed)."""

    code = 4080
    default_message = "The request body came too slowly and was not read; send it again at a steady pace."


class RangeNotSatisfiable(InvalidRequest):
    """An HTTP ``Range`` that starts past the end of the file (HTTP 416 with ``Content-Range``)."""

    code = 4160
    default_message = "The requested range starts past the end of the file."

    def __init__(self, size: int, message: str | None = None) -> None:
        super().__init__(message, data={"path": "Range", "size": size})
        self.size = size


class Forbidden(PromptreelError):
    """The token lacks a scope other than ``render`` (render maps to :class:`ExportBlocked`)."""

    code = 4030
    default_message = "This token does not have the scope needed for this call."


class NotFound(PromptreelError):
    code = 4040
    default_message = "Not found."


class SessionBusy(PromptreelError):
    code = 4090
    default_message = "A turn is already running in this session; wait for it to finish."


class GenerationFailed(PromptreelError):
    code = 5001
    default_message = "Generation failed. Nothing was charged; please try again."


class RenderFailed(PromptreelError):
    code = 5002
    default_message = "The render failed. Retry the export with a new id."


class UpstreamError(PromptreelError):
    code = 5020
    default_message = "An upstream service (LLM or URL fetch) failed."


class StorageFull(PromptreelError):
    """The disk (or the database's storage) is full: nothing was saved. Never names a path."""

    code = 5070
    default_message = "The server's storage is full, so nothing was saved. Try again later."


class InternalError(PromptreelError):
    code = 5000


def _all_subclasses(cls: type[PromptreelError]) -> list[type[PromptreelError]]:
    out: list[type[PromptreelError]] = []
    for sub in cls.__subclasses__():
        out.append(sub)
        out.extend(_all_subclasses(sub))
    return out


ERROR_CODES: dict[int, type[PromptreelError]] = {c.code: c for c in _all_subclasses(PromptreelError)}


def error_for_code(code: int, message: str, data: dict[str, Any] | None = None) -> PromptreelError:
    """Rebuild the exception for a protocol code (used by the client SDK)."""
    cls = ERROR_CODES.get(code, PromptreelError)
    if cls is InvalidDraft:
        return InvalidDraft(message, data=data)
    if cls is RangeNotSatisfiable:
        return RangeNotSatisfiable(int((data or {}).get("size", 0)), message)
    err = cls(message, data=data)
    return err
