"""Uploaded media on the timeline: still images (cover or contain, with Ken Burns) and video
clips (frames from :class:`promptreel.render.avio.VideoSource`, ``trim_in`` respected).

Cover scaling fills the frame and crops the overflow; it never stretches (one uniform scale).
Contain shows the whole picture over a blurred, darkened cover-scaled copy of itself.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import skia

from promptreel.draft import Segment
from promptreel.render.assets import Assets
from promptreel.render.easing import ease_in_out

__all__ = ["PictureRenderer", "cover_rect", "contain_rect", "grey_image", "grey_paint", "resolve_path"]

_LINEAR = skia.SamplingOptions(skia.FilterMode.kLinear)
_MIPMAP = skia.SamplingOptions(skia.FilterMode.kLinear, skia.MipmapMode.kLinear)


def cover_rect(src_w: float, src_h: float, dst_w: float, dst_h: float, zoom: float = 1.0) -> skia.Rect:
    """Destination rect (centred) for drawing a ``src`` image so it covers ``dst`` (aspect kept)."""
    k = max(dst_w / src_w, dst_h / src_h) * zoom
    w, h = src_w * k, src_h * k
    return skia.Rect.MakeXYWH((dst_w - w) / 2, (dst_h - h) / 2, w, h)


def contain_rect(src_w: float, src_h: float, dst_w: float, dst_h: float, zoom: float = 1.0) -> skia.Rect:
    k = min(dst_w / src_w, dst_h / src_h) * zoom
    w, h = src_w * k, src_h * k
    return skia.Rect.MakeXYWH((dst_w - w) / 2, (dst_h - h) / 2, w, h)


def resolve_path(meta: Mapping[str, Any], assets: Assets) -> Path | None:
    """The file a segment's ``media_id`` (else ``src``) stands for, as ``assets`` resolves it.

    Only the assets' resolver decides: a path written in the draft is never opened as such.
    """
    for field in ("media_id", "src"):
        ref = meta.get(field)
        if not ref:
            continue
        try:
            path = assets.media_path(str(ref))
        except Exception:
            path = None
        if path is not None and Path(path).is_file():
            return Path(path)
    return None


class _Frames(Protocol):
    def frame_at(self, ms: int, size: tuple[int, int] | None = None) -> np.ndarray: ...


def _open_video(path: Path) -> _Frames | None:
    try:
        from promptreel.render.avio import VideoSource  # written alongside the encoder
    except ImportError:
        return None
    try:
        source: _Frames = VideoSource(path)
        return source
    except Exception:
        return None


def _image_from_rgba(arr: np.ndarray) -> skia.Image | None:
    if arr.ndim != 3 or arr.shape[2] not in (3, 4):
        return None
    if arr.shape[2] == 3:
        arr = np.concatenate([arr, np.full((*arr.shape[:2], 1), 255, np.uint8)], axis=2)
    arr = np.ascontiguousarray(arr, dtype=np.uint8)
    return skia.Image.fromarray(arr, colorType=skia.kRGBA_8888_ColorType, alphaType=skia.kPremul_AlphaType)


def _scaled(image: skia.Image, w: int, h: int, blur: float = 0.0, darken: float = 0.0) -> skia.Image:
    """``image`` cover-scaled into a new ``w``×``h`` image once (optionally blurred/darkened)."""
    surface = skia.Surface(max(1, w), max(1, h))
    c = surface.getCanvas()
    c.clear(skia.ColorBLACK)
    paint = skia.Paint(AntiAlias=True)
    if blur:
        paint.setImageFilter(skia.ImageFilters.Blur(blur, blur, skia.TileMode.kClamp))
    c.drawImageRect(image, cover_rect(image.width(), image.height(), w, h), _MIPMAP, paint)
    if darken:
        c.drawColor(skia.ColorSetARGB(round(255 * darken), 0, 0, 0))
    return surface.makeImageSnapshot()


_LUMA = [0.2126, 0.7152, 0.0722, 0.0, 0.0] * 3 + [0.0, 0.0, 0.0, 1.0, 0.0]


def grey_paint(meta: Mapping[str, Any]) -> skia.Paint | None:
    """A paint that draws in shades of grey, for a segment the user made black and white
    (``meta.grey``); ``None`` for one in colour."""
    if not meta.get("grey"):
        return None
    return skia.Paint(ColorFilter=skia.ColorFilters.Matrix(_LUMA))


def grey_image(image: skia.Image, paint: skia.Paint) -> skia.Image:
    """``image`` in shades of grey (drawn once through ``paint``), transparency kept."""
    surface = skia.Surface(image.width(), image.height())
    c = surface.getCanvas()
    c.clear(skia.ColorTRANSPARENT)
    c.drawImage(image, 0, 0, skia.SamplingOptions(), paint)
    return surface.makeImageSnapshot()


class PictureRenderer:
    """One ``media`` segment at ``width``×``height``."""

    def __init__(self, segment: Segment, assets: Assets, width: int, height: int) -> None:
        meta = segment.meta
        self.seg = segment
        self.w, self.h = width, height
        self.grey = grey_paint(meta)
        self.fit = "contain" if meta.get("fit") == "contain" else "cover"
        self.kenburns = bool(meta.get("kenburns", True))
        try:
            self.trim_in = max(0, int(meta.get("trim_in") or 0))
        except (TypeError, ValueError):
            self.trim_in = 0
        digest = hashlib.sha1(segment.id.encode()).digest()
        self.pan = ((digest[0] / 255 - 0.5) * 2, (digest[1] / 255 - 0.5) * 2)
        self.zoom_in = digest[2] % 2 == 0
        path = resolve_path(meta, assets)
        kind = str(meta.get("media_kind") or "")
        if not kind and path is not None:
            kind = (
                "video"
                if path.suffix.lower() in {".mp4", ".mov", ".webm", ".mkv", ".m4v", ".avi"}
                else "image"
            )
        self.video: _Frames | None = None
        self.image: skia.Image | None = None
        self.backdrop: skia.Image | None = None
        if path is not None and kind == "video":
            self.video = _open_video(path)
        elif path is not None:
            self._load_image(path)
            if self.grey is not None:  # a still photo goes grey once
                self.image = grey_image(self.image, self.grey) if self.image is not None else None
                self.backdrop = grey_image(self.backdrop, self.grey) if self.backdrop is not None else None

    def _load_image(self, path: Path) -> None:
        try:
            data = skia.Data.MakeFromFileName(str(path))
            image = skia.Image.MakeFromEncoded(data) if data is not None else None
        except Exception:
            image = None
        if image is None:
            return
        headroom = 1.12 if self.kenburns else 1.0
        if self.fit == "cover":
            # pre-scale once to (a little more than) the size shown: big photos are not
            # resampled from full resolution on every frame
            r = cover_rect(image.width(), image.height(), self.w, self.h, headroom)
            k = min(1.0, r.width() / image.width())
            self.image = _scaled(image, max(1, round(image.width() * k)), max(1, round(image.height() * k)))
        else:
            r = contain_rect(image.width(), image.height(), self.w, self.h, headroom)
            k = min(1.0, r.width() / image.width())
            self.image = _scaled(image, max(1, round(image.width() * k)), max(1, round(image.height() * k)))
            self.backdrop = _scaled(image, self.w, self.h, blur=min(self.w, self.h) * 0.04, darken=0.35)

    def close(self) -> None:
        close = getattr(self.video, "close", None)
        if callable(close):
            close()
        self.video = None

    def static(self, t0: float, t1: float) -> bool:
        """Same picture at both times: a still image without Ken Burns."""
        return self.video is None and not self.kenburns

    def _motion(self, t_ms: float) -> tuple[float, float, float]:
        """Ken Burns: (zoom, dx, dy) with dx/dy as fractions of the free margin."""
        if not self.kenburns:
            return 1.0, 0.0, 0.0
        dur = max(1.0, float(self.seg.duration))
        x = min(1.0, max(0.0, t_ms / dur))
        p = 0.5 * x + 0.5 * ease_in_out(x)  # moving from the first frame, easing into the end
        zoom = 1.0 + 0.08 * (p if self.zoom_in else 1 - p)
        return zoom, self.pan[0] * (p - 0.5), self.pan[1] * (p - 0.5)

    def draw(self, canvas: skia.Canvas, t_ms: float) -> None:
        if self.grey is not None and self.video is not None:  # a clip's frames go grey as drawn
            canvas.saveLayer(None, self.grey)
            self._draw(canvas, t_ms)
            canvas.restore()
        else:
            self._draw(canvas, t_ms)

    def _draw(self, canvas: skia.Canvas, t_ms: float) -> None:
        if self.video is not None:
            self._draw_video(canvas, t_ms)
            return
        if self.image is None:
            self._draw_missing(canvas)
            return
        img = self.image
        zoom, dx, dy = self._motion(t_ms)
        if self.fit == "cover":
            r = cover_rect(img.width(), img.height(), self.w, self.h, zoom)
        else:
            if self.backdrop is not None:
                canvas.drawImage(self.backdrop, 0, 0)
            r = contain_rect(img.width(), img.height(), self.w * 0.94, self.h * 0.94, zoom)
            r.offset(self.w * 0.03, self.h * 0.03)
        free_x = max(0.0, (r.width() - self.w) / 2)
        free_y = max(0.0, (r.height() - self.h) / 2)
        r.offset(dx * free_x, dy * free_y)
        exact = abs(r.width() - img.width()) < 0.5 and abs(r.height() - img.height()) < 0.5
        if exact:
            canvas.drawImage(img, round(r.left()), round(r.top()))
        else:
            canvas.drawImageRect(img, r, _LINEAR)

    def _video_size(self) -> tuple[int, int] | None:
        """The size to ask the decoder for, so its frames need no resampling here: the cover
        (or contain) size of the source in this frame. ``None`` if the source size is unknown."""
        sw, sh = getattr(self.video, "width", 0), getattr(self.video, "height", 0)
        if not (isinstance(sw, int) and isinstance(sh, int) and sw > 0 and sh > 0):
            return None
        fit = cover_rect if self.fit == "cover" else contain_rect
        r = fit(sw, sh, self.w, self.h)
        return max(2, round(r.width())), max(2, round(r.height()))

    def _draw_video(self, canvas: skia.Canvas, t_ms: float) -> None:
        assert self.video is not None
        ms = self.trim_in + max(0, round(t_ms))
        size = self._video_size()
        try:
            try:
                arr = self.video.frame_at(ms, size) if size else self.video.frame_at(ms)
            except TypeError:  # a source without resizing
                arr = self.video.frame_at(ms)
            img = _image_from_rgba(np.asarray(arr))
        except Exception:
            img = None
        if img is None:
            self._draw_missing(canvas)
            return
        if self.fit == "contain":
            canvas.drawColor(skia.ColorBLACK)
            r = contain_rect(img.width(), img.height(), self.w, self.h)
        else:
            r = cover_rect(img.width(), img.height(), self.w, self.h)
        if abs(r.width() - img.width()) < 0.5 and abs(r.height() - img.height()) < 0.5:
            canvas.drawImage(img, round(r.left()), round(r.top()))  # already at size: a plain blit
        else:
            canvas.drawImageRect(img, r, _LINEAR)

    def _draw_missing(self, canvas: skia.Canvas) -> None:
        """A calm neutral frame (media not available): dark gradient and a picture glyph."""
        shader = skia.GradientShader.MakeLinear([(0, 0), (0, self.h)], [0xFF1E2230, 0xFF10121A])
        canvas.drawPaint(skia.Paint(Shader=shader))
        m = min(self.w, self.h)
        s = m * 0.16
        x, y = self.w / 2 - s / 2, self.h / 2 - s * 0.4
        stroke = skia.Paint(
            AntiAlias=True, Color=0x59FFFFFF, Style=skia.Paint.kStroke_Style, StrokeWidth=max(1.5, m * 0.008)
        )
        canvas.drawRoundRect(skia.Rect.MakeXYWH(x, y, s, s * 0.78), s * 0.1, s * 0.1, stroke)
        mountain = skia.Path()
        mountain.moveTo(x + s * 0.12, y + s * 0.66)
        mountain.lineTo(x + s * 0.4, y + s * 0.36)
        mountain.lineTo(x + s * 0.58, y + s * 0.54)
        mountain.lineTo(x + s * 0.7, y + s * 0.44)
        mountain.lineTo(x + s * 0.88, y + s * 0.66)
        canvas.drawPath(mountain, stroke)
        canvas.drawCircle(x + s * 0.72, y + s * 0.24, s * 0.07, stroke)
