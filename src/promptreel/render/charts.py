"""Simple animated charts for scenes whose text has numbers: ``bar``, ``line``, ``counter`` and
``pie``.

``meta.chart`` = ``{"type": ..., "values": [numbers], "labels": [str], "unit": "%"}``. Values
grow in with an ease-out (bars rise, the line draws itself, the counter counts up, pie
slices sweep); labels and the
card behind the chart are drawn once into a cached image.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from typing import Any

import skia

from promptreel.render import text as tx
from promptreel.render.easing import ease_out_cubic, progress
from promptreel.render.palette import Palette, contrast, mix, with_alpha

__all__ = ["Chart", "format_value", "CHART_TYPES"]

CHART_TYPES = ("bar", "line", "counter", "pie")
_PREFIX_UNITS = ("$", "€", "£", "¥", "₹")


def format_value(value: float, unit: str = "", decimals: int | None = None) -> str:
    """``12`` → ``"12"``, ``3.5`` → ``"3.5"``, with ``unit`` (currency signs go first)."""
    if decimals is None:
        decimals = 0 if abs(value - round(value)) < 1e-9 or abs(value) >= 100 else 1
    body = f"{value:,.0f}" if abs(value) >= 10000 and decimals == 0 else f"{value:.{decimals}f}"
    unit = unit or ""
    if unit in _PREFIX_UNITS:
        return unit + body
    return body + unit


def _numbers(values: Any) -> list[float]:
    out: list[float] = []
    if isinstance(values, Sequence) and not isinstance(values, str):
        for v in values:
            try:
                f = float(v)
            except (TypeError, ValueError):
                continue
            if math.isfinite(f):
                out.append(f)
    return out


class Chart:
    """A chart drawn inside a ``width``×``height`` box (top-left at the draw position)."""

    def __init__(self, spec: Mapping[str, Any], width: float, height: float, pal: Palette) -> None:
        kind = str(spec.get("type") or "bar")
        self.kind = kind if kind in CHART_TYPES else "bar"
        self.values = _numbers(spec.get("values"))[: 12 if self.kind == "line" else 6] or [1.0]
        raw_labels = spec.get("labels")
        labels = (
            [str(x) for x in raw_labels]
            if isinstance(raw_labels, Sequence) and not isinstance(raw_labels, str)
            else []
        )
        self.labels = (labels + [""] * len(self.values))[: len(self.values)]
        self.unit = str(spec.get("unit") or "")
        if self.kind == "counter":
            self.values = self.values[:1]
        self.w, self.h = float(width), float(height)
        self.pal = pal
        self.m = min(self.w, self.h)
        self.card = pal.dark
        colors = [pal.accent, *pal.extra] if pal.extra else [pal.accent, mix(pal.accent, 0xFFFFFFFF, 0.35)]
        self.colors = [c for c in colors if contrast(c, self._card_color()) >= 1.6] or [pal.text]
        self.ink = pal.text if contrast(pal.text, self._card_color()) >= 3 else 0xFF1A1A2E
        self.static = self._render_static()

    def _card_color(self) -> int:
        return (
            mix(self.pal.bg_mid, 0xFFFFFFFF, 0.10)
            if self.pal.dark
            else mix(self.pal.bg_mid, 0xFFFFFFFF, 0.55)
        )

    def _label_style(self, size: float, weight: int = 600, color: int | None = None) -> tx.TextStyle:
        return tx.TextStyle(size=size, color=self.ink if color is None else color, weight=weight, kind="text")

    # --- the cached card with labels -------------------------------------------------------

    def _render_static(self) -> skia.Image:
        surface = skia.Surface(max(1, round(self.w)), max(1, round(self.h)))
        c = surface.getCanvas()
        c.clear(skia.ColorTRANSPARENT)
        r = self.m * 0.07
        card = skia.Rect(0, 0, self.w, self.h).makeInset(self.m * 0.03, self.m * 0.03)
        shadow = skia.Paint(
            AntiAlias=True,
            Color=0x40000000,
            MaskFilter=skia.MaskFilter.MakeBlur(skia.kNormal_BlurStyle, self.m * 0.02),
        )
        c.drawRoundRect(card.makeOffset(0, self.m * 0.012), r, r, shadow)
        c.drawRoundRect(card, r, r, skia.Paint(AntiAlias=True, Color=with_alpha(self._card_color(), 0.9)))
        if self.kind == "bar":
            self._static_bar(c)
        elif self.kind == "line":
            self._static_line(c)
        elif self.kind == "pie":
            self._static_pie(c)
        else:
            self._static_counter(c)
        return surface.makeImageSnapshot()

    def _bar_geometry(self) -> tuple[float, float, float, float, float]:
        n = len(self.values)
        pad = self.m * 0.1
        left, right = pad, self.w - pad
        top, base = self.h * 0.2, self.h * 0.76
        slot = (right - left) / n
        return left, top, base, slot, min(slot * 0.62, self.m * 0.22)

    def _draw_centered(
        self, c: skia.Canvas, label: str, style: tx.TextStyle, cx: float, top: float, max_w: float
    ) -> None:
        if not label:
            return
        w, _, _ = tx.measure(label, style)
        if w > max_w:
            style = style.sized(max(6.0, style.size * max_w / w))
            w = max_w
        tx.paragraph(label, style).paint(c, cx - w / 2, top)

    def _static_bar(self, c: skia.Canvas) -> None:
        left, _top, base, slot, _bw = self._bar_geometry()
        axis = skia.Paint(
            AntiAlias=True, Color=with_alpha(self.ink, 0.25), StrokeWidth=max(1.0, self.m * 0.006)
        )
        c.drawLine(left - slot * 0.1, base, left + slot * len(self.values) + slot * 0.1, base, axis)
        style = self._label_style(self.m * 0.065, 600, with_alpha(self.ink, 0.85))
        for i, label in enumerate(self.labels):
            self._draw_centered(c, label, style, left + slot * (i + 0.5), base + self.m * 0.04, slot * 0.95)

    def _line_points(self) -> list[tuple[float, float]]:
        left, top, base, slot, _bw = self._bar_geometry()
        lo = min(0.0, min(self.values))
        hi = max(self.values) if max(self.values) > lo else lo + 1.0
        span = base - top
        return [
            (left + slot * (i + 0.5), base - span * (v - lo) / (hi - lo)) for i, v in enumerate(self.values)
        ]

    def _static_line(self, c: skia.Canvas) -> None:
        left, top, base, slot, _bw = self._bar_geometry()
        grid = skia.Paint(
            AntiAlias=True, Color=with_alpha(self.ink, 0.1), StrokeWidth=max(1.0, self.m * 0.003)
        )
        for k in range(1, 4):
            y = base - (base - top) * k / 3
            c.drawLine(left, y, left + slot * len(self.values), y, grid)
        self._static_bar(c)  # the axis and the labels under each point

    def _static_pie(self, c: skia.Canvas) -> None:
        cx, cy, r = self._pie_geometry()
        track = skia.Paint(
            AntiAlias=True,
            Color=with_alpha(self.ink, 0.08),
            Style=skia.Paint.kStroke_Style,
            StrokeWidth=r * 0.42,
        )
        c.drawCircle(cx, cy, r * 0.79, track)
        total = sum(max(0.0, v) for v in self.values) or 1.0
        style = self._label_style(min(self.h * 0.09, self.w * 0.045), 600)
        x0 = self.w * 0.56
        row = style.size * 1.8
        y = self.h / 2 - row * len(self.values) / 2
        for i, (v, label) in enumerate(zip(self.values, self.labels, strict=True)):
            color = self.colors[i % len(self.colors)]
            c.drawRoundRect(
                skia.Rect(x0, y + row * 0.2, x0 + row * 0.45, y + row * 0.65),
                row * 0.12,
                row * 0.12,
                skia.Paint(AntiAlias=True, Color=color),
            )
            share = format_value(100 * max(0.0, v) / total, "%", 0)
            line = f"{label}  {share}" if label else share
            w, _, _ = tx.measure(line, style)
            max_w = self.w * 0.95 - x0 - row * 0.7
            st = style if w <= max_w else style.sized(max(6.0, style.size * max_w / w))
            tx.paragraph(line, st).paint(c, x0 + row * 0.7, y + row * 0.12)
            y += row

    def _pie_geometry(self) -> tuple[float, float, float]:
        r = min(self.w * 0.23, self.h * 0.34)
        return self.w * 0.3, self.h / 2, r

    def _static_counter(self, c: skia.Canvas) -> None:
        label = self.labels[0] if self.labels else ""
        style = self._label_style(self.m * 0.08, 600, with_alpha(self.ink, 0.85))
        self._draw_centered(c, label, style, self.w / 2, self.h * 0.74, self.w * 0.85)

    # --- per frame -------------------------------------------------------------------------

    def draw(self, canvas: skia.Canvas, x: float, y: float, t_ms: float, delay_ms: float = 300.0) -> None:
        enter = ease_out_cubic(progress(t_ms, delay_ms - 250, 450))
        if enter <= 0:
            return
        canvas.save()
        canvas.translate(x, y + (1 - enter) * self.m * 0.08)
        paint = skia.Paint()
        paint.setAlphaf(enter)
        canvas.drawImage(self.static, 0, 0, skia.SamplingOptions(), paint)
        grow = ease_out_cubic(progress(t_ms, delay_ms, 1400))
        getattr(self, "_draw_" + self.kind)(canvas, grow, t_ms - delay_ms, enter)
        canvas.restore()

    def _draw_bar(self, c: skia.Canvas, grow: float, t: float, alpha: float) -> None:
        left, top, base, slot, bw = self._bar_geometry()
        vmax = max((abs(v) for v in self.values), default=1.0) or 1.0
        style = self._label_style(self.m * 0.075, 800)
        for i, v in enumerate(self.values):
            g = ease_out_cubic(progress(t, i * 120, 1100))
            hgt = (base - top) * max(0.0, v) / vmax * g
            cx = left + slot * (i + 0.5)
            color = self.colors[i % len(self.colors)]
            rect = skia.Rect(cx - bw / 2, base - hgt, cx + bw / 2, base)
            rr = min(bw * 0.18, hgt / 2)
            paint = skia.Paint(AntiAlias=True, Color=color)
            paint.setAlphaf(alpha)
            if hgt > 0.5:
                c.drawRRect(skia.RRect.MakeRectXY(rect, rr, rr), paint)
            if g > 0.05:
                label = format_value(v * g if g < 1 else v, self.unit, 0 if abs(v) >= 10 or g < 1 else None)
                w, _h, _ = tx.measure(label, style)
                pp = skia.Paint()
                pp.setAlphaf(alpha * min(1.0, g * 2))
                tx_style = style if w <= slot else style.sized(style.size * slot / w)
                spr = tx.sprite(label, tx_style)
                c.drawImage(
                    spr.image,
                    cx - spr.width / 2 - spr.pad,
                    base - hgt - spr.height - spr.pad - self.m * 0.01,
                    skia.SamplingOptions(),
                    pp,
                )

    def _draw_line(self, c: skia.Canvas, grow: float, t: float, alpha: float) -> None:
        pts = self._line_points()
        _left, _top, base, slot, _bw = self._bar_geometry()
        if not pts:
            return
        # the line draws itself from left to right
        reach = pts[0][0] + (pts[-1][0] - pts[0][0]) * grow
        path = skia.Path()
        path.moveTo(*pts[0])
        end = pts[0]
        for a, b in itertools.pairwise(pts):
            if b[0] <= reach:
                path.lineTo(*b)
                end = b
            else:
                f = (reach - a[0]) / max(1e-6, b[0] - a[0])
                end = (a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f)
                path.lineTo(*end)
                break
        color = self.colors[0]
        area = skia.Path(path)
        area.lineTo(end[0], base)
        area.lineTo(pts[0][0], base)
        area.close()
        fill = skia.Paint(
            AntiAlias=True,
            Shader=skia.GradientShader.MakeLinear(
                [(0, min(p[1] for p in pts)), (0, base)], [with_alpha(color, 0.35), with_alpha(color, 0.0)]
            ),
        )
        fill.setAlphaf(alpha)
        c.drawPath(area, fill)
        stroke = skia.Paint(
            AntiAlias=True,
            Color=color,
            Style=skia.Paint.kStroke_Style,
            StrokeWidth=max(2.0, self.m * 0.018),
            StrokeCap=skia.Paint.kRound_Cap,
            StrokeJoin=skia.Paint.kRound_Join,
        )
        stroke.setAlphaf(alpha)
        c.drawPath(path, stroke)
        style = self._label_style(self.m * 0.06, 800)
        dot = skia.Paint(AntiAlias=True, Color=color)
        dot.setAlphaf(alpha)
        ring = skia.Paint(AntiAlias=True, Color=self._card_color())
        ring.setAlphaf(alpha)
        last = len(pts) - 1
        for i, ((x, y), v) in enumerate(zip(pts, self.values, strict=True)):
            if x > reach + 0.5:
                break
            c.drawCircle(x, y, self.m * 0.022, dot)
            c.drawCircle(x, y, self.m * 0.01, ring)
            if i in (0, last) or len(pts) <= 6:
                label = format_value(v, self.unit)
                w, _h, _ = tx.measure(label, style)
                st = style if w <= slot * 0.98 else style.sized(style.size * slot * 0.98 / w)
                spr = tx.sprite(label, st)
                pp = skia.Paint()
                pp.setAlphaf(alpha)
                c.drawImage(
                    spr.image,
                    x - spr.width / 2 - spr.pad,
                    y - spr.height - spr.pad - self.m * 0.03,
                    skia.SamplingOptions(),
                    pp,
                )

    def _draw_pie(self, c: skia.Canvas, grow: float, t: float, alpha: float) -> None:
        cx, cy, r = self._pie_geometry()
        total = sum(max(0.0, v) for v in self.values) or 1.0
        start = -90.0
        stroke = r * 0.42
        oval = skia.Rect(cx - r * 0.79, cy - r * 0.79, cx + r * 0.79, cy + r * 0.79)
        for i, v in enumerate(self.values):
            sweep = 360.0 * max(0.0, v) / total * grow
            if sweep > 0.2:
                p = skia.Paint(
                    AntiAlias=True,
                    Color=self.colors[i % len(self.colors)],
                    Style=skia.Paint.kStroke_Style,
                    StrokeWidth=stroke,
                )
                p.setAlphaf(alpha)
                c.drawArc(oval, start, max(0.0, sweep - 1.2), False, p)
            start += sweep

    def _draw_counter(self, c: skia.Canvas, grow: float, t: float, alpha: float) -> None:
        v = self.values[0]
        cx, cy = self.w / 2, self.h * 0.42
        r = min(self.w, self.h) * 0.3
        # a progress ring for percentages; a plain accent ring otherwise
        frac = max(0.0, min(1.0, v / 100.0)) if self.unit == "%" else 1.0
        oval = skia.Rect(cx - r, cy - r, cx + r, cy + r)
        track = skia.Paint(
            AntiAlias=True,
            Color=with_alpha(self.ink, 0.1),
            Style=skia.Paint.kStroke_Style,
            StrokeWidth=r * 0.12,
        )
        c.drawOval(oval, track)
        ring = skia.Paint(
            AntiAlias=True,
            Color=self.colors[0],
            Style=skia.Paint.kStroke_Style,
            StrokeWidth=r * 0.12,
            StrokeCap=skia.Paint.kRound_Cap,
        )
        ring.setAlphaf(alpha)
        if grow * frac > 0.003:
            c.drawArc(oval, -90, 360 * frac * grow, False, ring)
        decimals = 0 if abs(v - round(v)) < 1e-9 else 1
        label = format_value(v * grow, self.unit, decimals)
        style = self._label_style(r * 0.62, 800)
        w, h, _ = tx.measure(label, style)
        if w > r * 1.6:
            style = style.sized(style.size * r * 1.6 / w)
            w, h, _ = tx.measure(label, style)
        p = tx.paragraph(label, style)
        c.saveLayerAlpha(None, round(255 * alpha)) if alpha < 1 else c.save()
        p.paint(c, cx - w / 2, cy - h / 2)
        c.restore()
