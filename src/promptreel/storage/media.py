"""Uploaded media: one row per upload, the bytes in the blob store."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from promptreel.storage.ids import new_id, utcnow
from promptreel.storage.models import Media

__all__ = ["create", "get", "for_session", "by_blob"]


def create(s: Session, **fields: Any) -> Media:
    row = Media(id=new_id("med"), created_at=utcnow(), **fields)
    s.add(row)
    s.flush()
    return row


def get(s: Session, media_id: str) -> Media | None:
    return s.get(Media, media_id)


_FOR_SESSION = select(Media).where(Media.session_id == bindparam("session_id")).order_by(Media.created_at)


def for_session(s: Session, session_id: str) -> list[Media]:
    return list(s.scalars(_FOR_SESSION, {"session_id": session_id}))


def by_blob(s: Session, user_id: str, blob: str) -> Media | None:
    return s.scalars(select(Media).where(Media.user_id == user_id, Media.blob == blob)).first()
