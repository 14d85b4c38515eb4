"""Export: start a render, poll it, download the file (signed link or bearer; HTTP Range)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, StreamingResponse

from promptreel.api.cookies import authorization_of
from promptreel.api.deps import Attribution, BaseUrl, Credentials, RenderUser, ServicesDep, one_read
from promptreel.api.errors import responses
from promptreel.api.ranges import check_range
from promptreel.api.routes.common import EnvelopeJSON, render_envelope
from promptreel.api.streamslots import held
from promptreel.errors import (
    AuthError,
    ExportBlocked,
    Forbidden,
    InvalidDraft,
    NotFound,
    RangeNotSatisfiable,
    RateLimited,
    SessionNotFound,
)
from promptreel.service.render_stream import follow
from promptreel.service.renders import check_attribution
from promptreel.wire import RenderRequest, RenderStatusEnvelope

router = APIRouter(tags=["render"])


@router.post(
    "/api/render/proxy/lambda",
    response_model=RenderStatusEnvelope,
    response_model_exclude_unset=True,
    responses=responses(AuthError, ExportBlocked, SessionNotFound, InvalidDraft),
    summary="Start an export (free; idempotent on id)",
    description='Body `{id: "render_<ts>", sessionId, draft, output: {format: "mp4", quality: "high"}}`. The '
    "draft is validated (4003 with `data.path` naming the exact fault, e.g. `t[0].sg[1].s`); omit it to export the "
    "session's current draft. Needs scope `render` (402 without it) and, when `require_attribution` is on, the headers "
    "X-Skill-Source, X-Skill-Version, X-Skill-Platform (402 naming the missing one). The same `id` twice is the same "
    "job. One export per session runs at a time; others wait as `pending`.",
)
def start_render(
    body: RenderRequest,
    request: Request,
    p: RenderUser,
    services: ServicesDep,
    base: BaseUrl,
    attribution: Attribution,
) -> RenderStatusEnvelope:
    check_attribution(request.headers, services.settings.require_attribution)
    data = services.renders.submit(
        p.user_id, body.id, body.session_id, body.draft, body.output.format, body.output.quality, attribution
    )
    return render_envelope(base, data)


@router.get(
    "/api/render/proxy/lambda/{render_id}",
    response_model=RenderStatusEnvelope,
    response_model_exclude_unset=True,
    responses=responses(AuthError, Forbidden, NotFound),
    summary="Poll an export",
    description="`{id, status: pending|processing|completed|failed, progress: 0..1, output: {url, duration (ms), "
    "size (bytes)}, error}` — in `data` and also at the top level. `output.url` is a signed, expiring link "
    "(HMAC in the query) that downloads without an Authorization header.",
)
async def render_status(
    render_id: str, services: ServicesDep, base: BaseUrl, authorization: Credentials
) -> EnvelopeJSON[RenderStatusEnvelope]:
    # polled about once a second by every client waiting for an export: one thread hop, one transaction
    def read() -> EnvelopeJSON[RenderStatusEnvelope]:
        p = services.auth.authenticate(authorization)
        services.auth.require(p, "read")
        status = services.renders.status(p.user_id, render_id)
        if status.stream_url and status.stream_url.startswith("/"):
            status = status.model_copy(update={"stream_url": base + status.stream_url})
        return EnvelopeJSON(render_envelope(base, status), exclude_unset=True)

    return await one_read(services, read)


@router.get(
    "/api/render/proxy/{render_id}/stream",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "the preview as it renders: a fragmented MP4 sent as it is written (no Range)",
            "content": {"video/mp4": {"schema": {"type": "string", "format": "binary"}}},
        },
        **responses(AuthError, NotFound, RateLimited),
    },
    summary="Watch a preview while it renders",
    description="The signed link in a processing preview's `stream_url` (`job`, `exp`, `sig`). The body is "
    "the fragmented MP4 as the renderer writes it, ending when the render does; a player starts on the first "
    "finished fragment. Once the render has ended → 4040: use `output.url`. At most `streams_per_render` (16) "
    "viewers of one preview at once; one more → 429 with `Retry-After`.",
)
def stream(
    request: Request,
    render_id: str,
    services: ServicesDep,
    job: Annotated[str, Query(max_length=100)],
    exp: Annotated[str | None, Query(max_length=20)] = None,
    sig: Annotated[str | None, Query(max_length=128)] = None,
) -> StreamingResponse:
    handle, path = services.renders.streams.open(render_id, job, exp, sig)
    try:
        release = request.app.state.preview_streams.take(job)  # 429 past streams_per_render
    except BaseException:
        handle.close()
        raise
    return StreamingResponse(
        held(follow(handle, path), release), media_type="video/mp4", headers={"Cache-Control": "no-store"}
    )


@router.get(
    "/api/render/proxy/{render_id}/download",
    response_class=FileResponse,
    responses={
        200: {
            "description": "the MP4 (HTTP Range supported: 206 Partial Content)",
            "content": {"video/mp4": {"schema": {"type": "string", "format": "binary"}}},
        },
        206: {
            "description": "the requested part of the MP4 (`Range: bytes=a-b`)",
            "content": {"video/mp4": {"schema": {"type": "string", "format": "binary"}}},
        },
        **responses(AuthError, Forbidden, NotFound, RangeNotSatisfiable),
    },
    summary="Download a finished export",
    description="Either the signed query from `output.url` (`job`, `exp`, `sig`; no Authorization needed) or a "
    "bearer token with scope `read`. Supports `Range: bytes=a-b` (206); a malformed Range → 4000, one past "
    "the end → 4160 (HTTP 416, `Content-Range: bytes */<size>`).",
)
def download(
    render_id: str,
    request: Request,
    services: ServicesDep,
    job: Annotated[str | None, Query(max_length=100)] = None,
    exp: Annotated[str | None, Query(max_length=20)] = None,
    sig: Annotated[str | None, Query(max_length=128)] = None,
) -> FileResponse:
    if sig is not None or job is not None:
        f = services.renders.file_signed(render_id, job or "", exp, sig)
    else:
        p = services.auth.authenticate(authorization_of(request))
        services.auth.require(p, "read")
        f = services.renders.file_owned(p.user_id, render_id)
    if f.media_type != "video/mp4":  # a project zip downloads from its own route, with its own type
        raise NotFound(f"{render_id} is a project export; its file is at /api/project/{render_id}/download.")
    check_range(request.headers.get("range"), f.path.stat().st_size, request.headers.get("if-range"))
    return FileResponse(f.path, media_type=f.media_type, filename=f.filename)


# HEAD answers like GET without the body (Content-Length, Content-Type, Accept-Ranges), under the
# same checks, so download managers and `curl -I` can size the file first; kept out of the schema,
# which documents the GET
router.add_api_route(
    "/api/render/proxy/{render_id}/download",
    download,
    methods=["HEAD"],
    response_class=FileResponse,
    include_in_schema=False,
    name="download_head",
)
