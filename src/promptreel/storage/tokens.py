"""Bearer, API and claim tokens, stored only as SHA-256 hashes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from promptreel.storage.ids import new_id, utcnow
from promptreel.storage.models import Token, User

__all__ = [
    "Bearer",
    "create",
    "by_hash",
    "bearer",
    "get",
    "live_anonymous",
    "ip_window",
    "revoke",
    "touch",
    "list_for_user",
]


@dataclass(frozen=True, slots=True)
class Bearer:
    """What authenticating a token needs: the token, its owner, and the account the owner was
    merged into (``merged_*``, when the owner registered), read in one statement."""

    token_id: str
    kind: str
    scopes: str
    revoked_at: datetime | None
    expires_at: datetime | None
    user_id: str | None
    user_kind: str
    bind_id: str
    merged_into: str | None
    merged_id: str | None
    merged_kind: str
    merged_bind_id: str
    merged_further: str | None  # the merged account was itself merged (followed one by one)


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


_TOKENS = Token.__table__
_OWNER = User.__table__.alias("owner")
_ACCOUNT = User.__table__.alias("account")
# built once: constructing an ORM select (and its cache key) costs more than running it
_BEARER = (
    select(
        _TOKENS.c.id,
        _TOKENS.c.kind,
        _TOKENS.c.scopes,
        _TOKENS.c.revoked_at,
        _TOKENS.c.expires_at,
        _OWNER.c.id,
        _OWNER.c.kind,
        _OWNER.c.bind_id,
        _OWNER.c.merged_into,
        _ACCOUNT.c.id,
        _ACCOUNT.c.kind,
        _ACCOUNT.c.bind_id,
        _ACCOUNT.c.merged_into,
    )
    .select_from(
        _TOKENS.outerjoin(_OWNER, _OWNER.c.id == _TOKENS.c.user_id).outerjoin(
            _ACCOUNT, _ACCOUNT.c.id == _OWNER.c.merged_into
        )
    )
    .where(_TOKENS.c.token_hash == bindparam("token_hash"))
    .limit(1)
)


def bearer(s: Session, token_hash: str) -> Bearer | None:
    """The token with this hash, its owner and the owner's account, in one statement."""
    row = s.execute(_BEARER, {"token_hash": token_hash}).first()
    if row is None:
        return None
    return Bearer(
        row[0],
        row[1],
        row[2],
        row[3],
        row[4],
        row[5],
        row[6] or "",
        row[7] or "",
        row[8],
        row[9],
        row[10] or "",
        row[11] or "",
        row[12],
    )


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
