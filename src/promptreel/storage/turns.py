"""Agent turns and their persisted SSE events (ids monotonic within the session)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
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
    "events_after",
    "finish",
    "last_seq",
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


def append_event(s: Session, session_id: str, turn_id: str, payload_for_seq: object) -> int:
    """Take the next session sequence number and store the event built for it.

    ``payload_for_seq`` is a callable ``seq -> str`` (the JSON carries its own id).
    """
    row = s.scalars(select(StudioSession).where(StudioSession.id == session_id).with_for_update()).one()
    seq = row.event_seq + 1
    row.event_seq = seq
    payload = payload_for_seq(seq)  # type: ignore[operator]
    s.add(TurnEvent(session_id=session_id, turn_id=turn_id, seq=seq, payload=payload, created_at=utcnow()))
    s.execute(update(Turn).where(Turn.id == turn_id, Turn.first_event == 0).values(first_event=seq))
    s.flush()
    return seq


def events_after(s: Session, turn_id: str, after: int, limit: int = 500) -> list[TurnEvent]:
    q = (
        select(TurnEvent)
        .where(TurnEvent.turn_id == turn_id, TurnEvent.seq > after)
        .order_by(TurnEvent.seq)
        .limit(limit)
    )
    return list(s.scalars(q))


def last_seq(s: Session, turn_id: str) -> int:
    q = select(TurnEvent.seq).where(TurnEvent.turn_id == turn_id).order_by(TurnEvent.seq.desc()).limit(1)
    return int(s.execute(q).scalar() or 0)


def finish(s: Session, turn_id: str, status: str, error: str = "") -> bool:
    """``running`` → ``status`` exactly once (a late worker after a timeout gets ``False``)."""
    res = s.execute(
        update(Turn)
        .where(Turn.id == turn_id, Turn.status == "running")
        .values(status=status, error=error[:2000], finished_at=utcnow())
    )
    return bool(res.rowcount)  # type: ignore[attr-defined]
