"""Anonymous tokens, claim tokens, and the read-only claimed project for the studio."""

from __future__ import annotations

from fastapi import APIRouter, Request

from promptreel.api.deps import Attribution, BaseUrl, ClientIp, ReadWriteUser, ServicesDep
from promptreel.api.errors import responses
from promptreel.api.routes.common import ok, state_of
from promptreel.errors import (
    AuthError,
    Forbidden,
    InvalidRequest,
    MissingClientId,
    RateLimited,
    SessionNotFound,
)
from promptreel.wire import (
    CLIENT_ID_PATTERN,
    AnonymousToken,
    ClaimedProject,
    ClaimedRender,
    ClaimedState,
    ClaimToken,
    ClaimTokenRequest,
    Envelope,
    SessionState,
)

router = APIRouter(tags=["auth"])


@router.post(
    "/api/auth/anonymous-token",
    response_model=Envelope[AnonymousToken],
    responses=responses(MissingClientId, InvalidRequest, RateLimited),
    summary="Get an anonymous token (100 credits, 7 days)",
    description="Header `X-Client-Id` (a UUID the client persists; 1-200 visible ASCII characters) is required: "
    "400 without it, 4000 when it is not such an id. The same client id maps to the same anonymous user. One token "
    "per client id per 7 days: asking again while the token is valid answers 429 with `Retry-After` (seconds until "
    "it expires); an expired token is replaced by asking again. At most `tokens_per_ip` (10) tokens per IP address "
    "per 7 days. Only a hash of the token is stored.",
    # declared here rather than as a parameter so that a missing header is the protocol's 400, not a 4000
    openapi_extra={
        "parameters": [
            {
                "name": "X-Client-Id",
                "in": "header",
                "required": True,
                "description": "UUID identifying this client install (1-200 visible ASCII characters)",
                "schema": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": CLIENT_ID_PATTERN},
            }
        ]
    },
)
def anonymous_token(
    request: Request, services: ServicesDep, ip: ClientIp, attribution: Attribution
) -> Envelope[AnonymousToken]:
    client_id = request.headers.get("x-client-id")
    return ok(services.auth.anonymous_token(client_id, ip, attribution))


@router.post(
    "/api/auth/claim-token",
    response_model=Envelope[ClaimToken],
    responses=responses(AuthError, Forbidden, SessionNotFound),
    summary="Get a claim token that opens one project in the web studio",
    description="A claim token (`clm_…`, 7 days, reusable) opens only this project, read-only, at "
    "`/workspace/claim?ct=<claim_token>`; it has no API access. Needs scopes `read` (the link shows the "
    "project) and `write` (it creates the link); without either → 4030 naming the missing scope.",
)
def claim_token(
    body: ClaimTokenRequest, p: ReadWriteUser, services: ServicesDep, base: BaseUrl
) -> Envelope[ClaimToken]:
    return ok(services.auth.claim_token(p, body.task_id, body.session_id, base))


@router.get(
    "/api/claim/{claim_token}",
    response_model=Envelope[ClaimedProject],
    responses=responses(AuthError, SessionNotFound),
    summary="The project a claim token opens (read-only, for the web studio)",
    description="No Authorization header: the claim token in the path is the credential. Returns the project's "
    "state (draft, uploads, finished exports with signed download links) read-only, and no id that grants or "
    "names anything elsewhere: no `bind_id` (registration), `task_id` or `session_id`. Unknown or expired "
    "claim token → 1001.",
)
def claimed_project(claim_token: str, services: ServicesDep, base: BaseUrl) -> Envelope[ClaimedProject]:
    session_id = services.auth.open_claim(claim_token)
    info = services.sessions.get(session_id)
    return ok(claim_view(state_of(services, info, base)))


def claim_view(full: SessionState) -> ClaimedProject:
    """The read-only view of a project for its claim link, built from the owner's full state.

    The claim models are the allow-list: a new field of the owner's state stays private until it
    is added to :class:`ClaimedProject`, :class:`ClaimedState` or :class:`ClaimedRender` on purpose.
    """
    st = full.state
    return ClaimedProject(
        state=ClaimedState(
            draft=st.draft,
            # where a URL upload came from may carry its own credential (a pre-signed query): owner only
            video_infos=[m.model_copy(update={"source_url": None}) for m in st.video_infos],
            canvas_config=st.canvas_config,
            generated_media=[
                ClaimedRender(
                    type=r.type,
                    id=r.id,
                    status=r.status,
                    progress=r.progress,
                    output=r.output,
                    quality=r.quality,
                    created_at=r.created_at,
                    finished_at=r.finished_at,
                )
                for r in st.generated_media
            ],
        ),
        task_name=full.task_name,
        version=full.version,
        ready=full.ready,
        duration_ms=full.duration_ms,
        summary=full.summary,
        turn_running=full.turn_running,
        read_only=True,
    )
