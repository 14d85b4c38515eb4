"""Title cards and text overlays.

* ``title`` (role ``title``): a big title with an optional subtitle, words rising in, the whole
  card fading out at the end; a soft dark band behind keeps it readable on any scene.
  ``style``: ``color``, ``size`` (px at the draft canvas), ``font``; ``position`` as overlays.
* ``overlay`` (role ``overlays``): text at ``top`` | ``center`` | ``bottom`` | ``lower-third``;
  lower thirds slide in from the left on a panel with an accent bar, the others sit on a pill.

Both stay inside :func:`promptreel.render.safezone.safe_box` (out of the platform bands on
vertical canvases, inside the title-safe area otherwise).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import skia

from promptreel.draft import Segment
from promptreel.render import text as tx
from promptreel.render.easing import ease_in_out, ease_out_cubic, progress
from promptreel.render.palette import parse_color, with_alpha
from promptreel.render.safezone import safe_box

__all__ = ["TitleRenderer", "OverlayRenderer", "POSITIONS", "card_band"]

POSITIONS = ("top", "center", "bottom", "lower-third")

#: the most of the canvas height a title card's title and subtitle may take
_TITLE_SHARE, _SUB_SHARE = 0.3, 0.1


def card_band(width: int, height: int) -> tuple[float, float]:
    """The rows (top, bottom) a centred title card's words may cover, whatever its text: a
    scene under the card keeps its picture out of them."""
    safe = safe_box(width, height)
    title_h, sub_h = _card_heights(width, height)
    most = title_h * (1 + 0.35 / 1.1) + sub_h  # title, the gap below it, subtitle
    return safe.cy - most / 2, safe.cy + most / 2


def _card_heights(width: int, height: int) -> tuple[float, float]:
    """The most height a card's title and its subtitle may take (three lines of the default
    title size fit; a tall canvas does not make room for more)."""
    safe, m = safe_box(width, height), min(width, height)
    return min(height * _TITLE_SHARE, safe.h * 0.5, m * 0.45), min(
        height * _SUB_SHARE, safe.h * 0.15, m * 0.12
    )


def _size(style: Mapping[str, Any], scale: float, default: float) -> float:
    try:
        size = float(style.get("size") or 0) * scale
    except (TypeError, ValueError):
        size = 0.0
    return size if size > 0 else default


def _style_of(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


class TitleRenderer:
    def __init__(self, segment: Segment, width: int, height: int, scale: float) -> None:
        meta = segment.meta
        style = _style_of(meta.get("style"))
        self.seg = segment
        self.w, self.h = width, height
        m = min(width, height)
        self.m = m
        self.position = str(meta.get("position") or style.get("position") or "center")
        landscape = width >= height
        color = parse_color(style.get("color"), 0xFFFFFFFF)
        size = _size(style, scale, m * (0.12 if landscape else 0.13))
        size = max(m * 0.03, min(size, m * 0.25))
        self.title_style = tx.TextStyle(
            size=size,
            color=color,
            weight=800,
            kind="display",
            font=str(style.get("font") or ""),
            shadow=0x99000000,
            shadow_blur=size * 0.06,
            shadow_dy=size * 0.03,
            letter_spacing=-0.02,
            line_height=1.1,
        )
        self.sub_style = tx.TextStyle(
            size=size * 0.36,
            color=with_alpha(color, 0.88),
            weight=500,
            kind="text",
            font="",
            shadow=0x99000000,
            shadow_blur=size * 0.03,
            shadow_dy=size * 0.015,
            letter_spacing=0.01,
            line_height=1.3,
        )
        self.safe = safe_box(width, height)
        self.box_w = min(self.safe.w, width * (0.8 if landscape else 0.84))
        self.title_tokens = tx.tokenize(str(meta.get("text") or ""))
        self.sub_tokens = tx.tokenize(str(meta.get("subtitle") or ""))
        self.title_block = tx.fit(
            self.title_tokens,
            self.title_style,
            self.box_w,
            _card_heights(width, height)[0],
            max_lines=3,
            min_size=m * 0.03,
            balance=True,
        )
        self.title_style = self.title_style.sized(self.title_block.size)
        self.sub_block = tx.fit(
            self.sub_tokens,
            self.sub_style,
            self.box_w * 0.9,
            _card_heights(width, height)[1],
            max_lines=2,
            min_size=m * 0.02,
        )
        self.sub_style = self.sub_style.sized(self.sub_block.size)
        self.gap = self.title_style.size * 0.35 if self.sub_tokens else 0.0
        self.total_h = self.title_block.height + self.gap + self.sub_block.height
        self.band = self._render_band()
        self.veil = self._render_veil()

    def _render_band(self) -> skia.Image:
        """A soft horizontal shade behind the card (static; cached once)."""
        bh = max(2, round(self.total_h + self.m * 0.3))
        surface = skia.Surface(self.w, bh)  # full width: blitted per frame without resampling
        c = surface.getCanvas()
        c.clear(skia.ColorTRANSPARENT)
        shader = skia.GradientShader.MakeLinear(
            [(0, 0), (0, bh)], [0x00000000, 0x80000000, 0x80000000, 0x00000000], [0, 0.28, 0.72, 1]
        )
        c.drawPaint(skia.Paint(Shader=shader))
        return surface.makeImageSnapshot()

    def _render_veil(self) -> skia.Image:
        """The dimming of the scene behind the card, as an image: blending a translucent image
        is ~8× faster in skia's raster backend than drawing a translucent colour."""
        surface = skia.Surface(self.w, self.h)
        surface.getCanvas().clear(skia.ColorSetARGB(80, 0, 0, 0))
        return surface.makeImageSnapshot()

    def _top(self) -> float:
        safe = self.safe
        if self.position == "top":
            return max(safe.y, self.h * 0.1)
        if self.position in ("bottom", "lower-third"):
            return min(safe.bottom, self.h * 0.88) - self.total_h
        return safe.cy - self.total_h / 2

    def static(self, t0: float, t1: float) -> bool:
        """Same picture at both times: every word and the subtitle in place, not leaving yet."""
        landed = max(
            350.0,
            120 + max(0, len(self.title_tokens) - 1) * 90 + 520,
            250 + len(self.title_tokens) * 90 + 600 if self.sub_tokens else 0.0,
        )
        return landed <= t0 <= t1 <= float(self.seg.duration) - 450

    def draw(self, canvas: skia.Canvas, t_ms: float) -> None:
        dur = float(self.seg.duration)
        out = 1 - ease_in_out(progress(t_ms, dur - 450, 450))
        fade_in = ease_out_cubic(progress(t_ms, 0, 350))
        alpha = min(out, fade_in)
        if alpha <= 0.003:
            return
        top = self._top() - (1 - out) * self.m * 0.03
        paint = skia.Paint()
        paint.setAlphaf(alpha)
        canvas.drawImage(self.veil, 0, 0, skia.SamplingOptions(), paint)  # dim the scene behind
        band_h = self.band.height()
        band_top = top + self.total_h / 2 - band_h / 2
        canvas.drawImage(self.band, 0, round(band_top), skia.SamplingOptions(), paint)  # a plain blit
        left = self.safe.cx - self.box_w / 2
        reveal = [
            (
                ease_out_cubic(progress(t_ms, 120 + i * 90, 520)),
                (1 - ease_out_cubic(progress(t_ms, 120 + i * 90, 520))) * self.title_style.size * 0.5,
            )
            for i in range(len(self.title_tokens))
        ]
        tx.draw_block(
            canvas,
            self.title_tokens,
            self.title_block,
            self.title_style,
            left,
            top,
            self.box_w,
            alpha=out,
            reveal=reveal,
        )
        if self.sub_tokens:
            sub_in = ease_out_cubic(progress(t_ms, 250 + len(self.title_tokens) * 90, 600))
            sub_reveal = [(sub_in, (1 - sub_in) * self.sub_style.size * 0.6)] * len(self.sub_tokens)
            tx.draw_block(
                canvas,
                self.sub_tokens,
                self.sub_block,
                self.sub_style,
                left,
                top + self.title_block.height + self.gap,
                self.box_w,
                alpha=out,
                reveal=sub_reveal,
            )


class OverlayRenderer:
    def __init__(
        self, segment: Segment, track_style: Mapping[str, Any], width: int, height: int, scale: float
    ) -> None:
        meta = segment.meta
        style = {**_style_of(track_style), **_style_of(meta.get("style"))}
        self.seg = segment
        self.w, self.h = width, height
        m = min(width, height)
        self.m = m
        pos = str(meta.get("position") or style.get("position") or "lower-third")
        self.position = pos if pos in POSITIONS else "lower-third"
        color = parse_color(style.get("color"), 0xFFFFFFFF)
        self.accent = parse_color(style.get("accent"), 0xFFFFB703)
        self.bg = parse_color(style.get("bg"), 0xB3101522)
        size = max(m * 0.02, min(_size(style, scale, m * 0.05), m * 0.15))
        self.style = tx.TextStyle(
            size=size,
            color=color,
            weight=700,
            kind="text",
            font=str(style.get("font") or ""),
            line_height=1.25,
        )
        self.tokens = tx.tokenize(str(meta.get("text") or ""))
        self.safe = safe_box(width, height)
        max_w = min(width * (0.6 if self.position == "lower-third" else 0.8), self.safe.w - size * 1.2)
        self.block = tx.fit(self.tokens, self.style, max_w, height * 0.25, max_lines=2, min_size=m * 0.02)
        if self.block.width > max_w:  # an unbreakable word: shrink until the panel fits
            self.block = tx.fit(self.tokens, self.style.sized(self.block.size), max_w, height * 0.25, 4, 4.0)
        self.style = self.style.sized(self.block.size)
        self.pad = self.style.size * 0.5

    def static(self, t0: float, t1: float) -> bool:
        """Same picture at both times: entered and not leaving yet (or no text at all)."""
        return not self.tokens or 420 <= t0 <= t1 <= float(self.seg.duration) - 300

    def draw(self, canvas: skia.Canvas, t_ms: float) -> None:
        if not self.tokens:
            return
        dur = float(self.seg.duration)
        enter = ease_out_cubic(progress(t_ms, 0, 420))
        leave = 1 - ease_in_out(progress(t_ms, dur - 300, 300))
        alpha = min(enter, leave)
        if alpha <= 0.003:
            return
        bw, bh = self.block.width + 2 * self.pad, self.block.height + 2 * self.pad * 0.7
        paint = skia.Paint(AntiAlias=True, Color=self.bg)
        paint.setAlphaf(paint.getAlphaf() * alpha)
        if self.position == "lower-third":
            x = max(self.safe.x, self.w * 0.07) - (1 - enter) * self.w * 0.05
            y = min(self.h * 0.72, self.safe.bottom) - bh
            bar = self.style.size * 0.18
            canvas.drawRoundRect(
                skia.Rect.MakeXYWH(x, y, bw + bar, bh), self.pad * 0.3, self.pad * 0.3, paint
            )
            accent = skia.Paint(AntiAlias=True, Color=self.accent)
            accent.setAlphaf(alpha)
            canvas.drawRect(skia.Rect.MakeXYWH(x, y, bar, bh), accent)
            tx.draw_block(
                canvas,
                self.tokens,
                self.block,
                self.style,
                x + bar + self.pad,
                y + self.pad * 0.7,
                self.block.width,
                align="left",
                alpha=alpha,
            )
            return
        x = self.safe.cx - bw / 2
        if self.position == "top":
            y = max(self.safe.y, self.h * 0.08)
        elif self.position == "bottom":
            y = min(self.safe.bottom, self.h * 0.9) - bh
        else:
            y = self.safe.cy - bh / 2
        y += (1 - enter) * self.style.size * 0.3
        canvas.drawRoundRect(
            skia.Rect.MakeXYWH(x, y, bw, bh),
            bh / 2 if self.block.lines == 1 else self.pad,
            bh / 2 if self.block.lines == 1 else self.pad,
            paint,
        )
        tx.draw_block(
            canvas,
            self.tokens,
            self.block,
            self.style,
            x + self.pad,
            y + self.pad * 0.7,
            self.block.width,
            alpha=alpha,
        )
