"""Watching one agent turn in the terminal chat: the stream is read on a helper thread while the
chat shows the agent's text, hides tool traffic, says "still working" after each quiet spell and
stops waiting after ``give_up_s`` with heartbeats only."""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from promptreel.client.config import ChatSettings
from promptreel.client.explain import duration_label
from promptreel.client.messages import Lang
from promptreel.client.models import Heartbeat, StreamDropped, TurnEvent, TurnInterrupted
from promptreel.client.router import Intent, translate_gui
from promptreel.client.sdk import Client

__all__ = ["TurnOutcome", "TurnWatching"]

_END = object()


@dataclass
class TurnOutcome:
    """What one turn showed and how it ended."""

    shown_text: bool = False
    completed: bool = False
    gave_up: bool = False
    interrupted: TurnInterrupted | None = None
    error: bool = False
    texts: list[str] = field(default_factory=list)
    actions: tuple[Intent, ...] = ()


class TurnWatching:
    """The part of :class:`~promptreel.client.chat.Chat` that streams a turn and tells the person."""

    client: Client
    settings: ChatSettings
    lang: Lang

    @property
    def session_id(self) -> str:
        raise NotImplementedError

    def say(self, text: str, style: str | None = None) -> None:
        raise NotImplementedError

    def t(self, key: str, **values: object) -> str:
        raise NotImplementedError

    def _fail(self, text: str) -> None:
        raise NotImplementedError

    def _stream_turn(self, text: str) -> TurnOutcome:
        s = self.settings
        stream = self.client.turn(
            self.session_id, text, resume_attempts=s.resume_attempts, read_timeout=s.read_timeout_s
        )
        items: queue.Queue[Any] = queue.Queue()

        def reader() -> None:
            try:
                for item in stream:
                    items.put(item)
                items.put(_END)
            except BaseException as exc:  # handed to the main thread, which decides
                items.put(exc)

        threading.Thread(target=reader, name="promptreel-turn", daemon=True).start()
        out = TurnOutcome()
        actions: list[Intent] = []
        now = time.monotonic()
        last_output = last_progress = now
        dropped_said = False
        partial = ""
        try:
            while True:
                now = time.monotonic()
                wait = min(last_output + s.still_working_s - now, last_progress + s.give_up_s - now)
                try:
                    item = items.get(timeout=max(0.01, wait))
                except queue.Empty:
                    item = None
                now = time.monotonic()
                if item is _END:
                    out.completed = True
                    break
                if isinstance(item, TurnInterrupted):
                    out.interrupted = item
                    break
                if isinstance(item, BaseException):
                    raise item
                if isinstance(item, TurnEvent):
                    last_progress = now
                    if item.partial:  # streamed deltas: shown once the full text arrives
                        partial += item.text
                        continue
                    text = item.text if item.text.strip() else ""
                    if not text and partial.strip() and item.turn_complete:
                        text = partial
                    partial = ""
                    if item.error_code:
                        out.error = True
                        self._fail(text or self.t("turn_failed"))
                        last_output = now
                    elif text:
                        tr = translate_gui(text)
                        if tr.text:
                            self.say(tr.text)
                            last_output = now
                            out.shown_text = True
                            out.texts.append(tr.text)
                        actions += [a for a in tr.actions if a not in actions]
                elif isinstance(item, StreamDropped) and not dropped_said:
                    dropped_said = True
                    self.say(self.t("reconnecting"), "dim")
                elif item is None or isinstance(item, Heartbeat | StreamDropped):
                    pass
                if now - last_progress >= s.give_up_s:
                    out.gave_up = True
                    stream.close()
                    mins = s.give_up_s / 60
                    took = (
                        duration_label(mins, "minute", self.lang)
                        if mins >= 1
                        else duration_label(s.give_up_s, "second", self.lang)
                    )
                    self._fail(self.t("gave_up", took=took))
                    break
                if now - last_output >= s.still_working_s:
                    self.say(self.t("still_working"), "dim")
                    last_output = now
        finally:
            stream.close()
        out.actions = tuple(actions)
        return out
