"""Easing curves and small animation helpers (pure float math, no drawing)."""

from __future__ import annotations

import math

__all__ = ["clamp", "lerp", "progress", "ease_out_cubic", "ease_in_out", "ease_out_back", "smooth"]


def clamp(x: float, lo: float = 0.0, hi: float = 1.0) -> float:
    return lo if x < lo else hi if x > hi else x


def lerp(a: float, b: float, t: float) -> float:
    return a + (b - a) * t


def progress(t: float, start: float, duration: float) -> float:
    """0 before ``start``, 1 after ``start + duration``, linear in between."""
    if duration <= 0:
        return 1.0 if t >= start else 0.0
    return clamp((t - start) / duration)


def ease_out_cubic(x: float) -> float:
    x = clamp(x)
    return 1 - (1 - x) ** 3


def ease_in_out(x: float) -> float:
    x = clamp(x)
    return 4 * x**3 if x < 0.5 else 1 - (-2 * x + 2) ** 3 / 2


def ease_out_back(x: float, overshoot: float = 1.4) -> float:
    x = clamp(x)
    c3 = overshoot + 1
    return 1 + c3 * (x - 1) ** 3 + overshoot * (x - 1) ** 2


def smooth(t: float, period: float, phase: float = 0.0) -> float:
    """A gentle sine in [-1, 1] with ``period`` (same unit as ``t``)."""
    return math.sin(2 * math.pi * (t / period) + phase)
