"""Drawing frames: a painter draws each frame of a range into one reusable skia surface,
yielded as pixels (:func:`draw_frames`) or handed to an encoder, redrawing and converting only
what changed (:func:`encode_frames`). Used by the single-process render and by every chunk of a
parallel one.
"""

from __future__ import annotations

from collections.abc import Callable, Generator

import numpy as np
import numpy.typing as npt
import skia

from promptreel.draft import Draft
from promptreel.errors import RenderFailed
from promptreel.render.assets import Assets
from promptreel.render.avio import VideoWriter
from promptreel.render.damage import FULL_SHARE, Rect, area
from promptreel.render.painter import Painter, PainterFactory
from promptreel.render.raster import FRAME_FORMAT

__all__ = ["FRAME_FORMAT", "draw_frames", "encode_frames"]


def draw_frames(
    draft: Draft, assets: Assets, width: int, height: int, indices: range, factory: PainterFactory
) -> Generator[npt.NDArray[np.uint8], None, None]:
    """Draw ``indices`` one by one into one reusable surface; yields the same array each time.

    The surface is skia's own native-order premultiplied raster (where its blits are fastest;
    a surface over a numpy array is several times slower), and the array is a view of its
    pixels in :data:`FRAME_FORMAT` order: opaque frames, so premultiplied bytes are plain ones.
    """
    surface = skia.Surface(width, height)
    canvas = surface.getCanvas()
    pixels = skia.Pixmap()
    if not canvas.peekPixels(pixels) or pixels.rowBytes() != width * 4:
        raise RenderFailed("The drawing surface has no plain raster pixels.")
    buffer: npt.NDArray[np.uint8] = np.array(pixels, copy=False)
    painter: Painter = factory(draft, assets, width, height)
    unchanged = getattr(painter, "unchanged", None)
    try:
        for i in indices:
            if unchanged is not None and i != indices.start and unchanged(i):
                yield buffer  # same picture as the previous frame: nothing to draw
                continue
            depth = canvas.save()
            try:
                painter.draw(canvas, i)
            finally:
                canvas.restoreToCount(depth)
            yield buffer
    finally:
        painter.close()
        del buffer, pixels, canvas, surface


def encode_frames(
    draft: Draft,
    assets: Assets,
    width: int,
    height: int,
    indices: range,
    factory: PainterFactory,
    writer: VideoWriter,
    on_frame: Callable[[int], None] | None = None,
    *,
    painter: Painter | None = None,
) -> None:
    """Draw ``indices`` and queue them in order on ``writer``.

    Frames are drawn into one persistent surface (skia's native order) and handed over with
    :meth:`VideoWriter.submit_pixels`. A painter with ``damage(frame)`` (see
    :mod:`promptreel.render.damage`) is asked where ``frame`` differs from the frame before:
    only those rectangles are redrawn (clipped, over the previous picture) and converted; a
    frame with no damage is queued as a repeat (not drawn or converted at all). The first
    frame, and any frame whose damage is unknown or covers most of the picture, is drawn whole.

    ``painter`` (made by ``factory`` when not given) is closed at the end only when made here:
    a worker may pass one compositor for all its chunks. ``on_frame(n)`` is called with the
    number of frames queued so far.
    """
    surface = skia.Surface(width, height)
    canvas = surface.getCanvas()
    pixels = skia.Pixmap()
    if not canvas.peekPixels(pixels) or pixels.rowBytes() != width * 4:
        raise RenderFailed("The drawing surface has no plain raster pixels.")
    buffer: npt.NDArray[np.uint8] = np.array(pixels, copy=False)
    own = painter is None
    if painter is None:
        painter = factory(draft, assets, width, height)
    damage = getattr(painter, "damage", None)
    unchanged = getattr(painter, "unchanged", None)
    limit = FULL_SHARE * width * height
    try:
        for i in indices:
            rects: list[Rect] | None = None
            if i != indices.start:
                if damage is not None:
                    rects = damage(i)
                elif unchanged is not None and unchanged(i):
                    rects = []
            if rects is not None and not rects:
                writer.repeat()  # the same picture as the previous frame
            else:
                if rects is not None and area(rects) > limit:
                    rects = None
                depth = canvas.save()
                try:
                    if rects is not None:
                        region = skia.Region()
                        for x0, y0, x1, y1 in rects:
                            region.op(skia.IRect.MakeLTRB(x0, y0, x1, y1), skia.Region.kUnion_Op)
                        canvas.clipRegion(region)
                    painter.draw(canvas, i)
                finally:
                    canvas.restoreToCount(depth)
                writer.submit_pixels(buffer, rects)
            if on_frame is not None:
                on_frame(writer.frames)
    finally:
        if own:
            painter.close()
        del buffer, pixels, canvas, surface
