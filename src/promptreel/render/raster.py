"""skia's native raster pixel layout, as this build of skia really makes it.

``skia.kN32_ColorType`` in the Python binding does not always name the layout a plain
``skia.Surface(w, h)`` gets (the binding may report RGBA where the library draws BGRA), so the
layout is read from a real surface once.
"""

from __future__ import annotations

import skia

__all__ = ["FRAME_FORMAT", "NATIVE_COLOR_TYPE"]

#: colour type of ``skia.Surface(w, h)``: where skia's blits are fastest
NATIVE_COLOR_TYPE: skia.ColorType = skia.Surface(2, 2).imageInfo().colorType()

#: the same layout as an FFmpeg pixel format name
FRAME_FORMAT = "bgra" if skia.kBGRA_8888_ColorType == NATIVE_COLOR_TYPE else "rgba"
