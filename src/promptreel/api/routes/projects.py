"""The user's projects: list, open, rename, duplicate, delete; their stills (poster, per-scene
thumbnails, upload pictures); a photo's fit or fill on the timeline.

Every route is owner-only: another user's project answers 1002 (HTTP 404), exactly like one that
does not exist, as PROTOCOL.md says for sessions.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Annotated, Any

import anyio
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from promptreel.api.deps import ReadUser, ServicesDep, WriteUser
from promptreel.api.errors import responses
from promptreel.api.routes.common import ok
from promptreel.errors import (
    AuthError,
    Forbidden,
    InvalidRequest,
    NotFound,
    RateLimited,
    SessionBusy,
    SessionNotFound,
)
from promptreel.service.core import Services
from promptreel.wire import (
    Deleted,
    Duplicated,
    DuplicateRequest,
    Envelope,
    FitRequest,
    FitResult,
    Project,
    ProjectList,
    RenameRequest,
)

if TYPE_CHECKING:
    from promptreel.service.stills import StillService

router = APIRouter(tags=["projects"])

_IMAGE: dict[int | str, dict[str, Any]] = {200: {"content": {"image/jpeg": {}}, "description": "a JPEG"}}


_stills_lock = threading.Lock()
_stills: dict[int, StillService] = {}


def _still_service(services: Services) -> StillService:
    from promptreel.service.stills import StillService  # the renderer loads on the first still

    with _stills_lock:
        svc = _stills.get(id(services))
        if svc is None:
            svc = StillService(services.sessions, services.uploads, services.settings)
            _stills[id(services)] = svc
        return svc


def _jpeg(data: bytes) -> Response:
    return Response(data, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=3600"})


@router.get(
    "/api/projects/me",
    response_model=Envelope[ProjectList],
    responses=responses(AuthError, Forbidden),
    summary="The caller's projects, the most recently changed first",
    description="Each with its name, the video's title, length, shape, the poster's moment and dates. Deleted "
    "projects are left out. Needs scope `read`.",
)
def list_projects(p: ReadUser, services: ServicesDep) -> Envelope[ProjectList]:
    return ok(ProjectList(projects=services.sessions.projects(p.user_id)))


@router.get(
    "/api/projects/me/{session_id}",
    response_model=Envelope[Project],
    responses=responses(AuthError, Forbidden, SessionNotFound),
    summary="One project",
    description="1002 when it does not exist, was deleted or is not yours. Needs scope `read`.",
)
def get_project(session_id: str, p: ReadUser, services: ServicesDep) -> Envelope[Project]:
    return ok(services.sessions.project(p.user_id, session_id))


@router.patch(
    "/api/projects/me/{session_id}",
    response_model=Envelope[Project],
    responses=responses(AuthError, Forbidden, SessionNotFound),
    summary="Rename a project",
    description="Body `{task_name}` (1-200 characters; spaces collapsed). Needs scope `write`.",
)
def rename_project(
    session_id: str, body: RenameRequest, p: WriteUser, services: ServicesDep
) -> Envelope[Project]:
    return ok(services.sessions.rename(p.user_id, session_id, body.task_name))


@router.post(
    "/api/projects/me/{session_id}/duplicate",
    response_model=Envelope[Duplicated],
    responses=responses(AuthError, Forbidden, SessionNotFound, RateLimited),
    summary="Duplicate a project",
    description="A new project (new `task_id` and `session_id`) holding the current draft and copies of the "
    "uploads; the conversation and the exports stay with the original. Free. Needs scope `write`. Counts "
    "toward the account's project limits (429 past them, as creating a project).",
)
def duplicate_project(
    session_id: str, p: WriteUser, services: ServicesDep, body: DuplicateRequest | None = None
) -> Envelope[Duplicated]:
    return ok(services.sessions.duplicate(p.user_id, session_id, body.task_name if body else ""))


@router.delete(
    "/api/projects/me/{session_id}",
    response_model=Envelope[Deleted],
    responses=responses(AuthError, Forbidden, SessionNotFound, SessionBusy),
    summary="Delete a project",
    description="The project disappears from the list, its state, uploads, renders and claim links (all 1002 "
    "afterwards). Refused with 4090 while a turn runs in it. Needs scope `write`.",
)
def delete_project(session_id: str, p: WriteUser, services: ServicesDep) -> Envelope[Deleted]:
    return ok(services.sessions.delete(p.user_id, session_id))


@router.post(
    "/api/projects/me/{session_id}/media-fit",
    response_model=Envelope[FitResult],
    responses=responses(AuthError, Forbidden, SessionNotFound, SessionBusy),
    summary="Fit or fill an upload on the timeline",
    description='Body `{media_id, fit: "cover" | "contain"}`: every media segment showing that upload gets '
    "`m.fit`; `cover` fills the frame (edges cropped), `contain` shows the whole picture. A change is a new draft "
    "version (undo takes it back); no change saves nothing. Free. Needs scope `write`.",
)
def media_fit(session_id: str, body: FitRequest, p: WriteUser, services: ServicesDep) -> Envelope[FitResult]:
    return ok(services.sessions.set_media_fit(p.user_id, session_id, body.media_id, body.fit))


def _moments(at: str) -> list[int | str]:
    out: list[int | str] = []
    for part in at.split(","):
        part = part.strip()
        if part == "poster":
            out.append(part)
            continue
        try:
            out.append(max(0, int(float(part))))
        except (ValueError, OverflowError):  # not a number, NaN, or infinite ("inf", "1e999")
            raise InvalidRequest(
                "at: milliseconds separated by commas, or 'poster'.", data={"path": "at"}
            ) from None
    return out


@router.get(
    "/api/projects/me/{session_id}/frames",
    responses={**_IMAGE, **responses(AuthError, Forbidden, SessionNotFound)},
    response_class=Response,
    summary="Frames of the current draft as one JPEG (poster, timeline thumbnails)",
    description="`at`: milliseconds separated by commas (at most 48), or `poster` for the representative "
    "frame (the middle of the first scene after the title card). The frames lie side by side, each `w` px "
    "wide (16-640) in the video's shape. Drawn by the export's renderer and cached. Needs scope `read`.",
)
async def frames(
    session_id: str,
    p: ReadUser,
    services: ServicesDep,
    at: Annotated[str, Query(max_length=1000)] = "poster",
    w: Annotated[int, Query(ge=16, le=640)] = 320,
) -> Response:
    moments = _moments(at)
    await anyio.to_thread.run_sync(services.sessions.owned, p.user_id, session_id)
    still = _still_service(services)
    data = await anyio.to_thread.run_sync(still.frames, p.user_id, session_id, moments, w)
    return _jpeg(data)


@router.get(
    "/api/projects/me/{session_id}/uploads/{media_id}/thumbnail",
    responses={**_IMAGE, **responses(AuthError, Forbidden, SessionNotFound, NotFound)},
    response_class=Response,
    summary="A small picture of an uploaded photo or video",
    description="JPEG, `w` px wide (16-640), the upload's shape; a video shows its frame at one second. Audio "
    "has none (4000). Needs scope `read`.",
)
async def upload_thumbnail(
    session_id: str,
    media_id: str,
    request: Request,
    p: ReadUser,
    services: ServicesDep,
    w: Annotated[int, Query(ge=16, le=640)] = 160,
) -> Response:
    await anyio.to_thread.run_sync(services.sessions.owned, p.user_id, session_id)
    still = _still_service(services)
    data = await anyio.to_thread.run_sync(still.upload, p.user_id, session_id, media_id, w)
    return _jpeg(data)
