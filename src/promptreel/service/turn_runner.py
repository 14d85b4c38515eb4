"""Running agent turns: the worker side of ``/run_sse``.

* A worker claims a running turn (a lease, kept alive by heartbeats) and runs it; every event
  is stored, so any API process streams it. A turn whose worker died is claimed again once its
  lease runs out and is run again from the start: the half-made draft is dropped first, and its
  credits, reserved once when the turn was accepted, are spent or released exactly once.
* A worker that lost its lease stops at its next write and changes nothing more.
* Credits: committed on success (only when the draft changed: a question or a summary is free),
  released on failure, timeout or when a single-process server restarts mid-turn.
* A full disk fails the turn cleanly (:class:`StorageFull`, 5070): its credits are released and
  its half-made draft is dropped at once, using the blob store's reserve when nothing else can
  be written; if even that fails, the failure is retried every second until it is recorded.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from promptreel.agent import events, undo_reply
from promptreel.agent.edits.export import PROJECT_FORMATS, export_format, run_export
from promptreel.agent.events import Event
from promptreel.agent.reply import compose
from promptreel.agent.turn import DraftStage, TurnItem, run_edit, run_generation
from promptreel.draft import Draft, codec, summary
from promptreel.errors import InvalidRequest, PromptreelError, StorageFull
from promptreel.service.credits import CreditService
from promptreel.service.port import MediaRef, Studio, adapt_edit
from promptreel.service.sessions import SessionService
from promptreel.service.uploads import UploadService
from promptreel.settings import Settings
from promptreel.storage import BlobStore, Database, sessions, turns
from promptreel.storage import credits as ledger
from promptreel.storage.ids import utcnow
from promptreel.wire import RenderStatus

__all__ = ["MAX_TURN_ATTEMPTS", "TurnRunner", "detect_lang"]

log = logging.getLogger("promptreel.turns")
_CJK = re.compile(r"[\u3400-\u9fff]")

#: a turn whose worker died this many times is failed instead of being run again
MAX_TURN_ATTEMPTS = 3


def detect_lang(message: str, default: str = "en") -> str:
    if _CJK.search(message):
        return "zh"
    return "en" if not default.lower().startswith("zh") else "zh"


class _Aborted(Exception):
    """The turn is no longer ours to run (finished elsewhere, timed out, or its lease was lost)."""


class TurnRunner:
    def __init__(
        self,
        db: Database,
        blobs: BlobStore,
        settings: Settings,
        studio: Callable[[], Studio],
        sessions_: SessionService,
        credits_: CreditService,
        uploads: UploadService,
        notify: Callable[[str], None],
    ) -> None:
        self.db = db
        self.blobs = blobs
        self.settings = settings
        self._studio = studio
        self.sessions = sessions_
        self.credits = credits_
        self.uploads = uploads
        self.notify = notify
        # exports asked for in chat ("export for Premiere"): (user, session, format, job id, timeout) → the job
        self.exporter: Callable[..., RenderStatus] | None = None
        self._unfinished: dict[str, tuple[str, int, int | None]] = {}  # failures not yet recorded
        self._unfinished_lock = threading.Lock()

    # -- running ----------------------------------------------------------------------------
    def run(self, turn_id: str, owner: str) -> None:
        """Run a turn ``owner`` has claimed; never raises, never leaves it running by mistake."""
        try:
            self._run_turn(turn_id, owner)
        except Exception:  # never leave a turn running because its failure could not be saved
            log.exception("turn %s could not be finished", turn_id)
            self._later(turn_id, _sorry("Exception"), 5001, None)

    def _holds(self, turn_id: str, owner: str) -> None:
        with self.db.read() as s:
            if not turns.holds(s, turn_id, owner):
                raise _Aborted()

    def _emit(self, session_id: str, turn_id: str, owner: str, event: Event) -> int:
        with self.db.write() as s:
            if not turns.holds(s, turn_id, owner):
                raise _Aborted()
            seq = turns.append_event(s, session_id, turn_id, lambda n: event.to_json(n, turn_id))
        self.notify(turn_id)
        return seq

    def _run_turn(self, turn_id: str, owner: str) -> None:
        with self.db.read() as s:
            t = turns.get(s, turn_id)
            if t is None or t.status != "running" or t.lease_owner != owner:
                return
            retry_head = sessions.pre_turn_head(s, t.session_id, turn_id) if t.attempts > 1 else None
        session_id = t.session_id
        if t.attempts > MAX_TURN_ATTEMPTS:
            self.fail(
                turn_id,
                "The workers stopped during this turn too many times, so it was stopped. Nothing was "
                "charged; please send the message again.",
                code=5000,
            )
            return
        if retry_head is not None:  # a worker died mid-turn: start again from the draft before it
            with self.db.write() as s:
                if not turns.holds(s, turn_id, owner):
                    return
                sessions.set_head(s, session_id, retry_head)
            log.warning("turn %s: taken over (attempt %d)", turn_id, t.attempts)
        head_before, draft = self.sessions.head(session_id)
        info = self.sessions.get(session_id)
        lang = detect_lang(t.message, info.language)
        deadline = time.monotonic() + self.settings.turn_timeout_s
        try:
            items = self._items(
                t.kind, t.message, session_id, draft, lang, user_id=t.user_id, turn_id=turn_id
            )
            changed = False
            for item in items:
                if time.monotonic() > deadline:
                    raise TimeoutError()
                if isinstance(item, DraftStage):
                    changed = True
                    self._holds(turn_id, owner)
                    self.sessions.save_draft(session_id, item.draft, stage=item.stage, turn_id=turn_id)
                elif isinstance(item, _Head):
                    self.sessions.set_head(session_id, item.version)
                else:
                    self._emit(session_id, turn_id, owner, item)
            # an edit that changed nothing (a question, a summary) is free
            self._complete(turn_id, session_id, t.reservation_id, owner, charge=changed)
        except _Aborted:
            return
        except InvalidRequest as exc:  # the agent refused or asked back: say why, charge nothing
            try:
                self._emit(session_id, turn_id, owner, events.text(exc.message))
            except _Aborted:
                return
            self.sessions.set_head(session_id, head_before)
            self._complete(turn_id, session_id, t.reservation_id, owner, charge=False)
        except TimeoutError:
            self.fail(turn_id, self.timeout_text(), head_before=head_before, owner=owner)
        except PromptreelError as exc:
            self.fail(
                turn_id,
                f"{exc.message} Nothing was charged.",
                code=exc.code,
                head_before=head_before,
                owner=owner,
            )
        except Exception as exc:
            log.exception("turn %s failed", turn_id)
            self.fail(turn_id, _sorry(exc.__class__.__name__), head_before=head_before, owner=owner)

    def _items(
        self,
        kind: str,
        message: str,
        session_id: str,
        draft: Draft | None,
        lang: str,
        *,
        user_id: str = "",
        turn_id: str = "",
    ) -> Any:
        if kind == "export" and self.exporter is not None and export_format(message) in PROJECT_FORMATS:
            exporter = self.exporter
            wait_s = 0.8 * self.settings.turn_timeout_s
            return run_export(
                export_format(message) or "otio",
                # the agent reads the job as the API shows it (a mapping, without unset fields)
                lambda fmt: exporter(
                    user_id, session_id, fmt, f"turn_{turn_id}", timeout_s=wait_s
                ).model_dump(exclude_unset=True),
                lang=lang,
            )
        # the studio is asked for only inside the work itself: nothing before the turn's first
        # event waits for it (in-process, the first use imports and builds it)
        studio = self._studio
        refs = self._media(session_id)
        if kind == "generate":
            return run_generation(
                message,
                lambda on_stage: studio().generate_draft(message, media=refs, on_stage=on_stage),
                lang=lang,
                opened=True,  # its opening event was stored when the turn was accepted (TurnService.start)
            )
        if kind in ("undo", "redo"):
            return self._undo_redo(kind, session_id, lang, draft)
        assert draft is not None
        history = _history(self.sessions.history(session_id))
        return run_edit(
            message,
            lambda: adapt_edit(studio().edit_draft(draft, message, lang=lang, media=refs, history=history)),
            draft,
            lang=lang,
        )

    def _undo_redo(self, kind: str, session_id: str, lang: str, now: Draft | None) -> list[TurnItem | _Head]:
        """The step back (or forward) to another stored version, said as what came back."""
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
        said = undo_reply.result(kind, now if now is not None else Draft("d"), d)
        items += [
            events.response(
                f"call_{kind}",
                kind,
                {"status": "ok", "version": target, "summary": summary(d), "changes": said["changes"]},
            ),
            events.text(compose([said], lang, after=d, done=((kind, {}),))),
        ]
        return items

    def _media(self, session_id: str) -> list[MediaRef]:
        return [
            MediaRef(m.id, m.kind, m.duration_ms, m.width, m.height, m.name, src=m.id)
            for m in self.uploads.for_session(session_id)
        ]

    def _complete(
        self, turn_id: str, session_id: str, reservation_id: str | None, owner: str, *, charge: bool = True
    ) -> None:
        with self.db.write() as s:
            if not turns.finish(s, turn_id, "completed", owner=owner):
                return
            if reservation_id:
                ledger.settle(
                    s, reservation_id, commit=charge, reason="" if charge else "nothing was changed"
                )
            turns.append_event(s, session_id, turn_id, lambda n: events.complete().to_json(n, turn_id))
            sessions.unlock_turn(s, session_id, turn_id)
        self.notify(turn_id)

    # -- failing ----------------------------------------------------------------------------
    def fail(
        self,
        turn_id: str,
        message: str,
        *,
        code: int = 5001,
        head_before: int | None = None,
        owner: str | None = None,
    ) -> bool:
        """Finish a running turn as failed: release its credits, say why, close the stream. Once only.

        With ``owner``, only while that worker holds the turn. The head goes back to
        ``head_before`` (default: the head before the turn saved anything). On a full disk the
        blob store's reserve is given up to make room; failing that, the turn is finished without
        its closing event, and failing that too, retried every second.
        """
        try:
            return self._fail(turn_id, message, code, head_before, owner)
        except StorageFull:
            log.error("storage full while failing turn %s", turn_id)
        if self.blobs.release_reserve():
            log.error("storage full: gave up the disk reserve to finish turn %s; free some space", turn_id)
            try:
                return self._fail(turn_id, message, code, head_before, owner)
            except StorageFull:
                pass
        try:
            return self._fail(turn_id, message, code, head_before, owner, closing_event=False)
        except StorageFull:
            self._later(turn_id, message, code, head_before)
            return False

    def _fail(
        self,
        turn_id: str,
        message: str,
        code: int,
        head_before: int | None,
        owner: str | None = None,
        *,
        closing_event: bool = True,
    ) -> bool:
        with self.db.write() as s:
            t = turns.get(s, turn_id)
            if t is None or not turns.finish(s, turn_id, "failed", message, owner=owner):
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
        self.notify(turn_id)
        return True

    def _later(self, turn_id: str, message: str, code: int, head_before: int | None) -> None:
        with self._unfinished_lock:
            self._unfinished[turn_id] = (message, code, head_before)

    def finish_unrecorded(self) -> None:
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

    def timeout_text(self) -> str:
        t = self.settings.turn_timeout_s
        limit = f"{t // 60} minutes" if t >= 120 else f"{t} seconds"
        return f"The turn took longer than {limit} and was stopped. Nothing was charged."

    # -- housekeeping -----------------------------------------------------------------------
    def fail_interrupted(self) -> None:
        """Single-process start: turns the dead process left running are failed (credits released)."""
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

    def fail_late(self) -> None:
        """Fail the turns past their deadline, whichever worker runs them."""
        with self.db.read() as s:
            late = [t.id for t in turns.running(s) if t.deadline_at < utcnow()]
        for turn_id in late:
            self.fail(turn_id, self.timeout_text())

    def ensure_reserve(self) -> None:
        if not self.blobs.ensure_reserve(self.settings.storage_reserve_bytes):
            log.warning("no room to set %d bytes of disk aside", self.settings.storage_reserve_bytes)

    def rearm_reserve(self) -> None:
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
