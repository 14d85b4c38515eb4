"""The statements every request reads with, compiled once before the first request.

SQLAlchemy compiles a statement the first time it runs and keeps it; run at start with an id
that matches nothing, these reads cost the first requests after start nothing extra.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from promptreel.storage import credits, media, renders, sessions, tokens, turns, users

__all__ = ["reads"]

_NONE = "-warm-up-"


def reads(s: Session) -> None:
    """Run the hot reads (authentication, a session's state, a turn's stream) once, finding nothing."""
    tokens.by_hash(s, _NONE)
    tokens.bearer(s, _NONE)
    users.get(s, _NONE)
    sessions.get(s, _NONE)
    sessions.with_bind_id(s, _NONE)
    sessions.version_tree(s, _NONE)
    sessions.draft_json(s, _NONE, 1)
    sessions.turn_statuses(s, _NONE)
    sessions.turns_with_events(s, [_NONE])
    media.for_session(s, _NONE)
    renders.for_session(s, _NONE)
    renders.by_render_id(s, _NONE, _NONE)
    turns.get(s, _NONE)
    turns.turn_of_event(s, _NONE, 0)
    turns.events_after(s, _NONE, 0)
    turns.claimable(s)
    credits.balance(s, _NONE)
