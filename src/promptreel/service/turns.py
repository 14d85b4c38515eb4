"""Agent turns, the API side: ``/run_sse`` accepts a turn and streams its stored events.

* A turn is accepted here and run by a worker (:mod:`promptreel.service.worker`; in a
  single-process server, one inside this process). Every event is stored with an id monotonic
  within the session, so any API process streams any turn, and ``Last-Event-ID`` resumes
  exactly the missed events, whichever process the client reaches.
* One turn per session at a time (an atomic lock on the session row). Re-sending the running
  turn's own message attaches to it; any other message gets :class:`SessionBusy` (4090) —
  nothing is started and nothing is charged.
* Credits: generation ``cost_generate``, edits ``cost_edit`` (only when the draft changed),
  undo/redo free; reserved with the session lock in the transaction that accepts the turn, and
  settled exactly once by whichever worker finishes it (:mod:`promptreel.service.turn_runner`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import timedelta

import anyio

from promptreel.agent.turn import classify, opening
from promptreel.errors import InvalidRequest, SessionBusy
from promptreel.service.credits import CreditService
from promptreel.service.port import Studio
from promptreel.service.sessions import SessionService
from promptreel.service.turn_runner import TurnRunner, detect_lang
from promptreel.service.uploads import UploadService
from promptreel.settings import Settings
from promptreel.storage import BlobStore, Database, sessions, turns
from promptreel.storage.ids import new_id, utcnow

__all__ = ["Hub", "TurnHandle", "TurnService", "detect_lang"]

#: how often a stream woken by the hub looks at the database anyway
_SAFETY_POLL_S = 5.0


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
        self.settings = settings
        self.sessions = sessions_
        self.credits = credits_
        self.hub = Hub()
        self.runner = TurnRunner(db, blobs, settings, studio, sessions_, credits_, uploads, self.hub.notify)
        self.on_accepted: Callable[[], None] = lambda: None  # wakes a worker in this process
        # True when every turn's events are written by this process (a SQLite database, with the
        # worker in this process): its streams are woken by the hub and read the database only
        # then, with a rare look (``_SAFETY_POLL_S``) in case a wake-up was ever missed
        self.local_events = False

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
        self.runner.finish_unrecorded()
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
            opened = opening(kind, detect_lang(message, info.language))
            if opened is not None:  # the stream's first event, before any worker has the turn
                turns.append_event(s, info.id, turn_id, lambda n: opened.to_json(n, turn_id))
        self.on_accepted()
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
                if not rows:  # woken by a worker in this process, else polling the database
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(sub[1].wait(), timeout=self._poll_s())
        finally:
            self.hub.unsubscribe(handle.turn_id, sub)

    def _poll_s(self) -> float:
        poll = self.settings.stream_poll_s
        return max(poll, _SAFETY_POLL_S) if self.local_events else poll

    # -- failing (timeouts, recovery, the watchdog) -------------------------------------------
    def fail(self, turn_id: str, message: str, *, code: int = 5001, head_before: int | None = None) -> bool:
        """Finish a running turn as failed (credits released, stream closed); once only."""
        return self.runner.fail(turn_id, message, code=code, head_before=head_before)
