"""What one account may open: at most ``projects_per_hour`` new projects (sessions and copies)
per hour and ``max_projects`` kept at once. Past either → 429 with ``Retry-After``: a client
that creates projects in a loop stops, and nothing is made for the refused request."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from promptreel.errors import RateLimited
from promptreel.settings import Settings
from promptreel.storage import quotas
from promptreel.storage.ids import utcnow

__all__ = ["check_new_project"]

_HOUR_S = 3600


def check_new_project(s: Session, settings: Settings, user_id: str) -> None:
    """Refuse (429) a new project for ``user_id`` past its limits; call in the transaction that
    creates it (the account's row is held until it ends)."""
    quotas.lock_user(s, user_id)
    now = utcnow()
    opened, oldest = quotas.projects_opened(s, user_id, now - timedelta(seconds=_HOUR_S))
    if opened >= settings.projects_per_hour:
        wait = max(1, int(((oldest or now) + timedelta(seconds=_HOUR_S) - now).total_seconds()))
        raise RateLimited(
            f"Too many new projects (at most {settings.projects_per_hour} per hour). "
            "Keep working in an open project, or retry later.",
            retry_after=wait,
            data={"retry_after": wait, "limit": settings.projects_per_hour},
        )
    if quotas.projects_kept(s, user_id) >= settings.max_projects:
        raise RateLimited(
            f"This account has {settings.max_projects} projects, the most it can keep. "
            "Delete projects you no longer need to make new ones.",
            retry_after=_HOUR_S,
            data={"retry_after": _HOUR_S, "limit": settings.max_projects},
        )
