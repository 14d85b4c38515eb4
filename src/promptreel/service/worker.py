"""The worker role: claims turns and renders from the shared database and runs them.

Every process that runs jobs (``promptreel worker``, and ``promptreel serve`` unless told not
to) has one :class:`JobWorker` with its own id. Jobs are claimed with a lease of
``job_lease_s`` seconds (``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL) that a heartbeat
renews every third of it; a worker that dies stops renewing, and once the lease has run out
another worker claims the job and runs it again (turns from the start, with the half-made draft
dropped; renders from scratch). Settling credits and finishing a job are conditional on still
holding the lease, so each job finishes once and no credit is spent twice.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading

from promptreel.service.renders import RenderService
from promptreel.service.turns import TurnService
from promptreel.settings import Settings
from promptreel.storage import Database, renders, turns

__all__ = ["JobWorker", "worker_id"]

log = logging.getLogger("promptreel.worker")


def worker_id(settings: Settings) -> str:
    """``host:pid:random`` unless the settings name this worker."""
    return settings.worker_id or f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(3)}"


class JobWorker:
    def __init__(
        self, db: Database, settings: Settings, turns_: TurnService, renders_: RenderService
    ) -> None:
        self.db = db
        self.settings = settings
        self.turns = turns_
        self.renders = renders_
        self.id = worker_id(settings)
        self.lease_s = max(1.0, float(settings.job_lease_s))
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._slots = threading.Semaphore(max(1, settings.turn_workers))
        self._active: set[str] = set()
        self._active_lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    # -- lifecycle --------------------------------------------------------------------------
    def start(self) -> None:
        self._stop.clear()
        self.turns.on_accepted = self.wake
        self.renders.start(owner=self.id, lease_s=self.lease_s)
        for name, target in (
            ("turn-dispatch", self._dispatch_turns),
            ("job-heartbeat", self._heartbeat),
            ("turn-watchdog", self._watch),
        ):
            t = threading.Thread(target=target, name=name, daemon=True)
            t.start()
            self._threads.append(t)
        log.info("worker %s: taking turns and renders", self.id)

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self.renders.stop()

    def wake(self) -> None:
        self._wake.set()

    @property
    def running(self) -> list[str]:
        with self._active_lock:
            return sorted(self._active)

    # -- turns ------------------------------------------------------------------------------
    def _dispatch_turns(self) -> None:
        poll = max(0.05, float(self.settings.job_poll_s))
        while not self._stop.is_set():
            if not self._slots.acquire(timeout=0.5):
                continue
            turn_id = None
            try:
                turn_id = self._claim_turn()
            except Exception:
                log.exception("turn queue")
            with self._active_lock:
                mine = turn_id is not None and turn_id not in self._active
                if mine:
                    self._active.add(turn_id)  # type: ignore[arg-type]
            if not mine:  # nothing to do (or a turn this worker already runs, its lease renewed)
                self._slots.release()
                self._wake.wait(poll)
                self._wake.clear()
                continue
            threading.Thread(
                target=self._run_turn, args=(turn_id,), name=f"turn-{turn_id}", daemon=True
            ).start()

    def _claim_turn(self) -> str | None:
        with self.db.read() as s:  # a cheap look first: claiming takes the write lock
            if not turns.claimable(s):
                return None
        with self.db.write() as s:
            t = turns.claim(s, self.id, self.lease_s)
            return t.id if t else None

    def _run_turn(self, turn_id: str) -> None:
        try:
            self.turns.runner.run(turn_id, self.id)
        finally:
            with self._active_lock:
                self._active.discard(turn_id)
            self._slots.release()
            self._wake.set()

    # -- leases and deadlines ---------------------------------------------------------------
    def _heartbeat(self) -> None:
        failing = False
        while not self._stop.wait(self.lease_s / 3):
            try:
                with self.db.write() as s:
                    turns.heartbeat(s, self.id, self.lease_s)
                    renders.heartbeat(s, self.id, self.lease_s)
                failing = False
            except Exception as exc:
                if not failing:
                    log.warning("worker %s: could not renew its leases (%s)", self.id, exc.__class__.__name__)
                failing = True

    def _watch(self) -> None:
        runner = self.turns.runner
        tick = 0
        while not self._stop.wait(1.0):
            tick += 1
            try:
                runner.finish_unrecorded()
                if tick % 5 == 0:
                    runner.fail_late()
                if tick % 60 == 0:
                    runner.rearm_reserve()
            except Exception:
                log.exception("turn watchdog")
