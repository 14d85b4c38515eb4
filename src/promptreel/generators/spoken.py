"""What written English shorthand sounds like when a presenter reads it.

The voices' own text rules read "$35" as "dollar thirty-five", "8-12" as "eight dash twelve",
"Mon–Fri" as "mon fry", "3x" as "three ex" and "18:00" as "eighteen zero zero". Narration is
rewritten token by token (written tokens split at spaces, as the captions time them) into what
is said: ``$35`` → ``35 dollars``, ``8-12`` → ``8 to 12``, ``Mon–Fri`` → ``Monday to Friday``.
Each written token keeps its own spoken form, so word timings found in the spoken audio map
back onto the written words the captions show. The word lists live in
``generators/data/spoken_en.toml``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from functools import cache
from importlib.resources import files
from typing import Any

from promptreel.generators.words import written_tokens

__all__ = ["say", "spoken_forms", "spoken_offsets"]

_LEAD = "\"'“‘([«"
_TRAIL = "\"'”’)]»,;:!?"
_NUM = r"\d[\d,]*(?:\.\d+)?"
_ORD = r"\d{1,4}(?:st|nd|rd|th)?"
_MAGNITUDE_WORDS = ("thousand", "million", "billion", "trillion")


@cache
def _data() -> dict[str, Any]:
    text = (
        files("promptreel.generators").joinpath("data").joinpath("spoken_en.toml").read_text(encoding="utf-8")
    )
    return tomllib.loads(text)


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    d = _data()
    cur = "|".join(re.escape(c) for c in sorted(d["currency"], key=len, reverse=True))
    mag = "|".join(re.escape(m) for m in sorted(d["magnitude"], key=len, reverse=True))
    days = "|".join(sorted(d["days"], key=len, reverse=True))
    units = "|".join(re.escape(u) for u in sorted(d["units"], key=len, reverse=True))
    clock = r"\d{1,2}(?::\d{2})?(?:am|pm|AM|PM|a\.m\.|p\.m\.)?"
    return {
        "money": re.compile(rf"^({cur})({_NUM})({mag})?$"),
        "money_range": re.compile(rf"^({cur})({_NUM})[-–—]({cur})?({_NUM})$"),
        "range": re.compile(rf"^({_ORD}|{clock})[-–—]({_ORD}|{clock})$"),
        "days": re.compile(rf"^({days})\.?[-–—]({days})\.?$"),
        "times": re.compile(r"^(\d+(?:\.\d+)?)[x×]$"),
        "big": re.compile(r"^(\d+(?:\.\d+)?)(M|B|bn)$"),
        "unit": re.compile(rf"^({_NUM})({units})$"),
        "clock24": re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$"),
        "hash": re.compile(r"^#(\d[\d,]*)$"),
        "hashtag": re.compile(r"^#([A-Za-z]\w*)$"),
        "number": re.compile(rf"^{_NUM}(?:st|nd|rd|th)?$"),
    }


def _split(token: str) -> tuple[str, str, str]:
    """Leading quotes/brackets, the core, trailing punctuation (a final period stays on the
    core; :func:`_core_forms` tries the core with and without it)."""
    a, b = 0, len(token)
    while a < b and token[a] in _LEAD:
        a += 1
    while b > a and token[b - 1] in _TRAIL:
        b -= 1
    return token[:a], token[a:b], token[b:]


def _one(n: str) -> bool:
    return n.replace(",", "") in ("1", "1.0")


def _unit_words(phrase: str, amount: str) -> str:
    """``phrase`` (plural) for ``amount``: singular for one ("1 hour", "1 degree Celsius")."""
    if not _one(amount):
        return phrase
    first, _, rest = phrase.partition(" ")
    if first == "pence":
        first = "penny"
    elif first.endswith("s"):
        first = first[:-1]
    return f"{first} {rest}".strip()


def _money(sign: str, amount: str) -> str:
    d = _data()
    one, many = d["currency"][sign]
    c_one, c_many = d["cents"][sign]
    whole, _, frac = amount.partition(".")
    cents = int((frac + "0")[:2]) if frac and len(frac) <= 2 else 0
    if frac and len(frac) > 2:  # "$1.999": read as written
        return f"{amount} {many}"
    if whole.replace(",", "") in ("", "0") and cents:
        return f"{cents} {c_one if cents == 1 else c_many}"
    unit = one if _one(whole) else many
    return f"{whole} {unit} {cents}" if cents else f"{whole} {unit}"


def _clock24(h: int, m: str, next_core: str) -> str | None:
    """A 24-hour time as it is said ("18:00" → "6 PM"); ``None``: leave it to the voice."""
    if next_core.lower().strip(".") in ("am", "pm", "a.m", "p.m", "hrs", "hours", "h"):
        return f"{h}" if m == "00" else None
    if h == 0 and m == "00":
        return "midnight"
    if h == 12 and m == "00":
        return "12 noon"
    if h >= 13:
        return f"{h - 12} PM" if m == "00" else f"{h - 12}:{m} PM"
    if m == "00":
        return f"{h} o'clock"
    return None


def _core_form(core: str, prev_core: str, next_core: str) -> str | None:
    """The spoken form of one token's core, or ``None`` when the voice reads it right."""
    d, p = _data(), _patterns()
    for key in (core, core.rstrip(".")):
        if key in d["words"]:
            return str(d["words"][key])
    for key in (core, core.rstrip(".")):
        if key in d["before_number"] and p["number"].match(next_core.lstrip("#").rstrip(".")):
            return str(d["before_number"][key])
    bare = core.rstrip(".") if not re.search(r"\d\.\d+$", core) else core
    if m := p["money"].match(bare):
        sign, amount, mag = m.groups()
        many = d["currency"][sign][1]
        if mag:
            return f"{amount} {d['magnitude'][mag]} {many}"
        if next_core.lower() in _MAGNITUDE_WORDS:
            return amount  # "$5 million": the unit follows the next word
        return _money(sign, amount)
    if m := p["money_range"].match(bare):
        sign, a, _sign2, b = m.groups()
        return f"{a} to {_money(sign, b)}"
    if m := p["days"].match(bare):
        return f"{d['days'][m.group(1)]} to {d['days'][m.group(2)]}"
    if m := p["range"].match(bare):
        a, b = m.groups()
        if len(b) > 1 and b[0] == "0":
            return None  # a phone or serial number, not a range
        return f"{_clock_or(a)} to {_clock_or(b)}"
    if m := p["times"].match(bare):
        return f"{m.group(1)} times"
    if m := p["big"].match(bare):
        return f"{m.group(1)} {d['magnitude'][m.group(2)]}"
    if m := p["unit"].match(bare):
        amount, unit = m.groups()
        # "a 5km run" is a five-kilometer run
        return (
            f"{amount} {_unit_words(d['units'][unit], '1' if prev_core.lower() in ('a', 'an') else amount)}"
        )
    if m := p["clock24"].match(bare):
        if bare.startswith("0") or int(m.group(1)) >= 13 or m.group(2) == "00":
            return _clock24(int(m.group(1)), m.group(2), next_core)
        return None
    if re.fullmatch(r"[1-9]|[12]\d|3[01]", bare) and (_month(prev_core) or _month(next_core)):
        return _ordinal(int(bare))
    if m := p["hash"].match(bare):
        return f"number {m.group(1)}"
    if m := p["hashtag"].match(bare):
        return f"hashtag {m.group(1)}"
    if (
        bare in d["units"]
        and (len(bare) > 1 or not bare.isalpha())
        and p["number"].match(prev_core)
        and not p["unit"].match(prev_core)
    ):
        return _unit_words(d["units"][bare], prev_core)
    return None


def _month(core: str) -> bool:
    """Whether ``core`` names a month (in full, or abbreviated as before a day)."""
    d, word = _data(), core.rstrip(".,")
    return word in d["months"] or d["before_number"].get(word, "") in d["months"]


def _ordinal(n: int) -> str:
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _clock_or(part: str) -> str:
    m = _patterns()["clock24"].match(part)
    if m and (part.startswith("0") or int(m.group(1)) >= 13):
        return _clock24(int(m.group(1)), m.group(2), "") or part
    return part


def spoken_forms(tokens: Sequence[str]) -> list[str]:
    """For each written token, what is said for it (the token itself where the voice reads it
    right). Punctuation around a token stays around its spoken form."""
    cores = [_split(t)[1] for t in tokens]
    out: list[str] = []
    pending_unit = ""  # "$5 million": "dollars" goes after "million"
    for i, tok in enumerate(tokens):
        lead, core, trail = _split(tok)
        prev_core = cores[i - 1] if i else ""
        next_core = cores[i + 1] if i + 1 < len(cores) else ""
        form = _core_form(core, prev_core, next_core)
        said = core if form is None else form
        if form is not None and core.endswith(".") and not form.endswith(".") and _ends_sentence(core):
            said += "."
        if pending_unit and core.lower() in _MAGNITUDE_WORDS:
            said, pending_unit = f"{said} {pending_unit}", ""
        else:
            pending_unit = ""
        m = _patterns()["money"].match(core)
        if m and form == m.group(2) and next_core.lower() in _MAGNITUDE_WORDS:
            pending_unit = _data()["currency"][m.group(1)][1]
        out.append(f"{lead}{said}{trail}")
    return out


def _ends_sentence(core: str) -> bool:
    """Whether the period after ``core`` ended its sentence (not an abbreviation's own)."""
    return core.rstrip(".") != core and core not in _data()["words"] and core not in _data()["before_number"]


def say(text: str) -> str:
    """``text`` as it is said: each written token (as the captions time them) in its spoken
    form."""
    return spoken_offsets(text)[0]


def spoken_offsets(text: str) -> tuple[str, list[int]]:
    """:func:`say` of ``text`` and, for each written token, where its spoken form starts."""
    forms = spoken_forms(written_tokens(text, "en"))
    offsets, pos = [], 0
    for f in forms:
        offsets.append(pos)
        pos += len(f) + 1
    return " ".join(forms), offsets
