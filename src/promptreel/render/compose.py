"""The compositor: draws every layer of one frame of a draft with skia.

The engine builds one :class:`Compositor` per render (or preview) and calls :meth:`draw` for
each frame index at ``draft.canvas.fps``. ``width``/``height`` may be smaller than the draft's
canvas (previews): all layout is computed in output pixels from relative measures, and sizes
given in the draft (caption/title ``size``) are scaled by ``width / canvas.width``.

Per-segment renderers (scene, picture, title, caption, overlay) are built lazily on first use
and kept in a small LRU, so memory is bounded by the frames in flight, not the video's length.
"""

from __future__ import annotations

import zlib
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any, Protocol

import numpy as np
import skia

from promptreel.draft import Draft, TrackType
from promptreel.render.assets import Assets
from promptreel.render.captions import CaptionRenderer
from promptreel.render.damage import Area, Rect, normalize
from promptreel.render.picture import PictureRenderer
from promptreel.render.plan import Layer, Plan, Transition, build_plan
from promptreel.render.raster import NATIVE_COLOR_TYPE
from promptreel.render.scene import SceneRenderer
from promptreel.render.titles import OverlayRenderer, TitleRenderer
from promptreel.render.transitions import draw_transition

__all__ = ["Compositor"]

_BACKGROUND = skia.ColorBLACK
_KEEP = 12  # segment renderers kept alive (a transition needs two per track)


class _Renderer(Protocol):
    def draw(self, canvas: skia.Canvas, t_ms: float) -> None: ...


class _Nothing:
    def draw(self, canvas: skia.Canvas, t_ms: float) -> None:
        return None

    def static(self, t0: float, t1: float) -> bool:
        return True


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


class Compositor:
    """Draws frames of ``draft`` at ``width``×``height``."""

    def __init__(self, draft: Draft, assets: Assets, width: int, height: int) -> None:
        self.draft = draft
        self.assets = assets
        self.width, self.height = int(width), int(height)
        self.scale = self.width / max(1, draft.canvas.width)
        self.plan: Plan = build_plan(draft)
        self.fps = draft.canvas.fps
        try:
            self.seed = int(draft.meta.get("seed", 0) or 0)
        except (TypeError, ValueError):
            self.seed = 0
        self.show_captions = draft.meta.get("captions", True) is not False
        self.has_captions = self.show_captions and any(
            t.role == "captions" and t.type == TrackType.TEXT and not t.hidden and t.segments
            for t in draft.tracks
        )
        self._titles = [
            (seg.start, seg.end)
            for t in draft.tracks
            if t.type == TrackType.TEXT and t.role == "title" and not t.hidden
            for seg in t.segments
        ]
        self._renderers: OrderedDict[str, _Renderer] = OrderedDict()
        self._work: skia.Surface | None = None

    # --- renderers -------------------------------------------------------------------------

    def _make(self, layer: Layer) -> _Renderer:
        seg, track = layer.segment, layer.track
        w, h = self.width, self.height
        kind = seg.kind
        if track.type == TrackType.VIDEO:
            if kind == "media" or track.role == "media":
                return PictureRenderer(seg, self.assets, w, h)
            delay = max(
                (end - seg.start for start, end in self._titles if start <= seg.start < end), default=0
            )
            return SceneRenderer(
                seg,
                self.assets,
                w,
                h,
                seed=self.seed ^ zlib.crc32(seg.id.encode()),
                captions=self.has_captions,
                headline_delay_ms=delay,
            )
        if track.type == TrackType.TEXT:
            style = _mapping(track.meta.get("style"))
            if kind == "caption" or track.role == "captions":
                if not self.show_captions:
                    return _Nothing()
                return CaptionRenderer(seg, style, w, h, self.scale)
            if kind == "title" or track.role == "title":
                return TitleRenderer(seg, w, h, self.scale)
            return OverlayRenderer(seg, style, w, h, self.scale)
        return _Nothing()

    def _renderer(self, layer: Layer) -> _Renderer:
        key = f"{layer.track.id}/{layer.segment.id}"
        r = self._renderers.get(key)
        if r is None:
            r = self._make(layer)
            self._renderers[key] = r
            while len(self._renderers) > _KEEP:
                _, old = self._renderers.popitem(last=False)
                close = getattr(old, "close", None)
                if callable(close):
                    close()
        else:
            self._renderers.move_to_end(key)
        return r

    # --- drawing ---------------------------------------------------------------------------

    def _draw_layer(self, canvas: skia.Canvas, layer: Layer, frame: int) -> None:
        self._renderer(layer).draw(canvas, layer.local_ms(frame))

    def _draw_transition(self, canvas: skia.Canvas, tr: Transition, frame: int) -> None:
        out = tr.outgoing

        def draw_in(c: skia.Canvas) -> None:
            self._draw_layer(c, tr.incoming, frame)

        def draw_out(c: skia.Canvas) -> None:
            assert out is not None
            self._draw_layer(c, out, frame)

        draw_transition(
            canvas,
            tr.kind,
            tr.progress(frame),
            self.width,
            self.height,
            draw_out if out is not None else None,
            draw_in,
        )

    def _target(self, canvas: skia.Canvas) -> tuple[skia.ImageInfo, np.ndarray] | None:
        """Where to copy a frame drawn on the work surface: the canvas's own pixels, viewed as
        RGBA premultiplied (identical bytes for our opaque frames). ``None``: draw directly."""
        pm = skia.Pixmap()
        if not canvas.peekPixels(pm):
            return None
        info = pm.info()
        if (pm.width(), pm.height()) != (self.width, self.height) or pm.rowBytes() != self.width * 4:
            return None
        if info.colorType() not in (skia.kRGBA_8888_ColorType, skia.kBGRA_8888_ColorType):
            return None
        if not canvas.getTotalMatrix().isIdentity():
            return None
        view = np.array(pm, copy=False)
        dst = skia.ImageInfo.Make(self.width, self.height, info.colorType(), skia.kPremul_AlphaType)
        return dst, view

    def _paint(self, canvas: skia.Canvas, frame: int) -> None:
        canvas.save()
        items = self.plan.at(frame)
        first = items[0] if items else None
        opaque = isinstance(first, Layer) and isinstance(
            self._renderer(first), SceneRenderer | PictureRenderer
        )
        if not opaque:  # scenes and pictures cover every pixel themselves
            canvas.clear(_BACKGROUND)
        for item in items:
            if isinstance(item, Transition):
                self._draw_transition(canvas, item, frame)
            else:
                self._draw_layer(canvas, item, frame)
        canvas.restore()

    def draw(self, canvas: skia.Canvas, frame: int) -> None:
        """Clear and draw everything visible at ``frame``.

        Frames are drawn on a native-order premultiplied work surface (where skia's blits are
        several times faster than on an unpremultiplied RGBA buffer) and copied into the
        canvas's pixels with one swizzle; canvases without raster pixels are drawn directly.
        """
        info = canvas.imageInfo()
        native = info.colorType() == NATIVE_COLOR_TYPE and info.alphaType() == skia.kPremul_AlphaType
        target = None if native else self._target(canvas)
        if target is None:
            self._paint(canvas, frame)
            return
        if self._work is None:
            self._work = skia.Surface(self.width, self.height)
        self._paint(self._work.getCanvas(), frame)
        dst_info, view = target
        self._work.readPixels(dst_info, view, self.width * 4, 0, 0)

    def damage(self, frame: int) -> list[Rect] | None:
        """Where ``frame`` may differ from ``frame - 1``: normalised pixel rectangles (``[]``:
        nowhere, the engine re-encodes the previous picture; ``None``: anywhere, drawn whole).

        Each segment renderer answers for itself (``damage(t0, t1)``, or ``static(t0, t1)``
        for all or nothing); a change of the visible segments, a transition, or a renderer
        that cannot tell makes the whole frame damaged."""
        items, before = self.plan.at(frame), self.plan.at(frame - 1)
        if items is not before and items != before:
            return None
        found: list[Area] = []
        for item in items:
            if not isinstance(item, Layer):
                return None
            r = self._renderer(item)
            t0, t1 = item.local_ms(frame - 1), item.local_ms(frame)
            damage = getattr(r, "damage", None)
            if damage is not None:
                rects = damage(t0, t1)
                if rects is None:
                    return None
                found.extend(rects)
                continue
            static = getattr(r, "static", None)
            if static is None or not static(t0, t1):
                return None
        return normalize(found, self.width, self.height)

    def unchanged(self, frame: int) -> bool:
        """Whether ``frame`` looks exactly like ``frame - 1`` (the engine then re-encodes the
        previous picture): nothing visible, or only still pictures without Ken Burns and
        captions whose text, page and highlighted word stay the same."""
        items, before = self.plan.at(frame), self.plan.at(frame - 1)
        if items is not before and items != before:
            return False
        for item in items:
            if not isinstance(item, Layer):
                return False
            r = self._renderer(item)
            static = getattr(r, "static", None)
            if static is None or not static(item.local_ms(frame - 1), item.local_ms(frame)):
                return False
        return True

    def close(self) -> None:
        for r in self._renderers.values():
            close = getattr(r, "close", None)
            if callable(close):
                close()
        self._renderers.clear()
        self._work = None
