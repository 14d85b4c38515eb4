"""Wording for the ear and the screen: whole sentences, headlines that are whole phrases, spoken
lists and figures. Pure functions of text."""

from __future__ import annotations

import re
from collections.abc import Sequence

from promptreel.agent.clauses import Figure

__all__ = [
    "sentence", "headline", "spoken_list", "spoken_figure", "ordinal_suffix", "cap", "plural_head", "echoes",
]  # fmt: skip


#: contractions and short forms said the long way, so "We'll miss you" and "We will miss you" match
_LONG_FORMS = {
    "won't": "will not", "can't": "can not", "cannot": "can not", "shan't": "shall not", "let's": "let us",
    "it's": "it is", "that's": "that is", "what's": "what is", "there's": "there is", "here's": "here is",
    "he's": "he is", "she's": "she is", "thanks": "thank you", "thx": "thank you",
}  # fmt: skip
_SUFFIXES = (
    ("n't", " not"),
    ("'ll", " will"),
    ("'re", " are"),
    ("'ve", " have"),
    ("'m", " am"),
    ("'d", " would"),
)
#: words that change no meaning between a stock line and the user's: "We will (all) miss you (so much)"
_SOFT = {"so", "very", "much", "really", "just", "all", "truly", "dearly", "a", "the", "lot", "always"}


def _words(text: str) -> list[str]:
    """The words of an English line, said the long way, without the words that change nothing
    (a name said to the person: "We're going to miss you, Tom")."""
    words = re.findall(r"[A-Za-z]+", text)
    names = {w.lower() for w in words[1:] if w[:1].isupper() and w != "I"}
    if len(names) * 2 > len(words):  # "We Will Miss You" is title case, not names
        names = set()
    text = text.lower().replace("’", "'")
    out: list[str] = []
    for w in re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text):
        w = _LONG_FORMS.get(w, w)
        for short, long in _SUFFIXES:
            if w.endswith(short) and w != short:
                w = w[: -len(short)] + long
                break
        out += w.split()
    said = re.sub(
        r"\b(?:am|are|is)\s+(?:going\s+to|gonna)\b", "will", " ".join(out)
    )  # "we're going to" is "we will"
    return [w for w in said.split() if w not in _SOFT and w not in names]


def _within(short: list[str], long: list[str]) -> bool:
    """Whether ``short`` is said in order inside ``long``, with at most two words between."""
    for start in (k for k, w in enumerate(long) if short and w == short[0]):
        k, at = 1, start
        for w in long[start + 1 : start + len(short) + 2]:
            if k < len(short) and w == short[k]:
                k += 1
            at += 1
        if k == len(short):
            return True
    return False


def echoes(line: str, quotes: Sequence[str]) -> bool:
    """Whether a quoted line says what ``line`` says ("Thank you for everything" and "Thank you
    for everything you do", "We'll miss you around here" and "We will miss you"): the user's own
    words replace a stock line, never join it. Short forms are read the long way, and a softening
    word ("so", "all", "really") changes nothing."""
    key = re.sub(r"[\W_]+", "", line.lower())
    keys = [
        re.sub(r"[\W_]+", "", q.lower()) for q in quotes if len(re.findall(r"\w+", q)) >= 3 or len(q) >= 4
    ]
    if bool(key) and any(k and (k in key or key in k) for k in keys):
        return True
    said = _words(line)
    for q in quotes:
        own = _words(q)
        short, long = sorted((own, said), key=len)
        if len(short) >= 3 and _within(short, long):
            return True
    return False


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
