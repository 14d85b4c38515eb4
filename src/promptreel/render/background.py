"""Procedural scene backgrounds: a cached gradient base plus light animated motion on top.

``motion`` picks the animation: ``gradient`` (drifting gradient and glow), ``shapes`` (soft
flat shapes floating), ``particles`` (rising sparkles and bokeh), ``rays`` (slowly turning
light rays), ``grid`` (drifting grid with lit cells), ``waves`` (layered waves). All random
choices come from ``seed``, so a scene looks the same on every render.

The base (gradient, glow, vignette) is rendered once per scene into an opaque image; per frame
only small vector shapes are drawn over it, which keeps a 1080p frame cheap.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable

import numpy as np
import skia

from promptreel.render.damage import Area, Damage, box
from promptreel.render.easing import smooth
from promptreel.render.palette import Palette, mix, with_alpha

__all__ = ["Background", "MOTIONS"]

MOTIONS = ("gradient", "shapes", "particles", "rays", "grid", "waves")
_AA = True
_COPY = skia.Paint(BlendMode=skia.BlendMode.kSrc)
_BASE_SCALE = 4  # the base is shaded at 1/4 of the frame's size and scaled up once
_Dot = tuple[float, float, float, float]  # centre x, y, radius, then a colour or an alpha


def _paint(color: int, *, stroke: float = 0.0, shader: skia.Shader | None = None) -> skia.Paint:
    p = skia.Paint(AntiAlias=_AA, Color=color)
    if stroke:
        p.setStyle(skia.Paint.kStroke_Style)
        p.setStrokeWidth(stroke)
    if shader is not None:
        p.setShader(shader)
    return p


def _radial(cx: float, cy: float, r: float, color: int, alpha: float) -> skia.Shader:
    return skia.GradientShader.MakeRadial(
        (cx, cy),
        max(1.0, r),
        [with_alpha(color, alpha), with_alpha(color, alpha * 0.45), with_alpha(color, 0.0)],
        [0.0, 0.45, 1.0],
    )


class Background:
    """Draws one scene's background at ``width``×``height`` for any time ``t_ms``."""

    def __init__(
        self, motion: str, palette: Palette, width: int, height: int, seed: int, focus: tuple[float, float]
    ) -> None:
        self.motion = motion if motion in MOTIONS else "gradient"
        self.pal = palette
        self.w, self.h = width, height
        self.m = min(width, height)
        self.rng = random.Random(seed * 7919 + MOTIONS.index(self.motion))
        self.focus = focus  # where the visual sits: rays and glows centre there
        self.over = 0.0
        self.base = self._render_base()
        self._setup()

    # --- the cached base -----------------------------------------------------------------

    def _render_base(self) -> skia.Image:
        """Gradient, glows and vignette: smooth, so drawn at a quarter of the size and scaled up
        once (16× fewer shaded pixels), with linear sampling: on content this smooth it gives
        what a cubic filter gives (within one level, ≈ 67 dB) in less than half the time."""
        full_w, full_h = round(self.w * (1 + self.over)), round(self.h * (1 + self.over))
        ow, oh = max(2, math.ceil(full_w / _BASE_SCALE)), max(2, math.ceil(full_h / _BASE_SCALE))
        surface = skia.Surface(ow, oh)
        c = surface.getCanvas()
        pal, rng = self.pal, self.rng
        angle = rng.uniform(0, math.pi)
        cx, cy, r = ow / 2, oh / 2, math.hypot(ow, oh) / 2
        dx, dy = math.cos(angle) * r, math.sin(angle) * r
        c.drawPaint(
            _paint(
                0xFF000000,
                shader=skia.GradientShader.MakeLinear(
                    [(cx - dx, cy - dy), (cx + dx, cy + dy)], [pal.bg0, mix(pal.bg0, pal.bg1, 0.55), pal.bg1]
                ),
            )
        )
        # two broad glows: the accent, and a lighter tint of the second background color
        fx, fy = self.focus
        glows = [
            (fx * ow + rng.uniform(-0.1, 0.1) * ow, fy * oh, 0.75 * max(ow, oh), pal.accent, 0.20),
            (
                rng.uniform(0.0, 1.0) * ow,
                rng.choice((0.0, 1.0)) * oh,
                0.8 * max(ow, oh),
                mix(pal.bg1, 0xFFFFFFFF, 0.25),
                0.22,
            ),
        ]
        for gx, gy, gr, color, a in glows:
            c.drawPaint(_paint(0xFF000000, shader=_radial(gx, gy, gr, color, a)))
        # vignette
        c.drawPaint(
            _paint(
                0xFF000000,
                shader=skia.GradientShader.MakeRadial(
                    (cx, cy), r * 1.05, [0x00000000, 0x00000000, 0x55000000], [0.0, 0.55, 1.0]
                ),
            )
        )
        small = surface.makeImageSnapshot()
        big = skia.Surface(full_w, full_h)
        big.getCanvas().drawImageRect(
            small,
            skia.Rect(0, 0, full_w, full_h),
            skia.SamplingOptions(skia.FilterMode.kLinear),
            skia.Paint(Dither=True),
        )
        return big.makeImageSnapshot()

    def bake(self, draw: Callable[[skia.Canvas], None]) -> None:
        """Draw static decoration (e.g. an illustration's glow) into the cached base once."""
        surface = skia.Surface(self.base.width(), self.base.height())
        canvas = surface.getCanvas()
        canvas.drawImage(self.base, 0, 0)
        draw(canvas)
        self.base = surface.makeImageSnapshot()

    # --- per-motion state ------------------------------------------------------------------

    def _setup(self) -> None:
        rng, m, w, h = self.rng, self.m, self.w, self.h
        colors = self.pal.shape_colors()
        self.shapes: list[tuple[str, float, float, float, int, float, float, float]] = []
        if self.motion == "shapes":
            kinds = ["circle", "ring", "square", "pill", "triangle", "ring", "circle"]
            for i, kind in enumerate(kinds):
                edge = i % 4
                x = rng.uniform(0.02, 0.3) if edge in (0, 2) else rng.uniform(0.7, 0.98)
                y = rng.uniform(0.05, 0.95)
                size = rng.uniform(0.05, 0.13) * m
                self.shapes.append(
                    (
                        kind,
                        x * w,
                        y * h,
                        size,
                        colors[i % len(colors)],
                        rng.uniform(0, 6.28),
                        rng.uniform(5000, 9000),
                        rng.uniform(0.14, 0.3),
                    )
                )
        self.dots = np.zeros((0, 6))
        if self.motion == "particles":
            n = 46
            self.dots = np.column_stack(
                [
                    [rng.uniform(0, w) for _ in range(n)],
                    [rng.uniform(0, h) for _ in range(n)],
                    [rng.uniform(0.0018, 0.006) * m for _ in range(n)],
                    [rng.uniform(0.02, 0.06) * h for _ in range(n)],  # rise speed per second
                    [rng.uniform(0, 6.28) for _ in range(n)],
                    [rng.uniform(0.4, 1.0) for _ in range(n)],
                ]
            )
            self.bokeh = [
                (
                    rng.uniform(0, w),
                    rng.uniform(0, h),
                    rng.uniform(0.025, 0.06) * m,
                    colors[i % len(colors)],
                    rng.uniform(0, 6.28),
                )
                for i in range(7)
            ]
        if self.motion == "rays":
            fx, fy = self.focus
            self.ray_center = (fx * w, fy * h)
            n = 12
            path = skia.Path()
            reach = math.hypot(w, h)
            for i in range(n):
                a0 = 2 * math.pi * i / n
                a1 = a0 + 2 * math.pi / n * 0.36
                path.moveTo(0, 0)
                path.lineTo(math.cos(a0) * reach, math.sin(a0) * reach)
                path.lineTo(math.cos(a1) * reach, math.sin(a1) * reach)
                path.close()
            self.ray_path = path
            self.ray_paint = _paint(with_alpha(0xFFFFFFFF, 0.07 if self.pal.dark else 0.16))
            self.ray_paint.setAntiAlias(False)  # faint, wide rays: AA costs more than it shows
        if self.motion == "grid":
            self.cell = 0.085 * m
            self.lit = [
                (rng.randint(0, 40), rng.randint(0, 30), rng.uniform(0, 6.28), colors[i % len(colors)])
                for i in range(9)
            ]
        if self.motion == "waves":
            self.waves = [
                (
                    0.80 + 0.065 * i,
                    rng.uniform(0.012, 0.025) * h,
                    rng.uniform(0.7, 1.4),
                    rng.uniform(0, 6.28),
                    mix(self.pal.bg1, colors[i % len(colors)], 0.35 + 0.15 * i),
                )
                for i in range(3)
            ]
        if self.motion == "gradient":
            self.drift = (rng.uniform(0, 6.28), rng.uniform(0, 6.28))
            self.orbs = [self._orb(0.36 * m, self.pal.accent, 0.30), self._orb(0.28 * m, colors[-1], 0.22)]

    def _orb(self, r: float, color: int, alpha: float) -> skia.Image:
        size = max(2, round(2 * r))
        surface = skia.Surface(size, size)
        c = surface.getCanvas()
        c.clear(skia.ColorTRANSPARENT)
        c.drawCircle(
            size / 2,
            size / 2,
            size / 2,
            _paint(0xFF000000, shader=_radial(size / 2, size / 2, size / 2, color, alpha)),
        )
        return surface.makeImageSnapshot()

    # --- per frame ---------------------------------------------------------------------------

    def draw(self, canvas: skia.Canvas, t_ms: float) -> None:
        # the base is opaque and covers the frame: copied, not blended (the same pixels, ~⅓ cheaper)
        canvas.drawImage(self.base, 0, 0, skia.SamplingOptions(), _COPY)
        getattr(self, "_draw_" + self.motion)(canvas, t_ms)

    def damage(self, t0: float, t1: float) -> Damage:
        """Where the picture at ``t1`` may differ from the one at ``t0`` (``None``: anywhere)."""
        if t0 == t1:
            return []
        if self.motion == "gradient":
            out: list[Area] = []
            for k, orb in enumerate(self.orbs):
                a, b = self._orb_at(k, t0), self._orb_at(k, t1)
                if a != b:
                    out += [box(*a, orb.width(), orb.height()), box(*b, orb.width(), orb.height())]
            return out
        if self.motion == "waves":
            # every wave is opaque and filled down to the bottom edge: below the lowest reach of
            # the last (front) one nothing changes
            top = min(level * self.h - 1.5 * amp for level, amp, *_ in self.waves)
            level, amp, *_ = self.waves[-1]
            return [(0.0, top, float(self.w), min(float(self.h), level * self.h + 1.5 * amp + 2))]
        if self.motion == "shapes":
            out = []
            for t in (t0, t1):
                for (x, y, _rot), (_kind, _x0, _y0, size, *_) in zip(
                    self._shapes_at(t), self.shapes, strict=True
                ):
                    r = size * 0.9
                    out.append((x - r, y - r, x + r, y + r))
            return out
        if self.motion == "particles":
            return self._particles_damage(t0, t1)
        return None  # rays and grid move all over the frame

    def _orb_at(self, k: int, t: float) -> tuple[int, int]:
        """Top-left pixel of orb ``k`` at ``t``: soft orbs drift on slow Lissajous paths."""
        fx, fy = self.focus
        orb = self.orbs[k]
        d0, d1 = self.drift[k % 2] + k * 2.1, self.drift[(k + 1) % 2] + k
        cx = (fx - 0.25 * k) * self.w + 0.16 * self.w * smooth(t, 8000 + 2500 * k, d0)
        cy = (fy + 0.2 * k) * self.h + 0.14 * self.h * smooth(t, 10000 - 1500 * k, d1)
        return round(cx - orb.width() / 2), round(cy - orb.height() / 2)

    def _draw_gradient(self, canvas: skia.Canvas, t: float) -> None:
        # pre-rendered orbs, blitted without resampling
        for k, orb in enumerate(self.orbs):
            canvas.drawImage(orb, *self._orb_at(k, t))

    def _shapes_at(self, t: float) -> list[tuple[float, float, float]]:
        """Centre and rotation (degrees) of every floating shape at ``t``."""
        return [
            (
                x0 + 0.03 * self.m * smooth(t, period, phase),
                y0 + 0.05 * self.m * smooth(t, period * 1.3, phase + 1),
                math.degrees(phase) + t / period * 40,
            )
            for _kind, x0, y0, _size, _color, phase, period, _alpha in self.shapes
        ]

    def _draw_shapes(self, canvas: skia.Canvas, t: float) -> None:
        for (x, y, rot), (kind, _x0, _y0, size, color, _phase, _period, alpha) in zip(
            self._shapes_at(t), self.shapes, strict=True
        ):
            canvas.save()
            canvas.translate(x, y)
            canvas.rotate(rot)
            col = with_alpha(color, alpha)
            if kind == "circle":
                canvas.drawCircle(0, 0, size / 2, _paint(col))
            elif kind == "ring":
                canvas.drawCircle(0, 0, size / 2, _paint(col, stroke=size * 0.12))
            elif kind == "square":
                canvas.drawRoundRect(
                    skia.Rect(-size / 2, -size / 2, size / 2, size / 2), size * 0.22, size * 0.22, _paint(col)
                )
            elif kind == "pill":
                canvas.drawRoundRect(
                    skia.Rect(-size * 0.8, -size * 0.22, size * 0.8, size * 0.22),
                    size * 0.22,
                    size * 0.22,
                    _paint(col),
                )
            else:
                p = skia.Path()
                p.moveTo(0, -size / 2)
                p.lineTo(size * 0.45, size * 0.3)
                p.lineTo(-size * 0.45, size * 0.3)
                p.close()
                canvas.drawPath(p, _paint(col, stroke=size * 0.09))
            canvas.restore()

    def _particles_at(self, t: float) -> tuple[list[_Dot], list[_Dot]]:
        """Bokeh (centre, radius, colour) and sparkles (centre, radius, alpha) at ``t``."""
        bokeh: list[_Dot]
        bokeh = [
            (bx + 0.01 * self.m * smooth(t, 6000, ph), (by - t / 1000 * 0.01 * self.h) % self.h, br, color)
            for bx, by, br, color, ph in self.bokeh
        ]
        d = self.dots
        secs = t / 1000.0
        ys = (d[:, 1] - d[:, 3] * secs) % (self.h * 1.05)
        xs = d[:, 0] + 0.012 * self.m * np.sin(secs * 0.9 + d[:, 4])
        alphas = d[:, 5] * (0.55 + 0.45 * np.sin(secs * 2.2 + d[:, 4] * 3))
        dots: list[_Dot] = list(zip(xs.tolist(), ys.tolist(), d[:, 2].tolist(), alphas.tolist(), strict=True))
        return bokeh, dots

    def _particles_damage(self, t0: float, t1: float) -> list[Area]:
        """Every bokeh circle and sparkle where it was and where it is (one box when the two
        overlap, as they do unless it wrapped round the frame): sparkles twinkle every frame."""
        (b0, d0), (b1, d1) = self._particles_at(t0), self._particles_at(t1)
        out: list[Area] = []
        for (x0, y0, r, *_), (x1, y1, _r, *_) in zip(b0 + d0, b1 + d1, strict=True):
            if abs(x1 - x0) < 2 * r and abs(y1 - y0) < 2 * r:
                out.append(
                    (min(x0, x1) - r - 1, min(y0, y1) - r - 1, max(x0, x1) + r + 1, max(y0, y1) + r + 1)
                )
            else:
                out += [box(x0 - r, y0 - r, 2 * r, 2 * r, 1.0), box(x1 - r, y1 - r, 2 * r, 2 * r, 1.0)]
        return out

    def _draw_particles(self, canvas: skia.Canvas, t: float) -> None:
        bokeh, dots = self._particles_at(t)
        for x, y, r, color in bokeh:
            canvas.drawCircle(x, y, r, _paint(with_alpha(int(color), 0.13)))
        paint = _paint(0xFFFFFFFF)
        for x, y, r, a in dots:
            paint.setAlphaf(max(0.0, min(1.0, a)) * 0.85)
            canvas.drawCircle(x, y, r, paint)

    def _draw_rays(self, canvas: skia.Canvas, t: float) -> None:
        canvas.save()
        canvas.translate(*self.ray_center)
        canvas.rotate(t / 1000 * 4.0)
        canvas.drawPath(self.ray_path, self.ray_paint)
        canvas.restore()

    def _draw_grid(self, canvas: skia.Canvas, t: float) -> None:
        cell = self.cell
        off = (t / 1000 * 0.12 * cell) % cell
        line = _paint(
            with_alpha(0xFFFFFFFF if self.pal.dark else 0xFF000000, 0.07), stroke=max(1.0, self.m * 0.0016)
        )
        x = -cell + off
        while x < self.w + cell:
            canvas.drawLine(x, 0, x, self.h, line)
            x += cell
        y = -cell + off
        while y < self.h + cell:
            canvas.drawLine(0, y, self.w, y, line)
            y += cell
        inset = cell * 0.08
        for cx, cy, ph, color in self.lit:
            a = 0.5 + 0.5 * smooth(t, 3200, ph)
            if a < 0.05:
                continue
            gx = (cx % max(1, int(self.w / cell) + 1)) * cell - cell + off
            gy = (cy % max(1, int(self.h / cell) + 1)) * cell - cell + off
            rect = skia.Rect(gx + inset, gy + inset, gx + cell - inset, gy + cell - inset)
            canvas.drawRoundRect(rect, cell * 0.14, cell * 0.14, _paint(with_alpha(color, 0.22 * a)))

    def _draw_waves(self, canvas: skia.Canvas, t: float) -> None:
        n = 48
        xs = np.linspace(-0.02 * self.w, 1.02 * self.w, n)
        secs = t / 1000.0
        for level, amp, speed, ph, color in self.waves:
            ys = (
                level * self.h
                + amp * np.sin(xs / self.w * 2 * math.pi * 1.3 + secs * speed + ph)
                + amp * 0.5 * np.sin(xs / self.w * 2 * math.pi * 2.7 - secs * speed * 0.7 + ph * 2)
            )
            path = skia.Path()
            path.moveTo(float(xs[0]), float(self.h + 2))
            for x, y in zip(xs.tolist(), ys.tolist(), strict=True):
                path.lineTo(x, y)
            path.lineTo(float(xs[-1]), float(self.h + 2))
            path.close()
            canvas.drawPath(path, _paint(color))
