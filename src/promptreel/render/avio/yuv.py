"""RGBA/BGRA → yuv420p, BT.601 limited range: libyuv's SIMD ``ARGBToI420`` where the system
has libyuv (about 0.6 ms a 1080p frame, 7× cheaper than a general swscale call), otherwise
swscale with the same matrix, so every machine writes the same colours."""

from __future__ import annotations

import ctypes
import ctypes.util
from typing import Any

import av
import numpy as np
import numpy.typing as npt

from promptreel.render.damage import Rect

__all__ = ["YuvConverter"]


def _libyuv() -> Any:
    """libyuv's ``ARGBToI420``/``ABGRToI420`` (SIMD), or ``None`` where the library is missing."""
    for name in ("libyuv.so.0", ctypes.util.find_library("yuv")):
        if not name:
            continue
        try:
            lib = ctypes.CDLL(name)
            for fn in (lib.ARGBToI420, lib.ABGRToI420):
                fn.argtypes = (ctypes.c_void_p, ctypes.c_int) * 4 + (ctypes.c_int, ctypes.c_int)
                fn.restype = ctypes.c_int
        except (OSError, AttributeError):
            continue
        return lib
    return None


_LIBYUV = _libyuv()


class YuvConverter:
    """RGBA or BGRA frames (8-bit, opaque) → yuv420p, BT.601 limited range.

    With libyuv, each call converts into one reused :class:`av.VideoFrame` (the encoder copies
    its input, so the picture may be overwritten once it is encoded); otherwise each call
    returns a fresh frame converted by swscale with the same matrix.
    """

    def __init__(self, width: int, height: int, pixel_format: str, *, simd: bool = True) -> None:
        self.width, self.height = width, height
        self.pixel_format = pixel_format
        self._fn: Any = None
        if simd and _LIBYUV is not None:
            # libyuv names formats by their 32-bit word: "ARGB" is B, G, R, A in memory
            self._fn = _LIBYUV.ARGBToI420 if pixel_format == "bgra" else _LIBYUV.ABGRToI420
            self._frame = av.VideoFrame(width, height, "yuv420p")
            planes = self._frame.planes
            self._dst = [v for plane in planes for v in (plane.buffer_ptr, plane.line_size)]

    @property
    def simd(self) -> bool:
        return self._fn is not None

    def blank(self) -> av.VideoFrame | None:
        """A new yuv420p picture to convert into with :meth:`convert_into` (``None`` without
        libyuv: then only :meth:`convert` works)."""
        return av.VideoFrame(self.width, self.height, "yuv420p") if self._fn is not None else None

    def convert_into(
        self, buf: npt.NDArray[np.uint8], frame: av.VideoFrame, rects: list[Rect] | None = None
    ) -> None:
        """Convert the ``rects`` of ``buf`` (x0, y0, x1, y1; even corners; ``None``: all of it)
        into the same pixels of ``frame`` (from :meth:`blank`); the rest of ``frame`` is kept.
        Aligned on the 2×2 chroma blocks, a rectangle converts to exactly the bytes a whole-frame
        conversion gives there."""
        if self._fn is None:
            raise RuntimeError("converting into a picture needs libyuv")
        if buf.shape != (self.height, self.width, 4) or not buf.flags.c_contiguous:
            raise ValueError("frames must be contiguous (height, width, 4) uint8 arrays")
        planes = frame.planes
        (y_ptr, y_pitch), (u_ptr, u_pitch), (v_ptr, v_pitch) = ((p.buffer_ptr, p.line_size) for p in planes)
        src, pitch = buf.ctypes.data, self.width * 4
        for x0, y0, x1, y1 in rects if rects is not None else [(0, 0, self.width, self.height)]:
            if (
                x0 % 2
                or y0 % 2
                or x1 % 2
                or y1 % 2
                or not (0 <= x0 < x1 <= self.width and 0 <= y0 < y1 <= self.height)
            ):
                raise ValueError(f"bad rectangle {(x0, y0, x1, y1)}")
            cx, cy = x0 // 2, y0 // 2
            if (
                self._fn(
                    src + y0 * pitch + x0 * 4,
                    pitch,
                    y_ptr + y0 * y_pitch + x0,
                    y_pitch,
                    u_ptr + cy * u_pitch + cx,
                    u_pitch,
                    v_ptr + cy * v_pitch + cx,
                    v_pitch,
                    x1 - x0,
                    y1 - y0,
                )
                != 0
            ):
                raise RuntimeError("libyuv could not convert the frame")

    def convert(self, buf: npt.NDArray[np.uint8]) -> av.VideoFrame:
        if self._fn is None:
            src = av.VideoFrame.from_numpy_buffer(buf, format=self.pixel_format)
            return src.reformat(
                format="yuv420p",
                dst_colorspace="ITU601",
                dst_color_range="MPEG",
                src_color_range="JPEG",
                threads=1,
            )
        if buf.shape != (self.height, self.width, 4) or not buf.flags.c_contiguous:
            raise ValueError("frames must be contiguous (height, width, 4) uint8 arrays")
        if self._fn(buf.ctypes.data, self.width * 4, *self._dst, self.width, self.height) != 0:
            raise RuntimeError("libyuv could not convert the frame")
        return self._frame
