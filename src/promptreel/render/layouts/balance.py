"""A layout's elements centred vertically in the content area: layouts stack their parts from
the top, and when those parts (a number and its label, a short list) end well above the caption
band the whole group moves down so the space above and below it is even — on a 9:16 canvas
the lower half is no longer left empty."""

from __future__ import annotations

from dataclasses import replace

from promptreel.render.layouts.elements import ChartBox, Counter, Element, Text
from promptreel.render.safezone import Box

__all__ = ["ink", "centred"]

#: an imbalance smaller than this share of the content height is left as it is
_SLACK = 0.05


def ink(el: Element) -> Box:
    """Where an element puts pixels (text: its lines, not the box it was fitted to)."""
    if isinstance(el, Text):
        return el.ink
    if isinstance(el, Counter):
        lh = el.style.size * el.style.line_height
        return Box(el.box.x, el.box.cy - lh / 2, el.box.w, lh)
    return el.box


def centred(elements: list[Element], content: Box) -> list[Element]:
    """``elements`` moved down together so the free height above and below them is equal
    (never up, never out of ``content``); a chart, which fills its region, is left alone."""
    if not elements or any(isinstance(e, ChartBox) for e in elements):
        return elements
    boxes = [ink(e) for e in elements]
    top = min(b.y for b in boxes)
    bottom = max(b.bottom for b in boxes)
    above, below = top - content.y, content.bottom - bottom
    if below - above <= content.h * _SLACK:
        return elements
    # a text keeps only the height its lines take (the rest of the box it was fitted to is
    # empty), every other element its whole box, and all of them stay inside the content area
    tight = [
        replace(e, box=Box(e.box.x, e.top, e.box.w, e.block.height)) if isinstance(e, Text) else e
        for e in elements
    ]
    d = min((below - above) / 2, content.bottom - max(e.box.bottom for e in tight))
    if d <= 0:
        return elements
    return [replace(e, box=Box(e.box.x, e.box.y + d, e.box.w, e.box.h)) for e in tight]
