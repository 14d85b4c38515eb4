"""Projects: create, ownership checks, the versioned draft (undo/redo), and the state view."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy.orm import Session

from promptreel.draft import Canvas, Draft, Segment, Track, codec, ops, summary
from promptreel.errors import InvalidRequest, SessionBusy, SessionNotFound
from promptreel.service.quotas import check_new_project
from promptreel.settings import Settings
from promptreel.storage import Database, sessions, users
from promptreel.storage.models import StudioSession, Turn
from promptreel.wire import (
    ActiveTurn,
    CanvasConfig,
    ChatMessage,
    Deleted,
    Duplicated,
    FitResult,
    GeneratedMedia,
    MediaInfo,
    Project,
    SessionCreated,
    SessionState,
    StudioState,
)

__all__ = ["SessionInfo", "SessionService"]

#: the longest language tag a project keeps
LANGUAGE_MAX = 16


#: draft views the state endpoint keeps (the least recently read goes first)
_VIEWS_KEPT = 256
#: finished turns whose chat messages the state endpoint keeps
_TURNS_KEPT = 8192


@dataclass(frozen=True, slots=True)
class SessionInfo:
    id: str
    task_id: str
    user_id: str
    name: str
    language: str
    head_version: int
    active_turn_id: str | None
    bind_id: str


def _info(row: StudioSession, bind_id: str) -> SessionInfo:
    return SessionInfo(
        row.id,
        row.task_id,
        row.user_id,
        row.name,
        row.language,
        row.head_version,
        row.active_turn_id,
        bind_id,
    )


class SessionService:
    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        self._views: OrderedDict[tuple[str, int], _DraftView] = OrderedDict()  # (session, version) →
        self._finished: OrderedDict[str, list[ChatMessage]] = OrderedDict()  # turn id → its messages
        self._views_lock = threading.Lock()

    def create(
        self, user_id: str, task_name: str, language: str, attribution: dict[str, str] | None = None
    ) -> SessionCreated:
        if len(language) > LANGUAGE_MAX:  # the column holds no more (PostgreSQL refused it: a 5000)
            raise InvalidRequest(
                f"language: at most {LANGUAGE_MAX} characters, a language tag such as 'en' or 'zh-Hans'.",
                data={"path": "language"},
            )
        with self.db.write() as s:
            check_new_project(s, self.settings, user_id)
            user = users.get(s, user_id)
            assert user is not None
            row = sessions.create(
                s,
                user_id=user_id,
                name=task_name or "project",
                language=language or "en",
                attribution=json.dumps(attribution or {}),
            )
            return SessionCreated(
                task_id=row.task_id,
                session_id=row.id,
                bind_id=user.bind_id,
                task_name=row.name,
                language=row.language,
            )

    def get(self, session_id: str) -> SessionInfo:
        with self.db.read() as s:
            found = sessions.with_bind_id(s, session_id) if session_id else None
            if found is None or found[0].deleted_at is not None:
                raise SessionNotFound()
            return _info(*found)

    def owned(self, user_id: str, session_id: str) -> SessionInfo:
        """The session if ``user_id`` owns it; otherwise 1002 (never reveals that it exists)."""
        info = self.get(session_id)
        if info.user_id != user_id:
            raise SessionNotFound()
        return info

    # -- projects (the studio's list: open, rename, duplicate, delete) ----------------------
    def projects(self, user_id: str, limit: int = 200) -> list[Project]:
        """The user's projects, the most recently changed first, each with its title (the
        video's own, else the project's name), length, shape and the poster frame's time."""
        out: list[Project] = []
        with self.db.read() as s:
            for r in sessions.list_for_user(s, user_id)[:limit]:
                v = sessions.head_draft(s, r.id)
                draft = codec.loads(v.draft) if v is not None else None
                out.append(_project(r, draft))
        return out

    def project(self, user_id: str, session_id: str) -> Project:
        info = self.owned(user_id, session_id)
        with self.db.read() as s:
            row = sessions.get(s, info.id)
            assert row is not None
            v = sessions.head_draft(s, info.id)
            return _project(row, codec.loads(v.draft) if v is not None else None)

    def rename(self, user_id: str, session_id: str, name: str) -> Project:
        name = " ".join(name.split())[:200]
        if not name:
            raise InvalidRequest(
                "A project name needs at least one visible character.", data={"path": "task_name"}
            )
        info = self.owned(user_id, session_id)
        with self.db.write() as s:
            sessions.rename(s, info.id, name)
        return self.project(user_id, session_id)

    def duplicate(self, user_id: str, session_id: str, name: str = "") -> Duplicated:
        """A copy holding the head draft (as its first version) and the uploads, without the
        conversation or exports; the copy's name is ``name`` or "<name> (copy)"."""
        info = self.owned(user_id, session_id)
        with self.db.write() as s:
            check_new_project(s, self.settings, user_id)
            src = sessions.get(s, info.id)
            assert src is not None
            head = sessions.head_draft(s, info.id)
            new_name = " ".join(name.split())[:200] or f"{src.name} (copy)"[:200]
            row = sessions.duplicate(s, src, new_name, head.draft if head is not None else None)
            user = users.get(s, user_id)
            created = SessionCreated(
                task_id=row.task_id,
                session_id=row.id,
                bind_id=user.bind_id if user else "",
                task_name=row.name,
                language=row.language,
            )
        return Duplicated(**created.model_dump(), project=self.project(user_id, created.session_id))

    def delete(self, user_id: str, session_id: str) -> Deleted:
        """Delete a project (it disappears from every list, link and route). Refused while the
        agent works in it: 4090, like a second message."""
        info = self.owned(user_id, session_id)
        if self.active_turn(info) is not None:
            raise SessionBusy(
                "The agent is still working in this project: wait for it to finish, then delete it.",
                data={"turn_id": info.active_turn_id},
            )
        with self.db.write() as s:
            sessions.mark_deleted(s, info.id)
        return Deleted(session_id=info.id, task_id=info.task_id, deleted=True)

    def set_media_fit(self, user_id: str, session_id: str, media_id: str, fit: str) -> FitResult:
        """Fit (``contain``: the whole picture, bars where the shapes differ) or fill (``cover``:
        the frame filled, edges cropped) for every segment showing ``media_id``; a new version
        (undo takes it back). Changing nothing saves nothing."""
        if fit not in ("cover", "contain"):
            raise InvalidRequest(
                "fit is 'cover' (fill the frame) or 'contain' (show it whole).", data={"path": "fit"}
            )
        info = self.owned(user_id, session_id)
        if self.active_turn(info) is not None:
            raise SessionBusy("The agent is still working in this project: try again when it is done.")
        version, draft = self.head(info.id)
        used = 0
        changed = 0

        def apply(_t: Track, seg: Segment) -> Segment:
            nonlocal used, changed
            if seg.kind != "media" or media_id not in (seg.meta.get("media_id"), seg.meta.get("src")):
                return seg
            used += 1
            if (seg.meta.get("fit") or "cover") == fit:
                return seg
            changed += 1
            return seg.replace(meta=seg.meta.merge({"fit": fit}))

        if draft is not None:
            draft = ops.map_segments(draft, apply)
        if draft is not None and changed:
            version = self.save_draft(info.id, draft, stage="edit", turn_id=None)
        return FitResult(media_id=media_id, fit=fit, segments=used, changed=changed, version=version)

    # -- drafts -----------------------------------------------------------------------------
    def head(self, session_id: str) -> tuple[int, Draft | None]:
        with self.db.read() as s:
            v = sessions.head_draft(s, session_id)
            if v is None:
                return 0, None
            return v.version, codec.loads(v.draft)

    def save_draft(self, session_id: str, draft: Draft, *, stage: str, turn_id: str | None) -> int:
        text = codec.dumps(draft)
        with self.db.write() as s:
            number = sessions.add_version(s, session_id, text, stage=stage, turn_id=turn_id)
        # the state read finds the new version's view made, off the request path (from the stored
        # text, so it is exactly what a read of the version would make)
        self._keep_view((session_id, number), _draft_view(codec.loads(text)))
        return number

    def set_head(self, session_id: str, version: int) -> None:
        with self.db.write() as s:
            sessions.set_head(s, session_id, version)

    def history(self, session_id: str, limit: int = 20) -> list[Draft]:
        """Drafts from the head back through its ancestors, oldest first (for the editing agent)."""
        out: list[Draft] = []
        with self.db.read() as s:
            row = sessions.get(s, session_id)
            number = row.head_version if row else 0
            while number and len(out) < limit:
                v = sessions.version(s, session_id, number)
                if v is None:
                    break
                out.append(codec.loads(v.draft))
                number = v.parent
        return out[::-1]

    def undo_target(self, session_id: str) -> int | None:
        """The version before the head's whole turn (a generation's two stages undo together)."""
        with self.db.read() as s:
            row = sessions.get(s, session_id)
            return _Tree(sessions.version_tree(s, session_id)).undo(row.head_version) if row else None

    def redo_target(self, session_id: str) -> int | None:
        with self.db.read() as s:
            row = sessions.get(s, session_id)
            return _Tree(sessions.version_tree(s, session_id)).redo(row.head_version) if row else None

    def _view(self, s: Session, session_id: str, version: int) -> _DraftView:
        """The state's view of one version (the empty draft for 0), parsed once and kept."""
        key = (session_id, version)
        with self._views_lock:
            view = self._views.get(key)
            if view is not None:
                self._views.move_to_end(key)
                return view
        text = sessions.draft_json(s, session_id, version) if version else None
        draft = codec.loads(text) if text is not None else None
        view = _draft_view(draft or Draft(f"draft_{session_id.removeprefix('ses_')[:12]}", Canvas()))
        self._keep_view(key, view)
        return view

    def _keep_view(self, key: tuple[str, int], view: _DraftView) -> None:
        with self._views_lock:
            self._views[key] = view
            self._views.move_to_end(key)
            while len(self._views) > _VIEWS_KEPT:
                self._views.popitem(last=False)

    def _messages(self, s: Session, session_id: str, limit: int = 200) -> list[ChatMessage]:
        """The chat (as :meth:`messages`); a finished turn's messages never change, so they are kept."""
        listed = sessions.turn_statuses(s, session_id, limit)
        with self._views_lock:
            kept = {i: self._finished.get(i) for i, _ in listed}
        todo = [i for i, _ in listed if kept[i] is None]
        for turn, payloads in sessions.turns_with_events(s, todo):
            kept[turn.id] = msgs = _turn_messages(turn, payloads)
            if turn.status != "running":
                with self._views_lock:
                    self._finished[turn.id] = msgs
                    while len(self._finished) > _TURNS_KEPT:
                        self._finished.popitem(last=False)
        return [m for i, _ in listed for m in kept[i] or ()]

    # -- the conversation -------------------------------------------------------------------
    def messages(self, session_id: str, limit: int = 200) -> list[ChatMessage]:
        """The chat as everyone sees it (studio, chat CLI, SDK, a second browser): per turn, the
        person's message, then the agent's reply (or why the turn failed), oldest first."""
        with self.db.read() as s:
            return self._messages(s, session_id, limit)

    def active_turn(self, info: SessionInfo) -> ActiveTurn | None:
        """The running turn (to reattach to its stream with ``Last-Event-ID``), or None."""
        if not info.active_turn_id:
            return None
        with self.db.read() as s:
            return _active_turn(s, info.active_turn_id)

    # -- the state view ---------------------------------------------------------------------
    def state(
        self,
        info: SessionInfo,
        *,
        video_infos: list[MediaInfo],
        generated_media: list[GeneratedMedia],
    ) -> SessionState:
        # one read transaction for the whole view, and no draft parsed twice: a version never
        # changes, so its view (encoded timeline, summary) is kept by (session, version)
        with self.db.read() as s:
            tree = _Tree(sessions.version_tree(s, info.id))
            version = info.head_version if info.head_version in tree.parent else 0
            view = self._view(s, info.id, version)
            active = _active_turn(s, info.active_turn_id) if info.active_turn_id else None
            messages = self._messages(s, info.id)
        c = view.canvas
        return SessionState(
            state=StudioState(
                draft=view.encoded,
                video_infos=video_infos,
                canvas_config=CanvasConfig(width=c.width, height=c.height, fps=c.fps, aspect_ratio=c.aspect),
                generated_media=generated_media,
            ),
            task_id=info.task_id,
            session_id=info.id,
            bind_id=info.bind_id,
            task_name=info.name,
            version=version,
            ready=view.ready,
            duration_ms=view.duration,
            summary=view.summary,
            can_undo=tree.undo(version) is not None,
            can_redo=tree.redo(version) is not None,
            turn_running=info.active_turn_id is not None,
            active_turn=active,
            messages=messages,
        )


class _Tree:
    """A session's version tree (``(version, parent, turn_id)`` rows): undo and redo targets."""

    def __init__(self, rows: list[tuple[int, int, str | None]]) -> None:
        self.parent = {v: p for v, p, _ in rows}
        self.turn = {v: t for v, _, t in rows}
        self.children: dict[int, list[int]] = {}
        for v, p, _ in rows:  # oldest first, so each list is in version order
            self.children.setdefault(p, []).append(v)

    def undo(self, head: int) -> int | None:
        """The version before the head's whole turn (a generation's two stages undo together)."""
        if head not in self.parent:
            return None
        v = head
        while self.parent[v]:
            up = self.parent[v]
            if up not in self.parent or self.turn[v] is None or self.turn[up] != self.turn[v]:
                break
            v = up
        return self.parent[v] or None

    def redo(self, head: int) -> int | None:
        kids = self.children.get(head)
        if not kids:
            return None
        v = kids[-1]
        while True:  # follow the same turn to its last stage
            turn = self.turn[v]
            nxt = [k for k in self.children.get(v, ()) if turn and self.turn[k] == turn]
            if not nxt:
                return v
            v = nxt[-1]


@dataclass(frozen=True, slots=True)
class _DraftView:
    encoded: dict[str, Any]
    canvas: Canvas
    ready: bool
    duration: int
    summary: str


def _draft_view(draft: Draft) -> _DraftView:
    return _DraftView(codec.encode(draft), draft.canvas, draft.ready, draft.duration, summary(draft))


def _active_turn(s: Session, turn_id: str) -> ActiveTurn | None:
    t = s.get(Turn, turn_id)
    if t is None or t.status != "running":
        return None
    return ActiveTurn(turn_id=t.id, kind=t.kind, message=t.message, first_event=t.first_event)


def poster_ms(draft: Draft | None) -> int:
    """A representative moment: the middle of the first content scene (past the title card
    and the fade-in of frame 0), else the middle of the video."""
    if draft is None or draft.duration <= 0:
        return 0
    scenes = draft.first_track("scenes") or next(
        (t for t in draft.tracks if t.type == 0 and t.segments), None
    )
    segs = list(scenes.segments) if scenes is not None else []
    content = [s for s in segs if s.kind in ("scene", "media") and s.meta.get("layout") != "title"]
    title = draft.first_track("title")
    title_end = max((s.end for s in title.segments), default=0) if title is not None else 0
    # a scene that is mostly under the opening title card is the cover, not the content
    past_title = [s for s in content if s.start + s.duration // 2 > title_end]
    picks = past_title or content or segs
    if not picks:
        return draft.duration // 2
    return picks[0].start + picks[0].duration // 2


def _project(row: StudioSession, draft: Draft | None) -> Project:
    title = str(draft.meta.get("title") or "") if draft is not None else ""
    c = draft.canvas if draft is not None else Canvas()
    scenes = draft.first_track("scenes") if draft is not None else None
    return Project(
        session_id=row.id,
        task_id=row.task_id,
        task_name=row.name,
        title=title or row.name,
        language=row.language,
        version=row.head_version,
        ready=bool(draft is not None and draft.ready),
        duration_ms=draft.duration if draft is not None else 0,
        scenes=len(scenes.segments) if scenes is not None else 0,
        width=c.width,
        height=c.height,
        poster_ms=poster_ms(draft),
        turn_running=row.active_turn_id is not None,
        created_at=_iso(row.created_at),
        updated_at=_iso(row.updated_at),
    )


def _iso(dt: datetime | None) -> str:
    return dt.replace(microsecond=0).isoformat() + "Z" if dt is not None else ""


def _turn_messages(turn: Turn, payloads: list[str]) -> list[ChatMessage]:
    """One turn as chat messages: the user's, then the agent's final text (partial chunks joined
    when no final text came), marked ``running`` or ``failed`` (with the error code) when so."""
    finals: list[str] = []
    chunks: list[str] = []
    error_code = 0
    for raw in payloads:
        try:
            ev = json.loads(raw)
        except ValueError:
            continue
        if ev.get("error_code"):
            error_code = int(ev["error_code"])
        for part in (ev.get("content") or {}).get("parts") or ():
            text = part.get("text") if isinstance(part, dict) else None
            if isinstance(text, str) and text.strip():
                (chunks if ev.get("partial") else finals).append(text)
    replies = [f.strip() for f in finals] if finals else (["".join(chunks).strip()] if chunks else [])
    if not replies and turn.status == "failed":
        replies = [turn.error]
    out = [ChatMessage(role="user", text=turn.message, turn_id=turn.id, at=_iso(turn.created_at))]
    if not replies and turn.status != "completed":
        replies = [""]
    status = _TURN_STATUS.get(turn.status, "failed")
    for i, text in enumerate(replies):
        last = i == len(replies) - 1
        out.append(
            ChatMessage(
                role="agent",
                text=text,
                turn_id=turn.id,
                kind=turn.kind,
                status=status if last else "completed",
                at=_iso(turn.finished_at or turn.created_at),
                error_code=error_code if error_code and last else None,
            )
        )
    return out


#: a turn's stored status → a chat message's (a turn is running, completed or failed)
_TURN_STATUS: dict[str, Literal["running", "completed", "failed"]] = {
    "running": "running",
    "completed": "completed",
    "failed": "failed",
}
