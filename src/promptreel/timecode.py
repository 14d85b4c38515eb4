"""Integer time: milliseconds in the draft, frames and samples in rendering.

One rounding rule everywhere: ``round(ms * fps / 1000)`` for both edges of a span, so
adjacent segments meet on exactly the same frame.
"""

from __future__ import annotations

from fractions import Fraction

__all__ = ["frames_to_ms", "ms_to_frame", "ms_to_samples", "samples_to_ms", "seconds_label", "Rate"]


class Rate:
    """A frame or sample rate as an exact fraction (e.g. 30, 30000/1001, 48000)."""

    __slots__ = ("value",)

    def __init__(self, value: int | Fraction) -> None:
        self.value = Fraction(value)
        if self.value <= 0:
            raise ValueError("rate must be positive")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Rate) and other.value == self.value

    def __hash__(self) -> int:
        return hash(self.value)

    def __repr__(self) -> str:
        return f"Rate({self.value})"


def _round_half_up(x: Fraction) -> int:
    return int((x * 2 + 1) // 2)


def ms_to_frame(ms: int, fps: int | Fraction) -> int:
    """Frame index at which a time in ms starts (half-up rounding, exact arithmetic)."""
    return _round_half_up(Fraction(ms) * Fraction(fps) / 1000)


def frames_to_ms(frames: int, fps: int | Fraction) -> int:
    return _round_half_up(Fraction(frames) * 1000 / Fraction(fps))


def ms_to_samples(ms: int, rate: int) -> int:
    return _round_half_up(Fraction(ms) * rate / 1000)


def samples_to_ms(samples: int, rate: int) -> int:
    return _round_half_up(Fraction(samples) * 1000 / rate)


def seconds_label(ms: int) -> str:
    """Human label for a time in ms: ``10000`` → ``"10s"``, ``2500`` → ``"2.5s"``."""
    whole, rest = divmod(ms, 1000)
    if rest == 0:
        return f"{whole}s"
    text = f"{whole}.{rest:03d}".rstrip("0")
    return f"{text}s"
