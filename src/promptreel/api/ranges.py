"""HTTP ``Range`` on downloads, judged before the file is sent so a bad one is the envelope.

The file response parses ``Range`` itself and would answer a malformed one with a plain-text 400;
:func:`check_range` runs the same parser first and raises instead: a malformed range → 4000
(HTTP 422, ``data.path: "Range"``), one that starts past the end → 4160 (HTTP 416, with
``Content-Range: bytes */<size>``).
"""

from __future__ import annotations

from starlette.responses import FileResponse, MalformedRangeHeader
from starlette.responses import RangeNotSatisfiable as _Unsatisfiable

from promptreel.errors import InvalidRequest, RangeNotSatisfiable

__all__ = ["check_range"]


def check_range(value: str | None, size: int, if_range: str | None = None) -> None:
    """Refuse a ``Range`` header the file response could not serve (no-op without one)."""
    if value is None or if_range is not None:  # with If-Range a mismatch means "send it all"
        return
    try:
        FileResponse._parse_range_header(value, size)
    except MalformedRangeHeader as exc:
        raise InvalidRequest(
            f"Invalid request: Range: {exc.content} Send e.g. 'Range: bytes=0-1023'.", data={"path": "Range"}
        ) from None
    except _Unsatisfiable:
        raise RangeNotSatisfiable(
            size, f"The requested range starts past the end of the file ({size} bytes)."
        ) from None
