"""Transitions between two segments: ``crossfade``, ``slide``, ``wipe``, ``zoom``.

Each takes the progress ``p`` (0 → 1) and two callables that draw the outgoing and incoming
segments onto the canvas in full-frame coordinates; ``draw_out`` is ``None`` when the
segment enters over the tracks below (then only the incoming one moves or fades in).
Slides and wipes only clip and translate (cheap); crossfade and zoom blend one offscreen layer.
"""

from __future__ import annotations

from collections.abc import Callable

import skia

from promptreel.render.easing import ease_in_out, ease_out_cubic

__all__ = ["draw_transition", "KINDS"]

Draw = Callable[[skia.Canvas], None]
KINDS = ("crossfade", "slide", "wipe", "zoom")


def _alpha_layer(canvas: skia.Canvas, alpha: float, draw: Draw) -> None:
    a = round(255 * max(0.0, min(1.0, alpha)))
    if a <= 0:
        return
    if a >= 255:
        draw(canvas)
        return
    canvas.saveLayerAlpha(None, a)
    draw(canvas)
    canvas.restore()


def _crossfade(canvas: skia.Canvas, p: float, w: int, h: int, draw_out: Draw | None, draw_in: Draw) -> None:
    if draw_out is not None:
        draw_out(canvas)
    _alpha_layer(canvas, ease_in_out(p), draw_in)


def _slide(canvas: skia.Canvas, p: float, w: int, h: int, draw_out: Draw | None, draw_in: Draw) -> None:
    e = ease_in_out(p)
    shift = e * w
    if draw_out is not None:
        canvas.save()
        canvas.clipRect(skia.Rect(0, 0, w - shift, h))
        canvas.translate(-shift, 0)
        draw_out(canvas)
        canvas.restore()
    canvas.save()
    canvas.clipRect(skia.Rect(w - shift, 0, w, h))
    canvas.translate(w - shift, 0)
    draw_in(canvas)
    canvas.restore()


def _wipe(canvas: skia.Canvas, p: float, w: int, h: int, draw_out: Draw | None, draw_in: Draw) -> None:
    e = ease_in_out(p)
    edge = e * w
    if draw_out is not None:
        canvas.save()
        canvas.clipRect(skia.Rect(edge, 0, w, h))
        draw_out(canvas)
        canvas.restore()
    canvas.save()
    canvas.clipRect(skia.Rect(0, 0, edge, h))
    draw_in(canvas)
    canvas.restore()
    if 0 < edge < w:
        bar = max(2.0, min(w, h) * 0.006)
        canvas.drawRect(skia.Rect(edge - bar / 2, 0, edge + bar / 2, h), skia.Paint(Color=0xCCFFFFFF))


def _zoom(canvas: skia.Canvas, p: float, w: int, h: int, draw_out: Draw | None, draw_in: Draw) -> None:
    e = ease_in_out(p)
    if draw_out is not None:
        canvas.save()
        k = 1 + 0.18 * e
        canvas.translate(w / 2, h / 2)
        canvas.scale(k, k)
        canvas.translate(-w / 2, -h / 2)
        draw_out(canvas)
        canvas.restore()

    def scaled_in(c: skia.Canvas) -> None:
        c.save()
        k = 0.86 + 0.14 * ease_out_cubic(p)
        c.translate(w / 2, h / 2)
        c.scale(k, k)
        c.translate(-w / 2, -h / 2)
        draw_in(c)
        c.restore()

    _alpha_layer(canvas, ease_in_out(min(1.0, p * 1.25)), scaled_in)


_KIND: dict[str, Callable[[skia.Canvas, float, int, int, Draw | None, Draw], None]] = {
    "crossfade": _crossfade,
    "slide": _slide,
    "wipe": _wipe,
    "zoom": _zoom,
}


def draw_transition(
    canvas: skia.Canvas, kind: str, p: float, width: int, height: int, draw_out: Draw | None, draw_in: Draw
) -> None:
    """Blend ``draw_out`` into ``draw_in`` at progress ``p`` in [0, 1] (unknown kinds crossfade)."""
    _KIND.get(kind, _crossfade)(canvas, max(0.0, min(1.0, p)), width, height, draw_out, draw_in)
