"""Export jobs: a durable queue (``pending`` → ``processing`` → ``completed``/``failed``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from promptreel.storage.ids import new_id, utcnow
from promptreel.storage.models import Render

__all__ = [
    "create",
    "get",
    "by_render_id",
    "claim_next",
    "update_progress",
    "finish",
    "requeue_processing",
    "for_session",
    "queue_position",
]


def create(s: Session, **fields: Any) -> Render:
    row = Render(id=new_id("rj"), status="pending", progress=0.0, created_at=utcnow(), **fields)
    s.add(row)
    s.flush()
    return row


def get(s: Session, job_id: str) -> Render | None:
    return s.get(Render, job_id)


def by_render_id(s: Session, user_id: str, render_id: str) -> Render | None:
    return s.scalars(select(Render).where(Render.user_id == user_id, Render.render_id == render_id)).first()


def for_session(s: Session, session_id: str, status: str | None = None) -> list[Render]:
    q = select(Render).where(Render.session_id == session_id)
    if status:
        q = q.where(Render.status == status)
    return list(s.scalars(q.order_by(Render.created_at)))


def queue_position(s: Session, job: Render) -> int:
    q = select(Render.id).where(Render.status == "pending", Render.created_at < job.created_at)
    return len(list(s.execute(q)))


def claim_next(s: Session) -> Render | None:
    """Move the oldest pending job whose session has nothing processing to ``processing``."""
    busy = select(Render.session_id).where(Render.status == "processing")
    q = (
        select(Render)
        .where(Render.status == "pending", Render.session_id.not_in(busy))
        .order_by(Render.created_at, Render.id)
        .limit(1)
    )
    job = s.scalars(q).first()
    if job is None:
        return None
    res = s.execute(
        update(Render)
        .where(Render.id == job.id, Render.status == "pending")
        .values(status="processing", started_at=utcnow(), attempts=Render.attempts + 1, progress=0.0)
    )
    if res.rowcount != 1:  # type: ignore[attr-defined]
        return None
    s.refresh(job)
    return job


def update_progress(s: Session, job_id: str, progress: float, stage: str) -> None:
    s.execute(
        update(Render)
        .where(Render.id == job_id, Render.status == "processing")
        .values(progress=max(0.0, min(1.0, progress)), stage=stage[:64])
    )


def finish(s: Session, job_id: str, *, status: str, **fields: Any) -> bool:
    res = s.execute(
        update(Render)
        .where(Render.id == job_id, Render.status == "processing")
        .values(status=status, finished_at=utcnow(), **fields)
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
        update(Render).where(Render.status == "processing").values(status="pending", progress=0.0, stage="")
    ).rowcount  # type: ignore[attr-defined]
    return int(requeued), int(failed)
