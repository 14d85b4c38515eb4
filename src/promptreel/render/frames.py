"""Drawing frames: a painter draws each frame of a range into a skia surface, either one
reusable surface (:func:`draw_frames`) or straight into an encoder's frame buffers
(:func:`encode_frames`). Used by the single-process render and by every chunk of a parallel one.
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
from promptreel.render.painter import Painter, PainterFactory
from promptreel.render.raster import FRAME_FORMAT, NATIVE_COLOR_TYPE

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
) -> None:
    """Draw ``indices`` straight into ``writer``'s frame buffers and queue them in order.

    Each ring buffer gets its own skia surface (skia's native order, over the buffer's memory),
    so a frame is drawn where the encoder reads it, with no copy; a frame the painter reports
    ``unchanged`` is queued as a repeat of the previous one (not drawn, copied or converted).
    ``on_frame(n)`` is called with the number of frames queued so far.
    """
    info = skia.ImageInfo.Make(width, height, NATIVE_COLOR_TYPE, skia.kPremul_AlphaType)
    surfaces: dict[int, tuple[skia.Surface, npt.NDArray[np.uint8]]] = {}
    painter: Painter = factory(draft, assets, width, height)
    unchanged = getattr(painter, "unchanged", None)
    try:
        for i in indices:
            if unchanged is not None and i != indices.start and unchanged(i):
                writer.repeat()
            else:
                buf = writer.next_buffer()
                key = buf.ctypes.data
                entry = surfaces.get(key)
                if entry is None:
                    surface = skia.Surface.MakeRasterDirect(info, buf, width * 4)
                    if surface is None:
                        raise RenderFailed("The drawing surface could not be made over a frame buffer.")
                    entry = surfaces[key] = (surface, buf)
                canvas = entry[0].getCanvas()
                depth = canvas.save()
                try:
                    painter.draw(canvas, i)
                finally:
                    canvas.restoreToCount(depth)
                writer.submit(buf)
            if on_frame is not None:
                on_frame(writer.frames)
    finally:
        painter.close()
        surfaces.clear()
