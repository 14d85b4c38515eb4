"""Uploads into a session: multipart ``files`` (streamed to disk) or JSON ``{urls}``."""

from __future__ import annotations

import anyio
from fastapi import APIRouter, Request
from pydantic import ValidationError

from promptreel.api.deps import Attribution, ServicesDep, UploadUser
from promptreel.api.errors import responses
from promptreel.api.routes.common import ok
from promptreel.errors import (
    AuthError,
    FileTooLarge,
    Forbidden,
    InvalidRequest,
    RateLimited,
    SessionNotFound,
    UnsupportedFile,
    UpstreamError,
)
from promptreel.service.uploads import ACCEPTED
from promptreel.wire import Envelope, UploadResult, UrlUploadRequest

router = APIRouter(tags=["uploads"])

_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "files": {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                            "minItems": 1,
                            "maxItems": 20,
                        }
                    },
                    "required": ["files"],
                }
            },
            "application/json": {"schema": UrlUploadRequest.model_json_schema()},
        },
    }
}


@router.post(
    "/api/upload-video/{app_name}/me/{session_id}",
    response_model=Envelope[UploadResult],
    responses=responses(
        AuthError, Forbidden, SessionNotFound, UnsupportedFile, FileTooLarge, RateLimited, UpstreamError
    ),
    summary="Upload media (multipart files or URLs)",
    description="Multipart field `files` (one or more; streamed to disk, never held in memory) or JSON "
    f'`{{"urls": [...], "source_type": "url"}}`. Accepted, judged by content: {", ".join(ACCEPTED)}. '
    "Too large → 4002 (the partial file is removed); other types, empty or corrupt files → 4001. URL uploads fetch "
    "only public http(s) addresses (loopback, private, link-local and redirects to them are refused with 4000), "
    "with size and total-time limits, and at most a few in progress per user and per server (more → 429). "
    "All files of one request are stored, or none. Needs scope `upload`.",
    openapi_extra=_BODY,
)
async def upload(
    app_name: str,
    session_id: str,
    request: Request,
    p: UploadUser,
    services: ServicesDep,
    attribution: Attribution,
) -> Envelope[UploadResult]:
    info = await anyio.to_thread.run_sync(services.sessions.owned, p.user_id, session_id)
    ctype = request.headers.get("content-type", "")
    if ctype.startswith("application/json"):
        raw = b""
        async for chunk in request.stream():
            raw += chunk
            if len(raw) > 64 * 1024:
                raise InvalidRequest("The JSON body is too large (at most 64 KB).")
        try:
            body = UrlUploadRequest.model_validate_json(raw)
        except ValidationError as exc:
            first = exc.errors()[0]
            loc = ".".join(str(x) for x in first["loc"]) or "body"
            raise InvalidRequest(f"Invalid request: {loc}: {first['msg']}", data={"path": loc}) from None
        files = await services.uploads.from_urls(p.user_id, info.id, body.urls, attribution)
    else:
        files = await services.uploads.from_multipart(
            p.user_id, info.id, ctype, request.stream(), attribution
        )
    return ok(UploadResult(files=files))
