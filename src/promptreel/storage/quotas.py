"""How much one account holds or opened lately (projects), read under the account's lock."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from promptreel.storage.models import StudioSession, User

__all__ = ["lock_user", "projects_opened", "projects_kept"]


def lock_user(s: Session, user_id: str) -> None:
    """Hold the account's row until the transaction ends (PostgreSQL; SQLite writes one at a
    time anyway): two requests counting and adding for one account take turns."""
    s.execute(select(User.id).where(User.id == user_id).with_for_update())


def projects_opened(s: Session, user_id: str, since: datetime) -> tuple[int, datetime | None]:
    """Projects the account opened since ``since`` (deleted ones too) and the oldest such moment."""
    q = select(func.count(), func.min(StudioSession.created_at)).where(
        StudioSession.user_id == user_id, StudioSession.created_at >= since
    )
    count, oldest = s.execute(q).one()
    return int(count or 0), oldest


def projects_kept(s: Session, user_id: str) -> int:
    """Projects the account has (deleted ones not counted)."""
    q = select(func.count()).where(StudioSession.user_id == user_id, StudioSession.deleted_at.is_(None))
    return int(s.execute(q).scalar() or 0)
