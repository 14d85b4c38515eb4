"""``/run_sse``: one agent turn, streamed as Server-Sent Events."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Request
from sse_starlette.sse import EventSourceResponse, ServerSentEvent

from promptreel.api.deps import Attribution, BaseUrl, ServicesDep, WriteUser
from promptreel.api.errors import responses
from promptreel.api.streamslots import held
from promptreel.errors import AuthError, Forbidden, NoCredits, RateLimited, SessionBusy, SessionNotFound
from promptreel.service.core import Services
from promptreel.service.turns import TurnHandle
from promptreel.wire import RunSSERequest

router = APIRouter(tags=["agent"])

_DESCRIPTION = """
Runs one agent turn and streams it as SSE (`Accept: text/event-stream`). Each message has an
`id:` (an integer, monotonic within the session and so within the turn) and a JSON `data:`:

`{"id", "invocation_id", "author": "nemo_agent", "content": {"role": "model", "parts": [...]},
"partial", "turn_complete", "timestamp"}` — parts are `{"text"}`, `{"function_call": {"id","name","args"}}`
or `{"function_response": {"id","name","response"}}`.

* **Generation** (the first message of a session, or "make/generate/create a … video"; costs
  `cost_generate`): `generate_raw_cut` (stage 1: scenes, visuals, narration) then `add_post_production`
  (stage 2: music, title, captions), each a function_call/function_response pair, then a text reply.
  Each stage is saved as a new draft version (see the state endpoint).
* **Edit** (any other message; costs `cost_edit` when the draft changes — questions are free): the
  agent's tool calls, then a text reply.
* **undo / redo** (撤销 / 重做): free, moves through the stored draft history.
* Heartbeats: an SSE comment (`: ping`) at least every `heartbeat_s` (≤ 15 s) seconds.
* The last event has `turn_complete: true`, then the stream closes. A failed turn's last event
  carries the reason as text and `error_code`; its credits are released.
* The turn runs server-side whatever happens to the connection. **Resume** a dropped stream by
  sending the same request with header `Last-Event-ID: <last id received>`: exactly the missed
  events follow. Re-sending the running turn's own message attaches to it from the start.
* **Busy**: a different message while a turn runs is refused with HTTP 409, code 4090, and
  `data.turn_id`; nothing is started or charged.
* **Open streams**: one account holds at most `streams_per_user` (64) streams open at once; one
  more is refused with HTTP 429, code 429, `Retry-After` (nothing started or charged).
* Errors before the stream starts (1001, 1002, 2001, 4090, 4000, 429) are JSON envelopes.
"""


#: one SSE message (OpenAPI 3.1: the schema of a text/event-stream response describes each event)
_SSE_EVENT = {
    "type": "object",
    "properties": {
        "id": {
            "type": "string",
            "pattern": "^[0-9]+$",
            "description": "integer event id, monotonic in the session",
        },
        "event": {"type": "string", "description": "always the default, 'message'"},
        "data": {
            "type": "string",
            "contentMediaType": "application/json",
            "description": "JSON: {id, invocation_id, author, content: {role, parts}, partial, turn_complete, "
            "timestamp[, error_code]}",
        },
        "retry": {"type": "integer"},
    },
    "required": ["data"],
}


async def _events(services: Services, handle: TurnHandle) -> AsyncIterator[ServerSentEvent]:
    async for seq, payload in services.turns.stream(handle):
        yield ServerSentEvent(data=payload, id=str(seq))


@router.post(
    "/run_sse",
    responses={
        200: {
            "description": "text/event-stream of agent events (see above)",
            "content": {"text/event-stream": {"schema": _SSE_EVENT}},
        },
        **responses(AuthError, Forbidden, SessionNotFound, NoCredits, SessionBusy, RateLimited),
    },
    summary="Send a message to the agent; stream the turn (SSE)",
    description=_DESCRIPTION,
    response_class=EventSourceResponse,
)
def run_sse(
    request: Request,
    body: RunSSERequest,
    p: WriteUser,
    services: ServicesDep,
    base: BaseUrl,
    attribution: Attribution,
    last_event_id: Annotated[
        str,
        Header(
            alias="Last-Event-ID", pattern=r"^[0-9]*$", description="resume after this event id (an integer)"
        ),
    ] = "",
) -> EventSourceResponse:
    release = request.app.state.agent_streams.take(p.user_id)  # 429 past streams_per_user
    try:
        handle = services.turns.start(
            p.user_id,
            body.session_id,
            body.text(),
            web_base=base,
            last_event_id=last_event_id,
            attribution=attribution,
        )
    except BaseException:
        release()
        raise
    return EventSourceResponse(
        held(_events(services, handle), release),
        ping=min(15.0, services.settings.heartbeat_s),
        headers={"X-Turn-Id": handle.turn_id, "Cache-Control": "no-cache"},
    )
