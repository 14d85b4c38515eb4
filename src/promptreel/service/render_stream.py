"""A preview followed while it renders: the fragmented MP4 the renderer writes in place, read
as it grows and sent on, so the studio's player starts on the first finished fragment.

The renderer writes a streamed preview at :meth:`PreviewStreams.path` (``RenderOptions.fragmented``):
an empty index first, then a fragment per keyframe, each flushed when complete. When the render
ends the file leaves that name (moved into the blob store, or removed on failure); a reader that
opened it keeps its handle, reads what is left, and ends. A reader also ends when the file stops
growing for :data:`IDLE_S` seconds (a render that hangs never holds a connection open for ever).
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote

from promptreel.errors import AuthError, NotFound
from promptreel.service.links import Signer
from promptreel.storage import Database, renders
from promptreel.storage.models import Render

__all__ = ["IDLE_S", "PreviewStreams", "follow", "signed_job", "streams"]

IDLE_S = 120.0
_READ = 256 * 1024
_POLL_S = 0.04


def streams(job: Render) -> bool:
    """A preview is written as a stream the studio plays while it renders; exports are not."""
    return job.format == "mp4" and job.quality == "preview"


def signed_job(
    db: Database, signer: Signer, scope: str, render_id: str, job_id: str, exp: str | None, sig: str | None
) -> Render:
    """The render job a signed link names (signed for ``scope:job_id``: ``render`` downloads the
    file, ``stream`` follows a preview); :class:`AuthError` or :class:`NotFound` otherwise."""
    if not signer.verify(f"{scope}:{job_id}", exp, sig):
        what = "preview" if scope == "stream" else "download"
        raise AuthError(f"This {what} link is invalid or expired. Poll the render again for a fresh link.")
    with db.read() as s:
        job = renders.get(s, job_id)
    if job is None or job.render_id != render_id:
        raise NotFound("No such render.")
    return job


class PreviewStreams:
    """Where previews are written while they render, their signed links, and opening them."""

    def __init__(self, db: Database, signer: Signer, folder: Path) -> None:
        self.db, self.signer, self.folder = db, signer, folder

    def path(self, job_id: str) -> Path:
        """Where the render job ``job_id`` writes its streamed preview (the blob store's temp folder)."""
        return self.folder / f"stream-{job_id}.mp4"

    def link(self, job: Render) -> str:
        """Path + query of the signed link to the preview as it renders (the API adds its base URL)."""
        return f"/api/render/proxy/{quote(job.render_id, safe='')}/stream?job={job.id}&" + self.signer.query(
            f"stream:{job.id}"
        )

    def open(self, render_id: str, job_id: str, exp: str | None, sig: str | None) -> tuple[BinaryIO, Path]:
        """The growing preview file a signed stream link names, opened for :func:`follow`."""
        job = signed_job(self.db, self.signer, "stream", render_id, job_id, exp, sig)
        path = self.path(job.id)
        try:
            return path.open("rb"), path
        except OSError:
            raise NotFound(
                "This preview is no longer rendering: poll the render for its file.",
                data={"status": job.status},
            ) from None


async def follow(
    handle: BinaryIO, path: Path, *, idle_s: float = IDLE_S, poll_s: float = _POLL_S
) -> AsyncIterator[bytes]:
    """The bytes of the open file ``handle`` (opened at ``path``) as they are written, until the
    writer is done with ``path`` and everything written has been sent; closes ``handle``."""
    try:
        last = time.monotonic()
        while True:
            data = handle.read(_READ)
            if data:
                last = time.monotonic()
                yield data
                continue
            if not _still_written(handle, path):
                rest = handle.read()
                while rest:
                    yield rest
                    rest = handle.read()
                return
            if time.monotonic() - last > idle_s:
                return
            await asyncio.sleep(poll_s)
    finally:
        handle.close()


def _still_written(handle: BinaryIO, path: Path) -> bool:
    """Whether ``path`` still names the file ``handle`` reads (the render has not finished)."""
    try:
        now, ours = os.stat(path), os.fstat(handle.fileno())
    except OSError:
        return False
    return (now.st_dev, now.st_ino) == (ours.st_dev, ours.st_ino)
