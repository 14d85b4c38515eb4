"""Wording for the ear and the screen: whole sentences, headlines that are whole phrases, spoken
lists and figures. Pure functions of text."""

from __future__ import annotations

import re
from collections.abc import Sequence

from promptreel.agent.clauses import Figure

__all__ = [
    "sentence", "headline", "spoken_list", "spoken_figure", "ordinal_suffix", "cap", "plural_head", "echoes",
]  # fmt: skip


def echoes(line: str, quotes: Sequence[str]) -> bool:
    """Whether a quoted line says what ``line`` says ("Thank you for everything" and "Thank you
    for everything you do"): the user's own words replace a stock line, never join it."""
    key = re.sub(r"[\W_]+", "", line.lower())
    keys = [
        re.sub(r"[\W_]+", "", q.lower()) for q in quotes if len(re.findall(r"\w+", q)) >= 3 or len(q) >= 4
    ]
    return bool(key) and any(k and (k in key or key in k) for k in keys)


def cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def plural_head(name: str) -> bool:
    """Whether an English name is a plural common noun phrase ("Pilates classes", "landscaping
    services", "holiday hours"): its last word is lowercase and plural. A brand ("Sparkle Car
    Wash", "Brew & Co") or a singular thing ("a coffee brand") is not."""
    words = re.findall(r"[\w'’-]+", name)
    last = words[-1] if words else ""
    return bool(re.fullmatch(r"[a-z][a-z-]*[a-z](?<!ss)(?<!us)(?<!is)(?<![a-z]'s)s", last))


UNIT_WORDS = {"K": "thousand", "M": "million", "B": "billion", "%": "percent"}


def sentence(text: str, zh: bool) -> str:
    text = text.strip()
    if not text:
        return ""
    if zh:
        return text if re.search(r"[。！？!?…]$", text) else text + "。"
    text = cap(text)
    return text if re.search(r"[.!?…]$", text) else text + "."


def headline(text: str, zh: bool) -> str:
    """A whole phrase for the screen: the text itself when short, else its first whole clause."""
    text = re.sub(r"(?<!\bCo)(?<!\bInc)(?<!\bLtd)(?<!\bSt)(?<!\bJr)[。.!！?？]+$", "", text.strip())
    limit = 24 if zh else 14  # the layout sets a long phrase smaller; cutting it would change what it says
    size = len(text) if zh else len(text.split())
    if size <= limit:
        return cap(text) if not zh else text
    for clause in re.split(r"[，,；;：:—–]\s*", text):
        c = clause.strip()
        csize = len(c) if zh else len(c.split())
        if 2 <= csize <= limit:
            return cap(c) if not zh else c
    return cap(text) if not zh else text  # a long phrase stays whole; the layout sets it smaller


def spoken_list(parts: Sequence[str], zh: bool) -> str:
    parts = [p for p in parts if p]
    if zh:
        return "、".join(parts[:-1]) + ("和" if len(parts) > 1 else "") + parts[-1] if parts else ""
    if len(parts) <= 2:
        return " and ".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def spoken_figure(f: Figure, zh: bool) -> str:
    num = f"{f.value:g}"
    unit = f.unit
    cur = unit[:1] if unit[:1] in "$€£¥￥" else ""
    unit = unit[1:] if cur else unit
    if zh:
        return f"{cur}{num}{unit}"
    word = UNIT_WORDS.get(unit.upper() if unit.upper() in ("K", "M", "B") else unit, unit)
    return f"{cur}{num} {word}".strip() if word else f"{cur}{num}"


def ordinal_suffix(n: int) -> str:
    return "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
