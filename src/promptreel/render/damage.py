"""Damage rectangles: the parts of a frame that may differ from the frame before.

A painter that knows what moves reports it as a list of pixel rectangles ``(x0, y0, x1, y1)``
(``[]``: nothing changed; ``None``: anything may have). The engine then redraws only inside
them, over the previous frame kept in a persistent surface, and converts only them to yuv420p.
Rectangles are grown by a small margin (anti-aliasing) and to even corners (the 2×2 chroma
blocks of yuv420p), clamped to the frame, and overlapping ones merged.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

__all__ = ["FULL_SHARE", "Area", "Damage", "Rect", "area", "box", "normalize"]

Rect = tuple[int, int, int, int]  # x0, y0, x1, y1 in pixels, x1/y1 exclusive
Area = tuple[float, float, float, float]  # x0, y0, x1, y1 as a renderer reports them
Damage = list[Area] | None  # None: anywhere

#: above this share of the frame, a partial redraw is not worth its bookkeeping
FULL_SHARE = 0.7

_MARGIN = 2  # pixels around every rectangle: anti-aliased edges reach a little further


def box(x: float, y: float, w: float, h: float, margin: float = 0.0) -> Area:
    """``(x0, y0, x1, y1)`` of an ``x, y, w, h`` box grown by ``margin`` on every side."""
    return (x - margin, y - margin, x + w + margin, y + h + margin)


def area(rects: Iterable[Rect]) -> int:
    return sum((x1 - x0) * (y1 - y0) for x0, y0, x1, y1 in rects)


def _overlap(a: Rect, b: Rect) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def normalize(rects: Iterable[Area], width: int, height: int) -> list[Rect]:
    """Grown, even-cornered, clamped and merged rectangles (touching or overlapping ones
    become their bounding box), in no particular order; empty ones are dropped."""
    out: list[Rect] = []
    for x0, y0, x1, y1 in rects:
        a = max(0, (math.floor(x0) - _MARGIN) // 2 * 2)
        b = max(0, (math.floor(y0) - _MARGIN) // 2 * 2)
        c = min(width, -(-(math.ceil(x1) + _MARGIN) // 2) * 2)
        d = min(height, -(-(math.ceil(y1) + _MARGIN) // 2) * 2)
        if c > a and d > b:
            out.append((a, b, c, d))
    merged = True
    while merged and len(out) > 1:  # passes until no two touch: each pass is one sweep
        merged = False
        kept: list[Rect] = []
        for r in out:
            for k, q in enumerate(kept):
                if _overlap(r, q):
                    kept[k] = (min(r[0], q[0]), min(r[1], q[1]), max(r[2], q[2]), max(r[3], q[3]))
                    merged = True
                    break
            else:
                kept.append(r)
        out = kept
    return out
