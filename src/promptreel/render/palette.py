"""Colors for a scene: parse ``meta.palette``, pick readable text and accent colors.

Convention: ``palette[0]`` and ``palette[1]`` make the background gradient, ``palette[2]`` is
the accent (shapes, chart bars, underline), ``palette[3]`` the highlight (emphasised words,
second shape color) and ``palette[4]`` the text color — each used only when it reads on the
background; otherwise white or a dark ink is chosen by contrast.
Missing or malformed palettes fall back to a calm indigo set.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import skia

__all__ = ["Palette", "parse_color", "mix", "with_alpha", "luminance", "contrast", "DEFAULT"]

_HEX = re.compile(r"^#?([0-9a-fA-F]{6})([0-9a-fA-F]{2})?$|^#?([0-9a-fA-F]{3})$")

DEFAULT = ("#1B1F3B", "#3A2E6E", "#FF8A5B", "#5AD1C9", "#FFD166")


def parse_color(value: Any, default: int = 0xFFFFFFFF) -> int:
    """``"#RRGGBB"``/``"#RRGGBBAA"``/``"#RGB"`` → ARGB int (``default`` if unreadable)."""
    if not isinstance(value, str):
        return default
    m = _HEX.match(value.strip())
    if not m:
        return default
    if m.group(3):
        r, g, b = (int(c * 2, 16) for c in m.group(3))
        return skia.ColorSetARGB(255, r, g, b)
    rgb = int(m.group(1), 16)
    a = int(m.group(2), 16) if m.group(2) else 255
    return skia.ColorSetARGB(a, (rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255)


def _rgb(c: int) -> tuple[int, int, int]:
    return (c >> 16) & 255, (c >> 8) & 255, c & 255


def mix(a: int, b: int, t: float) -> int:
    """Blend two opaque colors (t=0 → a)."""
    ra, ga, ba = _rgb(a)
    rb, gb, bb = _rgb(b)
    return skia.ColorSetARGB(
        255, round(ra + (rb - ra) * t), round(ga + (gb - ga) * t), round(ba + (bb - ba) * t)
    )


def with_alpha(c: int, alpha: float) -> int:
    return (max(0, min(255, round(alpha * 255))) << 24) | (c & 0xFFFFFF)


def luminance(c: int) -> float:
    def lin(v: int) -> float:
        x = v / 255
        return x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4

    r, g, b = _rgb(c)
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def contrast(a: int, b: int) -> float:
    la, lb = luminance(a), luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


@dataclass(frozen=True, slots=True)
class Palette:
    bg0: int
    bg1: int
    accent: int
    extra: tuple[int, ...]
    text: int  # headline color, readable on the background
    shadow: int  # text shadow color
    highlight: int  # emphasised words: accent if readable, else text

    @property
    def bg_mid(self) -> int:
        return mix(self.bg0, self.bg1, 0.5)

    @property
    def dark(self) -> bool:
        return luminance(self.bg_mid) < 0.3

    def shape_colors(self) -> tuple[int, ...]:
        return (self.accent, *self.extra) if self.extra else (self.accent, mix(self.accent, self.bg1, 0.4))

    @classmethod
    def of(cls, value: Any) -> Palette:
        colors: Sequence[Any] = value if isinstance(value, list | tuple) else ()
        parsed = [parse_color(c, 0) for c in colors]
        parsed = [c | 0xFF000000 for c in parsed if c]
        if len(parsed) < 2:
            parsed = [parse_color(c) for c in DEFAULT]
        if len(parsed) == 2:
            parsed.append(mix(parsed[1], 0xFFFFFFFF, 0.6))
        bg0, bg1, accent = parsed[:3]
        mid = mix(bg0, bg1, 0.5)
        white, ink = 0xFFFFFFFF, mix(min(parsed, key=luminance), 0xFF000000, 0.55)
        text = white if contrast(white, mid) >= contrast(ink, mid) * 0.6 else ink
        extra = tuple(parsed[3:])
        if len(parsed) >= 5:
            # five colours: [background, background, accent, highlight, text]
            extra = (parsed[3], *parsed[5:])
            if contrast(parsed[4], mid) >= 3.0:
                text = parsed[4]
        shadow = 0x66000000 if luminance(text) > 0.4 else 0x33FFFFFF
        preferred = [parsed[3]] if len(parsed) >= 4 else []
        readable = [
            c for c in (*preferred, accent, *extra) if contrast(c, mid) >= 2.2 and contrast(c, text) >= 1.5
        ]
        if preferred and preferred[0] in readable:
            highlight = preferred[0]
        else:
            highlight = max(readable, key=lambda c: contrast(c, mid)) if readable else text
        return cls(bg0, bg1, accent, extra, text, shadow, highlight)
