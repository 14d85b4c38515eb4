"""A scene's illustration: an SVG (or a color emoji, or an abstract shape when there is none),
rasterised ONCE at the size it is shown, then only transformed per frame (scale-in, float)."""

from __future__ import annotations

import math
import re

import numpy as np
import skia

from promptreel.render import fonts
from promptreel.render.damage import Area
from promptreel.render.easing import ease_out_back, ease_out_cubic, progress, smooth
from promptreel.render.palette import Palette, luminance, mix, with_alpha

__all__ = ["Illustration", "render_svg", "render_emoji", "is_emoji"]

_SVG_TAG = re.compile(r"<svg\b[^>]*>", re.IGNORECASE | re.DOTALL)
_NUM = r"([0-9.]+)(?:px)?"


def render_svg(svg: str, size: int) -> skia.Image | None:
    """Rasterise SVG text into a ``size``×``size`` transparent image (aspect kept, centred)."""
    m = _SVG_TAG.search(svg)
    if not m or size <= 0:
        return None
    tag = m.group(0)
    if "viewbox" not in tag.lower():
        w = re.search(r'\bwidth\s*=\s*["\']' + _NUM, tag)
        h = re.search(r'\bheight\s*=\s*["\']' + _NUM, tag)
        if w and h:
            tag = tag[:-1].rstrip("/") + f' viewBox="0 0 {w.group(1)} {h.group(1)}">'
            if m.group(0).endswith("/>"):
                tag = tag[:-1] + "/>"
    tag = re.sub(r'\s(width|height)\s*=\s*["\'][^"\']*["\']', "", tag)
    text = svg[: m.start()] + tag + svg[m.end() :]
    try:
        # copyData: the stream must own its bytes (by default it only points at them)
        dom = skia.SVGDOM.MakeFromStream(skia.MemoryStream(text.encode("utf-8"), True))
    except Exception:
        return None
    if dom is None:
        return None
    surface = skia.Surface(size, size)
    canvas = surface.getCanvas()
    canvas.clear(skia.ColorTRANSPARENT)
    dom.setContainerSize(skia.Size(size, size))
    dom.render(canvas)
    image = surface.makeImageSnapshot()
    return image


def is_emoji(text: str) -> bool:
    tf = fonts.emoji_typeface()
    if tf is None or not text or len(text) > 12:
        return False
    core = [ch for ch in text if ord(ch) not in (0xFE0F, 0x200D) and not (0x1F3FB <= ord(ch) <= 0x1F3FF)]
    return bool(core) and all(ord(ch) > 0x2000 for ch in core) and fonts.covers(tf, "".join(core))


def render_emoji(text: str, size: int) -> skia.Image | None:
    """A color emoji glyph drawn to fill a ``size``×``size`` image."""
    tf = fonts.emoji_typeface()
    if tf is None:
        return None
    font = skia.Font(tf, size * 0.8)
    font.setEdging(skia.Font.Edging.kAntiAlias)
    bounds = skia.Rect()
    font.measureText(text, skia.TextEncoding.kUTF8, bounds)
    if bounds.isEmpty():
        return None
    surface = skia.Surface(size, size)
    canvas = surface.getCanvas()
    canvas.clear(skia.ColorTRANSPARENT)
    scale = min(size / bounds.width(), size / bounds.height()) * 0.92
    canvas.translate(size / 2, size / 2)
    canvas.scale(scale, scale)
    canvas.translate(-bounds.centerX(), -bounds.centerY())
    canvas.drawString(text, 0, 0, font, skia.Paint(AntiAlias=True))
    return surface.makeImageSnapshot()


def _render_shape(size: int, pal: Palette, seed: int) -> skia.Image:
    """An abstract badge used when a scene has no icon: layered rounded shapes in the palette."""
    surface = skia.Surface(size, size)
    c = surface.getCanvas()
    c.clear(skia.ColorTRANSPARENT)
    s = float(size)
    colors = pal.shape_colors()
    a, b = colors[0], colors[1 % len(colors)]
    c.save()
    c.translate(s / 2, s / 2)
    c.rotate(-12 + (seed % 5) * 6)
    rect = skia.Rect(-s * 0.33, -s * 0.33, s * 0.33, s * 0.33)
    grad = skia.GradientShader.MakeLinear([(-s / 3, -s / 3), (s / 3, s / 3)], [mix(a, 0xFFFFFFFF, 0.15), a])
    c.drawRoundRect(rect, s * 0.09, s * 0.09, skia.Paint(AntiAlias=True, Shader=grad))
    c.restore()
    c.drawCircle(s * 0.68, s * 0.34, s * 0.17, skia.Paint(AntiAlias=True, Color=with_alpha(b, 0.92)))
    ring = skia.Paint(AntiAlias=True, Color=0xE6FFFFFF, Style=skia.Paint.kStroke_Style, StrokeWidth=s * 0.035)
    c.drawCircle(s * 0.36, s * 0.66, s * 0.12, ring)
    return surface.makeImageSnapshot()


def _needs_plate(image: skia.Image, background: int) -> bool:
    """Whether the picture's visible pixels are too close in brightness to the background."""
    arr = image.toarray(colorType=skia.kRGBA_8888_ColorType, alphaType=skia.kUnpremul_AlphaType)
    step = max(1, arr.shape[0] // 64)
    px = arr[::step, ::step].reshape(-1, 4).astype(np.float64)
    weight = px[:, 3] / 255.0
    if weight.sum() < 1:
        return False
    rgb = (px[:, :3] / 255.0) ** 2.2
    lum = float(((rgb @ np.array([0.2126, 0.7152, 0.0722])) * weight).sum() / weight.sum())
    mean = (px[:, :3] * weight[:, None]).sum(axis=0) / weight.sum() / 255.0
    bg_rgb = np.array([(background >> 16) & 255, (background >> 8) & 255, background & 255]) / 255.0
    bg = luminance(background)
    close_in_light = (max(lum, bg) + 0.05) / (min(lum, bg) + 0.05) < 2.0
    close_in_colour = float(np.abs(mean - bg_rgb).sum()) < 0.6
    return close_in_light and close_in_colour


class Illustration:
    """The scene's picture at a fixed pixel size, with a halo and a soft floor shadow."""

    def __init__(self, image: skia.Image | None, size: int, pal: Palette, seed: int) -> None:
        self.size = max(8, size)
        self.image = image if image is not None else _render_shape(self.size, pal, seed)
        self.phase = (seed % 97) / 97 * 2 * math.pi
        self.halo = self._render_halo(pal)
        if _needs_plate(self.image, pal.bg_mid):
            self.image = self._on_plate(pal)

    def _on_plate(self, pal: Palette) -> skia.Image:
        """The picture on a light disc, for icons that would sink into the background."""
        size = self.size
        surface = skia.Surface(size, size)
        c = surface.getCanvas()
        c.clear(skia.ColorTRANSPARENT)
        plate = mix(pal.text if luminance(pal.text) > 0.5 else 0xFFFFFFFF, pal.accent, 0.18)
        c.drawCircle(
            size / 2, size / 2, size * 0.5 - 1, skia.Paint(AntiAlias=True, Color=with_alpha(plate, 0.94))
        )
        k = 0.68
        c.translate(size * (1 - k) / 2, size * (1 - k) / 2)
        c.scale(k, k)
        c.drawImage(self.image, 0, 0, skia.SamplingOptions(skia.FilterMode.kLinear, skia.MipmapMode.kNone))
        return surface.makeImageSnapshot()

    def _render_halo(self, pal: Palette) -> skia.Image:
        s = round(self.size * 1.5)
        surface = skia.Surface(s, s)
        c = surface.getCanvas()
        c.clear(skia.ColorTRANSPARENT)
        color = mix(pal.accent, 0xFFFFFFFF, 0.35)
        shader = skia.GradientShader.MakeRadial(
            (s / 2, s / 2),
            s / 2,
            [with_alpha(color, 0.34), with_alpha(color, 0.12), with_alpha(color, 0.0)],
            [0, 0.5, 1],
        )
        c.drawCircle(s / 2, s / 2, s / 2, skia.Paint(AntiAlias=True, Shader=shader))
        # floor shadow
        sh = skia.GradientShader.MakeRadial((0, 0), 1, [0x38000000, 0x00000000])
        c.save()
        c.translate(s / 2, s / 2 + self.size * 0.5)
        c.scale(self.size * 0.36, self.size * 0.06)
        c.drawCircle(0, 0, 1, skia.Paint(AntiAlias=True, Shader=sh))
        c.restore()
        return surface.makeImageSnapshot()

    def draw_halo(self, canvas: skia.Canvas, cx: float, cy: float) -> None:
        """The static glow and floor shadow (baked into the scene's cached background)."""
        hs = self.halo.width()
        canvas.drawImage(self.halo, cx - hs / 2, cy - hs / 2)

    def _at(self, cx: float, cy: float, t_ms: float, delay_ms: float) -> Area | None:
        """Where :meth:`draw` puts pixels at ``t_ms``: the exact blit once entered, a box that
        holds every scale of the entrance before (``None``: nothing drawn yet)."""
        enter = progress(t_ms, delay_ms, 750)
        if enter <= 0:
            return None
        bob = smooth(t_ms, 3600, self.phase) * self.size * 0.025
        if enter >= 1:
            x, y = round(cx - self.size / 2), round(cy + bob - self.size / 2)
            return (x, y, x + self.size, y + self.size)
        half = self.size * 0.6  # ease_out_back(·, 1.6) peaks near 1.09: the scale stays below 1.05
        return (cx - half, cy + bob - half, cx + half, cy + bob + half)

    def damage(self, cx: float, cy: float, t0: float, t1: float, delay_ms: float = 0.0) -> list[Area]:
        """Where the picture :meth:`draw` makes at ``t1`` may differ from the one at ``t0``."""
        a, b = self._at(cx, cy, t0, delay_ms), self._at(cx, cy, t1, delay_ms)
        if a == b and (a is None or progress(t0, delay_ms, 750) >= 1):
            return []
        return [r for r in (a, b) if r is not None]

    def draw(self, canvas: skia.Canvas, cx: float, cy: float, t_ms: float, delay_ms: float = 0.0) -> None:
        enter = progress(t_ms, delay_ms, 750)
        if enter <= 0:
            return
        bob = smooth(t_ms, 3600, self.phase) * self.size * 0.025
        if enter >= 1:
            # steady state: a pure translation, so skia blits the cached image without resampling
            canvas.drawImage(self.image, round(cx - self.size / 2), round(cy + bob - self.size / 2))
            return
        scale = 0.55 + 0.45 * ease_out_back(enter, 1.6)
        paint = skia.Paint(AntiAlias=True)
        paint.setAlphaf(ease_out_cubic(min(1.0, enter * 1.8)))
        canvas.save()
        canvas.translate(cx, cy + bob)  # scale and fade only: a rotated blit costs ~7× more
        canvas.scale(scale, scale)
        canvas.drawImage(
            self.image, -self.size / 2, -self.size / 2, skia.SamplingOptions(skia.FilterMode.kLinear), paint
        )
        canvas.restore()
