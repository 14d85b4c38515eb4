"""Draws a :class:`Composition`: every static element is rasterised once into its own image
(text blocks, cards, pills, drawn glyphs) and per frame only blitted with an entrance
(fade and rise); counters, rings and charts are the only parts drawn anew each frame."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass

import skia

from promptreel.render import fonts
from promptreel.render import text as tx
from promptreel.render.assets import Assets
from promptreel.render.charts import Chart
from promptreel.render.damage import Area, Damage, box
from promptreel.render.easing import ease_out_cubic, progress, smooth
from promptreel.render.illustration import Illustration, is_emoji, render_emoji, render_svg
from promptreel.render.layouts.elements import (
    Composition,
    Counter,
    Element,
    Icon,
    Ring,
    Shape,
    Text,
    format_number,
    split_number,
)
from promptreel.render.palette import Palette, with_alpha

__all__ = ["LayoutRenderer", "illustration_image"]

_ENTER_MS = 520.0


def illustration_image(assets: Assets, icon: str, size: int) -> skia.Image | None:
    if not icon or size <= 0:
        return None
    if icon.startswith("emoji:") or is_emoji(icon):
        return render_emoji(icon.removeprefix("emoji:"), size)
    try:
        svg = assets.illustration(icon)
    except Exception:
        svg = None
    return render_svg(svg, size) if svg else None


@dataclass(slots=True)
class _Piece:
    image: skia.Image
    x: float
    y: float
    at: float
    rise: float


def _surface(w: float, h: float) -> tuple[skia.Surface, skia.Canvas]:
    s = skia.Surface(max(1, math.ceil(w)), max(1, math.ceil(h)))
    c = s.getCanvas()
    c.clear(skia.ColorTRANSPARENT)
    return s, c


def _text_piece(t: Text, m: float) -> _Piece:
    ink = t.ink
    pad = math.ceil(t.style.size * 0.3 + t.style.shadow_blur * 3 + abs(t.style.shadow_dy) + 2)
    s, c = _surface(ink.w + 2 * pad, ink.h + 2 * pad)
    tx.draw_block(c, t.tokens, t.block, t.style, pad, pad, t.block.width, align=t.align)
    return _Piece(s.makeImageSnapshot(), ink.x - pad, ink.y - pad, t.at, m * 0.025)


@functools.cache
def _quote_font() -> skia.Typeface:
    return fonts.typeface(fonts.families("display")[0], 800)


def _glyph(c: skia.Canvas, kind: str, s: float, color: int) -> None:
    """Simple line icons drawn in a ``s``×``s`` square on a tinted disc."""
    c.drawCircle(s / 2, s / 2, s / 2, skia.Paint(AntiAlias=True, Color=with_alpha(color, 0.18)))
    stroke = skia.Paint(
        AntiAlias=True,
        Color=color,
        Style=skia.Paint.kStroke_Style,
        StrokeWidth=s * 0.065,
        StrokeCap=skia.Paint.kRound_Cap,
        StrokeJoin=skia.Paint.kRound_Join,
    )
    fill = skia.Paint(AntiAlias=True, Color=color)
    if kind == "clock":
        c.drawCircle(s / 2, s / 2, s * 0.27, stroke)
        c.drawLine(s / 2, s / 2, s / 2, s * 0.33, stroke)
        c.drawLine(s / 2, s / 2, s * 0.62, s * 0.56, stroke)
    elif kind == "calendar":
        r = skia.Rect(s * 0.26, s * 0.3, s * 0.74, s * 0.72)
        c.drawRoundRect(r, s * 0.06, s * 0.06, stroke)
        c.drawRect(skia.Rect(s * 0.26, s * 0.3, s * 0.74, s * 0.42), fill)
        c.drawLine(s * 0.38, s * 0.24, s * 0.38, s * 0.33, stroke)
        c.drawLine(s * 0.62, s * 0.24, s * 0.62, s * 0.33, stroke)
        for i in range(3):
            c.drawCircle(s * (0.37 + i * 0.13), s * 0.56, s * 0.03, fill)
    else:  # pin
        path = skia.Path()
        cx, top, r = s / 2, s * 0.22, s * 0.19
        path.addCircle(cx, top + r, r)
        path.moveTo(cx - r * 0.92, top + r * 1.35)
        path.lineTo(cx, s * 0.8)
        path.lineTo(cx + r * 0.92, top + r * 1.35)
        path.close()
        path.setFillType(skia.PathFillType.kWinding)
        c.drawPath(path, fill)
        c.drawCircle(cx, top + r, r * 0.42, skia.Paint(AntiAlias=True, Color=0xFFFFFFFF))


def _shape_piece(sh: Shape, m: float) -> _Piece:
    b = sh.box
    if sh.kind == "card":
        pad = math.ceil(m * 0.05)
        s, c = _surface(b.w + 2 * pad, b.h + 2 * pad)
        r = min(m * 0.04, b.h / 2)
        rect = skia.Rect.MakeXYWH(pad, pad, b.w, b.h)
        blur = skia.MaskFilter.MakeBlur(skia.kNormal_BlurStyle, m * 0.015)
        c.drawRoundRect(
            rect.makeOffset(0, m * 0.01), r, r, skia.Paint(AntiAlias=True, Color=0x38000000, MaskFilter=blur)
        )
        c.drawRoundRect(rect, r, r, skia.Paint(AntiAlias=True, Color=with_alpha(sh.color, 0.9)))
        edge = skia.Paint(
            AntiAlias=True, Color=0x1FFFFFFF, Style=skia.Paint.kStroke_Style, StrokeWidth=max(1.0, m * 0.002)
        )
        c.drawRoundRect(rect, r, r, edge)
        return _Piece(s.makeImageSnapshot(), b.x - pad, b.y - pad, sh.at, m * 0.02)
    pad = 2
    s, c = _surface(b.w + 2 * pad, b.h + 2 * pad)
    c.translate(pad, pad)
    paint = skia.Paint(AntiAlias=True, Color=sh.color)
    if sh.kind == "pill":
        blur = skia.MaskFilter.MakeBlur(skia.kNormal_BlurStyle, b.h * 0.02)
        c.drawRoundRect(skia.Rect(0, 0, b.w, b.h), b.h / 2, b.h / 2, paint)
        c.drawRoundRect(
            skia.Rect(b.h * 0.2, b.h * 0.08, b.w - b.h * 0.2, b.h * 0.45),
            b.h * 0.2,
            b.h * 0.2,
            skia.Paint(AntiAlias=True, Color=0x1AFFFFFF, MaskFilter=blur),
        )
    elif sh.kind == "disc":
        c.drawCircle(b.w / 2, b.h / 2, min(b.w, b.h) / 2, paint)
    elif sh.kind == "rule":
        c.drawRoundRect(skia.Rect(0, 0, b.w, b.h), b.h / 2, b.h / 2, paint)
    elif sh.kind == "leader":
        paint.setAlphaf(0.45)
        d = b.h
        n = max(1, int(b.w // (d * 2.6)))
        step = (b.w - d) / max(1, n - 1) if n > 1 else 0.0
        for i in range(n):
            c.drawCircle(d / 2 + i * step, d / 2, d / 2, paint)
    elif sh.kind == "quote":
        font = skia.Font(_quote_font(), b.h * 1.6)
        bounds = skia.Rect()
        font.measureText("“", skia.TextEncoding.kUTF8, bounds)
        if not bounds.isEmpty():
            k = min(b.w / bounds.width(), b.h / bounds.height()) * 0.9
            c.translate(b.w / 2, b.h / 2)
            c.scale(k, k)
            c.drawString("“", -bounds.centerX(), -bounds.centerY(), font, paint)
    elif sh.kind.startswith("glyph:"):
        _glyph(c, sh.kind.partition(":")[2], min(b.w, b.h), sh.color)
    return _Piece(s.makeImageSnapshot(), b.x - pad, b.y - pad, sh.at, m * 0.02)


class LayoutRenderer:
    """One composed scene layout; everything static is built in ``__init__``."""

    def __init__(
        self, comp: Composition, assets: Assets, pal: Palette, width: int, height: int, seed: int = 0
    ) -> None:
        self.comp = comp
        self.m = float(min(width, height))
        self.pal = pal
        self.seed = seed
        self.steps: list[Callable[[skia.Canvas, float], None]] = []
        self.damages: list[Callable[[float, float], Damage]] = []
        self.icons: list[tuple[Icon, Illustration]] = []
        for el in comp.elements:
            self.steps.append(self._step(el, assets))

    def _step(self, el: Element, assets: Assets) -> Callable[[skia.Canvas, float], None]:
        """How ``el`` is drawn at a time; where it changes between two times goes to
        :attr:`damages` (one entry per step)."""
        if isinstance(el, Text | Shape):
            piece = _text_piece(el, self.m) if isinstance(el, Text) else _shape_piece(el, self.m)
            draw, damage = self._blit(piece, el.role)
            self.damages.append(damage)
            return draw
        if isinstance(el, Icon):
            size = max(8, round(min(el.box.w, el.box.h)))
            ill = Illustration(
                illustration_image(assets, el.name, size), size, self.pal, self.seed + len(self.icons)
            )
            self.icons.append((el, ill))
            cx, cy = el.box.cx, el.box.cy
            self.damages.append(lambda t0, t1: ill.damage(cx, cy, t0, t1, delay_ms=el.at))
            return lambda c, t: ill.draw(c, cx, cy, t, delay_ms=el.at)
        if isinstance(el, Counter):
            start, end = el.at - 200, max(el.at - 200 + _ENTER_MS, el.at + el.duration)
            self.damages.append(lambda t0, t1: [] if t1 <= start or t0 >= end else None)
            return functools.partial(self._counter, el)
        if isinstance(el, Ring):
            b, ring = el.box, el.box.w * 0.06 + 2
            self.damages.append(lambda t0, t1: [] if t1 <= el.at else [box(b.x, b.y, b.w, b.h, ring)])
            return functools.partial(self._ring, el)
        chart = Chart(el.spec, el.box.w, el.box.h, self.pal)
        x, y = el.box.x, el.box.y
        self.damages.append(lambda t0, t1: [] if t1 <= el.at - 250 else None)
        return lambda c, t: chart.draw(c, x, y, t, delay_ms=el.at)

    def damage(self, t0: float, t1: float) -> Damage:
        """Where the layout at ``t1`` may differ from the layout at ``t0`` (``None``: anywhere)."""
        out: list[Area] = []
        for damage in self.damages:
            rects = damage(t0, t1)
            if rects is None:
                return None
            out += rects
        return out

    def bake(self, canvas: skia.Canvas) -> None:
        """Static glows behind large icons (drawn into the scene's cached background)."""
        for el, ill in self.icons:
            if el.halo:
                ill.draw_halo(canvas, el.box.cx, el.box.cy)

    def _pulse(self) -> tuple[float, float] | None:
        for el in self.comp.elements:
            if isinstance(el, Shape) and el.role == "button":
                return el.box.cx, el.box.cy
        return None

    def _blit(
        self, piece: _Piece, role: str
    ) -> tuple[Callable[[skia.Canvas, float], None], Callable[[float, float], Damage]]:
        sampling = skia.SamplingOptions(skia.FilterMode.kLinear)
        centre = self._pulse() if role.startswith("button") else None
        w, h = piece.image.width(), piece.image.height()

        def damage(t0: float, t1: float) -> Damage:
            if t1 <= piece.at:
                return []  # not entered yet
            if t0 >= piece.at + _ENTER_MS and centre is None:
                return []  # in place
            area = box(piece.x, piece.y, w, h + piece.rise, 2)
            if centre is None:
                return [area]
            # a pulsing button: at most 2.5 % larger about its centre, a pixel or two more
            cx, cy = centre
            return [
                (
                    cx + (area[0] - cx) * 1.03,
                    cy + (area[1] - cy) * 1.03,
                    cx + (area[2] - cx) * 1.03,
                    cy + (area[3] - cy) * 1.03,
                )
            ]

        def draw(c: skia.Canvas, t: float) -> None:
            e = ease_out_cubic(progress(t, piece.at, _ENTER_MS))
            if e <= 0.003:
                return
            y = piece.y + (1 - e) * piece.rise
            if centre is not None and e >= 1:
                k = 1 + 0.025 * max(0.0, smooth(t - piece.at, 1600))
                c.save()
                c.translate(centre[0], centre[1])
                c.scale(k, k)
                c.translate(-centre[0], -centre[1])
                c.drawImage(piece.image, piece.x, y, sampling)
                c.restore()
                return
            if e >= 1:
                c.drawImage(piece.image, round(piece.x), round(y))
                return
            paint = skia.Paint()
            paint.setAlphaf(e)
            c.drawImage(piece.image, piece.x, y, sampling, paint)

        return draw, damage

    def _counter(self, el: Counter, c: skia.Canvas, t: float) -> None:
        e = ease_out_cubic(progress(t, el.at - 200, _ENTER_MS))
        if e <= 0.003:
            return
        parts = split_number(el.value)
        text = el.value
        if parts is not None:
            g = ease_out_cubic(progress(t, el.at, el.duration))
            if g < 1:
                prefix, number, decimals, commas, suffix = parts
                text = format_number(prefix, number * g, decimals, commas, suffix)
        spr = tx.sprite(text, el.style)
        # right-aligned to where the final value ends: digits grow leftwards as they count
        right = el.box.cx + tx.measure(el.value, el.style)[0] / 2
        lh = el.style.size * el.style.line_height
        baseline = el.box.cy - lh / 2 + (lh + el.style.size * 0.72) / 2
        y = baseline - spr.baseline + (1 - e) * self.m * 0.03
        paint = skia.Paint()
        paint.setAlphaf(e)
        sampling = skia.SamplingOptions(skia.FilterMode.kLinear)
        c.drawImage(spr.image, right - spr.width - spr.pad, y - spr.pad, sampling, paint)

    def _ring(self, el: Ring, c: skia.Canvas, t: float) -> None:
        e = ease_out_cubic(progress(t, el.at, _ENTER_MS))
        if e <= 0.003:
            return
        b = el.box
        stroke = b.w * 0.06
        oval = skia.Rect.MakeXYWH(b.x + stroke / 2, b.y + stroke / 2, b.w - stroke, b.h - stroke)
        track = skia.Paint(AntiAlias=True, Color=el.track, Style=skia.Paint.kStroke_Style, StrokeWidth=stroke)
        track.setAlphaf(track.getAlphaf() * e)
        c.drawOval(oval, track)
        # fills in, then runs down over the scene like a timer
        fill = ease_out_cubic(progress(t, el.at, 900))
        left = 1 - 0.85 * progress(t, el.at + 900, max(1.0, el.duration - el.at - 1200))
        sweep = 360 * fill * left
        arc = skia.Paint(
            AntiAlias=True,
            Color=el.color,
            Style=skia.Paint.kStroke_Style,
            StrokeWidth=stroke,
            StrokeCap=skia.Paint.kRound_Cap,
        )
        arc.setAlphaf(e)
        if sweep > 0.5:
            c.drawArc(oval, -90, sweep, False, arc)
            ang = math.radians(-90 + sweep)
            rx, ry = oval.width() / 2, oval.height() / 2
            dot = skia.Paint(AntiAlias=True, Color=0xFFFFFFFF)
            dot.setAlphaf(e)
            c.drawCircle(
                oval.centerX() + rx * math.cos(ang), oval.centerY() + ry * math.sin(ang), stroke * 0.28, dot
            )
        # a dial of 60 ticks inside the ring
        tick = skia.Paint(AntiAlias=True, Color=el.track, StrokeWidth=max(1.0, stroke * 0.12))
        tick.setAlphaf(tick.getAlphaf() * e)
        r0, r1 = b.w / 2 - stroke * 1.4, b.w / 2 - stroke * 1.9
        for i in range(60):
            a = math.radians(i * 6)
            c.drawLine(
                b.cx + r0 * math.cos(a),
                b.cy + r0 * math.sin(a),
                b.cx + r1 * math.cos(a),
                b.cy + r1 * math.sin(a),
                tick,
            )

    def draw(self, canvas: skia.Canvas, t_ms: float) -> None:
        for step in self.steps:
            step(canvas, t_ms)
