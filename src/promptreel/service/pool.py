"""Where turns and renders compute: worker processes at a lower CPU priority.

The process that serves HTTP keeps the database, the leases and the event stream; the heavy part
of a job — planning and speech synthesis for a turn, drawing and encoding for a render — runs
in worker processes that it starts, so the event loop and its threads never wait for the GIL
behind it and the kernel gives the API the cores first:

* each worker process runs ``job_nice`` below the API (and ``SCHED_BATCH`` on Linux, so it never
  preempts a waking API thread) from its first instruction — on Linux it is started from a
  thread that already has that priority, so even its interpreter start-up and imports yield to
  the API — and every thread or process it starts (x264's threads, a render's chunk workers)
  inherits that;
* two pools, so an edit never queues behind a render: ``turn_processes`` for generation and
  edits, ``render_workers`` for renders; a job waits for a free process of its pool, which bounds
  how much runs at once;
* each process loads the studio and warms it up (imports, engines, a voice, fonts, a tiny
  render) before its first job: one process per pool starts when the server starts, more when
  jobs find every process busy, so no request waits for warm-up (and a turn's first event
  never waits for a process at all: it is stored when the turn is accepted);
* :class:`ProcessStudio` is the :class:`~promptreel.service.port.Studio` port the turn runner
  and the render queue call, unchanged: stage callbacks and render progress come back over the
  pipe, a draft's media is resolved here (the owner's uploads) and handed over as paths, and an
  exception raised in a worker is raised again here as the same class;
* a worker process that dies fails only its job (its turn or render fails cleanly, as any
  failure) and is replaced; a worker process whose parent died exits.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import queue
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from promptreel.draft import Draft
from promptreel.errors import InternalError
from promptreel.media_refs import references
from promptreel.service.port import Studio, load_studio
from promptreel.settings import Settings

__all__ = ["ProcessStudio", "WorkerDied"]

log = logging.getLogger("promptreel.pool")

#: seconds between render progress messages from a worker (the last one always goes)
_PROGRESS_EVERY_S = 0.2


_Stage = Callable[[str, Draft], None]
_Paths = Callable[[str], Path | None]
_Progress = Callable[[float, str], None]


class WorkerDied(InternalError):
    """A worker process stopped in the middle of a job (killed, or out of memory)."""


class ProcessStudio:
    """The Studio port, served by pools of worker processes (see the module docstring)."""

    def __init__(self, settings: Settings) -> None:
        # the workers' absolute nice value; on Linux a new process inherits the nice value and
        # policy of the thread that starts it, so they are started from a thread already this low
        # and never run their start-up (interpreter, imports) at the API's priority
        priority = min(19, os.getpriority(os.PRIO_PROCESS, 0) + max(0, settings.job_nice))
        linux = sys.platform.startswith("linux")
        self._spawner = ThreadPoolExecutor(
            1,
            thread_name_prefix="worker-process-start",
            initializer=(lambda: _lower_thread(priority)) if linux else None,
        )
        self.turns = _Pool("turn", settings, max(1, settings.turn_processes), priority, self._spawner)
        self.renders = _Pool("render", settings, max(1, settings.render_workers), priority, self._spawner)

    def start(self) -> None:
        """Start the worker processes in the background; returns at once."""
        self.turns.start()
        self.renders.start()

    def stop(self) -> None:
        self.turns.stop()
        self.renders.stop()
        self._spawner.shutdown(wait=False)

    # the port's methods (:class:`~promptreel.service.port.Studio` has their signatures), forwarded:
    # a callback stays here and gets the worker's notes; every other argument crosses the pipe

    def generate_draft(self, prompt: str, *, on_stage: _Stage | None = None, **kw: Any) -> Draft:
        kw["media"] = list(kw.get("media", ()))
        draft: Draft = self.turns.call("generate_draft", (prompt,), kw, on_stage)
        return draft

    def edit_draft(self, draft: Draft, message: str, **kw: Any) -> Any:
        kw["media"] = list(kw.get("media", ()))
        return self.turns.call("edit_draft", (draft, message), kw)

    def render_file(
        self,
        draft: Draft,
        out: Path,
        *,
        media_path: _Paths | None = None,
        progress: _Progress | None = None,
        **kw: Any,
    ) -> Any:
        files: dict[str, str] = {}
        if media_path is not None:  # resolved here: the worker opens only what the owner uploaded
            for ref in references(draft):
                path = media_path(ref.ref)
                if path is not None:
                    files[ref.ref] = str(path)
        return self.renders.call("render_file", (draft, out), {**kw, "files": files}, progress)


class _Child:
    def __init__(self, process: Any, conn: Connection) -> None:
        self.process = process
        self.conn = conn


class _Pool:
    """``size`` worker processes of one kind; a job takes an idle one and gives it back."""

    def __init__(self, role: str, settings: Settings, size: int, priority: int, spawner: Executor) -> None:
        self.role = role
        self.settings = settings
        self.size = size
        self.priority = priority
        self._spawner = spawner
        self._ctx = multiprocessing.get_context("spawn")  # never fork a process running threads
        self._idle: queue.Queue[_Child] = queue.Queue()
        self._all: list[_Child] = []
        self._spawning = 0
        self._lock = threading.Lock()
        self._stopped = False
        self._started = False

    def start(self) -> None:
        """One process starts (and warms up) at once, in the background; more start when jobs
        find every process busy, up to ``size``."""
        with self._lock:
            if self._started:
                return
            self._started = True
        self._grow_in_background()

    def _grow_in_background(self) -> None:
        def grow() -> None:
            try:
                child = self._grow()
            except Exception:
                log.exception("could not start a %s worker process", self.role)
                return
            if child is not None:
                self._idle.put(child)

        threading.Thread(target=grow, name=f"{self.role}-process-start", daemon=True).start()

    def _grow(self) -> _Child | None:
        """A new process, unless the pool is full (or stopped)."""
        with self._lock:
            if self._stopped or len(self._all) + self._spawning >= self.size:
                return None
            self._spawning += 1
        try:
            return self._spawn()
        finally:
            with self._lock:
                self._spawning -= 1

    def _spawn(self) -> _Child:
        child: _Child = self._spawner.submit(self._start_process).result()
        return child

    def _start_process(self) -> _Child:
        mine, theirs = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(
            target=_serve,
            args=(theirs, self.settings, self.role, self.priority, os.getpid()),
            name=f"promptreel-{self.role}",
            daemon=False,  # a render may start its own chunk processes
        )
        process.start()
        theirs.close()
        child = _Child(process, mine)
        with self._lock:
            self._all.append(child)
        return child

    def stop(self) -> None:
        """Idle processes exit, busy ones are ended; the jobs they ran are left as they are (the
        next start, or another worker when their leases run out, takes them over)."""
        self._stopped = True
        with self._lock:
            children, self._all = self._all, []
        idle = []
        while True:
            try:
                idle.append(self._idle.get_nowait())
            except queue.Empty:
                break
        for c in idle:
            with contextlib.suppress(OSError):
                c.conn.send(None)
        for c in children:
            if c not in idle:
                c.process.terminate()
        deadline = time.monotonic() + 2.0
        for c in children:
            c.process.join(max(0.0, deadline - time.monotonic()))
            if c.process.is_alive():
                c.process.kill()
                c.process.join(1.0)

    @staticmethod
    def _halt() -> None:
        """A job caller once the pool has stopped: wait for the process to exit, record nothing."""
        threading.Event().wait()

    def _take(self) -> _Child:
        self.start()
        while True:
            if self._stopped:
                self._halt()
            try:
                child = self._idle.get_nowait()
            except queue.Empty:
                grown = self._grow()
                if grown is not None:
                    return grown  # it warms up, then takes the job waiting in its pipe
                try:
                    child = self._idle.get(timeout=1.0)
                except queue.Empty:
                    continue
            if child.process.is_alive():
                return child
            self._forget(child)

    def _forget(self, child: _Child) -> None:
        with self._lock:
            if child in self._all:
                self._all.remove(child)
        child.conn.close()

    def call(
        self,
        method: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        callback: Callable[..., None] | None = None,
    ) -> Any:
        """Run ``studio.method(*args, **kwargs)`` in a worker; ``callback`` gets its stage or
        progress messages. Raises what the worker raised, or :class:`WorkerDied`."""
        child = self._take()
        healthy = False
        try:
            child.conn.send((method, args, kwargs))
            while True:
                msg = child.conn.recv()
                kind = msg[0]
                if kind == "note":
                    if callback is not None:
                        callback(*msg[1:])
                elif kind == "ok":
                    healthy = True
                    return msg[1]
                else:
                    healthy = True
                    raise _unpack(msg[1])
        except (EOFError, OSError) as exc:
            if self._stopped:
                self._halt()
            code = child.process.exitcode
            log.error("a %s worker process stopped during %s (exit code %s)", self.role, method, code)
            raise WorkerDied(
                f"The {self.role} worker process stopped during this job (exit code {code})."
            ) from exc
        finally:
            if healthy and not self._stopped:
                self._idle.put(child)
            else:
                self._forget(child)
                if child.process.is_alive():
                    child.process.terminate()
                child.process.join(5.0)  # reaped: no zombie left behind
                if not self._stopped:
                    self._grow_in_background()  # a warm replacement


# -- exceptions across the pipe --------------------------------------------------------------


def _pack(exc: BaseException) -> tuple[str, str, tuple[Any, ...], dict[str, Any], str]:
    cls = type(exc)
    state = dict(getattr(exc, "__dict__", {}))
    try:
        import pickle

        pickle.dumps((exc.args, state))
    except Exception:
        return cls.__module__, cls.__qualname__, (str(exc),), {}, str(exc)
    return cls.__module__, cls.__qualname__, exc.args, state, str(exc)


def _unpack(packed: tuple[str, str, tuple[Any, ...], dict[str, Any], str]) -> BaseException:
    """The worker's exception as the same class (a stand-in of the same name if it cannot be made)."""
    import importlib

    module, name, args, state, text = packed
    try:
        cls: Any = importlib.import_module(module)
        for part in name.split("."):
            cls = getattr(cls, part)
        if not (isinstance(cls, type) and issubclass(cls, BaseException)):
            raise TypeError(name)
        exc: BaseException = cls.__new__(cls)
        exc.args = args
        exc.__dict__.update(state)
        return exc
    except Exception:
        stand_in: type[RuntimeError] = type(name.rsplit(".", 1)[-1], (RuntimeError,), {})
        return stand_in(text)


# -- the worker process ----------------------------------------------------------------------


def _lower_thread(priority: int) -> None:
    """The calling thread (Linux: nice value and policy are per thread) at ``priority``, batch."""
    with contextlib.suppress(OSError):
        if os.getpriority(os.PRIO_PROCESS, 0) < priority:
            os.setpriority(os.PRIO_PROCESS, 0, priority)
    if hasattr(os, "sched_setscheduler") and hasattr(os, "SCHED_BATCH"):
        with contextlib.suppress(OSError):
            os.sched_setscheduler(0, os.SCHED_BATCH, os.sched_param(0))


def _name(role: str) -> None:
    """``turn-worker`` / ``render-worker`` in ``ps`` and ``/proc/<pid>/comm`` (Linux)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None)
        libc.prctl(15, f"{role}-worker".encode()[:15], 0, 0, 0)  # PR_SET_NAME
    except (OSError, AttributeError):
        pass


def _exit_with(parent: int) -> None:
    """Exit when the process that started this one is gone (killed, even with -9)."""

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _serve(conn: Connection, settings: Settings, role: str, priority: int, parent: int) -> None:
    """A worker process: lower its priority, load and warm the studio, then run jobs one at a time."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops this
    _lower_thread(priority)  # already so on Linux (inherited); the whole process elsewhere
    _name(role)
    _exit_with(parent)
    studio = load_studio(settings)
    _warm(studio, role, settings)
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if msg is None:
            return
        method, args, kwargs = msg
        try:
            result = _run(studio, conn, method, args, kwargs)
        except BaseException as exc:
            conn.send(("error", _pack(exc)))
            continue
        try:
            conn.send(("ok", result))
        except Exception:  # a result that does not pickle: the caller uses the file, not the value
            conn.send(("ok", None))


def _run(studio: Studio, conn: Connection, method: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    if method == "generate_draft":
        return studio.generate_draft(*args, on_stage=lambda stage, d: conn.send(("note", stage, d)), **kwargs)
    if method == "edit_draft":
        return studio.edit_draft(*args, **kwargs)
    if method == "render_file":
        files: dict[str, str] = kwargs.pop("files")
        last = [0.0]

        def progress(frac: float, stage: str = "") -> None:
            now = time.monotonic()
            if frac >= 1.0 or now - last[0] >= _PROGRESS_EVERY_S:
                last[0] = now
                conn.send(("note", float(frac), str(stage)))

        def media_path(ref: str) -> Path | None:
            found = files.get(ref)
            return Path(found) if found else None

        return studio.render_file(*args, media_path=media_path, progress=progress, **kwargs)
    raise ValueError(f"unknown studio method {method!r}")


def _warm(studio: Studio, role: str, settings: Settings) -> None:
    """Load what the first job would otherwise wait for: imports, engines, a voice, fonts."""
    t0 = time.perf_counter()
    try:
        warm = getattr(studio, "warm", None)
        if callable(warm):
            warm(role)
        else:
            from promptreel.service.studio import LocalStudio

            if isinstance(studio, LocalStudio):
                _warm_local(studio, role, settings)
    except Exception:
        log.warning("warming up a %s worker process failed", role, exc_info=True)
    log.info("%s worker process %d ready in %.1f s", role, os.getpid(), time.perf_counter() - t0)


def _warm_local(studio: Any, role: str, settings: Settings) -> None:
    """A short generation and edit (turns) or a tiny render (renders), with the same engines and
    never the LLM (warming up must not call out)."""
    import tempfile

    from promptreel.draft import Canvas
    from promptreel.service.studio import LocalStudio

    offline = LocalStudio(
        settings.model_copy(update={"llm_base_url": "", "render_chunk_cache": False}), engines=studio.engines
    )
    draft = offline.generate_draft("A 4-second video about tea.")
    if role == "turn":
        offline.edit_draft(draft, "make the music quieter", lang="en")
        return
    small = draft.replace(canvas=Canvas(192, 108, 10))
    with tempfile.TemporaryDirectory(prefix="promptreel-warm-") as tmp:
        offline.render_file(small, Path(tmp) / "warm.mp4", preview=True)
