"""Running exports: the workers of the durable queue kept by :mod:`promptreel.service.renders`.

A dispatcher thread claims jobs with a lease (:mod:`promptreel.service.worker` renews it) while
a slot is free (``render_workers``) and renders each on its own thread: an MP4 through the
studio (previews written in place, so the studio can play them while they grow), or a zipped
project for an editor. A job interrupted ``MAX_ATTEMPTS`` times is failed with a clear message;
finishing is conditional on still holding the lease, so a job finishes once; a failure is
recorded even on a full disk.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from promptreel.draft import Draft, codec
from promptreel.errors import InvalidDraft, PromptreelError, StorageFull
from promptreel.media_refs import MediaResolver, unresolved
from promptreel.render.probe import probe
from promptreel.service.port import Studio
from promptreel.service.render_stream import PreviewStreams, streams
from promptreel.service.uploads import UploadService
from promptreel.settings import Settings
from promptreel.storage import BlobStore, Database, renders
from promptreel.storage.models import Render
from promptreel.storage.sessions import PROJECT_DELETED

__all__ = ["MAX_ATTEMPTS", "RenderWorker", "check_media"]

log = logging.getLogger("promptreel.renders")

MAX_ATTEMPTS = 3


class _Stopped(Exception):
    """The job stopped running here while it rendered (its project was deleted, or another
    worker took it over): nothing more is done or kept for it."""


def check_media(draft: Draft, owned: MediaResolver) -> None:
    """Refuse (4003, naming the field) a draft whose ``media_id``/``src`` is not one of ``owned``.

    On the server a draft names media only by the id of one of its owner's uploads: a path, a
    URL or another user's id is refused the same way, and nothing about it is looked up on disk.
    """
    seen: dict[str, bool] = {}

    def known(ref: str) -> Path | None:
        if ref not in seen:
            seen[ref] = owned(ref) is not None
        return Path() if seen[ref] else None

    bad = unresolved(draft, known)
    if bad is not None:
        raise InvalidDraft(
            f"{bad.ref[:80]!r} is not one of your uploads. Upload the file to this project and "
            "name it by its media_id.",
            path=bad.path,
            data={"ref": bad.ref[:200]},
        )


class RenderWorker:
    """Claims and runs the queued exports of one process (``owner``: the worker holding them)."""

    def __init__(
        self,
        db: Database,
        blobs: BlobStore,
        settings: Settings,
        studio: Callable[[], Studio],
        uploads: UploadService,
        streams: PreviewStreams,
    ) -> None:
        self.db = db
        self.blobs = blobs
        self.settings = settings
        self._studio = studio
        self.uploads = uploads
        self.streams = streams
        self.wake = threading.Event()  # set when a job is queued or a slot frees
        self._stop = threading.Event()
        self._slots = threading.Semaphore(max(1, settings.render_workers))
        self._dispatcher: threading.Thread | None = None
        self.owner = ""
        self.lease_s = float(settings.job_lease_s)

    def recover(self) -> None:
        with self.db.write() as s:
            requeued, failed = renders.requeue_processing(s, MAX_ATTEMPTS)
        if requeued or failed:
            log.info("renders after restart: %d re-queued, %d failed", requeued, failed)

    def start(self, owner: str = "", lease_s: float | None = None) -> None:
        self.owner = owner or self.owner
        if lease_s is not None:
            self.lease_s = lease_s
        self._stop.clear()
        self._dispatcher = threading.Thread(target=self._dispatch, name="render-dispatch", daemon=True)
        self._dispatcher.start()

    def stop(self) -> None:
        self._stop.set()
        self.wake.set()

    def _dispatch(self) -> None:
        while not self._stop.is_set():
            if not self._slots.acquire(timeout=0.5):
                continue
            try:
                job = self._claim()
            except Exception:
                log.exception("render queue")
                job = None
            if job is None:
                self._slots.release()
                self.wake.wait(max(0.05, min(1.0, self.settings.job_poll_s)))
                self.wake.clear()
                continue
            threading.Thread(target=self._run, args=(job,), name=f"render-{job.id}", daemon=True).start()

    def _claim(self) -> Render | None:
        with self.db.write() as s:
            job = renders.claim_next(s, self.owner, self.lease_s)
            if job is None:
                return None
            if not renders.still_running(s, job.id, self.owner or None):  # its project is gone
                error = PROJECT_DELETED
            elif job.attempts > MAX_ATTEMPTS:
                error = (
                    "The workers stopped during this render too many times. Retry the export with a new id."
                )
            else:
                return job
            renders.finish(s, job.id, status="failed", owner=self.owner or None, error=error)
        return None

    def _run(self, job: Render) -> None:
        suffix = ".mp4" if job.format == "mp4" else ".zip"
        out = self.streams.path(job.id) if streams(job) else self.blobs.tmp_path(suffix)
        started = time.monotonic()
        try:
            self._render(job, out)
            waited = (job.started_at - job.created_at).total_seconds() if job.started_at else 0.0
            log.info(
                "render %s (%s %s) done in %.2f s after %.2f s queued",
                job.id,
                job.format,
                job.quality,
                time.monotonic() - started,
                waited,
            )
        except _Stopped:
            log.info("render %s stopped: no longer running here (its project was deleted)", job.id)
        except Exception as exc:
            if isinstance(exc, PromptreelError):
                msg = exc.message
            else:
                log.exception("render %s failed", job.id)
                msg = f"The render failed ({exc.__class__.__name__}). Retry the export with a new id."
            self._fail(job, msg)
        finally:
            out.unlink(missing_ok=True)
            self._slots.release()
            self.wake.set()

    def _fail(self, job: Render, msg: str) -> None:
        """Record a failed render — on a full disk too: the blob store's reserve is given up to make
        room for the record, so a render never stays ``processing`` for want of space."""
        for attempt in range(2):
            try:
                with self.db.write() as s:
                    renders.finish(s, job.id, status="failed", owner=self.owner or None, error=msg[:1000])
                return
            except StorageFull:
                if attempt or not self.blobs.release_reserve():
                    log.error("storage full: render %s could not be marked failed; free some space", job.id)
                    return
                log.error("storage full: gave up the disk reserve to record render %s as failed", job.id)

    def _render(self, job: Render, out: Path) -> None:
        draft: Draft = codec.loads(job.draft)
        last = [0.0, -1.0]

        def progress(frac: float, stage: str = "") -> None:
            now = time.monotonic()
            if now - last[0] < 0.25 and frac < 1.0:
                return
            last[0] = now
            try:
                with self.db.write() as s:
                    alive = renders.update_progress(
                        s, job.id, float(frac), str(stage), owner=self.owner or None
                    )
            except Exception:
                log.warning("progress update for %s failed", job.id)
                return
            if not alive:
                raise _Stopped(job.id)

        owned = self.uploads.media_path(job.user_id)
        check_media(draft, owned)  # also for jobs queued before this check existed
        if job.format != "mp4":
            self._project(job, draft, out, owned, progress)
            return
        studio = self._studio()
        studio.render_file(
            draft,
            out,
            media_path=owned,
            progress=progress,
            preview=job.quality in ("low", "preview"),
            stream=streams(job),
        )
        if not out.is_file() or out.stat().st_size == 0:
            raise PromptreelError("The renderer produced no file. Retry the export with a new id.")
        duration, width, height = draft.duration, draft.canvas.width, draft.canvas.height
        try:
            info = probe(out)
            duration, width, height = info.duration_ms, info.width, info.height
        except Exception:
            log.warning("could not probe render %s", job.id)
        self._completed(job, out, duration, width, height)

    def _completed(self, job: Render, out: Path, duration: int, width: int, height: int) -> None:
        """``out`` into the blob store and the job finished with it (as long as it is still ours)."""
        with self.db.read() as s:
            if not renders.still_running(s, job.id, self.owner or None):
                raise _Stopped(job.id)  # no file is kept for a job that is no longer ours
        sha, size = self.blobs.put_file(out)
        with self.db.write() as s:
            renders.finish(
                s,
                job.id,
                status="completed",
                owner=self.owner or None,
                blob=sha,
                size=size,
                duration_ms=int(duration),
                width=int(width),
                height=int(height),
                progress=1.0,
                stage="done",
            )

    def _project(
        self,
        job: Render,
        draft: Draft,
        out: Path,
        owned: MediaResolver,
        progress: Callable[[float, str], None],
    ) -> None:
        """A project for an editor (``job.format``) with its media, zipped, into the blob store."""
        import shutil

        from promptreel.service import projects

        folder = self.blobs.tmp_path(".project")

        def media_progress(frac: float, stage: str = "") -> None:
            progress(0.95 * frac, stage or "media")

        try:
            projects.export_project(
                draft,
                folder,
                job.format,
                settings=self.settings,
                media_path=owned,
                preview=job.quality in ("low", "preview"),
                progress=media_progress,
            )
            progress(0.97, "zip")
            projects.zip_folder(folder, out)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        self._completed(job, out, draft.duration, draft.canvas.width, draft.canvas.height)
