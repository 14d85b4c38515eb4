"""The language helpers every part of promptreel shares, one home each: telling Chinese text
apart, reading numbers (digits, English words, Chinese numerals) and reading spans of time.

Pure functions of strings, no dependencies: the planner reads prompts with them, the chat editor
reads edit requests with them, and the speech, caption and illustration code tells Chinese text
with :func:`has_cjk`.

* :func:`has_cjk` / :func:`count_cjk`: Chinese characters (:data:`HAN`); :data:`CJK_TEXT` adds
  CJK punctuation and full-width forms, for splitting text into runs of one script.
* :func:`zh_number`, :func:`word_number`, :func:`parse_number`: one number reader.
* :func:`time_spans` reads every time span in a text ("1.5s", "two minutes", "twenty-five
  seconds", "a minute and a half", "两秒半", "一分钟"); :func:`durations` lists them for the
  editor (which of them size the video: :mod:`promptreel.agent.lengths`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "HAN",
    "CJK_TEXT",
    "WRITTEN_TOKEN",
    "has_cjk",
    "count_cjk",
    "find_word",
    "EN_NUMBERS",
    "COUNT_WORDS",
    "ZH_DIGITS",
    "EN_NUMBER",
    "ZH_NUMBER",
    "zh_number",
    "word_number",
    "parse_number",
    "TimeSpan",
    "time_spans",
    "durations",
    "MIN_VIDEO_MS",
    "MAX_VIDEO_MS",
]

# ---------------------------------------------------------------- Chinese text

#: Chinese characters (CJK unified ideographs, extension A, compatibility ideographs): the one range
#: every module uses to tell Chinese text
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
#: Chinese text as a script run: the characters plus CJK punctuation and full-width forms
CJK_TEXT = HAN + "\u3000-\u303f\uff00-\uffef"
_HAN_RE = re.compile(f"[{HAN}]")
#: the written tokens of mixed Chinese text, timed one by one: a Latin word, a number, or one character
WRITTEN_TOKEN = re.compile(rf"[A-Za-z][A-Za-z'’\-]*|\d+(?:[.,]\d+)*%?|[{HAN}]")


def has_cjk(text: str) -> bool:
    """True when ``text`` holds a Chinese character."""
    return bool(_HAN_RE.search(text))


def count_cjk(text: str) -> int:
    """How many Chinese characters ``text`` holds."""
    return len(_HAN_RE.findall(text))


def find_word(text: str, phrase: str) -> int:
    """Where ``phrase`` stands in lower-cased ``text`` as a whole word (a Chinese phrase, or one
    without letters or digits, anywhere), or -1."""
    if has_cjk(phrase) or not re.search(r"[a-z0-9]", phrase):
        return text.find(phrase)
    m = re.search(r"(?<![a-z0-9])" + re.escape(phrase) + r"(?![a-z0-9])", text)
    return m.start() if m else -1


# ---------------------------------------------------------------- numbers

EN_NUMBERS: dict[str, int] = {
    "zero": 0, "one": 1, "a": 1, "an": 1, "single": 1, "two": 2, "couple": 2, "three": 3, "four": 4,
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "dozen": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
}  # fmt: skip

#: spelled numbers that count things ("two new hires"); "a"/"an" are left out on purpose
COUNT_WORDS = {k: v for k, v in EN_NUMBERS.items() if k not in ("a", "an", "single", "couple", "zero")}

#: amounts said in words that are not counts: "half a second", "a couple of seconds", "a few"
_EN_AMOUNTS: dict[str, float] = {"half": 0.5, "a couple of": 2, "a couple": 2, "couple of": 2, "a few": 3}

ZH_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5,
    "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_ZH_NUMERALS = "零〇一二两三四五六七八九十百千半"

_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_ONES = "one|two|three|four|five|six|seven|eight|nine"
#: a number as English says it in a request (a regex alternative; longest forms first)
EN_NUMBER = (
    rf"\d+(?:\.\d+)?|(?:{_TENS})-(?:{_ONES})|a couple of|a couple|couple of|a few|zero|{_ONES}|ten|eleven|"
    rf"twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|{_TENS}|half|an|a"
)
#: a number as Chinese writes it (Arabic digits or numerals, with a trailing 半)
ZH_NUMBER = rf"\d+(?:\.\d+)?|[{_ZH_NUMERALS}]+"


def zh_number(text: str) -> int | None:
    """Chinese or Arabic numerals up to the thousands: ``"三十"`` → 30, ``"一百二十"`` → 120, ``"45"`` → 45."""
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if len(text) > 1 and all(ch in ZH_DIGITS for ch in text):  # read digit by digit: "二〇二五" → 2025
        return int("".join(str(ZH_DIGITS[ch]) for ch in text))
    total, current = 0, 0
    for ch in text:
        if ch in ZH_DIGITS:
            current = ZH_DIGITS[ch]
        elif ch in "十百千":
            total += (current or 1) * {"十": 10, "百": 100, "千": 1000}[ch]
            current = 0
        else:
            return None
    return total + current


def word_number(word: str) -> int | None:
    """A count in English: ``"twenty"`` → 20, ``"twenty-five"`` → 25, ``"12"`` → 12; otherwise ``None``."""
    w = word.lower().strip()
    if w.isdigit():
        return int(w)
    if "-" in w:
        parts = w.split("-")
        if len(parts) == 2 and parts[0] in COUNT_WORDS and parts[1] in COUNT_WORDS:
            return COUNT_WORDS[parts[0]] + COUNT_WORDS[parts[1]]
    return COUNT_WORDS.get(w)


def parse_number(word: str) -> float | None:
    """Any number a request says: ``"2"``, ``"2.5"``, ``"two"``, ``"twenty-five"``, ``"a"``,
    ``"half"``, ``"两"``, ``"十五"``, ``"半"``, ``"两半"`` (2.5); ``None`` when it is not one."""
    w = word.strip().lower()
    if not w:
        return None
    try:
        return float(w)
    except ValueError:
        pass
    if w in _EN_AMOUNTS:
        return float(_EN_AMOUNTS[w])
    if w in EN_NUMBERS:
        return float(EN_NUMBERS[w])
    n = word_number(w)
    if n is not None:
        return float(n)
    if all(c in _ZH_NUMERALS for c in w):
        if w == "半":
            return 0.5
        half = 0.5 if w.endswith("半") else 0.0
        whole = zh_number(w[:-1] if half else w)
        return None if whole is None else whole + half
    return None


# ---------------------------------------------------------------- time spans


@dataclass(frozen=True, slots=True)
class TimeSpan:
    """A span of time said in a text: where (``start``, ``end``), how long (``ms``), the unit
    it was said in (``ms`` | ``s`` | ``min``), the number as written, and whether it is Chinese."""

    start: int
    end: int
    ms: int
    unit: str
    number: str
    zh: bool = False


_EN_UNIT = r"(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?)"
# digits may touch their unit ("30s"); words never do ("ones", "as" are no spans)
_EN_SPAN = re.compile(
    rf"(?<![a-z0-9.:])({EN_NUMBER})(?:(?<=[0-9])\s*(?:-\s*)?|\s*-\s*|\s+)(?:more |extra |additional )?"
    rf"{_EN_UNIT}(?![a-z])"
)
# "half a minute", "half-second"; "a minute and a half", "two and a half seconds"
_EN_HALF = re.compile(r"(?<![a-z])half[\s-]+(?:an?[\s-]+)?(second|minute)s?(?![a-z])")
_EN_AND_HALF = re.compile(
    rf"(?<![a-z0-9.])({EN_NUMBER})[\s-]+(?:(?:and[\s-]+a[\s-]+half[\s-]+{_EN_UNIT})|(?:{_EN_UNIT}[\s-]+and[\s-]+a[\s-]+half))(?![a-z])"
)
_ZH_SPAN = re.compile(rf"({ZH_NUMBER})\s*(?:个)?\s*(毫秒|秒钟|秒|分钟|分)(半)?")


def _unit(word: str) -> str:
    if word.startswith("ms") or word.startswith("milli") or word == "毫秒":
        return "ms"
    if word[0] == "m" or word.startswith("分"):
        return "min"
    return "s"


_SCALE = {"ms": 1, "s": 1000, "min": 60_000}


def time_spans(text: str) -> list[TimeSpan]:
    """Every span of time in ``text`` (lower-cased for English), in order."""
    out: list[TimeSpan] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match[str], number: str, unit: str, extra: float = 0.0, zh: bool = False) -> None:
        if any(a < m.end() and m.start() < b for a, b in taken):
            return
        n = parse_number(number)
        if n is None:
            return
        taken.append((m.start(), m.end()))
        out.append(TimeSpan(m.start(), m.end(), round((n + extra) * _SCALE[unit]), unit, number, zh))

    for m in _EN_AND_HALF.finditer(text):
        add(m, m.group(1), _unit(m.group(2) or m.group(3)), 0.5)
    for m in _EN_HALF.finditer(text):
        add(m, "half", _unit(m.group(1)))
    for m in _EN_SPAN.finditer(text):
        add(m, m.group(1), _unit(m.group(2)))
    for m in _ZH_SPAN.finditer(text):
        add(m, m.group(1), _unit(m.group(2)), 0.5 if m.group(3) else 0.0, zh=True)
    return sorted(out, key=lambda s: s.start)


def durations(text: str) -> list[tuple[int, int]]:
    """Every time span in ``text`` as ``(position, milliseconds)``, in order."""
    return [(s.start, s.ms) for s in time_spans(text)]


MIN_VIDEO_MS = 5_000
MAX_VIDEO_MS = 600_000
