"""Export jobs: a durable queue (``pending`` → ``processing`` → ``completed``/``failed``).

A worker claims a job (``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL) with a lease it keeps
alive by :func:`heartbeat`; a ``processing`` job whose lease ran out is claimed again. One job per
session is processed at a time (the session row is locked while a claim checks that).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import and_, bindparam, case, func, or_, select, update
from sqlalchemy.orm import Session

from promptreel.storage.ids import new_id, utcnow
from promptreel.storage.models import Render, StudioSession

__all__ = [
    "create",
    "get",
    "by_render_id",
    "claim_next",
    "update_progress",
    "still_running",
    "finish",
    "requeue_processing",
    "for_session",
    "queue_position",
    "heartbeat",
]


def create(s: Session, **fields: Any) -> Render:
    row = Render(id=new_id("rj"), status="pending", progress=0.0, created_at=utcnow(), **fields)
    s.add(row)
    s.flush()
    return row


def get(s: Session, job_id: str) -> Render | None:
    return s.get(Render, job_id)


def by_render_id(s: Session, user_id: str, render_id: str) -> Render | None:
    return s.scalars(_BY_RENDER_ID, {"user_id": user_id, "render_id": render_id}).first()


_FOR_SESSION = select(Render).where(Render.session_id == bindparam("session_id")).order_by(Render.created_at)
_FOR_SESSION_IN = (
    select(Render)
    .where(Render.session_id == bindparam("session_id"), Render.status == bindparam("status"))
    .order_by(Render.created_at)
)
_BY_RENDER_ID = select(Render).where(
    Render.user_id == bindparam("user_id"), Render.render_id == bindparam("render_id")
)
_QUEUE_POSITION = select(func.count()).where(
    Render.status == "pending", Render.created_at < bindparam("before")
)


def for_session(s: Session, session_id: str, status: str | None = None) -> list[Render]:
    if status:
        return list(s.scalars(_FOR_SESSION_IN, {"session_id": session_id, "status": status}))
    return list(s.scalars(_FOR_SESSION, {"session_id": session_id}))


def queue_position(s: Session, job: Render) -> int:
    return int(s.execute(_QUEUE_POSITION, {"before": job.created_at}).scalar() or 0)


def claim_next(s: Session, owner: str = "", lease_s: float = 60.0) -> Render | None:
    """Move the oldest claimable job to ``processing`` for ``owner``: a pending one, or one whose
    worker's lease ran out, in a session where no other job is being processed. Previews go
    first: someone is watching the studio for them, and they take seconds."""
    now = utcnow()
    expired = or_(Render.lease_until.is_(None), Render.lease_until < now)
    claimable = or_(Render.status == "pending", and_(Render.status == "processing", expired))
    live = select(Render.session_id).where(Render.status == "processing", Render.lease_until >= now)
    q = (
        select(Render)
        .where(claimable, Render.session_id.not_in(live))
        .order_by(case((Render.quality == "preview", 0), else_=1), Render.created_at, Render.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    job = s.scalars(q).first()
    if job is None:
        return None
    # one job per session: claims in one session take turns on the session's row
    s.execute(select(StudioSession.id).where(StudioSession.id == job.session_id).with_for_update())
    other = select(Render.id).where(
        Render.session_id == job.session_id,
        Render.id != job.id,
        Render.status == "processing",
        Render.lease_until >= now,
    )
    if s.execute(other).first() is not None:
        return None
    res = s.execute(
        update(Render)
        .where(Render.id == job.id, claimable)
        .values(
            status="processing",
            started_at=utcnow(),
            attempts=Render.attempts + 1,
            progress=0.0,
            lease_owner=owner or None,
            lease_until=now + timedelta(seconds=lease_s),
        )
    )
    if res.rowcount != 1:  # type: ignore[attr-defined]
        return None
    s.refresh(job)
    return job


def heartbeat(s: Session, owner: str, lease_s: float) -> int:
    """Extend every lease ``owner`` holds; returns how many jobs it holds."""
    res = s.execute(
        update(Render)
        .where(Render.lease_owner == owner, Render.status == "processing")
        .values(lease_until=utcnow() + timedelta(seconds=lease_s))
    )
    return int(res.rowcount)  # type: ignore[attr-defined]


def _owned(job_id: str, owner: str | None) -> Any:
    cond = and_(Render.id == job_id, Render.status == "processing")
    return cond if owner is None else and_(cond, Render.lease_owner == owner)


def update_progress(
    s: Session, job_id: str, progress: float, stage: str, *, owner: str | None = None
) -> bool:
    """Record progress; False when the job is no longer ``processing`` (for ``owner``): stop it."""
    res = s.execute(
        update(Render)
        .where(_owned(job_id, owner))
        .values(progress=max(0.0, min(1.0, progress)), stage=stage[:64])
    )
    return bool(res.rowcount)  # type: ignore[attr-defined]


def still_running(s: Session, job_id: str, owner: str | None = None) -> bool:
    """Whether the job is still ``processing`` (for ``owner``) in a project that is not deleted."""
    q = (
        select(Render.id)
        .join(StudioSession, StudioSession.id == Render.session_id)
        .where(_owned(job_id, owner), StudioSession.deleted_at.is_(None))
    )
    return s.execute(q).first() is not None


def finish(s: Session, job_id: str, *, status: str, owner: str | None = None, **fields: Any) -> bool:
    """``processing`` → ``status`` once; with ``owner``, only while that worker holds the lease."""
    res = s.execute(
        update(Render)
        .where(_owned(job_id, owner))
        .values(status=status, finished_at=utcnow(), lease_owner=None, lease_until=None, **fields)
    )
    return bool(res.rowcount)  # type: ignore[attr-defined]


def requeue_processing(s: Session, max_attempts: int) -> tuple[int, int]:
    """At startup: jobs a dead process left ``processing`` are queued again, or failed after too many tries."""
    failed = s.execute(
        update(Render)
        .where(Render.status == "processing", Render.attempts >= max_attempts)
        .values(
            status="failed",
            error="The server stopped during this render too many times.",
            finished_at=utcnow(),
        )
    ).rowcount  # type: ignore[attr-defined]
    requeued = s.execute(
        update(Render)
        .where(Render.status == "processing")
        .values(status="pending", progress=0.0, stage="", lease_owner=None, lease_until=None)
    ).rowcount  # type: ignore[attr-defined]
    return int(requeued), int(failed)
