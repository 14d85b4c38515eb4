"""Projects: create a task with its agent session; read its state."""

from __future__ import annotations

from fastapi import APIRouter

from promptreel.api.deps import Attribution, BaseUrl, Credentials, ServicesDep, WriteUser, one_read
from promptreel.api.errors import responses
from promptreel.api.routes.common import EnvelopeJSON, ok, state_of
from promptreel.errors import AuthError, Forbidden, RateLimited, SessionNotFound
from promptreel.wire import CreateSessionRequest, Envelope, SessionCreated, SessionState

router = APIRouter(tags=["sessions"])


@router.post(
    "/api/tasks/me/with-session/{app_name}",
    response_model=Envelope[SessionCreated],
    responses=responses(AuthError, Forbidden, RateLimited),
    summary="Create a project (task + agent session)",
    description="`app_name` is `nemo_agent`. Returns `task_id`, `session_id` and `bind_id` (for the registration "
    "link). Needs scope `write`. One account opens at most `projects_per_hour` (200) projects per hour and keeps "
    "at most `max_projects` (5000); past either → 429 with `Retry-After`.",
)
def create_session(
    app_name: str, body: CreateSessionRequest, p: WriteUser, services: ServicesDep, attribution: Attribution
) -> Envelope[SessionCreated]:
    return ok(services.sessions.create(p.user_id, body.task_name, body.language, attribution))


@router.get(
    "/api/state/{app_name}/me/{session_id}/latest",
    response_model=Envelope[SessionState],
    responses=responses(AuthError, Forbidden, SessionNotFound),
    summary="The session's current state: draft (compact JSON), uploads, canvas, exports",
    description="`state.draft` is the timeline in the compact format (`t` tracks, `tt` type 0 video / 1 audio / 7 "
    "text, `sg` segments, `d` duration ms, `m` metadata). A draft is ready for export when some track has "
    "segments. Needs scope `read`.",
)
async def state(
    app_name: str, session_id: str, services: ServicesDep, base: BaseUrl, authorization: Credentials
) -> EnvelopeJSON[Envelope[SessionState]]:
    # the app's most frequent read (clients poll it while turns run): one thread hop, one transaction
    def read() -> EnvelopeJSON[Envelope[SessionState]]:
        p = services.auth.authenticate(authorization)
        services.auth.require(p, "read")
        info = services.sessions.owned(p.user_id, session_id)
        return EnvelopeJSON(ok(state_of(services, info, base)))

    return await one_read(services, read)
