"""Exports: a durable queue in the database and a pool of worker threads off the event loop.

* ``POST`` is idempotent on the client's ``id`` (unique per user): the same id is the same job.
* One export per session runs at a time; the rest wait (``pending``) in submission order.
* Workers (:mod:`promptreel.service.render_worker`) claim jobs with a lease: a job whose
  worker died is claimed again once the lease runs out; a single-process server re-queues at
  start what it left ``processing``. A job interrupted ``MAX_ATTEMPTS`` times is failed with a
  clear message. Finishing is conditional on still holding the lease, so a job finishes once.
* Finished files go to the content-addressed blob store; ``output.url`` is a signed link.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

from sqlalchemy.exc import IntegrityError

from promptreel.draft import Limits, codec
from promptreel.errors import (
    ExportBlocked,
    InvalidDraft,
    InvalidRequest,
    NotFound,
)
from promptreel.service.links import Signer
from promptreel.service.port import Studio
from promptreel.service.render_stream import PreviewStreams, signed_job, streams
from promptreel.service.render_worker import RenderWorker, check_media
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


#: a job's stored status → its wire status
_RENDER_STATUS: dict[str, Literal["pending", "processing", "completed", "failed"]] = {
    "pending": "pending",
    "processing": "processing",
    "completed": "completed",
    "failed": "failed",
}

ATTRIBUTION_HEADERS = ("X-Skill-Source", "X-Skill-Version", "X-Skill-Platform")
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
        self.worker = RenderWorker(db, blobs, settings, studio, uploads, self.streams)

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
        # ``render_id`` is a plain file name: the wire's rule (``wire.JOB_ID_PATTERN``) refuses
        # any other at the edge, with the field's path; the server's own ids follow it
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
            refuse_nul(codec.encode(draft))
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
        self.worker.wake.set()
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

    # -- workers (``service/render_worker.py``) ---------------------------------------------
    def recover(self) -> None:
        """Re-queue what a single-process server left ``processing`` (fail what tried too often)."""
        self.worker.recover()

    def start(self, owner: str = "", lease_s: float | None = None) -> None:
        """Start claiming and rendering queued jobs as ``owner``."""
        self.worker.start(owner, lease_s)

    def stop(self) -> None:
        self.worker.stop()


def refuse_nul(value: Any, path: str = "") -> None:
    """:class:`InvalidDraft` naming the first string (value or key) of a compact draft that holds
    U+0000: no database keeps it in text (PostgreSQL refuses it), so no draft carries one. Run on
    a draft that passed :func:`codec.decode`, so a draft's own faults are named first."""
    if isinstance(value, str):
        if "\x00" in value:
            raise InvalidDraft("the text holds a NUL character (U+0000); remove it", path=path or "draft")
    elif isinstance(value, dict):
        for k, v in value.items():
            key = f"{path}.{k}" if path else str(k)
            if "\x00" in str(k):
                raise InvalidDraft("the key holds a NUL character (U+0000); remove it", path=key)
            refuse_nul(v, key)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            refuse_nul(v, f"{path}[{i}]")


#: Unicode categories a download's name never keeps: controls, formats (bidirectional marks,
#: zero-width characters), line and paragraph separators, unassigned and private-use characters
_HIDDEN = frozenset({"Cc", "Cf", "Zl", "Zp", "Cn", "Co", "Cs"})


def download_name(draft_json: str, fallback: str) -> str:
    """The export's file name: the video's title made safe for any file system (``Morning Coffee.mp4``),
    else the render id."""
    import json
    import re
    import unicodedata

    try:
        meta = json.loads(draft_json).get("m") or {}
        title = str(meta.get("title") or "")
    except (ValueError, AttributeError):
        title = ""
    # no separator, reserved or control character, and no invisible one (bidirectional overrides
    # such as U+202E can make "clip\u202eexe.mp4" show as "clip4pm.exe")
    safe = "".join(" " if unicodedata.category(c) in _HIDDEN else c for c in title)
    safe = re.sub(r"[\\/:*?\"<>|]+", " ", safe)
    safe = re.sub(r"\s+", " ", safe).strip(" .")[:80].strip(" .")
    return f"{safe or fallback}.mp4"
