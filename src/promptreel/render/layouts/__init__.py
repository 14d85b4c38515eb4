"""The scene grammar: which layout a scene uses (``meta.layout``) and the pure functions that
turn a scene's meta, the canvas size and the palette into what to draw.

``headline`` (the default, and what any unknown name means) is drawn by
:class:`promptreel.render.scene.SceneRenderer` itself; the others are composed here and
drawn by :class:`promptreel.render.layouts.draw.LayoutRenderer`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from promptreel.render.layouts.balance import centred
from promptreel.render.layouts.base import Ctx, context
from promptreel.render.layouts.blocks import (
    chart_layout,
    compare_layout,
    countdown_layout,
    cta_layout,
    greeting_layout,
    quote_layout,
    stat_layout,
)
from promptreel.render.layouts.elements import Composition, Element, SceneSpec
from promptreel.render.layouts.rows import list_layout, place_layout, steps_layout
from promptreel.render.palette import Palette

__all__ = ["LAYOUTS", "layout_name", "compose", "Composition", "SceneSpec"]

_FUNCS: dict[str, Callable[[Ctx, SceneSpec], list[Element]]] = {
    "list": list_layout,
    "steps": steps_layout,
    "stat": stat_layout,
    "chart": chart_layout,
    "quote": quote_layout,
    "place": place_layout,
    "countdown": countdown_layout,
    "greeting": greeting_layout,
    "compare": compare_layout,
    "cta": cta_layout,
}

#: every layout name a scene may ask for
LAYOUTS: tuple[str, ...] = ("headline", *_FUNCS)


def layout_name(meta: Mapping[str, Any]) -> str:
    """``meta.layout`` if it is a known layout, else ``"headline"``."""
    name = meta.get("layout")
    return name if isinstance(name, str) and name in LAYOUTS else "headline"


def compose(
    meta: Mapping[str, Any],
    width: int,
    height: int,
    pal: Palette,
    *,
    duration_ms: float = 5000.0,
    captions: bool = True,
) -> Composition:
    """What a scene of layout ``meta.layout`` draws on a ``width``×``height`` canvas (an empty
    composition for ``headline``)."""
    name = layout_name(meta)
    ctx = context(width, height, pal, duration_ms=duration_ms, captions=captions)
    func = _FUNCS.get(name)
    elements = centred(func(ctx, SceneSpec.of(meta, name)), ctx.content) if func is not None else []
    return Composition(name, ctx.safe, ctx.content, tuple(elements))
