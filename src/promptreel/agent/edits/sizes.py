"""Which way a message asks text to go in size: "bigger", "too small", "字太小了" (1.25),
"smaller", "too big" (0.8). Shared by the caption, title and text-size edits."""

from __future__ import annotations

import re

from promptreel.agent.clause import _BIGGER, _SMALLER
from promptreel.agent.phrases import has_any, relative

__all__ = ["size_wish"]

# a complaint says which way to go: "too small" wants bigger, "太大" smaller
_TOO_SMALL = re.compile(
    r"\btoo (?:small|tiny|little)\b|\b(?:hard|difficult) to (?:read|see)\b|\bcan'?t (?:read|see)\b|\bunreadable\b"
    r"|太小|不清楚|看不清|看不见|看不到"
)
_TOO_BIG = re.compile(r"\btoo (?:big|large|huge)\b|太大")
_BIGGER_ZH = re.compile(r"调大|大一号|大些|加大|放大|大一点|大点")
_SMALLER_ZH = re.compile(r"调小|小一号|小些|缩小|小一点|小点")


def size_wish(t: str) -> float | None:
    """The size factor a clause asks for (``1.25`` for "bigger", "too small", "字太小了";
    ``0.8`` for "smaller", "too big"), or ``None`` when it says nothing about size."""
    if _TOO_SMALL.search(t):
        return relative(t, 1.25)
    if _TOO_BIG.search(t):
        return relative(t, 0.8)
    if has_any(t, _SMALLER) or _SMALLER_ZH.search(t):
        return relative(t, 0.8)
    if has_any(t, _BIGGER) or _BIGGER_ZH.search(t):
        return relative(t, 1.25)
    return None
