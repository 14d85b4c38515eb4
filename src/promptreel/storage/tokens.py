"""Bearer, API and claim tokens, stored only as SHA-256 hashes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from promptreel.storage.ids import new_id, utcnow
from promptreel.storage.models import Token

__all__ = ["create", "by_hash", "get", "live_anonymous", "ip_window", "revoke", "touch", "list_for_user"]


def create(
    s: Session,
    *,
    user_id: str,
    kind: str,
    token_hash: str,
    hint: str,
    scopes: str,
    expires_at: datetime | None,
    name: str = "",
    session_id: str | None = None,
    client_id: str | None = None,
    ip: str | None = None,
    attribution: str = "{}",
) -> Token:
    tok = Token(
        id=new_id("tok"),
        user_id=user_id,
        kind=kind,
        name=name,
        token_hash=token_hash,
        hint=hint,
        scopes=scopes,
        session_id=session_id,
        client_id=client_id,
        ip=ip,
        attribution=attribution,
        created_at=utcnow(),
        expires_at=expires_at,
    )
    s.add(tok)
    s.flush()
    return tok


def by_hash(s: Session, token_hash: str) -> Token | None:
    return s.scalars(select(Token).where(Token.token_hash == token_hash)).first()


def get(s: Session, token_id: str) -> Token | None:
    return s.get(Token, token_id)


def live_anonymous(s: Session, client_id: str, now: datetime) -> Token | None:
    """The newest unexpired, unrevoked anonymous token issued to ``client_id``."""
    q = (
        select(Token)
        .where(
            Token.kind == "anonymous",
            Token.client_id == client_id,
            Token.revoked_at.is_(None),
            Token.expires_at > now,
        )
        .order_by(Token.created_at.desc())
    )
    return s.scalars(q).first()


def ip_window(s: Session, ip: str, since: datetime) -> tuple[int, datetime | None]:
    """How many anonymous tokens ``ip`` received since ``since``, and when the oldest of them was."""
    q = select(func.count(), func.min(Token.created_at)).where(
        Token.kind == "anonymous", Token.ip == ip, Token.created_at > since
    )
    count, oldest = s.execute(q).one()
    return int(count), oldest


def revoke(s: Session, token_id: str) -> bool:
    res = s.execute(
        update(Token).where(Token.id == token_id, Token.revoked_at.is_(None)).values(revoked_at=utcnow())
    )
    return bool(res.rowcount)  # type: ignore[attr-defined]


def touch(s: Session, token_id: str) -> None:
    s.execute(update(Token).where(Token.id == token_id).values(last_used_at=utcnow()))


def list_for_user(s: Session, user_id: str, kind: str | None = None) -> list[Token]:
    q = select(Token).where(Token.user_id == user_id)
    if kind:
        q = q.where(Token.kind == kind)
    return list(s.scalars(q.order_by(Token.created_at)))
