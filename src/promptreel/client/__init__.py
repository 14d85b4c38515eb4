"""The client side of the skill: SDK (sync and async), chat, routing, draft diff.

from promptreel.client import Client

with Client("http://127.0.0.1:8000") as c:
    s = c.create_session()
    for item in c.turn(s.session_id, "a 20-second video about tea"):
        ...
"""

from promptreel.client.config import SKILL_VERSION, ChatSettings, ClientConfig, load_config
from promptreel.client.models import (
    AnonymousToken,
    Balance,
    ClaimToken,
    Heartbeat,
    Media,
    RenderJob,
    RenderOutput,
    SessionInfo,
    SessionState,
    StreamDropped,
    TurnEvent,
    TurnInterrupted,
)
from promptreel.client.sdk import AsyncClient, AsyncTurnStream, Client, TurnStream

__all__ = [
    "SKILL_VERSION",
    "AnonymousToken",
    "AsyncClient",
    "AsyncTurnStream",
    "Balance",
    "ChatSettings",
    "ClaimToken",
    "Client",
    "ClientConfig",
    "Heartbeat",
    "Media",
    "RenderJob",
    "RenderOutput",
    "SessionInfo",
    "SessionState",
    "StreamDropped",
    "TurnEvent",
    "TurnInterrupted",
    "TurnStream",
    "load_config",
]
