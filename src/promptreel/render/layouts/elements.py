"""What a scene layout draws: plain values (boxes, fitted text, shapes, icons, charts), produced
by the pure layout functions and drawn by :class:`promptreel.render.layouts.draw.LayoutRenderer`.

Every element has ``at``: when its entrance starts, in ms from the scene's start (before any
title-card delay), and ``role``: what it is (``headline``, ``item``, ``value`` …) for tests
and for the renderer's choice of entrance.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from promptreel.render import text as tx
from promptreel.render.safezone import Box

__all__ = [
    "Text",
    "Shape",
    "Icon",
    "Counter",
    "Ring",
    "ChartBox",
    "Element",
    "Composition",
    "Item",
    "SceneSpec",
    "fitted",
    "split_number",
]

MAX_ITEMS = 12


@dataclass(frozen=True, slots=True)
class Text:
    box: Box  # the box the text was fitted to
    tokens: tuple[tx.Token, ...]
    block: tx.Block
    style: tx.TextStyle
    align: str = "center"  # left | center | right, inside ``box``
    valign: str = "center"  # top | center | bottom, inside ``box``
    at: float = 0.0
    role: str = "text"

    @property
    def top(self) -> float:
        free = self.box.h - self.block.height
        return self.box.y + (0.0 if self.valign == "top" else free if self.valign == "bottom" else free / 2)

    @property
    def ink(self) -> Box:
        """Where the lines actually are."""
        b = self.block
        free = self.box.w - b.width
        left = self.box.x + (free / 2 if self.align == "center" else free if self.align == "right" else 0.0)
        return Box(left, self.top, b.width, b.height)

    def line_right(self, line: int) -> float:
        """x of the right end of ``line`` (for leaders after a menu item's name)."""
        ink = self.ink
        return ink.x + self.block.line_offset(line, self.align) + self.block.line_widths[line]

    def baseline(self, line: int) -> float:
        lh = self.block.line_height
        return self.top + line * lh + (lh + self.style.size * 0.72) / 2


@dataclass(frozen=True, slots=True)
class Shape:
    """``card`` (soft panel), ``pill``, ``disc``, ``rule`` (a line), ``leader`` (dots),
    ``quote`` (a big quotation mark), ``glyph:calendar|clock|pin`` (drawn icons)."""

    kind: str
    box: Box
    color: int
    at: float = 0.0
    role: str = "decor"


@dataclass(frozen=True, slots=True)
class Icon:
    box: Box
    name: str  # illustration id ("fluent-emoji-flat:full-moon", "emoji:🎂")
    at: float = 0.0
    role: str = "icon"
    halo: bool = False


@dataclass(frozen=True, slots=True)
class Counter:
    """A number that counts up to ``value`` (as written: "12%", "¥38", "5.1M") in ``box``."""

    box: Box
    value: str
    style: tx.TextStyle
    at: float = 0.0
    duration: float = 1400.0
    role: str = "value"


@dataclass(frozen=True, slots=True)
class Ring:
    """A progress ring that sweeps over ``duration`` ms (a countdown's timer)."""

    box: Box
    color: int
    track: int
    at: float = 0.0
    duration: float = 3000.0
    role: str = "ring"


@dataclass(frozen=True, slots=True)
class ChartBox:
    box: Box
    spec: Mapping[str, Any]
    at: float = 0.0
    role: str = "chart"


Element = Text | Shape | Icon | Counter | Ring | ChartBox


@dataclass(frozen=True, slots=True)
class Composition:
    layout: str
    safe: Box
    content: Box  # the safe box less the caption band
    elements: tuple[Element, ...] = ()

    def of(self, role: str) -> list[Element]:
        return [e for e in self.elements if e.role == role]


# --- the scene's meta, read once ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Item:
    text: str
    value: str = ""
    icon: str = ""


def _s(v: Any) -> str:
    return str(v).strip() if isinstance(v, str | int | float) and not isinstance(v, bool) else ""


@dataclass(frozen=True, slots=True)
class SceneSpec:
    layout: str
    headline: str = ""
    icon: str = ""
    items: tuple[Item, ...] = ()
    value: str = ""
    label: str = ""
    quote: str = ""
    by: str = ""
    icons: tuple[str, ...] = ()
    chart: Mapping[str, Any] = field(default_factory=dict)
    headline_scale: float = 1.0  # the size the user asked for, as a factor of the layout's own

    @classmethod
    def of(cls, meta: Mapping[str, Any], layout: str) -> SceneSpec:
        items: list[Item] = []
        raw = meta.get("items")
        if isinstance(raw, Sequence) and not isinstance(raw, str):
            for it in raw[:MAX_ITEMS]:
                if isinstance(it, Mapping):
                    item = Item(_s(it.get("text")), _s(it.get("value")), _s(it.get("icon")))
                else:
                    item = Item(_s(it))
                if item.text or item.value:
                    items.append(item)
        icons_raw = meta.get("icons")
        icons = (
            tuple(x for x in (_s(i) for i in icons_raw[:MAX_ITEMS]) if x)
            if isinstance(icons_raw, Sequence) and not isinstance(icons_raw, str)
            else ()
        )
        chart = meta.get("chart")
        return cls(
            layout=layout,
            headline=_s(meta.get("headline")),
            icon=_s(meta.get("icon")),
            items=tuple(items),
            value=_s(meta.get("value")),
            label=_s(meta.get("label")),
            quote=_s(meta.get("quote")),
            by=_s(meta.get("by")),
            icons=icons,
            chart=chart if isinstance(chart, Mapping) else {},
            headline_scale=_scale(meta.get("headline_scale")),
        )


# --- helpers -----------------------------------------------------------------------------------


def _scale(v: Any) -> float:
    try:
        return max(0.5, min(2.0, float(v or 1.0)))
    except (TypeError, ValueError):
        return 1.0


_NUMBER = re.compile(r"^(\D*?)(\d[\d,]*(?:\.\d+)?)(.*)$", re.DOTALL)


def split_number(value: str) -> tuple[str, float, int, bool, str] | None:
    """``"¥1,200.50 off"`` → (prefix, 1200.5, decimals, thousands separators, suffix); ``None``
    when the value holds no number to count."""
    m = _NUMBER.match(value.strip())
    if not m:
        return None
    digits = m.group(2)
    try:
        number = float(digits.replace(",", ""))
    except ValueError:
        return None
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    return m.group(1), number, decimals, "," in digits, m.group(3)


def format_number(prefix: str, number: float, decimals: int, commas: bool, suffix: str) -> str:
    body = f"{number:,.{decimals}f}" if commas else f"{number:.{decimals}f}"
    return f"{prefix}{body}{suffix}"


def fitted(
    text: str,
    style: tx.TextStyle,
    box: Box,
    *,
    max_lines: int = 3,
    min_size: float = 8.0,
    align: str = "center",
    valign: str = "center",
    at: float = 0.0,
    role: str = "text",
    balance: bool = True,
) -> Text:
    """``text`` wrapped and sized to fit ``box`` (shrinking, never cutting)."""
    tokens = tx.tokenize(text)
    block = tx.fit_within(tokens, style, box.w, box.h, max_lines, min_size, balance=balance)
    return Text(box, tokens, block, style.sized(block.size), align, valign, at, role)


def resized(t: Text, size: float) -> Text:
    """The same text laid out again at a smaller ``size`` (rows that share one type size)."""
    if size >= t.block.size:
        return t
    style = t.style.sized(size)
    block = tx.layout(t.tokens, style, t.box.w)
    return Text(t.box, t.tokens, block, style, t.align, t.valign, t.at, t.role)
