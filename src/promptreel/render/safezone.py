"""Where text may go on each canvas: the one place that knows the platforms' covered bands.

* Vertical (9:16 and anything taller than 4:5): TikTok, Reels and Shorts draw their buttons,
  captions and progress bars over the top 14 %, the bottom 20 % and the right 12 % of the frame;
  text stays out of those bands (and keeps a 6 % margin on the left).
* Landscape and square: the title-safe area, the centre 90 % of each dimension.

Backgrounds and motion may use the whole frame; headlines, items, captions, titles and
overlays are laid out inside :func:`safe_box`.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["Box", "safe_box", "is_vertical", "VERTICAL_BANDS", "TITLE_SAFE"]

#: covered fractions of a vertical frame: top, bottom, right, and the left margin we keep
VERTICAL_BANDS = {"top": 0.14, "bottom": 0.20, "right": 0.12, "left": 0.06}
#: fraction of each dimension inside the title-safe area of landscape and square frames
TITLE_SAFE = 0.90


class Box(NamedTuple):
    """An axis-aligned rectangle in pixels: left, top, width, height."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    def inset(self, dx: float, dy: float | None = None) -> Box:
        dy = dx if dy is None else dy
        return Box(self.x + dx, self.y + dy, max(0.0, self.w - 2 * dx), max(0.0, self.h - 2 * dy))

    def contains(self, other: Box, tolerance: float = 0.5) -> bool:
        return (
            other.x >= self.x - tolerance
            and other.y >= self.y - tolerance
            and other.right <= self.right + tolerance
            and other.bottom <= self.bottom + tolerance
        )

    def rows(self, n: int, gap: float = 0.0) -> list[Box]:
        """``n`` equal boxes stacked top to bottom with ``gap`` between them."""
        n = max(1, n)
        h = (self.h - gap * (n - 1)) / n
        return [Box(self.x, self.y + i * (h + gap), self.w, h) for i in range(n)]

    def cols(self, n: int, gap: float = 0.0) -> list[Box]:
        """``n`` equal boxes side by side with ``gap`` between them."""
        n = max(1, n)
        w = (self.w - gap * (n - 1)) / n
        return [Box(self.x + i * (w + gap), self.y, w, self.h) for i in range(n)]

    def split_top(self, h: float, gap: float = 0.0) -> tuple[Box, Box]:
        """The top ``h`` pixels and what is left below them (after ``gap``)."""
        h = max(0.0, min(h, self.h))
        rest = max(0.0, self.h - h - gap)
        return Box(self.x, self.y, self.w, h), Box(self.x, self.bottom - rest, self.w, rest)


def is_vertical(width: float, height: float) -> bool:
    """Portrait canvases (9:16, 3:4 …) where the platform bands apply."""
    return width / max(1.0, float(height)) <= 0.8


def safe_box(width: float, height: float) -> Box:
    """The region text may occupy on a ``width``×``height`` frame."""
    w, h = float(width), float(height)
    if is_vertical(w, h):
        b = VERTICAL_BANDS
        left, top = w * b["left"], h * b["top"]
        return Box(left, top, w * (1 - b["right"]) - left, h * (1 - b["bottom"]) - top)
    m = (1 - TITLE_SAFE) / 2
    return Box(w * m, h * m, w * TITLE_SAFE, h * TITLE_SAFE)
