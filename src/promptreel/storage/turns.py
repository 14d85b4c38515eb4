"""Agent turns and their persisted SSE events (ids monotonic within the session).

A ``running`` turn is also a job: a worker claims it (``SELECT … FOR UPDATE SKIP LOCKED``
on PostgreSQL, the write lock on SQLite) for ``lease_s`` seconds and keeps the lease alive with
:func:`heartbeat`; a turn whose lease ran out (its worker died) is claimed again by another.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, NamedTuple, cast

from sqlalchemy import Table, bindparam, insert, or_, select, update
from sqlalchemy.orm import Session

from promptreel.storage.ids import utcnow
from promptreel.storage.models import StudioSession, Turn, TurnEvent

__all__ = [
    "create",
    "get",
    "running",
    "latest",
    "turn_of_event",
    "append_event",
    "Event",
    "events_after",
    "finish",
    "last_seq",
    "claim",
    "claimable",
    "heartbeat",
    "holds",
]


def create(
    s: Session,
    *,
    turn_id: str,
    session_id: str,
    user_id: str,
    message: str,
    kind: str,
    cost: int,
    reservation_id: str | None,
    deadline_at: datetime,
    attribution: str = "{}",
) -> Turn:
    row = Turn(
        id=turn_id,
        session_id=session_id,
        user_id=user_id,
        message=message,
        kind=kind,
        status="running",
        cost=cost,
        reservation_id=reservation_id,
        first_event=0,
        error="",
        attribution=attribution,
        created_at=utcnow(),
        deadline_at=deadline_at,
    )
    s.add(row)
    s.flush()
    return row


def get(s: Session, turn_id: str) -> Turn | None:
    return s.get(Turn, turn_id)


def running(s: Session) -> list[Turn]:
    return list(s.scalars(select(Turn).where(Turn.status == "running")))


def latest(s: Session, session_id: str) -> Turn | None:
    q = select(Turn).where(Turn.session_id == session_id).order_by(Turn.created_at.desc()).limit(1)
    return s.scalars(q).first()


def turn_of_event(s: Session, session_id: str, seq: int) -> str | None:
    q = select(TurnEvent.turn_id).where(TurnEvent.session_id == session_id, TurnEvent.seq == seq)
    return s.execute(q).scalar()


_SESSIONS = cast(Table, StudioSession.__table__)
_TURNS = cast(Table, Turn.__table__)
# an event is written for every step of every turn: its statements are built once, and plain
# (no unit of work to flush); taking the next number locks the session's row, so concurrent
# writers of one session take numbers one after the other
_NEXT_SEQ = (
    update(_SESSIONS)
    .where(_SESSIONS.c.id == bindparam("session_id"))
    .values(event_seq=_SESSIONS.c.event_seq + 1)
    .returning(_SESSIONS.c.event_seq)
)
_ADD_EVENT = insert(cast(Table, TurnEvent.__table__))
_FIRST_EVENT = (
    update(_TURNS)
    .where(_TURNS.c.id == bindparam("turn_id"), _TURNS.c.first_event == 0)
    .values(first_event=bindparam("seq"))
)
_HOLDS = select(_TURNS.c.id).where(
    _TURNS.c.id == bindparam("turn_id"),
    _TURNS.c.status == "running",
    _TURNS.c.lease_owner == bindparam("owner"),
)


def append_event(s: Session, session_id: str, turn_id: str, payload_for_seq: object) -> int:
    """Take the next session sequence number and store the event built for it.

    ``payload_for_seq`` is a callable ``seq -> str`` (the JSON carries its own id).
    """
    s.flush()  # the plain statements below see what this transaction's objects changed
    seq = int(s.execute(_NEXT_SEQ, {"session_id": session_id}).scalar_one())
    payload = payload_for_seq(seq)  # type: ignore[operator]
    s.execute(
        _ADD_EVENT,
        {
            "session_id": session_id,
            "turn_id": turn_id,
            "seq": seq,
            "payload": payload,
            "created_at": utcnow(),
        },
    )
    s.execute(_FIRST_EVENT, {"turn_id": turn_id, "seq": seq})
    return seq


class Event(NamedTuple):
    seq: int
    payload: str


_EVENTS = cast(Table, TurnEvent.__table__)
_EVENTS_AFTER = (
    select(_EVENTS.c.seq, _EVENTS.c.payload)
    .where(_EVENTS.c.turn_id == bindparam("turn_id"), _EVENTS.c.seq > bindparam("after"))
    .order_by(_EVENTS.c.seq)
    .limit(bindparam("limit"))
)


def events_after(s: Session, turn_id: str, after: int, limit: int = 500) -> list[Event]:
    """The turn's events after ``after``, in order (every live stream reads them as they come)."""
    rows = s.execute(_EVENTS_AFTER, {"turn_id": turn_id, "after": after, "limit": limit})
    return [Event(int(seq), str(payload)) for seq, payload in rows]


def last_seq(s: Session, turn_id: str) -> int:
    q = select(TurnEvent.seq).where(TurnEvent.turn_id == turn_id).order_by(TurnEvent.seq.desc()).limit(1)
    return int(s.execute(q).scalar() or 0)


def finish(s: Session, turn_id: str, status: str, error: str = "", *, owner: str | None = None) -> bool:
    """``running`` → ``status`` exactly once (a late worker after a timeout gets ``False``).

    With ``owner``, only while that worker still holds the turn's lease.
    """
    q = update(Turn).where(Turn.id == turn_id, Turn.status == "running")
    if owner is not None:
        q = q.where(Turn.lease_owner == owner)
    res = s.execute(
        q.values(status=status, error=error[:2000], finished_at=utcnow(), lease_owner=None, lease_until=None)
    )
    return bool(res.rowcount)  # type: ignore[attr-defined]


def _free(now: datetime) -> Any:
    return or_(Turn.lease_until.is_(None), Turn.lease_until < now)


def claimable(s: Session) -> bool:
    """Whether some running turn waits for a worker (a read: no lock taken)."""
    q = select(Turn.id).where(Turn.status == "running", _free(utcnow())).limit(1)
    return s.execute(q).first() is not None


def claim(s: Session, owner: str, lease_s: float) -> Turn | None:
    """Take the oldest running turn that no live worker holds; its ``attempts`` counts the claims."""
    now = utcnow()
    free = _free(now)
    q = (
        select(Turn)
        .where(Turn.status == "running", free)
        .order_by(Turn.created_at, Turn.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    t = s.scalars(q).first()
    if t is None:
        return None
    res = s.execute(
        update(Turn)
        .where(Turn.id == t.id, Turn.status == "running", free)
        .values(lease_owner=owner, lease_until=now + timedelta(seconds=lease_s), attempts=Turn.attempts + 1)
    )
    if res.rowcount != 1:  # type: ignore[attr-defined]
        return None
    s.refresh(t)
    return t


def heartbeat(s: Session, owner: str, lease_s: float) -> int:
    """Extend every lease ``owner`` holds; returns how many turns it holds."""
    res = s.execute(
        update(Turn)
        .where(Turn.lease_owner == owner, Turn.status == "running")
        .values(lease_until=utcnow() + timedelta(seconds=lease_s))
    )
    return int(res.rowcount)  # type: ignore[attr-defined]


def holds(s: Session, turn_id: str, owner: str) -> bool:
    """Whether ``owner`` still holds the running turn (a worker that lost its lease must stop)."""
    return s.execute(_HOLDS, {"turn_id": turn_id, "owner": owner}).first() is not None
