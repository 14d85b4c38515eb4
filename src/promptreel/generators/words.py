"""Word timings of synthesised speech: which written word is spoken when.

Two ways to place words in a clip: spread over a voiced span by their rough spoken length
(:func:`place_words`, when nothing better is known), or at exact onsets that the engine or an
aligner reports (:func:`exact_words`). Written tokens are the same in both: English words as
split by spaces, Chinese characters one by one (punctuation joins the token before it).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import numpy as np
import numpy.typing as npt

from promptreel.generators.base import Word
from promptreel.language import HAN, WRITTEN_TOKEN

__all__ = [
    "place_words",
    "exact_words",
    "written_tokens",
    "token_offsets",
    "to_pinyin",
    "pinyin_map",
    "zh_numbers",
    "voiced",
]

_ZH_TOKEN = WRITTEN_TOKEN


def voiced(x: npt.NDArray[np.float32], threshold: float = 0.02) -> tuple[int, int]:
    """First and last sample above ``threshold`` × the chunk's peak (the whole chunk if none)."""
    peak = float(np.max(np.abs(x))) if x.size else 0.0
    loud = np.nonzero(np.abs(x) > peak * threshold)[0] if peak > 0 else np.zeros(0, int)
    return (int(loud[0]), int(loud[-1]) + 1) if loud.size else (0, int(x.size))


def _weights(text: str, kind: str) -> list[tuple[str, float]]:
    """Words of a span as written, each with a rough spoken length."""
    out: list[tuple[str, float]] = []
    if kind == "zh":
        for m in _ZH_TOKEN.finditer(text):
            tok = m.group(0)
            if tok[0].isdigit():
                w = 1.2 * len(re.sub(r"\D", "", tok)) + (2 if tok.endswith("%") else 0)
            elif tok[0].isascii():
                w = max(1.0, len(re.findall(r"[aeiouy]+", tok.lower())))
            else:
                w = 1.0
            nxt = text[m.end() : m.end() + 1]
            if nxt and unicodedata.category(nxt).startswith("P"):
                tok += nxt
                w += 0.6
            out.append((tok, w))
        return out
    for tok in text.split():
        core = re.sub(r"[^\w]", "", tok)
        if not core:
            if out:  # a lone dash or symbol joins the word before it
                out[-1] = (out[-1][0] + " " + tok, out[-1][1])
            continue
        w = 1.5 + sum(2.2 if c.isdigit() else 1.0 for c in core)
        if tok[-1] in ",;:—–-":
            w += 2.0
        out.append((tok, w))
    return out


def place_words(spans: list[tuple[str, int, int, str]], offset: int, rate: int, frames: int) -> list[Word]:
    """Spread each span's words over its voiced samples by weight; times relative to the clip."""
    words: list[Word] = []
    for text, a, b, kind in spans:
        toks = _weights(text, kind)
        total = sum(w for _, w in toks)
        if not toks or total <= 0 or b <= a:
            continue
        t = float(a)
        for tok, w in toks:
            d = (b - a) * w / total
            s0 = min(frames, max(0, round(t) - offset))
            s1 = min(frames, max(s0, round(t + d) - offset))
            words.append((tok, s0 * 1000 // rate, s1 * 1000 // rate))
            t += d
    return words


_HAN = re.compile(f"[{HAN}]")
_ZH_PUNCT = str.maketrans({"，": ",", "。": ".", "！": "!", "？": "?", "；": ";", "：": ":", "、": ","})
_SYLLABLE = re.compile(r"^[a-zü:v]+[1-5]$")


_DIGITS = "零一二三四五六七八九"
_UNITS = ((10**8, "亿"), (10**4, "万"), (1, ""))
_MEASURES = "点个位种款只次倍条家件名人天周岁台本张杯碗份"
_DASH = r"\s*[-－–—~～]\s*"
_CLOCK = r"(?:[01]?\d|2[0-4])[:：][0-5]\d"
_NUMBER = re.compile(
    # phone and serial numbers, digit by digit: three groups, a group led by 0, a long group
    r"(?P<digits>\d+(?:[-－]\d+){2,}|0\d*[-－]\d+|\d+[-－]0\d*|\d{5,}[-－]\d+|\d+[-－]\d{5,})"
    # 9:00-18:00 九点到十八点
    rf"|(?P<clock>{_CLOCK})(?:{_DASH}(?P<clock2>{_CLOCK}))?"
    # 8-12岁 八到十二岁, 2024-2025年
    rf"|(?P<r1>\d{{1,4}}){_DASH}(?P<r2>\d{{1,4}})(?![\d:：.])"
    # 1/2 二分之一 (not ¥680/晚: a slash before a word reads 每)
    r"|(?P<over>\d{1,2})[/／](?P<under>\d{1,2})(?![\d/／])"
    r"|(?:(?P<money>[¥￥])\s*)?(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)(?P<pct>\s*[%％])?"
)


def _below_10k(n: int, *, lead: bool) -> str:
    """1..9999 in Chinese numerals (``lead``: nothing before it, so 12 is 十二, not 一十二)."""
    out = ""
    zero = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // value % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        if value == 10 and d == 1 and lead and not out:
            out += "十"
        else:
            out += _DIGITS[d] + unit
    return out


def zh_integer(n: int) -> str:
    """``n`` ≥ 0 as Chinese numerals the way it is read: 180 一百八十, 2000 两千, 10005 一万零五."""
    if n == 0:
        return "零"
    out = ""
    rest = n
    pending_zero = False
    for value, unit in _UNITS:
        part = rest // value
        rest %= value
        if part == 0:
            pending_zero = bool(out)
            continue
        if (pending_zero or (out and part < 1000)) and out:
            out += "零"
        out += (zh_integer(part) if part >= 10**4 else _below_10k(part, lead=not out)) + unit
        pending_zero = False
    # 2 before 千/万/亿 reads 两 (两千, 两万), as it does before a measure word
    return re.sub(r"(?<![一二三四五六七八九十])二(?=[千万亿])", "两", out)


def _digit_by_digit(s: str) -> str:
    return "".join(_DIGITS[int(c)] if c.isdigit() else " " for c in s)


def _read_numbers(text: str) -> tuple[str, list[int]]:
    """``text`` with numbers as Chinese numerals (see :func:`zh_numbers`) and, for each of its
    characters, the offset in ``text`` it comes from (a reading points at its number's first
    digit; digit-by-digit readings point at each digit)."""
    out: list[str] = []
    origin: list[int] = []
    pos = 0
    for m in _NUMBER.finditer(text):
        out.append(text[pos : m.start()])
        origin += range(pos, m.start())
        pos = m.end()
        if m.group("digits"):
            out.append(_digit_by_digit(m.group("digits")))
            origin += range(m.start(), m.end())
            continue
        special = _special_reading(m, text)
        if special is not None:
            for part, at in special:
                out.append(part)
                origin += [at] * len(part)
            continue
        num = m.group("num").replace(",", "")
        whole, _, frac = num.partition(".")
        after = text[m.end() : m.end() + 1]
        if (
            not frac
            and not m.group("money")
            and not m.group("pct")
            and (
                (len(whole) == 4 and after == "年")
                or (len(whole) >= 5 and whole[0] == "0")
                or len(whole) > 12
            )
        ):
            out.append(_digit_by_digit(whole))
            origin += range(m.start("num"), m.start("num") + len(whole))
            continue
        spoken = zh_integer(int(whole))
        if spoken == "二" and after and after in _MEASURES and not frac:
            spoken = "两"
        if frac:
            spoken += "点" + _digit_by_digit(frac)
        if m.group("pct"):
            spoken = "百分之" + spoken
        if m.group("money"):
            spoken += "元"
        out.append(spoken)
        origin += [m.start("num")] * len(spoken)
    out.append(text[pos:])
    origin += range(pos, len(text))
    return "".join(out), origin


def _clock_reading(clock: str) -> str:
    """09:00 九点, 18:30 十八点半, 7:05 七点零五分."""
    h, m = (int(x) for x in re.split("[:：]", clock))
    if m == 0:
        return zh_integer(h) + "点"
    if m == 30:
        return zh_integer(h) + "点半"
    return zh_integer(h) + "点" + ("零" if m < 10 else "") + zh_integer(m) + "分"


def _plain_reading(num: str, after: str) -> str:
    """A whole number as read before ``after``: a year before 年 digit by digit, 2 before a
    measure word 两."""
    if len(num) == 4 and after == "年":
        return _digit_by_digit(num)
    spoken = zh_integer(int(num))
    return "两" if spoken == "二" and after and after in _MEASURES else spoken


def _special_reading(m: re.Match[str], text: str) -> list[tuple[str, int]] | None:
    """Clock times, ranges and fractions as read aloud, each part with the offset of the
    characters it reads; ``None`` for any other number."""
    if m.group("clock"):
        parts = [(_clock_reading(m.group("clock")), m.start("clock"))]
        if m.group("clock2"):
            parts += [("到", m.end("clock")), (_clock_reading(m.group("clock2")), m.start("clock2"))]
        return parts
    if m.group("r1"):
        after = text[m.end() : m.end() + 1]
        return [
            (_plain_reading(m.group("r1"), after), m.start("r1")),
            ("到", m.end("r1")),
            (_plain_reading(m.group("r2"), after), m.start("r2")),
        ]
    if m.group("over"):
        under, over = int(m.group("under")), int(m.group("over"))
        if under == 0:
            return None
        return [(zh_integer(under) + "分之" + zh_integer(over), m.start())]
    return None


def zh_numbers(text: str) -> str:
    """``text`` with its Arabic numbers as Chinese numerals, read as a narrator would: years and
    phone numbers digit by digit (2025年 二零二五年, 0572-8888123), prices with 元 (¥680 六百八十元),
    percentages as 百分之, decimals with 点 (1.2亿 一点二亿), 2 before a measure word as 两."""
    return _read_numbers(text)[0]


def written_tokens(text: str, kind: str) -> list[str]:
    """The tokens words are timed by (what :func:`place_words` and :func:`exact_words` emit)."""
    return [t for t, _w in _weights(text, kind)]


def token_offsets(text: str, kind: str) -> list[int]:
    """Character offset in ``text`` where each written token starts (``kind`` ``"en"``: words
    as split by spaces; ``"zh"``: characters, numbers and Latin words)."""
    out: list[int] = []
    pos = 0
    for tok in written_tokens(text, kind):
        first = tok.split(" ")[0]
        if kind == "zh":
            first = _ZH_TOKEN.match(first).group(0) if _ZH_TOKEN.match(first) else first  # type: ignore[union-attr]
        at = text.find(first, pos)
        out.append(at if at >= 0 else -1)
        pos = at + len(first) if at >= 0 else pos
    return out


def pinyin_map(text: str) -> tuple[str, list[int]]:
    """``text`` (Chinese) as the pinyin the voice reads, and for each written token of ``text``
    the character offset of its first syllable in that pinyin (−1 when it has none)."""
    items = _pinyin_items(text)
    spoken = " ".join(item for item, _o in items)
    starts, pos = [], 0
    for item, _o in items:
        starts.append(pos)
        pos += len(item) + 1
    toks = token_offsets(text, "zh")
    out: list[int] = []
    k = 0
    for n, at in enumerate(toks):
        found = -1
        if at >= 0:
            end = next((t for t in toks[n + 1 :] if t >= 0), len(text))
            while k < len(items) and items[k][1] < at:
                k += 1
            if k < len(items) and items[k][1] < end:
                found = starts[k]
        out.append(found)
    return spoken, out


def _pinyin_items(text: str) -> list[tuple[str, int]]:
    """The pinyin items the voice reads (TONE3 syllables, punctuation), each with the offset in
    ``text`` of the character it reads."""
    from pypinyin import Style, lazy_pinyin

    read, origin = _read_numbers(text)
    read = re.sub(rf"[/／](?=[{HAN}])", "每", read).translate(_ZH_PUNCT)  # ¥680/晚: 每晚
    kwargs: dict[str, Any] = {"style": Style.TONE3, "neutral_tone_with_five": True}
    try:
        syll = lazy_pinyin(read, tone_sandhi=True, **kwargs)
    except TypeError:  # older pypinyin without tone sandhi
        syll = lazy_pinyin(read, **kwargs)
    out: list[tuple[str, int]] = []
    ptr = 0
    for raw in syll:
        item = raw.strip()
        if not item:
            ptr += len(raw)
            continue
        if _SYLLABLE.match(item):  # one Han character
            while ptr < len(read) and not _HAN.match(read[ptr]):
                ptr += 1
            at = min(ptr, len(read) - 1)
            ptr += 1
        else:
            found = read.find(item, ptr)
            at = found if found >= 0 else min(ptr, len(read) - 1)
            ptr = at + len(item) if found >= 0 else ptr
        out.append((item, origin[at] if read else 0))
    return out


def to_pinyin(text: str) -> str:
    """``text`` (Chinese) as space-separated TONE3 pinyin (tone sandhi, polyphones, numbers read
    as Chinese numerals)."""
    return pinyin_map(text)[0]


def exact_words(
    spans: list[tuple[str, int, int, str, list[int | None]]], offset: int, rate: int, frames: int
) -> list[Word]:
    """Words at known onsets: each span is (text, first sample, end sample, kind, onset of each
    written token in samples or ``None``); unknown onsets are spread between their known
    neighbours. A word ends where the next begins (the last at its span's end)."""
    words: list[Word] = []
    for text, a, b, kind, onsets in spans:
        toks = _weights(text, kind)
        if not toks or b <= a:
            continue
        if len(onsets) != len(toks) or not any(o is not None for o in onsets):
            words += place_words([(text, a, b, kind)], offset, rate, frames)
            continue
        known = [(i, int(o)) for i, o in enumerate(onsets) if o is not None]
        xs = [i for i, _o in known]
        ys = [o for _i, o in known]
        filled = np.interp(np.arange(len(toks)), [-1, *xs, len(toks)], [a, *ys, b])
        filled = np.maximum.accumulate(np.clip(filled, a, b))
        for i, (tok, _w) in enumerate(toks):
            s0 = min(frames, max(0, round(filled[i]) - offset))
            nxt = filled[i + 1] if i + 1 < len(toks) else b
            s1 = min(frames, max(s0, round(nxt) - offset))
            words.append((tok, s0 * 1000 // rate, s1 * 1000 // rate))
    return words
