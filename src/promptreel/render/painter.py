"""The drawing contract between the engine and the compositor, plus a plain fallback painter.

The engine owns one skia surface and, for every frame index at the draft's fps, calls
``painter.draw(canvas, frame)``; the painter draws everything, background included.
``render.compose.Compositor`` is the real painter; :class:`FlatPainter` draws each scene's
palette with simple motion and the text segments, for tests, benchmarks and as a fallback.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Protocol

import skia

from promptreel.draft import Draft, TrackType
from promptreel.render.assets import Assets
from promptreel.timecode import ms_to_frame

__all__ = ["Painter", "PainterFactory", "FlatPainter", "default_painter"]


class Painter(Protocol):
    """Draws frames. Optionally, ``unchanged(frame) -> bool`` may say that ``frame`` looks
    exactly like ``frame - 1`` (a still title card, a paused scene): the engine then skips
    :meth:`draw` and encodes the previous picture again."""

    def draw(self, canvas: skia.Canvas, frame: int) -> None: ...

    def close(self) -> None: ...


PainterFactory = Callable[[Draft, Assets, int, int], Painter]


def default_painter() -> PainterFactory:
    """``render.compose.Compositor`` when it is available, else :class:`FlatPainter`."""
    try:
        from promptreel.render.compose import Compositor
    except ImportError:
        return FlatPainter
    return Compositor  # type: ignore[no-any-return,unused-ignore]


def _color(value: object, fallback: int) -> int:
    if isinstance(value, str) and value.startswith("#") and len(value) == 7:
        return skia.ColorSetRGB(int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16))
    return fallback


class FlatPainter:
    """Each scene: a cached two-colour gradient, a drifting disc, its headline; text segments on top."""

    _PALETTE = ("#1F2937", "#2563EB", "#F59E0B")

    def __init__(self, draft: Draft, assets: Assets, width: int, height: int) -> None:
        self.width, self.height = width, height
        fps = draft.canvas.fps
        self._scale = width / max(1, draft.canvas.width)
        self._font = skia.Font(skia.Typeface("DejaVu Sans"), max(8.0, 64 * height / 1080))
        self._small = skia.Font(skia.Typeface("DejaVu Sans"), max(6.0, 40 * height / 1080))
        # (first frame, end frame, meta) of visual segments and text segments
        self._scenes = [
            (ms_to_frame(s.start, fps), ms_to_frame(s.end, fps), s.meta)
            for t in draft.tracks
            if t.type == TrackType.VIDEO and not t.hidden
            for s in t.segments
        ]
        self._texts = [
            (ms_to_frame(s.start, fps), ms_to_frame(s.end, fps), s.kind, str(s.meta.get("text", "")))
            for t in draft.tracks
            if t.type == TrackType.TEXT and not t.hidden
            for s in t.segments
        ]
        self._backgrounds: dict[int, skia.Image] = {}

    def _background(self, index: int) -> skia.Image:
        image = self._backgrounds.get(index)
        if image is None:
            palette = list(self._scenes[index][2].get("palette", ())) or list(self._PALETTE)
            colors = [_color(c, skia.ColorBLACK) for c in palette[:2]] * (2 if len(palette) < 2 else 1)
            surface = skia.Surface(self.width, self.height)
            paint = skia.Paint(
                Shader=skia.GradientShader.MakeLinear(
                    [skia.Point(0, 0), skia.Point(self.width, self.height)], colors[:2]
                )
            )
            surface.getCanvas().drawPaint(paint)
            image = surface.makeImageSnapshot()
            if len(self._backgrounds) > 8:
                self._backgrounds.clear()
            self._backgrounds[index] = image
        return image

    def draw(self, canvas: skia.Canvas, frame: int) -> None:
        canvas.clear(skia.ColorBLACK)
        w, h = self.width, self.height
        for i, (a, b, meta) in enumerate(self._scenes):
            if not a <= frame < b:
                continue
            canvas.drawImage(self._background(i), 0, 0)
            palette = list(meta.get("palette", ())) or list(self._PALETTE)
            t = (frame - a) / max(1, b - a)
            x = w * (0.2 + 0.6 * t)
            y = h * (0.5 + 0.2 * math.sin(t * math.pi * 2))
            disc = skia.Paint(AntiAlias=True, Color=_color(palette[-1], skia.ColorWHITE))
            canvas.drawCircle(x, y, h * 0.12, disc)
            headline = str(meta.get("headline", ""))
            if headline:
                paint = skia.Paint(AntiAlias=True, Color=skia.ColorWHITE)
                canvas.drawString(headline, w * 0.08, h * 0.3, self._font, paint)
        for a, b, kind, text in self._texts:
            if not a <= frame < b or not text:
                continue
            font = self._font if kind == "title" else self._small
            y = h * (0.15 if kind == "title" else 0.88)
            width = font.measureText(text)
            box = skia.Paint(Color=skia.ColorSetARGB(160, 0, 0, 0))
            canvas.drawRect(
                skia.Rect.MakeXYWH(
                    (w - width) / 2 - 12, y - font.getSize(), width + 24, font.getSize() * 1.3
                ),
                box,
            )
            canvas.drawString(
                text, (w - width) / 2, y, font, skia.Paint(AntiAlias=True, Color=skia.ColorWHITE)
            )

    def close(self) -> None:
        self._backgrounds.clear()
