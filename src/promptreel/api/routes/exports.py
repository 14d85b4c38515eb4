"""Projects for video editors: export the draft as a zip (OTIO, FCP X / FCP 7 XML, EDL or a
CapCut / JianYing draft with its media), poll it like a render, download it by a signed link."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse

from promptreel.api.cookies import authorization_of
from promptreel.api.deps import Attribution, BaseUrl, RenderUser, ServicesDep
from promptreel.api.errors import responses
from promptreel.api.ranges import check_range
from promptreel.api.routes.common import render_envelope
from promptreel.errors import (
    AuthError,
    ExportBlocked,
    Forbidden,
    InvalidDraft,
    InvalidRequest,
    NotFound,
    RangeNotSatisfiable,
    SessionNotFound,
)
from promptreel.service.renders import check_attribution
from promptreel.wire import ProjectExportRequest, RenderStatusEnvelope

router = APIRouter(tags=["render"])


@router.post(
    "/api/project/export",
    response_model=RenderStatusEnvelope,
    response_model_exclude_unset=True,
    responses=responses(AuthError, ExportBlocked, SessionNotFound, InvalidDraft, InvalidRequest),
    summary="Export a project for a video editor (free; idempotent on id)",
    description="Body `{sessionId, format, quality?, id?, draft?}`. `format`: `otio`, `fcpxml` (Final Cut Pro X), "
    "`fcp7` (Premiere, DaVinci Resolve), `edl` (CMX 3600) or `jianying` (CapCut / 剪映); an editor's name works "
    'too ("premiere", "davinci", "capcut", "剪映"), an unknown one is 4003 naming the formats. The session\'s '
    "current draft is exported unless `draft` is given. A job like a render: poll it at "
    "`/api/render/proxy/lambda/{id}`; when `completed`, `output.url` is a signed, expiring link to the zip "
    "(the project file, one clip per scene, the narration and music as WAV, captions as SRT; relative paths). "
    "Same scope, attribution and credits rules as the MP4 export.",
)
def export_project(
    body: ProjectExportRequest,
    request: Request,
    p: RenderUser,
    services: ServicesDep,
    base: BaseUrl,
    attribution: Attribution,
) -> RenderStatusEnvelope:
    from promptreel.service.projects import format_of

    check_attribution(request.headers, services.settings.require_attribution)
    fmt = format_of(body.format)
    render_id = body.id or f"project_{time.time_ns() // 1_000_000}"
    data = services.renders.submit(
        p.user_id, render_id, body.session_id, body.draft, fmt, body.quality, attribution
    )
    return render_envelope(base, data)


@router.get(
    "/api/project/{render_id}/download",
    response_class=FileResponse,
    responses={
        200: {
            "description": "the project zip (HTTP Range supported: 206 Partial Content)",
            "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
        },
        206: {
            "description": "the requested part of the zip (`Range: bytes=a-b`)",
            "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
        },
        **responses(AuthError, Forbidden, NotFound, RangeNotSatisfiable),
    },
    summary="Download an exported project",
    description="The signed query from `output.url` (`job`, `exp`, `sig`; no Authorization needed) or a bearer "
    "token with scope `read`. `Range: bytes=a-b` → 206; a malformed Range → 4000, one past the end → 4160.",
)
def download_project(
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
    if f.media_type != "application/zip":  # an MP4 export downloads from the render route, not here
        raise NotFound(
            f"{render_id} is not a project export; its file is at /api/render/proxy/lambda/{render_id}."
        )
    check_range(request.headers.get("range"), f.path.stat().st_size, request.headers.get("if-range"))
    return FileResponse(f.path, media_type=f.media_type, filename=f.filename)


# HEAD: the GET's headers without its body, under the same checks (not in the schema)
router.add_api_route(
    "/api/project/{render_id}/download",
    download_project,
    methods=["HEAD"],
    response_class=FileResponse,
    include_in_schema=False,
    name="download_project_head",
)
