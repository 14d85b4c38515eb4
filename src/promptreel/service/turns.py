"""Agent turns: started by ``/run_sse``, run in background threads, every event persisted.

* A turn runs server-side whatever happens to the client's connection; its events are stored
  with ids monotonic within the session, so ``Last-Event-ID`` resumes exactly the missed ones.
* One turn per session at a time (an atomic lock on the session row). Re-sending the running
  turn's own message attaches to it; any other message gets :class:`SessionBusy` (4090) —
  nothing is started and nothing is charged.
* Credits: generation ``cost_generate``, edits ``cost_edit`` (only when the draft changed: a
  question or a summary is free), undo/redo free. Reserved with the
  session lock in one transaction, committed on success, released on failure, timeout or a
  server restart (interrupted turns are failed cleanly at startup).
* A full disk fails the turn cleanly (:class:`StorageFull`, 5070): its credits are released and
  its half-made draft is dropped at once, using the blob store's reserve when nothing else can
  be written; if even that fails, the failure is retried every second until it is recorded.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import threading
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import anyio

from promptreel.agent import events
from promptreel.agent.events import Event
from promptreel.agent.turn import DraftStage, TurnItem, classify, run_edit, run_generation
from promptreel.draft import Draft, codec, summary
from promptreel.errors import InvalidRequest, PromptreelError, SessionBusy, StorageFull
from promptreel.service.credits import CreditService
from promptreel.service.port import MediaRef, Studio, adapt_edit
from promptreel.service.sessions import SessionService
from promptreel.service.uploads import UploadService
from promptreel.settings import Settings
from promptreel.storage import BlobStore, Database, sessions, turns
from promptreel.storage.ids import new_id, utcnow

__all__ = ["Hub", "TurnHandle", "TurnService", "detect_lang"]

log = logging.getLogger("promptreel.turns")
_CJK = re.compile(r"[\u3400-\u9fff]")


def detect_lang(message: str, default: str = "en") -> str:
    if _CJK.search(message):
        return "zh"
    return "en" if not default.lower().startswith("zh") else "zh"


class Hub:
    """Wakes SSE streams (on any event loop) when a turn gets new events."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subs: dict[str, set[tuple[asyncio.AbstractEventLoop, asyncio.Event]]] = {}

    def subscribe(self, turn_id: str) -> tuple[asyncio.AbstractEventLoop, asyncio.Event]:
        sub = (asyncio.get_running_loop(), asyncio.Event())
        with self._lock:
            self._subs.setdefault(turn_id, set()).add(sub)
        return sub

    def unsubscribe(self, turn_id: str, sub: tuple[asyncio.AbstractEventLoop, asyncio.Event]) -> None:
        with self._lock:
            subs = self._subs.get(turn_id)
            if subs:
                subs.discard(sub)
                if not subs:
                    del self._subs[turn_id]

    def notify(self, turn_id: str) -> None:
        with self._lock:
            subs = list(self._subs.get(turn_id, ()))
        for loop, ev in subs:
            with contextlib.suppress(RuntimeError):  # loop closed
                loop.call_soon_threadsafe(ev.set)


@dataclass(frozen=True, slots=True)
class TurnHandle:
    turn_id: str
    after: int  # stream events with ids greater than this
    attached: bool  # True when this request joined an existing turn


class _Aborted(Exception):
    pass


class TurnService:
    def __init__(
        self,
        db: Database,
        blobs: BlobStore,
        settings: Settings,
        studio: Callable[[], Studio],
        sessions_: SessionService,
        credits_: CreditService,
        uploads: UploadService,
    ) -> None:
        self.db = db
        self.blobs = blobs
        self.settings = settings
        self._studio = studio
        self.sessions = sessions_
        self.credits = credits_
        self.uploads = uploads
        self.hub = Hub()
        self._stop = threading.Event()
        self._sem = threading.Semaphore(max(1, settings.turn_workers))
        self._unfinished: dict[str, tuple[str, int, int | None]] = {}  # failures not yet recorded
        self._unfinished_lock = threading.Lock()

    # -- starting ---------------------------------------------------------------------------
    def start(
        self,
        user_id: str,
        session_id: str,
        message: str,
        *,
        web_base: str,
        last_event_id: str | None = None,
        attribution: dict[str, str] | None = None,
    ) -> TurnHandle:
        info = self.sessions.owned(user_id, session_id)
        if last_event_id:
            handle = self._resume(info.id, last_event_id, info.active_turn_id)
            if handle is not None:
                return handle
        message = (message or "").strip()
        if not message:
            raise InvalidRequest("new_message.parts must contain a non-empty text part.")
        if len(message) > 20_000:
            raise InvalidRequest("The message is longer than 20000 characters.")
        turn_id = new_id("turn")
        st = self.settings
        self._finish_unrecorded()
        with self.db.write() as s:
            row = sessions.get(s, info.id)
            assert row is not None
            if row.active_turn_id:
                running = turns.get(s, row.active_turn_id)
                if running is not None and running.status == "running":
                    if running.message == message:  # the same message re-sent: join the running turn
                        return TurnHandle(running.id, 0, True)
                    raise SessionBusy(
                        "A turn is already running in this session; nothing new was started or charged. Wait for "
                        "it to finish, or resume its stream with the Last-Event-ID header.",
                        data={"turn_id": running.id, "session_id": info.id},
                    )
            kind = classify(message, row.head_version > 0)
            cost = {"generate": st.cost_generate, "edit": st.cost_edit}.get(kind, 0)
            if not sessions.lock_turn(s, info.id, turn_id):
                raise SessionBusy(data={"session_id": info.id})
            rid = self.credits.reserve_in(s, user_id, cost, f"{kind} turn {turn_id}", web_base)
            turns.create(
                s,
                turn_id=turn_id,
                session_id=info.id,
                user_id=user_id,
                message=message,
                kind=kind,
                cost=cost,
                reservation_id=rid,
                deadline_at=utcnow() + timedelta(seconds=st.turn_timeout_s),
                attribution=json.dumps(attribution or {}),
            )
        threading.Thread(target=self._run, args=(turn_id,), name=f"turn-{turn_id}", daemon=True).start()
        return TurnHandle(turn_id, 0, False)

    def _resume(self, session_id: str, last_event_id: str, active: str | None) -> TurnHandle | None:
        try:
            seq = int(last_event_id)
        except ValueError:
            raise InvalidRequest("Last-Event-ID must be the integer id of the last event received.") from None
        with self.db.read() as s:
            turn_id = turns.turn_of_event(s, session_id, seq)
        if turn_id is not None:
            return TurnHandle(turn_id, seq, True)
        if active is not None:
            return TurnHandle(active, seq, True)
        return None

    # -- streaming --------------------------------------------------------------------------
    def _read(self, turn_id: str, after: int) -> tuple[list[tuple[int, str]], str]:
        with self.db.read() as s:
            rows = turns.events_after(s, turn_id, after)
            t = turns.get(s, turn_id)
            return [(r.seq, r.payload) for r in rows], (t.status if t else "failed")

    async def stream(self, handle: TurnHandle) -> AsyncIterator[tuple[int, str]]:
        """The turn's events after ``handle.after``, live, ending with the ``turn_complete`` one."""
        sub = self.hub.subscribe(handle.turn_id)
        after = handle.after
        try:
            while True:
                sub[1].clear()
                rows, status = await anyio.to_thread.run_sync(self._read, handle.turn_id, after)
                for seq, payload in rows:
                    after = seq
                    yield seq, payload
                    if '"turn_complete":true' in payload:
                        return
                if not rows and status != "running":
                    return
                if not rows:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(sub[1].wait(), timeout=1.0)
        finally:
            self.hub.unsubscribe(handle.turn_id, sub)

    # -- running ----------------------------------------------------------------------------
    def _emit(self, session_id: str, turn_id: str, event: Event, *, check: bool = True) -> int:
        with self.db.write() as s:
            if check:
                t = turns.get(s, turn_id)
                if t is None or t.status != "running":
                    raise _Aborted()
            seq = turns.append_event(s, session_id, turn_id, lambda n: event.to_json(n, turn_id))
        self.hub.notify(turn_id)
        return seq

    def _run(self, turn_id: str) -> None:
        with self._sem:
            try:
                self._run_turn(turn_id)
            except Exception:  # never leave a turn running because its failure could not be saved
                log.exception("turn %s could not be finished", turn_id)
                self._later(turn_id, _sorry("Exception"), 5001, None)

    def _run_turn(self, turn_id: str) -> None:
        with self.db.read() as s:
            t = turns.get(s, turn_id)
        if t is None:
            return
        session_id = t.session_id
        head_before, draft = self.sessions.head(session_id)
        info = self.sessions.get(session_id)
        lang = detect_lang(t.message, info.language)
        deadline = time.monotonic() + self.settings.turn_timeout_s
        try:
            items = self._items(t.kind, t.message, session_id, t.user_id, draft, lang)
            changed = False
            for item in items:
                if time.monotonic() > deadline:
                    raise TimeoutError()
                if isinstance(item, DraftStage):
                    changed = True
                    with self.db.read() as s:
                        cur = turns.get(s, turn_id)
                    if cur is None or cur.status != "running":
                        raise _Aborted()
                    self.sessions.save_draft(session_id, item.draft, stage=item.stage, turn_id=turn_id)
                elif isinstance(item, _Head):
                    self.sessions.set_head(session_id, item.version)
                else:
                    self._emit(session_id, turn_id, item)
            # an edit that changed nothing (a question, a summary) is free
            self._complete(turn_id, session_id, t.reservation_id, charge=changed)
        except _Aborted:
            return
        except InvalidRequest as exc:  # the agent refused or asked back: say why, charge nothing
            try:
                self._emit(session_id, turn_id, events.text(exc.message))
            except _Aborted:
                return
            self.sessions.set_head(session_id, head_before)
            self._complete(turn_id, session_id, t.reservation_id, charge=False)
            return
        except TimeoutError:
            self.fail(
                turn_id,
                self._timeout_text(),
                head_before=head_before,
            )
        except PromptreelError as exc:
            self.fail(turn_id, f"{exc.message} Nothing was charged.", code=exc.code, head_before=head_before)
        except Exception as exc:
            log.exception("turn %s failed", turn_id)
            self.fail(turn_id, _sorry(exc.__class__.__name__), head_before=head_before)

    def _items(
        self, kind: str, message: str, session_id: str, user_id: str, draft: Draft | None, lang: str
    ) -> Any:
        studio = self._studio()
        refs = self._media(session_id)
        if kind == "generate":
            return run_generation(
                message,
                lambda on_stage: studio.generate_draft(message, media=refs, on_stage=on_stage),
                lang=lang,
            )
        if kind in ("undo", "redo"):
            return self._undo_redo(kind, session_id, lang)
        assert draft is not None
        history = _history(self.sessions.history(session_id))
        return run_edit(
            message,
            lambda: adapt_edit(studio.edit_draft(draft, message, lang=lang, media=refs, history=history)),
            draft,
            lang=lang,
        )

    def _undo_redo(self, kind: str, session_id: str, lang: str) -> list[TurnItem | _Head]:
        target = (self.sessions.undo_target if kind == "undo" else self.sessions.redo_target)(session_id)
        zh = lang == "zh"
        items: list[TurnItem | _Head] = [events.call(f"call_{kind}", kind, {})]
        if target is None:
            msg = {
                "undo": ("没有可以撤销的修改。", "There is nothing to undo."),
                "redo": ("没有可以重做的修改。", "There is nothing to redo."),
            }[kind][0 if zh else 1]
            items += [
                events.response(f"call_{kind}", kind, {"status": "nothing_to_" + kind}),
                events.text(msg),
            ]
            return items
        items.append(_Head(target))
        with self.db.read() as s:
            v = sessions.version(s, session_id, target)
        d = Draft("d") if v is None else codec.loads(v.draft)
        items += [
            events.response(f"call_{kind}", kind, {"status": "ok", "version": target, "summary": summary(d)}),
            events.text(
                ("已撤销。" if kind == "undo" else "已重做。") + summary(d)
                if zh
                else f"{'Undone' if kind == 'undo' else 'Redone'}. {summary(d)}"
            ),
        ]
        return items

    def _media(self, session_id: str) -> list[MediaRef]:
        return [
            MediaRef(m.id, m.kind, m.duration_ms, m.width, m.height, m.name, src=m.id)
            for m in self.uploads.for_session(session_id)
        ]

    def _complete(
        self, turn_id: str, session_id: str, reservation_id: str | None, *, charge: bool = True
    ) -> None:
        from promptreel.storage import credits as ledger

        with self.db.write() as s:
            if not turns.finish(s, turn_id, "completed"):
                return
            if reservation_id:
                ledger.settle(
                    s, reservation_id, commit=charge, reason="" if charge else "nothing was changed"
                )
            turns.append_event(s, session_id, turn_id, lambda n: events.complete().to_json(n, turn_id))
            sessions.unlock_turn(s, session_id, turn_id)
        self.hub.notify(turn_id)

    def fail(self, turn_id: str, message: str, *, code: int = 5001, head_before: int | None = None) -> bool:
        """Finish a running turn as failed: release its credits, say why, close the stream. Once only.

        The head goes back to ``head_before`` (default: the head before the turn saved anything).
        On a full disk the blob store's reserve is given up to make room; failing that, the
        turn is finished without its closing event, and failing that too, retried every second.
        """
        try:
            return self._fail(turn_id, message, code, head_before)
        except StorageFull:
            log.error("storage full while failing turn %s", turn_id)
        if self.blobs.release_reserve():
            log.error("storage full: gave up the disk reserve to finish turn %s; free some space", turn_id)
            try:
                return self._fail(turn_id, message, code, head_before)
            except StorageFull:
                pass
        try:
            return self._fail(turn_id, message, code, head_before, closing_event=False)
        except StorageFull:
            self._later(turn_id, message, code, head_before)
            return False

    def _fail(
        self, turn_id: str, message: str, code: int, head_before: int | None, *, closing_event: bool = True
    ) -> bool:
        from promptreel.storage import credits as ledger

        with self.db.write() as s:
            t = turns.get(s, turn_id)
            if t is None or not turns.finish(s, turn_id, "failed", message):
                return False
            if t.reservation_id:
                ledger.settle(s, t.reservation_id, commit=False, reason=f"turn {turn_id} failed")
            head = (
                head_before if head_before is not None else sessions.pre_turn_head(s, t.session_id, turn_id)
            )
            if head is not None:
                sessions.set_head(s, t.session_id, head)
            if closing_event:
                turns.append_event(
                    s,
                    t.session_id,
                    turn_id,
                    lambda n: events.complete(message, error_code=code).to_json(n, turn_id),
                )
            sessions.unlock_turn(s, t.session_id, turn_id)
        with self._unfinished_lock:
            self._unfinished.pop(turn_id, None)
        self.hub.notify(turn_id)
        return True

    def _later(self, turn_id: str, message: str, code: int, head_before: int | None) -> None:
        with self._unfinished_lock:
            self._unfinished[turn_id] = (message, code, head_before)

    def _finish_unrecorded(self) -> None:
        """Record the failures that could not be written when they happened (full disk)."""
        with self._unfinished_lock:
            todo = list(self._unfinished.items())
        for turn_id, (message, code, head_before) in todo:
            try:
                self._fail(turn_id, message, code, head_before)
            except StorageFull:
                return
            except Exception:
                log.exception("turn %s: recording its failure", turn_id)
                return
            with self._unfinished_lock:
                self._unfinished.pop(turn_id, None)

    def _timeout_text(self) -> str:
        t = self.settings.turn_timeout_s
        limit = f"{t // 60} minutes" if t >= 120 else f"{t} seconds"
        return f"The turn took longer than {limit} and was stopped. Nothing was charged."

    # -- lifecycle --------------------------------------------------------------------------
    def recover(self) -> None:
        """At startup: turns a dead process left running are failed cleanly (credits released)."""
        with self.db.read() as s:
            stale = [(t.id, t.session_id) for t in turns.running(s)]
        for turn_id, session_id in stale:
            with self.db.read() as s:
                versions_before = sessions.pre_turn_head(s, session_id, turn_id)
            self.fail(
                turn_id,
                "The server restarted during this turn, so it was stopped. Nothing was charged; "
                "please send the message again.",
                code=5000,
                head_before=versions_before,
            )
        with self.db.write() as s:
            sessions.clear_stale_locks(s)
        if not self.blobs.ensure_reserve(self.settings.storage_reserve_bytes):
            log.warning("no room to set %d bytes of disk aside", self.settings.storage_reserve_bytes)

    def start_watchdog(self) -> None:
        self._stop.clear()
        threading.Thread(target=self._watch, name="turn-watchdog", daemon=True).start()

    def stop(self) -> None:
        self._stop.set()

    def _watch(self) -> None:
        tick = 0
        while not self._stop.wait(1.0):
            tick += 1
            try:
                self._finish_unrecorded()
                if tick % 5 == 0:
                    with self.db.read() as s:
                        late = [t.id for t in turns.running(s) if t.deadline_at < utcnow()]
                    for turn_id in late:
                        self.fail(turn_id, self._timeout_text())
                if tick % 60 == 0:
                    self._rearm_reserve()
            except Exception:
                log.exception("turn watchdog")

    def _rearm_reserve(self) -> None:
        """Set the disk reserve aside again once the disk has room to spare (ample: 8 × the reserve)."""
        want = self.settings.storage_reserve_bytes
        if want > 0 and not self.blobs.reserve.exists() and self.blobs.free_bytes() > 8 * want:
            self.blobs.ensure_reserve(want)


def _sorry(kind: str) -> str:
    return f"Sorry — this turn failed ({kind}). Nothing was charged; please try again."


@dataclass(frozen=True, slots=True)
class _Head:
    version: int


def _history(drafts: list[Draft]) -> Any:
    """The editing agent's undo stack (earlier drafts, oldest first) from the stored versions."""
    past = tuple(drafts[:-1])
    try:
        from promptreel.agent.history import History
    except ImportError:
        return past
    return History(past=past)
