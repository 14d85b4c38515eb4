"""Exports: a durable queue in the database and a pool of worker threads off the event loop.

* ``POST`` is idempotent on the client's ``id`` (unique per user): the same id is the same job.
* One export per session runs at a time; the rest wait (``pending``) in submission order.
* Workers claim jobs with a lease (:mod:`promptreel.service.worker` renews it): a job whose
  worker died is claimed again once the lease runs out; a single-process server re-queues at
  start what it left ``processing``. A job interrupted ``MAX_ATTEMPTS`` times is failed with a
  clear message. Finishing is conditional on still holding the lease, so a job finishes once.
* Finished files go to the content-addressed blob store; ``output.url`` is a signed link.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

from sqlalchemy.exc import IntegrityError

from promptreel.draft import Draft, Limits, codec
from promptreel.errors import (
    ExportBlocked,
    InvalidDraft,
    InvalidRequest,
    NotFound,
    PromptreelError,
    StorageFull,
)
from promptreel.media_refs import MediaResolver, unresolved
from promptreel.render.probe import probe
from promptreel.service.links import Signer
from promptreel.service.port import Studio
from promptreel.service.render_stream import PreviewStreams, signed_job, streams
from promptreel.service.sessions import SessionService
from promptreel.service.uploads import UploadService
from promptreel.settings import Settings
from promptreel.storage import BlobStore, Database, renders
from promptreel.storage.models import Render
from promptreel.wire import GeneratedMedia, RenderOutput, RenderStatus

__all__ = [
    "ATTRIBUTION_HEADERS",
    "EXPORT_FORMATS",
    "RenderService",
    "RenderFile",
    "check_attribution",
    "check_media",
]

log = logging.getLogger("promptreel.renders")

#: a job's stored status → its wire status
_RENDER_STATUS: dict[str, Literal["pending", "processing", "completed", "failed"]] = {
    "pending": "pending",
    "processing": "processing",
    "completed": "completed",
    "failed": "failed",
}

ATTRIBUTION_HEADERS = ("X-Skill-Source", "X-Skill-Version", "X-Skill-Platform")
MAX_ATTEMPTS = 3
QUALITIES = ("high", "medium", "low", "preview")
#: what an export job makes: the MP4, or a zipped project for an editor (``service/projects.py``)
EXPORT_FORMATS = ("mp4", "otio", "fcpxml", "fcp7", "edl", "jianying")


def check_attribution(headers: Mapping[str, str], required: bool) -> dict[str, str]:
    """The attribution headers present; with ``required``, 402 naming the first missing one."""
    found = {h: headers.get(h, "").strip()[:200] for h in ATTRIBUTION_HEADERS}
    if required:
        for h in ATTRIBUTION_HEADERS:
            if not found[h]:
                raise ExportBlocked(
                    f"Export refused: the attribution header {h} is missing. Send X-Skill-Source, "
                    "X-Skill-Version and X-Skill-Platform with every request.",
                    data={"missing_header": h},
                )
    return {k: v for k, v in found.items() if v}


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


@dataclass(frozen=True, slots=True)
class RenderFile:
    path: Path
    filename: str
    size: int
    media_type: str = "video/mp4"


class RenderService:
    def __init__(
        self,
        db: Database,
        blobs: BlobStore,
        settings: Settings,
        studio: Callable[[], Studio],
        sessions: SessionService,
        uploads: UploadService,
        signer: Signer,
    ) -> None:
        self.db = db
        self.blobs = blobs
        self.settings = settings
        self._studio = studio
        self.sessions = sessions
        self.uploads = uploads
        self.signer = signer
        self.streams = PreviewStreams(db, signer, blobs.tmp)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._slots = threading.Semaphore(max(1, settings.render_workers))
        self._dispatcher: threading.Thread | None = None
        self.owner = ""  # the worker holding the jobs this process renders
        self.lease_s = float(settings.job_lease_s)

    @property
    def limits(self) -> Limits:
        st = self.settings
        return Limits(
            max_duration_ms=st.max_duration_ms, max_segments=st.max_segments, max_canvas_px=st.max_canvas_px
        )

    # -- API --------------------------------------------------------------------------------
    def submit(
        self,
        user_id: str,
        render_id: str,
        session_id: str,
        draft_json: Any,
        fmt: str,
        quality: str,
        attribution: dict[str, str],
    ) -> RenderStatus:
        if not render_id or len(render_id) > 200 or not render_id.isprintable() or "/" in render_id:
            raise InvalidRequest(
                "'id' must be 1-200 printable characters without '/' (e.g. render_<timestamp>)."
            )
        with self.db.read() as s:
            existing = renders.by_render_id(s, user_id, render_id)
        if existing is not None:
            return self.status_of(existing)
        info = self.sessions.owned(user_id, session_id)
        if fmt not in EXPORT_FORMATS:
            raise InvalidRequest(f"output.format must be one of {', '.join(EXPORT_FORMATS)}.")
        if quality not in QUALITIES:
            raise InvalidRequest(f"output.quality must be one of {', '.join(QUALITIES)}.")
        if draft_json is None:
            _, draft = self.sessions.head(info.id)
            if draft is None:
                raise InvalidDraft("the session has no draft yet; generate one first", path="draft")
        else:
            draft = codec.decode(draft_json, self.limits)
        if not draft.ready:
            raise InvalidDraft("nothing to export: no track has segments", path="t")
        check_media(draft, self.uploads.media_path(user_id))
        try:
            with self.db.write() as s:
                job = renders.create(
                    s,
                    render_id=render_id,
                    user_id=user_id,
                    session_id=info.id,
                    draft=codec.dumps(draft),
                    format=fmt,
                    quality=quality,
                    attribution=json.dumps(attribution),
                )
        except IntegrityError:  # the same id raced in twice: both get the one job
            with self.db.read() as s:
                job2 = renders.by_render_id(s, user_id, render_id)
            if job2 is None:
                raise
            job = job2
        self._wake.set()
        return self.status_of(job)

    def status(self, user_id: str, render_id: str) -> RenderStatus:
        with self.db.read() as s:
            job = renders.by_render_id(s, user_id, render_id)
            if job is None:
                raise NotFound(f"No render with id {render_id!r} for this token.")
            return self.status_of(
                job, position=renders.queue_position(s, job) if job.status == "pending" else None
            )

    def status_of(self, job: Render, position: int | None = None) -> RenderStatus:
        """The wire view of a job (``queue_position`` only while it waits: otherwise left unset)."""
        output = None
        if job.status == "completed":
            output = RenderOutput(
                url=self.signed_path(job),
                duration=job.duration_ms,
                duration_ms=job.duration_ms,
                size=job.size,
                width=job.width,
                height=job.height,
                format=job.format,
            )
        view = RenderStatus(
            id=job.render_id,
            job_id=job.id,
            session_id=job.session_id,
            status=_RENDER_STATUS.get(job.status, "failed"),
            progress=1.0 if job.status == "completed" else round(job.progress, 4),
            stage=job.stage,
            output=output,
            error=job.error or None,
            quality=job.quality,
            created_at=job.created_at.replace(microsecond=0).isoformat() + "Z",
            started_at=job.started_at.isoformat() + "Z" if job.started_at else None,
            finished_at=job.finished_at.isoformat() + "Z" if job.finished_at else None,
        )
        if position is not None:
            return view.model_copy(update={"queue_position": position})
        if job.status == "processing" and streams(job) and self.streams.path(job.id).is_file():
            return view.model_copy(update={"stream_url": self.streams.link(job)})
        return view

    def signed_path(self, job: Render) -> str:
        """Path + query of the signed download link (the API prefixes its base URL)."""
        where = "render/proxy" if job.format == "mp4" else "project"
        return f"/api/{where}/{quote(job.render_id, safe='')}/download?job={job.id}&" + self.signer.query(
            f"render:{job.id}"
        )

    def generated_media(self, session_id: str) -> list[GeneratedMedia]:
        """The session's finished videos (project zips are downloads, not media)."""
        with self.db.read() as s:
            jobs = renders.for_session(s, session_id, "completed")
        return [
            GeneratedMedia(**self.status_of(j).model_dump(exclude={"queue_position"}))
            for j in jobs
            if j.format == "mp4"
        ]

    def export_and_wait(
        self,
        user_id: str,
        session_id: str,
        fmt: str,
        render_id: str,
        *,
        timeout_s: float,
        quality: str = "high",
    ) -> RenderStatus:
        """Submit the session's current draft as ``fmt`` (idempotent on ``render_id``) and wait for
        the job: its final status (``failed`` with the reason, or ``pending`` past the timeout)."""
        job = self.submit(user_id, render_id, session_id, None, fmt, quality, {})
        deadline = time.monotonic() + timeout_s
        while job.status not in ("completed", "failed") and time.monotonic() < deadline:
            time.sleep(0.2)
            job = self.status(user_id, render_id)
        return job

    def file_signed(self, render_id: str, job_id: str, exp: str | None, sig: str | None) -> RenderFile:
        return self._file(signed_job(self.db, self.signer, "render", render_id, job_id, exp, sig))

    def file_owned(self, user_id: str, render_id: str) -> RenderFile:
        with self.db.read() as s:
            job = renders.by_render_id(s, user_id, render_id)
        if job is None:
            raise NotFound(f"No render with id {render_id!r} for this token.")
        return self._file(job)

    def _file(self, job: Render) -> RenderFile:
        if job.status != "completed" or not job.blob:
            raise NotFound(
                f"The render is not finished yet (status: {job.status}).", data={"status": job.status}
            )
        path = self.blobs.path(job.blob)
        if not path.is_file():
            raise NotFound("The rendered file is no longer stored. Export again.")
        if job.format != "mp4":
            name = download_name(job.draft, job.render_id).removesuffix(".mp4")
            return RenderFile(path, f"{name} ({job.format}).zip", job.size, "application/zip")
        return RenderFile(path, download_name(job.draft, job.render_id), job.size)

    # -- workers ----------------------------------------------------------------------------
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
        self._wake.set()

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
                self._wake.wait(max(0.05, min(1.0, self.settings.job_poll_s)))
                self._wake.clear()
                continue
            threading.Thread(target=self._run, args=(job,), name=f"render-{job.id}", daemon=True).start()

    def _claim(self) -> Render | None:
        with self.db.write() as s:
            job = renders.claim_next(s, self.owner, self.lease_s)
            if job is None or job.attempts <= MAX_ATTEMPTS:
                return job
            renders.finish(
                s,
                job.id,
                status="failed",
                owner=self.owner or None,
                error="The workers stopped during this render too many times. Retry the export with a new id.",
            )
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
            self._wake.set()

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
                    renders.update_progress(s, job.id, float(frac), str(stage), owner=self.owner or None)
            except Exception:
                log.warning("progress update for %s failed", job.id)

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
        sha, size = self.blobs.put_file(out)
        with self.db.write() as s:
            renders.finish(
                s,
                job.id,
                status="completed",
                owner=self.owner or None,
                blob=sha,
                size=size,
                duration_ms=int(draft.duration),
                width=int(draft.canvas.width),
                height=int(draft.canvas.height),
                progress=1.0,
                stage="done",
            )


def download_name(draft_json: str, fallback: str) -> str:
    """The export's file name: the video's title made safe for any file system (``Morning Coffee.mp4``),
    else the render id."""
    import json
    import re

    try:
        meta = json.loads(draft_json).get("m") or {}
        title = str(meta.get("title") or "")
    except (ValueError, AttributeError):
        title = ""
    safe = re.sub(r"[\\/:*?\"<>|\x00-\x1f]+", " ", title)
    safe = re.sub(r"\s+", " ", safe).strip(" .")[:80].strip(" .")
    return f"{safe or fallback}.mp4"
