"""The core's errors carry no HTTP; one table in ``api/`` gives each protocol code its status."""

from __future__ import annotations

import promptreel.errors as E
from promptreel.api.status import HTTP_STATUS, http_status
from promptreel.errors import ERROR_CODES, PromptreelError

EXPECTED: dict[type[PromptreelError], int] = {
    E.MissingClientId: 400,
    E.AuthError: 401,
    E.SessionNotFound: 404,
    E.NoCredits: 402,
    E.ExportBlocked: 402,
    E.UnsupportedFile: 415,
    E.FileTooLarge: 413,
    E.RateLimited: 429,
    E.InvalidRequest: 422,
    E.InvalidDraft: 422,
    E.RangeNotSatisfiable: 416,
    E.Forbidden: 403,
    E.NotFound: 404,
    E.SessionBusy: 409,
    E.GenerationFailed: 500,
    E.RenderFailed: 500,
    E.UpstreamError: 502,
    E.StorageFull: 507,
    E.InternalError: 500,
}


def test_every_error_code_has_its_status_in_the_one_table() -> None:
    assert set(ERROR_CODES.values()) >= set(EXPECTED)
    for cls, status in EXPECTED.items():
        assert http_status(cls) == status, cls
        err = E.RangeNotSatisfiable(10) if cls is E.RangeNotSatisfiable else cls()
        assert http_status(err) == status, cls
        assert cls.code in HTTP_STATUS, cls
    assert all(not hasattr(cls, "http_status") for cls in ERROR_CODES.values())
    assert http_status(E.InvalidDraft("x", path="t")) == 422 and http_status(9999) == 500
