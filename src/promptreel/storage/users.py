"""Users: anonymous ones keyed by client id, registered ones by username."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from promptreel.storage.ids import new_id, utcnow
from promptreel.storage.models import Balance, Media, Render, StudioSession, Token, Turn, User

__all__ = [
    "get",
    "by_client_id",
    "by_bind_id",
    "by_username",
    "by_username_folded",
    "create",
    "move_everything",
]


def get(s: Session, user_id: str) -> User | None:
    return s.get(User, user_id)


def by_client_id(s: Session, client_id: str) -> User | None:
    return s.scalars(select(User).where(User.client_id == client_id)).first()


def by_bind_id(s: Session, bind_id: str) -> User | None:
    return s.scalars(select(User).where(User.bind_id == bind_id)).first()


def by_username(s: Session, username: str) -> User | None:
    return s.scalars(select(User).where(User.username == username)).first()


def by_username_folded(s: Session, username: str) -> list[User]:
    """The accounts whose name equals ``username`` ignoring case (``Alice`` and ``alice`` look
    alike to people: one of them is all a server lets register)."""
    return list(s.scalars(select(User).where(func.lower(User.username) == username.lower()).limit(2)))


def create(
    s: Session,
    *,
    kind: str,
    client_id: str | None = None,
    username: str | None = None,
    password_hash: str | None = None,
) -> User:
    user = User(
        id=new_id("usr"),
        kind=kind,
        client_id=client_id,
        bind_id=new_id("bind", 10),
        username=username,
        password_hash=password_hash,
        created_at=utcnow(),
    )
    s.add(user)
    s.flush()
    s.add(Balance(user_id=user.id, available=0, frozen=0))
    s.flush()
    return user


def move_everything(s: Session, src: str, dst: str) -> None:
    """Give ``dst`` every project, upload, render, turn and token of ``src`` and mark ``src`` merged.

    Credits are moved separately through the ledger (``credits.transfer``).
    """
    for model in (StudioSession, Media, Render, Turn, Token):
        s.execute(update(model).where(model.user_id == src).values(user_id=dst))
    s.execute(update(User).where(User.id == src).values(merged_into=dst))
