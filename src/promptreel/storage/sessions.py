"""Projects (task + agent session) and their versioned drafts (undo/redo walk ``parent`` links)."""

from __future__ import annotations

from sqlalchemy import bindparam, func, literal, select, update
from sqlalchemy.orm import Session

from promptreel.storage.ids import new_id, utcnow
from promptreel.storage.models import DraftVersion, Media, Render, StudioSession, Turn, TurnEvent, User

__all__ = [
    "create",
    "get",
    "with_bind_id",
    "list_for_user",
    "head_draft",
    "version",
    "version_tree",
    "draft_json",
    "add_version",
    "set_head",
    "children",
    "lock_turn",
    "unlock_turn",
    "clear_stale_locks",
    "pre_turn_head",
    "conversation",
    "turn_statuses",
    "turns_with_events",
    "rename",
    "mark_deleted",
    "duplicate",
]


def create(
    s: Session,
    *,
    user_id: str,
    name: str,
    language: str,
    app_name: str = "nemo_agent",
    attribution: str = "{}",
) -> StudioSession:
    now = utcnow()
    row = StudioSession(
        id=new_id("ses"),
        task_id=new_id("task"),
        user_id=user_id,
        app_name=app_name,
        name=name,
        language=language,
        head_version=0,
        event_seq=0,
        attribution=attribution,
        created_at=now,
        updated_at=now,
    )
    s.add(row)
    s.flush()
    return row


def get(s: Session, session_id: str) -> StudioSession | None:
    return s.get(StudioSession, session_id)


# the state read's statements, built once: constructing an ORM select (and its cache key) costs
# more than running it
_WITH_BIND_ID = (
    select(StudioSession, User.bind_id)
    .outerjoin(User, User.id == StudioSession.user_id)
    .where(StudioSession.id == bindparam("session_id"))
)
_VERSION_TREE = (
    select(DraftVersion.version, DraftVersion.parent, DraftVersion.turn_id)
    .where(DraftVersion.session_id == bindparam("session_id"))
    .order_by(DraftVersion.version)
)
_TURN_STATUSES = (
    select(Turn.id, Turn.status)
    .where(Turn.session_id == bindparam("session_id"))
    .order_by(Turn.created_at.desc(), Turn.id.desc())
    .limit(bindparam("limit"))
)


def with_bind_id(s: Session, session_id: str) -> tuple[StudioSession, str] | None:
    """The session and its owner's bind id, in one statement."""
    row = s.execute(_WITH_BIND_ID, {"session_id": session_id}).first()
    return None if row is None else (row[0], row[1] or "")


def list_for_user(s: Session, user_id: str) -> list[StudioSession]:
    """The user's projects that are not deleted, the most recently changed first."""
    q = (
        select(StudioSession)
        .where(StudioSession.user_id == user_id, StudioSession.deleted_at.is_(None))
        .order_by(StudioSession.updated_at.desc(), StudioSession.created_at.desc())
    )
    return list(s.scalars(q))


def version(s: Session, session_id: str, number: int) -> DraftVersion | None:
    q = select(DraftVersion).where(DraftVersion.session_id == session_id, DraftVersion.version == number)
    return s.scalars(q).first()


def version_tree(s: Session, session_id: str) -> list[tuple[int, int, str | None]]:
    """Every version of the session as ``(version, parent, turn_id)``, oldest first (no drafts)."""
    return [(int(v), int(p or 0), t) for v, p, t in s.execute(_VERSION_TREE, {"session_id": session_id})]


def draft_json(s: Session, session_id: str, number: int) -> str | None:
    """One version's draft (compact codec JSON), or None."""
    q = select(DraftVersion.draft).where(
        DraftVersion.session_id == session_id, DraftVersion.version == number
    )
    text: str | None = s.execute(q).scalar()
    return text


def head_draft(s: Session, session_id: str) -> DraftVersion | None:
    row = s.get(StudioSession, session_id)
    if row is None or row.head_version == 0:
        return None
    return version(s, session_id, row.head_version)


def add_version(s: Session, session_id: str, draft_json: str, *, stage: str, turn_id: str | None) -> int:
    """Append a version after the current head and make it the head; returns its number."""
    row = s.scalars(select(StudioSession).where(StudioSession.id == session_id).with_for_update()).one()
    latest = s.execute(
        select(func.max(DraftVersion.version)).where(DraftVersion.session_id == session_id)
    ).scalar()
    number = int(latest or 0) + 1
    s.add(
        DraftVersion(
            session_id=session_id,
            version=number,
            parent=row.head_version,
            stage=stage,
            turn_id=turn_id,
            draft=draft_json,
            created_at=utcnow(),
        )
    )
    row.head_version = number
    row.updated_at = utcnow()
    s.flush()
    return number


def set_head(s: Session, session_id: str, number: int) -> None:
    s.execute(
        update(StudioSession)
        .where(StudioSession.id == session_id)
        .values(head_version=number, updated_at=utcnow())
    )


def children(s: Session, session_id: str, parent: int) -> list[DraftVersion]:
    q = (
        select(DraftVersion)
        .where(DraftVersion.session_id == session_id, DraftVersion.parent == parent)
        .order_by(DraftVersion.version)
    )
    return list(s.scalars(q))


def lock_turn(s: Session, session_id: str, turn_id: str) -> bool:
    """Mark ``turn_id`` as the session's running turn, unless another one holds it (atomic)."""
    res = s.execute(
        update(StudioSession)
        .where(StudioSession.id == session_id, StudioSession.active_turn_id.is_(None))
        .values(active_turn_id=turn_id)
    )
    return bool(res.rowcount)  # type: ignore[attr-defined]


def unlock_turn(s: Session, session_id: str, turn_id: str) -> None:
    s.execute(
        update(StudioSession)
        .where(StudioSession.id == session_id, StudioSession.active_turn_id == turn_id)
        .values(active_turn_id=None)
    )


def clear_stale_locks(s: Session) -> None:
    s.execute(
        update(StudioSession).where(StudioSession.active_turn_id.is_not(None)).values(active_turn_id=None)
    )


def pre_turn_head(s: Session, session_id: str, turn_id: str) -> int | None:
    """The head a session had before ``turn_id`` saved any version (``None`` when it saved none)."""
    q = (
        select(DraftVersion)
        .where(DraftVersion.session_id == session_id, DraftVersion.turn_id == turn_id)
        .order_by(DraftVersion.version)
        .limit(1)
    )
    first = s.scalars(q).first()
    return None if first is None else int(first.parent)


def conversation(s: Session, session_id: str, limit: int = 200) -> list[tuple[Turn, list[str]]]:
    """The session's last ``limit`` turns, oldest first, each with its events' JSON payloads."""
    q = select(Turn).where(Turn.session_id == session_id).order_by(Turn.created_at.desc(), Turn.id.desc())
    return _with_events(s, list(s.scalars(q.limit(limit)))[::-1])


def turn_statuses(s: Session, session_id: str, limit: int = 200) -> list[tuple[str, str]]:
    """The session's last ``limit`` turns as ``(turn id, status)``, oldest first (no rows loaded)."""
    rows = s.execute(_TURN_STATUSES, {"session_id": session_id, "limit": limit})
    return [(str(i), str(st)) for i, st in rows][::-1]


def turns_with_events(s: Session, turn_ids: list[str]) -> list[tuple[Turn, list[str]]]:
    """These turns (in this order), each with its events' JSON payloads."""
    if not turn_ids:
        return []
    rows = {r.id: r for r in s.scalars(select(Turn).where(Turn.id.in_(turn_ids)))}
    return _with_events(s, [rows[i] for i in turn_ids if i in rows])


def _with_events(s: Session, rows: list[Turn]) -> list[tuple[Turn, list[str]]]:
    if not rows:
        return []
    ids = [r.id for r in rows]
    events: dict[str, list[str]] = {i: [] for i in ids}
    eq = (
        select(TurnEvent.turn_id, TurnEvent.payload).where(TurnEvent.turn_id.in_(ids)).order_by(TurnEvent.seq)
    )
    for turn_id, payload in s.execute(eq):
        events[turn_id].append(payload)
    return [(r, events[r.id]) for r in rows]


def rename(s: Session, session_id: str, name: str) -> None:
    s.execute(
        update(StudioSession).where(StudioSession.id == session_id).values(name=name, updated_at=utcnow())
    )


#: the render id a deleted project's export keeps: no client's id (those never hold "/")
DELETED_RENDER_PREFIX = "/deleted/"
#: why an export of a deleted project stopped
PROJECT_DELETED = "The project was deleted before this export finished."


def mark_deleted(s: Session, session_id: str) -> None:
    """Hide a project everywhere; its rows stay for jobs that still hold them.

    Its exports leave their client ids (``/deleted/<job id>`` instead): polling, downloading by
    id or by a signed link (whose path names the id) and previews all answer "no such render"
    from then on, and the ids are free for new exports."""
    s.execute(
        update(StudioSession)
        .where(StudioSession.id == session_id, StudioSession.deleted_at.is_(None))
        .values(deleted_at=utcnow())
    )
    s.execute(
        update(Render)
        .where(Render.session_id == session_id, Render.render_id.not_like(DELETED_RENDER_PREFIX + "%"))
        .values(render_id=literal(DELETED_RENDER_PREFIX) + Render.id)
    )
    # exports still queued never start; one running stops at its next progress point (its
    # worker finds it no longer ``processing``) and keeps no file
    s.execute(
        update(Render)
        .where(Render.session_id == session_id, Render.status.in_(("pending", "processing")))
        .values(
            status="failed",
            error=PROJECT_DELETED,
            finished_at=utcnow(),
            lease_owner=None,
            lease_until=None,
        )
    )


def duplicate(s: Session, source: StudioSession, name: str, draft_json: str | None) -> StudioSession:
    """A new project of the same owner holding ``draft_json`` as its first version and copies of
    the source's uploads (new media ids, the same stored files; the draft's references follow)."""
    row = create(
        s,
        user_id=source.user_id,
        name=name,
        language=source.language,
        app_name=source.app_name,
        attribution=source.attribution,
    )
    q = select(Media).where(Media.session_id == source.id).order_by(Media.created_at)
    for m in list(s.scalars(q)):
        copy_id = new_id("med")
        s.add(
            Media(
                id=copy_id,
                user_id=m.user_id,
                session_id=row.id,
                blob=m.blob,
                name=m.name,
                kind=m.kind,
                format=m.format,
                mime=m.mime,
                size=m.size,
                duration_ms=m.duration_ms,
                width=m.width,
                height=m.height,
                source_url=m.source_url,
                attribution=m.attribution,
                created_at=m.created_at,
            )
        )
        if draft_json is not None:
            draft_json = draft_json.replace(f'"{m.id}"', f'"{copy_id}"')
    s.flush()
    if draft_json is not None:
        add_version(s, row.id, draft_json, stage="duplicate", turn_id=None)
    return row
