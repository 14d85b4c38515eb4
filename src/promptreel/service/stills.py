"""Stills for the studio: a draft's frames at chosen moments (the poster, one per scene for the
timeline) and small pictures of uploads, drawn by the same renderer as the export.

Each is a JPEG, small and cached on disk under the data dir by what it shows (the draft's bytes,
the moments, the width), so the same request costs one file read.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import skia

from promptreel.draft import Draft, codec
from promptreel.errors import InvalidRequest, NotFound
from promptreel.media_refs import MediaResolver
from promptreel.render import VideoSource, load_image_rgba
from promptreel.render.painter import default_painter
from promptreel.service.sessions import SessionService, poster_ms
from promptreel.service.uploads import UploadService
from promptreel.settings import Settings

if TYPE_CHECKING:
    from promptreel.service.studio import Engines
from promptreel.timecode import ms_to_frame

__all__ = ["MAX_FRAMES", "StillCache", "StillService", "draft_frames", "media_thumbnail", "size_for"]

MAX_FRAMES = 48  # moments in one request (a long timeline asks in pages)
MAX_WIDTH = 640
QUALITY = 78


def size_for(width: int, height: int, want: int) -> tuple[int, int]:
    """``want`` px wide (at most the source's own width and MAX_WIDTH), the source's shape, even sides."""
    w = max(16, min(int(want), MAX_WIDTH, max(16, width)))
    h = max(16, round(w * height / max(1, width)))
    return w // 2 * 2, h // 2 * 2


def _jpeg(surface: skia.Surface) -> bytes:
    data = surface.makeImageSnapshot().encodeToData(skia.EncodedImageFormat.kJPEG, QUALITY)
    if data is None:  # pragma: no cover - skia without a JPEG encoder
        raise RuntimeError("no JPEG encoder")
    return bytes(data)


def draft_frames(
    draft: Draft,
    times_ms: Sequence[int],
    width: int,
    *,
    engines: Engines,
    media_path: MediaResolver | None = None,
) -> bytes:
    """The frames at ``times_ms`` side by side in one JPEG (each ``width`` px wide, the canvas's
    shape): one request and one painter for a whole timeline's thumbnails."""
    if not times_ms or len(times_ms) > MAX_FRAMES:
        raise InvalidRequest(f"Ask for 1 to {MAX_FRAMES} moments at a time.", data={"path": "at"})
    if draft.duration <= 0:
        raise InvalidRequest("The project has no timeline yet.", data={"path": "draft"})
    c = draft.canvas
    w, h = size_for(c.width, c.height, width)
    last = max(0, ms_to_frame(draft.duration, c.fps) - 1)
    assets = engines.assets(media_path)
    painter = default_painter()(draft, assets, w, h)
    frame = skia.Surface(w, h)
    sheet = skia.Surface(w * len(times_ms), h)
    try:
        for k, ms in enumerate(times_ms):
            canvas = frame.getCanvas()
            canvas.clear(skia.ColorBLACK)
            depth = canvas.save()
            try:
                painter.draw(canvas, min(last, max(0, ms_to_frame(max(0, int(ms)), c.fps))))
            finally:
                canvas.restoreToCount(depth)
            sheet.getCanvas().drawImage(frame.makeImageSnapshot(), float(k * w), 0.0)
    finally:
        painter.close()
    return _jpeg(sheet)


def media_thumbnail(path: Path, kind: str, width: int, height: int, want: int) -> bytes:
    """A small picture of an uploaded photo or video (the frame at one second, or the first)."""
    if kind not in ("image", "video"):
        raise InvalidRequest("Only photos and videos have a picture.", data={"path": "media_id"})
    w, h = size_for(width or want, height or want, want)
    if kind == "image":
        rgba = load_image_rgba(path, (w, h))
    else:
        with VideoSource(path) as src:
            rgba = np.ascontiguousarray(src.frame_at(1000, (w, h)))
    image = skia.Image.fromarray(
        np.ascontiguousarray(rgba[:, :, :4]), colorType=skia.ColorType.kRGBA_8888_ColorType
    )
    surface = skia.Surface(w, h)
    surface.getCanvas().clear(skia.ColorWHITE)  # a transparent photo reads on white
    surface.getCanvas().drawImage(image, 0.0, 0.0)
    return _jpeg(surface)


class StillCache:
    """JPEGs on disk keyed by what they show; written atomically, read by anyone."""

    def __init__(self, root: Path, max_files: int = 2000) -> None:
        self.root = root
        self.max_files = max_files

    @staticmethod
    def key(*parts: object) -> str:
        h = hashlib.sha256()
        for p in parts:
            h.update(repr(p).encode("utf-8"))
            h.update(b"\0")
        return h.hexdigest()[:32]

    @staticmethod
    def draft_key(draft: Draft) -> str:
        return hashlib.sha256(codec.dumps(draft).encode("utf-8")).hexdigest()

    def get(self, key: str) -> bytes | None:
        p = self.root / f"{key}.jpg"
        try:
            return p.read_bytes()
        except OSError:
            return None

    def put(self, key: str, data: bytes) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            tmp = self.root / f".{key}.{os.getpid()}.tmp"
            tmp.write_bytes(data)
            tmp.replace(self.root / f"{key}.jpg")
            self._trim()
        except OSError:
            pass  # a cache that cannot write only costs a redraw

    def _trim(self) -> None:
        files = list(self.root.glob("*.jpg"))
        if len(files) <= self.max_files:
            return
        files.sort(key=lambda p: p.stat().st_mtime)
        for p in files[: len(files) - self.max_files]:
            p.unlink(missing_ok=True)


class StillService:
    """The stills of one user's projects: owner-only, cached by what they show."""

    def __init__(self, sessions: SessionService, uploads: UploadService, settings: Settings) -> None:
        self.sessions = sessions
        self.uploads = uploads
        self.settings = settings
        self.cache = StillCache(settings.data_dir / "stills")

    def frames(self, user_id: str, session_id: str, at: Sequence[int | str], width: int) -> bytes:
        """The head draft's frames at ``at`` (milliseconds, or ``"poster"`` for the representative frame)."""
        info = self.sessions.owned(user_id, session_id)
        _, draft = self.sessions.head(info.id)
        if draft is None or not draft.ready:
            raise InvalidRequest("The project has no timeline yet.", data={"path": "draft"})
        times = [poster_ms(draft) if a == "poster" else int(a) for a in at]
        key = self.cache.key("frames", StillCache.draft_key(draft), tuple(times), width)
        data = self.cache.get(key)
        if data is None:
            from promptreel.service.studio import default_engines  # the engines load on the first still

            engines = default_engines(self.settings)
            data = draft_frames(
                draft, times, width, engines=engines, media_path=self.uploads.media_path(user_id)
            )
            self.cache.put(key, data)
        return data

    def upload(self, user_id: str, session_id: str, media_id: str, width: int) -> bytes:
        info = self.sessions.owned(user_id, session_id)
        row = next((m for m in self.uploads.for_session(info.id) if m.id == media_id), None)
        if row is None:
            raise NotFound("No such upload in this project.")
        key = self.cache.key("upload", row.blob, width)
        data = self.cache.get(key)
        if data is None:
            path = self.uploads.media_path(user_id)(row.id)
            if path is None:
                raise NotFound("The uploaded file is no longer stored.")
            data = media_thumbnail(path, row.kind, row.width, row.height, width)
            self.cache.put(key, data)
        return data
