"""Tables. Every id is an opaque prefixed string; times are naive UTC datetimes.

Credits: ``balances`` is a cached running total of the append-only ``credit_entries`` ledger
(sum of ``available_delta`` / ``frozen_delta`` per user equals the balance row, always — both
are written in one transaction). ``reservations`` tie a ``frozen`` amount to one operation and
move exactly once from ``held`` to ``committed`` or ``released``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "Base",
    "User",
    "Token",
    "Balance",
    "CreditEntry",
    "Reservation",
    "StudioSession",
    "DraftVersion",
    "Turn",
    "TurnEvent",
    "Media",
    "Render",
]

UTC_DT = DateTime()  # naive UTC everywhere (SQLite keeps no zone)


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # anonymous | registered
    client_id: Mapped[str | None] = mapped_column(String(200), unique=True)
    bind_id: Mapped[str] = mapped_column(String(40), unique=True)
    username: Mapped[str | None] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    merged_into: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTC_DT)


class Token(Base):
    """Bearer and claim tokens. Only ``token_hash`` (SHA-256 hex) is stored, never the token."""

    __tablename__ = "tokens"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # anonymous | api | claim
    name: Mapped[str] = mapped_column(String(100), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hint: Mapped[str] = mapped_column(String(20), default="")  # last characters, for listings
    scopes: Mapped[str] = mapped_column(String(200), default="")  # space separated
    session_id: Mapped[str | None] = mapped_column(String(40))  # claim tokens: the one project
    client_id: Mapped[str | None] = mapped_column(String(200), index=True)
    ip: Mapped[str | None] = mapped_column(String(64), index=True)
    attribution: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(UTC_DT, index=True)
    expires_at: Mapped[datetime | None] = mapped_column(UTC_DT)
    revoked_at: Mapped[datetime | None] = mapped_column(UTC_DT)
    last_used_at: Mapped[datetime | None] = mapped_column(UTC_DT)


class Balance(Base):
    __tablename__ = "balances"
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), primary_key=True)
    available: Mapped[int] = mapped_column(Integer, default=0)
    frozen: Mapped[int] = mapped_column(Integer, default=0)


class CreditEntry(Base):
    """Append-only: rows are inserted, never updated or deleted."""

    __tablename__ = "credit_entries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # grant | expire | reserve | commit | release | transfer
    available_delta: Mapped[int] = mapped_column(Integer)
    frozen_delta: Mapped[int] = mapped_column(Integer)
    reservation_id: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTC_DT)


class Reservation(Base):
    __tablename__ = "reservations"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    amount: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))  # held | committed | released
    reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTC_DT)
    settled_at: Mapped[datetime | None] = mapped_column(UTC_DT)


class StudioSession(Base):
    """A project: one task with one agent session (the protocol's ``task_id`` / ``session_id``)."""

    __tablename__ = "sessions"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    task_id: Mapped[str] = mapped_column(String(40), unique=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    app_name: Mapped[str] = mapped_column(String(40), default="nemo_agent")
    name: Mapped[str] = mapped_column(String(200), default="project")
    language: Mapped[str] = mapped_column(String(16), default="en")
    head_version: Mapped[int] = mapped_column(Integer, default=0)  # 0: no draft yet
    event_seq: Mapped[int] = mapped_column(Integer, default=0)  # last event id in this session
    active_turn_id: Mapped[str | None] = mapped_column(String(40))
    attribution: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(UTC_DT)
    updated_at: Mapped[datetime] = mapped_column(UTC_DT)
    deleted_at: Mapped[datetime | None] = mapped_column(UTC_DT)  # a deleted project is hidden everywhere


class DraftVersion(Base):
    """Every turn's result is a new version; ``parent`` makes undo/redo a walk on this tree."""

    __tablename__ = "draft_versions"
    __table_args__ = (UniqueConstraint("session_id", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    parent: Mapped[int] = mapped_column(Integer, default=0)
    stage: Mapped[str] = mapped_column(String(32), default="")  # raw_cut | post | edit | upload | client
    turn_id: Mapped[str | None] = mapped_column(String(40))
    draft: Mapped[str] = mapped_column(Text)  # compact codec JSON
    created_at: Mapped[datetime] = mapped_column(UTC_DT)


class Turn(Base):
    __tablename__ = "turns"
    __table_args__ = (Index("ix_turns_status", "status", "created_at"),)
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id"), index=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    message: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))  # generate | edit | undo | redo
    status: Mapped[str] = mapped_column(String(16))  # running | completed | failed
    cost: Mapped[int] = mapped_column(Integer, default=0)
    reservation_id: Mapped[str | None] = mapped_column(String(40))
    first_event: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    attribution: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(UTC_DT)
    deadline_at: Mapped[datetime] = mapped_column(UTC_DT)
    finished_at: Mapped[datetime | None] = mapped_column(UTC_DT)
    # the job queue: a worker holds a running turn while ``lease_until`` is in the future
    lease_owner: Mapped[str | None] = mapped_column(String(80))
    lease_until: Mapped[datetime | None] = mapped_column(UTC_DT)
    attempts: Mapped[int] = mapped_column(Integer, default=0)


class TurnEvent(Base):
    """One SSE event; ``seq`` is monotonic within the session (so within each turn)."""

    __tablename__ = "turn_events"
    __table_args__ = (
        UniqueConstraint("session_id", "seq"),
        Index("ix_turn_events_turn_seq", "turn_id", "seq"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id"))
    turn_id: Mapped[str] = mapped_column(ForeignKey("turns.id"))
    seq: Mapped[int] = mapped_column(Integer)
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTC_DT)


class Media(Base):
    __tablename__ = "media"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id"), index=True)
    blob: Mapped[str] = mapped_column(String(64))  # sha256 hex in the blob store
    name: Mapped[str] = mapped_column(String(255), default="")
    kind: Mapped[str] = mapped_column(String(16))  # image | video | audio
    format: Mapped[str] = mapped_column(String(16))  # mp4 png mp3 …
    mime: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)  # bytes: uploads may pass 2 GiB
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
    width: Mapped[int] = mapped_column(Integer, default=0)
    height: Mapped[int] = mapped_column(Integer, default=0)
    source_url: Mapped[str] = mapped_column(Text, default="")
    attribution: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(UTC_DT)


class Render(Base):
    """An export job. ``render_id`` is the client's id (idempotency key, unique per user)."""

    __tablename__ = "renders"
    __table_args__ = (
        UniqueConstraint("user_id", "render_id"),
        Index("ix_renders_status", "status", "created_at"),
    )
    id: Mapped[str] = mapped_column(String(40), primary_key=True)  # job id: rj_…
    render_id: Mapped[str] = mapped_column(String(200))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))  # pending | processing | completed | failed
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    stage: Mapped[str] = mapped_column(String(64), default="")
    draft: Mapped[str] = mapped_column(Text)
    format: Mapped[str] = mapped_column(String(16), default="mp4")
    quality: Mapped[str] = mapped_column(String(16), default="high")
    blob: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger, default=0)  # bytes
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
    width: Mapped[int] = mapped_column(Integer, default=0)
    height: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    attribution: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(UTC_DT)
    started_at: Mapped[datetime | None] = mapped_column(UTC_DT)
    finished_at: Mapped[datetime | None] = mapped_column(UTC_DT)
    lease_owner: Mapped[str | None] = mapped_column(String(80))  # the worker rendering it
    lease_until: Mapped[datetime | None] = mapped_column(UTC_DT)  # ``processing`` past this: taken over
