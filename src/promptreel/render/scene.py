"""A generated scene: background motion, illustration, kinetic headline and optional chart,
laid out for landscape, portrait and square canvases — or, when ``meta.layout`` names another
layout of the grammar (list, steps, stat, chart, quote, place, countdown, greeting, compare,
cta), background motion plus that layout (:mod:`promptreel.render.layouts`).

All text stays inside :func:`promptreel.render.safezone.safe_box`.

Layout (fractions of the canvas, inside ≥ 6 % margins, leaving the caption band free):

* landscape — headline left-aligned in the left column, visual (illustration or chart) right;
* portrait — visual in the upper half, headline centred below it;
* square — visual on top, headline centred below.

When a chart is present the chart takes the visual slot and the illustration shrinks to a
badge above the headline.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import skia

from promptreel.draft import Segment
from promptreel.render import text as tx
from promptreel.render.assets import Assets
from promptreel.render.background import Background
from promptreel.render.captions import caption_box
from promptreel.render.charts import Chart
from promptreel.render.damage import Area, Damage, box
from promptreel.render.easing import ease_in_out, ease_out_cubic, progress
from promptreel.render.illustration import Illustration
from promptreel.render.layouts import compose, layout_name
from promptreel.render.layouts.draw import LayoutRenderer
from promptreel.render.layouts.draw import illustration_image as _illustration_image
from promptreel.render.palette import Palette
from promptreel.render.picture import grey_image, grey_paint
from promptreel.render.safezone import safe_box
from promptreel.render.titles import card_band
from promptreel.render.words import word_groups

__all__ = ["SceneRenderer", "SceneLayout", "scene_layout"]

Box = tuple[float, float, float, float]  # x, y, w, h


@dataclass(frozen=True, slots=True)
class SceneLayout:
    visual: Box
    headline: Box
    badge: Box  # the small illustration slot used when a chart owns the visual slot
    align: str  # headline alignment
    floor: float = 0.0  # the lowest y the scene's text and picture may reach (captions below)


def scene_layout(width: int, height: int, *, chart: bool, headline: bool, captions: bool) -> SceneLayout:
    w, h = float(width), float(height)
    aspect = w / h
    safe = safe_box(width, height)
    mx, my = max(0.07 * w, safe.x), max(0.07 * h, safe.y)
    right = min(w - 0.07 * w, safe.right)  # the right edge text may reach
    # keep the caption band clear (its top, plus the part a one/two-line caption leaves free)
    bottom = min(caption_box(width, height)[1] + h * 0.04 if captions else h * 0.92, safe.bottom)
    if aspect >= 1.3:
        if not headline:
            side = min(w * 0.5, bottom - my)
            return SceneLayout(
                (w / 2 - side / 2, my, side, bottom - my), (mx, my, 0, 0), (0, 0, 0, 0), "center"
            )
        vis = (w * 0.53, my, right - w * 0.53, bottom - my)
        head = (mx, my + (bottom - my) * 0.12, w * 0.45 - mx, (bottom - my) * 0.76)
        badge_s = (bottom - my) * 0.22
        badge = (mx, head[1] - badge_s * 0.2, badge_s, badge_s)
        if chart:
            head = (mx, head[1] + badge_s * 0.9, head[2], head[3] - badge_s * 0.9)
        return SceneLayout(vis, head, badge, "left", bottom)
    portrait = aspect <= 0.8
    vis_top = max(my, h * (0.13 if portrait else 0.08))
    vis_h = h * (0.32 if portrait else 0.40)
    if not headline:
        vis_h = (bottom - vis_top) * 0.85
    vis = (mx, vis_top, right - mx, vis_h)
    head_top = vis_top + vis_h + h * 0.03
    head = (mx, head_top, right - mx, max(h * 0.1, bottom - head_top - h * 0.02))
    badge_s = min(w, h) * 0.13
    badge = ((mx + right) / 2 - badge_s / 2, vis_top - badge_s * 0.15, badge_s, badge_s)
    if chart:
        extra = h * 0.06 if portrait else 0.0  # charts need more height than an icon
        vis = (mx, vis_top + badge_s * 0.9, right - mx, vis_h - badge_s * 0.9 + extra)
        head = (mx, head[1] + extra, head[2], max(h * 0.08, min(head[3] - extra, bottom - head[1] - extra)))
    return SceneLayout(vis, head, badge, "center", bottom)


#: of the height a stacked (picture over headline) layout leaves below its headline, the part
#: that enlarges the picture; the rest is shared above and below, centring the pair
_GROW = 0.45


def balanced(lay: SceneLayout, block_h: float, m: float) -> SceneLayout:
    """A stacked layout with its picture and a headline ``block_h`` tall centred between the
    top of the picture slot and the floor, the picture grown into part of the free height,
    instead of both crowded into the top and the lower part of the canvas left empty."""
    if lay.align != "center" or lay.floor <= 0:
        return lay
    vx, vy, vw, vh = lay.visual
    hx, hy, hw, hh = lay.headline
    text_h = min(block_h, hh) + m * 0.08  # the block, the underline below it and its margin
    free = lay.floor - (hy + text_h)
    if free <= 1:
        return lay
    grow = min(free * _GROW, max(0.0, vw - vh))
    # the picture is drawn 0.78 of its slot's shorter side, centred: the space it leaves above
    # itself counts as free, so equal free heights show above the picture and below the text
    inset = (vh + grow) / 2 - 0.39 * min(vw, vh + grow)
    shift = max(0.0, (free - grow - inset) / 2)
    vis = (vx, vy + shift, vw, vh + grow)
    head = (hx, hy + grow + shift, hw, max(block_h / 0.8, hh - grow - shift))  # fits as before
    return SceneLayout(vis, head, lay.badge, lay.align, lay.floor)


def _emphasis(tokens: tuple[tx.Token, ...]) -> frozenset[int]:
    """Tokens to colour with the highlight: the longest Latin word (of two or more words), or
    the last whole word of two or more characters of a Chinese headline (usually the closing
    word: "工程师", never "程师")."""
    if len(tokens) < 2:
        return frozenset()
    latin = [i for i, t in enumerate(tokens) if t.gap and not any(tx.is_cjk(c) for c in t.text)]
    if len(latin) >= 2:
        return frozenset({max(latin, key=lambda i: (len(tokens[i].text.strip(".,!?:;")), i))})
    cjk = [i for i, t in enumerate(tokens) if any(tx.is_cjk(c) for c in t.text)]
    if len(cjk) < 4:
        return frozenset()
    groups = word_groups([t.text for t in tokens], [t.gap for t in tokens])
    for group in reversed(groups):
        if len(group) >= 2 and all(i in cjk for i in group) and len(group) < len(cjk):
            return frozenset(group)
    return frozenset()


def _headline_scale(meta: Mapping[str, Any]) -> float:
    """The size the chat editor asked for the headline, as a factor of the layout's own (0.5-2)."""
    try:
        v = float(meta.get("headline_scale") or 1.0)
    except (TypeError, ValueError):
        return 1.0
    return max(0.5, min(2.0, v))


class SceneRenderer:
    """Everything of one ``scene`` segment; static parts are built once in ``__init__``."""

    def __init__(
        self,
        segment: Segment,
        assets: Assets,
        width: int,
        height: int,
        *,
        seed: int = 0,
        captions: bool = True,
        headline_delay_ms: float = 0.0,
    ) -> None:
        meta: Mapping[str, Any] = segment.meta
        self.w, self.h = width, height
        self.m = min(width, height)
        # a title card over the scene's start says what the headline would: the headline waits
        # for it; the picture does not, it shows under the card's veil (an opening scene shows
        # its subject even when the card lasts the whole scene)
        self.delay = max(0.0, headline_delay_ms)
        self.pal = Palette.of(meta.get("palette"))
        try:
            s = int(meta.get("seed", seed) or 0)
        except (TypeError, ValueError):
            s = seed
        self.seed = s
        # "black and white": the palette is grey already; the pictures are made grey once here
        grey = grey_paint(meta)
        headline = str(meta.get("headline") or "").strip()
        self.grammar: LayoutRenderer | None = None
        if layout_name(meta) != "headline":
            self._build_grammar(meta, segment.duration, assets, captions)
            if grey is not None and self.grammar is not None:
                for _, ill in self.grammar.icons:
                    ill.image = grey_image(ill.image, grey)
            return
        chart_spec = meta.get("chart")
        has_chart = isinstance(chart_spec, Mapping) and bool(chart_spec.get("values"))
        self.layout = scene_layout(width, height, chart=has_chart, headline=bool(headline), captions=captions)
        if headline and not has_chart:
            # the headline's height decides where the stacked picture and headline sit
            self._build_headline(headline, _headline_scale(meta))
            self.layout = balanced(self.layout, self.block.height, self.m)
        self._build_headline(headline, _headline_scale(meta))
        vx, vy, vw, vh = self.layout.visual
        focus = ((vx + vw / 2) / width, (vy + vh / 2) / height)
        self.background = Background(str(meta.get("motion") or "gradient"), self.pal, width, height, s, focus)
        icon = str(meta.get("icon") or "")
        self.chart: Chart | None = None
        if has_chart and isinstance(chart_spec, Mapping):
            self.chart = Chart(chart_spec, vw, vh, self.pal)
            bx, by, bw, bh = self.layout.badge
            size = round(min(bw, bh))
            self.illustration = (
                Illustration(_illustration_image(assets, icon, size), size, self.pal, s) if icon else None
            )
            if self.illustration is not None:
                ill, (bx, by, bw, bh) = self.illustration, self.layout.badge
                self.background.bake(lambda c: ill.draw_halo(c, bx + bw / 2, by + bh / 2))
        else:
            size = round(min(vw, vh) * 0.78)
            self.illustration = Illustration(_illustration_image(assets, icon, size), size, self.pal, s)
        if self.chart is None and self.illustration is not None:
            ill = self.illustration
            self.background.bake(lambda c: ill.draw_halo(c, vx + vw / 2, vy + vh / 2))
        if grey is not None and self.illustration is not None:
            self.illustration.image = grey_image(self.illustration.image, grey)
        self.aside = self._aside() if self.delay > 0 and self.chart is None else None

    def _build_grammar(self, meta: Mapping[str, Any], duration: int, assets: Assets, captions: bool) -> None:
        comp = compose(meta, self.w, self.h, self.pal, duration_ms=duration - self.delay, captions=captions)
        self.composition = comp
        self.layout = scene_layout(self.w, self.h, chart=False, headline=True, captions=captions)
        self.chart, self.illustration = None, None
        self.tokens: tuple[tx.Token, ...] = ()
        c = comp.content
        focus = (c.cx / self.w, c.cy / self.h)
        self.background = Background(
            str(meta.get("motion") or "gradient"), self.pal, self.w, self.h, self.seed, focus
        )
        grammar = LayoutRenderer(comp, assets, self.pal, self.w, self.h, self.seed)
        self.background.bake(grammar.bake)
        self.grammar = grammar

    # --- the picture beside the title card ----------------------------------------------------

    def _aside(self) -> tuple[float, float, float] | None:
        """Where the picture waits while a title card covers the scene (centre x, centre y,
        scale), above the rows the card's words may cover; ``None``: it is clear of them."""
        ill = self.illustration
        if ill is None:
            return None
        _, vy, _, vh = self.layout.visual
        cy, half = vy + vh / 2, ill.size * 0.56  # the entrance overshoots a little
        band_top, band_bottom = card_band(self.w, self.h)
        gap = self.m * 0.03
        if cy + half <= band_top - gap or cy - half >= band_bottom + gap:
            return None
        top = safe_box(self.w, self.h).y
        room = band_top - gap - top
        k = min(1.0, room / (2 * half))
        if k < 0.15:
            return (0.0, 0.0, 0.0)  # no room: the picture waits for the card to leave
        return (self.w / 2, top + half * k, k)

    def _picture_at(self, t: float) -> tuple[float, float, float]:
        """The picture's centre and scale at ``t``: aside during the title card, then easing
        home as the card leaves."""
        vx, vy, vw, vh = self.layout.visual
        home = (vx + vw / 2, vy + vh / 2, 1.0)
        if self.aside is None:
            return home
        g = ease_in_out(progress(t, self.delay - 450, 750))
        if self.aside[2] == 0.0:
            return (home[0], home[1], 1.0 if g >= 1 else 0.0)
        return tuple(a + (b - a) * g for a, b in zip(self.aside, home, strict=True))  # type: ignore[return-value]

    def _picture_box(self, t: float) -> Area:
        """Everything the picture may cover at ``t``: its entrance overshoots a little and it
        bobs."""
        px, py, k = self._picture_at(t)
        half = (self.illustration.size * 0.6 * k if self.illustration is not None else 0.0) + 2
        return (px - half, py - half, px + half, py + half)

    # --- headline ----------------------------------------------------------------------------

    def _build_headline(self, headline: str, scale: float = 1.0) -> None:
        self.tokens = tx.tokenize(headline)
        hx, hy, hw, hh = self.layout.headline
        cjk = any(tx.is_cjk(ch) for ch in headline)
        base = tx.TextStyle(
            size=self.m * (0.13 if self.w >= self.h else 0.14) * (1.15 if cjk else 1.0) * scale,
            color=self.pal.text,
            weight=800,
            kind="display",
            shadow=self.pal.shadow,
            shadow_blur=self.m * 0.008,
            shadow_dy=self.m * 0.004,
            letter_spacing=0.0 if cjk else -0.015,
            line_height=1.12 if not cjk else 1.25,
        )
        block = tx.fit_within(
            self.tokens, base, hw, hh * 0.8, max_lines=3, min_size=self.m * 0.04, balance=True
        )
        if cjk and block.lines > 1 and len(self.tokens) <= 8:
            # short Chinese headlines read best on one line, if that keeps them large
            one = tx.fit(self.tokens, base, hw, hh * 0.8, max_lines=1, min_size=base.size * 0.62)
            if one.lines == 1:
                block = one
        self.block = block
        self.head_style = base.sized(self.block.size)
        self.emph = _emphasis(self.tokens)
        # vertical centring of the block inside the headline box
        block_h = self.block.height
        if self.layout.align == "left":
            self.head_top = hy + (hh - block_h) / 2
        else:
            self.head_top = hy + min((hh - block_h) * 0.3, self.m * 0.04)
        self.head_left = hx
        # long headlines land faster: every word is in place within about two seconds
        self.stagger = min(60.0 if cjk else 110.0, 1800.0 / max(1, len(self.tokens)))

    def _words(self, t: float) -> Iterator[tuple[tx.Sprite, float, float, float, Any]]:
        """Each headline word visible at ``t``: its sprite, the top-left corner where it is
        drawn, how far it has landed (0–1, eased) and its place in the block."""
        block, style = self.block, self.head_style
        hx, _, hw, _ = self.layout.headline
        lh = block.line_height
        for pl in block.placed:
            p = progress(t, self.delay + 350 + pl.index * self.stagger, 520)
            if p <= 0:
                continue
            e = ease_out_cubic(p)
            st = style.colored(self.pal.highlight) if pl.index in self.emph else style
            spr = tx.sprite(self.tokens[pl.index].text, st)
            line_x = hx + (hw - block.line_widths[pl.line]) / 2 if self.layout.align == "center" else hx
            x = line_x + pl.x
            baseline = self.head_top + pl.line * lh + (lh + style.size * 0.72) / 2
            y = baseline - spr.baseline + (1 - e) * style.size * 0.45
            yield spr, x - spr.pad, y - spr.pad, e, pl

    def _underline(self, t: float) -> skia.Rect | None:
        """The accent underline that grows after the words land, at ``t`` (``None``: not yet)."""
        block = self.block
        done = self.delay + 350 + len(self.tokens) * self.stagger + 200
        g = ease_out_cubic(progress(t, done, 600))
        if g <= 0:
            return None
        hx, _, hw, _ = self.layout.headline
        bar_w = min(block.width * 0.3, self.m * 0.16) * g
        thick = max(2.0, self.m * 0.011)
        y = self.head_top + block.height + self.m * 0.025
        x0 = hx if self.layout.align == "left" else hx + hw / 2 - bar_w / 2
        return skia.Rect(x0, y, x0 + bar_w, y + thick)

    def _draw_headline(self, canvas: skia.Canvas, t: float) -> None:
        if not self.tokens:
            return
        sampling = skia.SamplingOptions(skia.FilterMode.kLinear)
        paint = skia.Paint()
        for spr, x, y, e, _pl in self._words(t):
            if e >= 1:
                canvas.drawImage(spr.image, round(x), round(y))
            else:
                paint.setAlphaf(e)
                canvas.drawImage(spr.image, x, y, sampling, paint)
        bar = self._underline(t)
        if bar is not None:
            thick = bar.height()
            color = self.pal.highlight if self.pal.highlight != self.pal.text else self.pal.accent
            canvas.drawRoundRect(bar, thick / 2, thick / 2, skia.Paint(AntiAlias=True, Color=color))

    def _headline_damage(self, t0: float, t1: float) -> list[Area]:
        """Where the headline differs between ``t0`` and ``t1``: each word still landing, where
        it was and where it is, and the underline while it grows; nothing before or after."""
        if not self.tokens:
            return []
        first = self.delay + 350
        done = first + len(self.tokens) * self.stagger + 200 + 600
        if t1 < first or t0 >= done:
            return []
        before = {pl.index: (spr, x, y, e) for spr, x, y, e, pl in self._words(t0)}
        out: list[Area] = []
        for spr, x, y, e, pl in self._words(t1):
            was = before.pop(pl.index, None)
            if was is not None and was[3] >= 1 and e >= 1:
                continue  # landed at both times: the same pixels
            out.append(box(x, y, spr.image.width(), spr.image.height(), 1.0))
            if was is not None:
                out.append(box(was[1], was[2], spr.image.width(), spr.image.height(), 1.0))
        for spr, x, y, _e in before.values():  # shown at t0 only (times given backwards)
            out.append(box(x, y, spr.image.width(), spr.image.height(), 1.0))
        bars = [b for b in (self._underline(t0), self._underline(t1)) if b is not None]
        if len(bars) == 2 and bars[0] == bars[1]:
            bars = []
        out += [(b.left(), b.top(), b.right(), b.bottom()) for b in bars]
        return out

    def damage(self, t0: float, t1: float) -> Damage:
        """Where the scene at ``t1`` may differ from the scene at ``t0`` (``None``: anywhere)."""
        if t0 == t1:
            return []
        out = self.background.damage(t0, t1)
        if out is None:
            return None
        if self.grammar is not None:
            rest = self.grammar.damage(t0 - self.delay, t1 - self.delay)
            return None if rest is None else out + rest
        if self.chart is not None:
            return None  # charts draw their own motion: the whole frame
        if self.aside is not None and min(t0, t1) < self.delay + 300:
            # the picture waits beside the title card, then moves home: where it was and is
            return out + [self._picture_box(t) for t in (t0, t1)] + self._headline_damage(t0, t1)
        if self.illustration is not None:
            vx, vy, vw, vh = self.layout.visual
            out = out + self.illustration.damage(vx + vw / 2, vy + vh / 2, t0, t1, delay_ms=80)
        return out + self._headline_damage(t0, t1)

    # --- the frame ---------------------------------------------------------------------------

    def draw(self, canvas: skia.Canvas, t_ms: float) -> None:
        """Draw the scene at ``t_ms`` since its start (negative or past the end is allowed)."""
        t = t_ms
        self.background.draw(canvas, t)
        if self.grammar is not None:
            self.grammar.draw(canvas, t - self.delay)
            return
        vx, vy, _, _ = self.layout.visual
        if self.chart is not None:
            self.chart.draw(canvas, vx, vy, t, delay_ms=self.delay + 450)
            if self.illustration is not None:
                bx, by, bw, bh = self.layout.badge
                self.illustration.draw(canvas, bx + bw / 2, by + bh / 2, t, delay_ms=self.delay + 100)
        elif self.illustration is not None:
            px, py, k = self._picture_at(t)
            if k >= 1.0:
                self.illustration.draw(canvas, px, py, t, delay_ms=80)
            elif k > 0.0:
                canvas.save()
                canvas.translate(px, py)
                canvas.scale(k, k)
                self.illustration.draw(canvas, 0.0, 0.0, t, delay_ms=80)
                canvas.restore()
        self._draw_headline(canvas, t)
