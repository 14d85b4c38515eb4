"""Shared pieces of the layout functions: the canvas context, type styles, card colours, the
headline band and the row grid."""

from __future__ import annotations

import math
from dataclasses import dataclass

from promptreel.render import text as tx
from promptreel.render.captions import caption_box
from promptreel.render.layouts.elements import Element, Icon, SceneSpec, Shape, Text, fitted
from promptreel.render.palette import Palette, contrast, luminance, mix
from promptreel.render.safezone import Box, is_vertical, safe_box

__all__ = ["Ctx", "context", "headline_band", "top_icon", "grid", "stack", "same_size"]

_INK = 0xFF16172A


@dataclass(frozen=True, slots=True)
class Ctx:
    w: int
    h: int
    pal: Palette
    safe: Box
    content: Box
    duration: float

    @property
    def m(self) -> float:
        return float(min(self.w, self.h))

    @property
    def orient(self) -> str:
        a = self.w / self.h
        return "landscape" if a >= 1.3 else "portrait" if is_vertical(self.w, self.h) else "square"

    @property
    def wide(self) -> bool:
        return self.orient == "landscape"

    # --- colours ---------------------------------------------------------------------------

    @property
    def card(self) -> int:
        """A soft panel that reads on the scene's background."""
        pal = self.pal
        return mix(pal.bg_mid, 0xFFFFFFFF, 0.12) if pal.dark else mix(pal.bg_mid, 0xFFFFFFFF, 0.62)

    @property
    def card_ink(self) -> int:
        """Text colour on the card."""
        for c in (self.pal.text, 0xFFFFFFFF, _INK):
            if contrast(c, self.card) >= 4.5:
                return c
        return max((0xFFFFFFFF, _INK), key=lambda c: contrast(c, self.card))

    def strong(self, on: int) -> int:
        """The accent (or highlight) if it reads on ``on``, else the plain ink."""
        for c in (self.pal.highlight, self.pal.accent, *self.pal.extra):
            if contrast(c, on) >= 3.0:
                return c
        return 0xFFFFFFFF if luminance(on) < 0.4 else _INK

    def on(self, fill: int) -> int:
        """Readable text on a solid ``fill`` (buttons, number badges)."""
        return max((0xFFFFFFFF, _INK), key=lambda c: contrast(c, fill))

    # --- type ------------------------------------------------------------------------------

    def display(
        self, size: float, color: int | None = None, weight: int = 800, shadow: bool = True
    ) -> tx.TextStyle:
        return tx.TextStyle(
            size=size,
            color=self.pal.text if color is None else color,
            weight=weight,
            kind="display",
            shadow=self.pal.shadow if shadow else 0,
            shadow_blur=self.m * 0.006 if shadow else 0.0,
            shadow_dy=self.m * 0.003 if shadow else 0.0,
            letter_spacing=-0.01,
            line_height=1.14,
        )

    def body(self, size: float, color: int | None = None, weight: int = 600) -> tx.TextStyle:
        return tx.TextStyle(
            size=size,
            color=self.card_ink if color is None else color,
            weight=weight,
            kind="text",
            line_height=1.22,
        )


def context(width: int, height: int, pal: Palette, *, duration_ms: float, captions: bool) -> Ctx:
    safe = safe_box(width, height)
    bottom = safe.bottom
    if captions:
        # leave the caption band free (captions sit at its foot; one or two lines leave its top)
        bottom = min(bottom, caption_box(width, height)[1] + height * 0.04)
    content = Box(safe.x, safe.y, safe.w, max(safe.h * 0.4, bottom - safe.y))
    return Ctx(width, height, pal, safe, content, float(max(1.0, duration_ms)))


def headline_band(
    ctx: Ctx, spec: SceneSpec, region: Box, frac: float, *, at: float = 150.0, size: float | None = None
) -> tuple[list[Element], Box]:
    """The headline across the top ``frac`` of ``region`` with an accent rule under it; the rest
    of the region (below a gap) is returned for the layout's body."""
    if not spec.headline:
        return [], region
    band, rest = region.split_top(region.h * frac, gap=ctx.m * 0.035)
    rule_h = max(2.0, ctx.m * 0.008)
    text_box = Box(band.x, band.y, band.w, band.h - rule_h - ctx.m * 0.02)
    base = (size if size is not None else ctx.m * (0.085 if ctx.wide else 0.09)) * spec.headline_scale
    head = fitted(
        spec.headline,
        ctx.display(base),
        text_box,
        max_lines=2,
        min_size=ctx.m * 0.035,
        valign="bottom",
        at=at,
        role="headline",
    )
    rule_w = min(ctx.m * 0.12, max(ctx.m * 0.05, head.block.width * 0.3))
    rule = Shape(
        "rule",
        Box(band.cx - rule_w / 2, band.bottom - rule_h, rule_w, rule_h),
        ctx.strong(ctx.pal.bg_mid),
        at + 350,
    )
    return [head, rule], rest


def top_icon(ctx: Ctx, spec: SceneSpec, region: Box, *, at: float = 80.0) -> tuple[list[Element], Box]:
    """The scene's ``icon`` as a badge centred above the rest of the layout."""
    if not spec.icon:
        return [], region
    size = min(ctx.m * 0.17, region.h * 0.19)  # a picture, not a bullet: large enough to read
    slot, rest = region.split_top(size, gap=ctx.m * 0.02)
    return [Icon(Box(slot.cx - size / 2, slot.y, size, size), spec.icon, at, "icon")], rest


def grid(region: Box, n: int, cols: int, row_cap: float, gap: float) -> list[Box]:
    """Boxes for ``n`` rows in ``cols`` columns (filled column by column), each no taller than
    ``row_cap``, the whole grid centred vertically in ``region``."""
    rows = max(1, math.ceil(n / cols))
    row_h = min(row_cap, (region.h - gap * (rows - 1)) / rows)
    total = rows * row_h + gap * (rows - 1)
    top = region.y + (region.h - total) / 2
    col_boxes = Box(region.x, top, region.w, total).cols(cols, gap=gap * 2.5)
    out: list[Box] = []
    for i in range(n):
        c, r = divmod(i, rows)
        cb = col_boxes[c]
        out.append(Box(cb.x, cb.y + r * (row_h + gap), cb.w, row_h))
    return out


def stack(region: Box, heights: list[float], gap: float) -> list[Box]:
    """Boxes of ``heights`` stacked with ``gap`` between them, the group centred vertically in
    ``region`` (heights scaled down together if they do not fit)."""
    total = sum(heights) + gap * max(0, len(heights) - 1)
    k = min(1.0, region.h / total) if total > 0 else 1.0
    y = region.y + (region.h - total * k) / 2
    out: list[Box] = []
    for hh in heights:
        out.append(Box(region.x, y, region.w, hh * k))
        y += (hh + gap) * k
    return out


def same_size(texts: list[Text]) -> float:
    return min((t.block.size for t in texts), default=0.0)
