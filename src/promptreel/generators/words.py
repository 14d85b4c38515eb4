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

__all__ = [
    "place_words",
    "exact_words",
    "written_tokens",
    "token_offsets",
    "to_pinyin",
    "pinyin_map",
    "voiced",
]

_ZH_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’\-]*|\d+(?:[.,]\d+)*%?|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


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


_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*[%％]")
_ZH_PUNCT = str.maketrans({"，": ",", "。": ".", "！": "!", "？": "?", "；": ";", "：": ":", "、": ","})
_SYLLABLE = re.compile(r"^[a-zü:v]+[1-5]$")


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
    spoken = " ".join(items)
    starts, pos = [], 0
    for item in items:
        starts.append(pos)
        pos += len(item) + 1
    out: list[int] = []
    k = 0
    for tok in written_tokens(text, "zh"):
        core = _ZH_TOKEN.match(tok)
        word = core.group(0) if core else tok
        found = -1
        if word[0].isdigit():
            digits = re.sub(r"[^\d.]", "", word).rstrip(".")
            j = k
            while j < len(items) and digits not in items[j]:
                j += 1
            if j < len(items):
                first = j
                if word.endswith("%"):  # read as 百分之 + number: starts three syllables earlier
                    first = max(k, j - 3)
                found, k = starts[first], j + 1
        else:
            j = k
            while j < len(items) and not _SYLLABLE.match(items[j]):
                j += 1
            if j < len(items):
                found, k = starts[j], j + 1
        out.append(found)
    return spoken, out


def _pinyin_items(text: str) -> list[str]:
    from pypinyin import Style, lazy_pinyin

    text = _PERCENT.sub(lambda m: f"百分之{m.group(1)}", text).translate(_ZH_PUNCT)
    kwargs: dict[str, Any] = {"style": Style.TONE3, "neutral_tone_with_five": True}
    try:
        syll = lazy_pinyin(text, tone_sandhi=True, **kwargs)
    except TypeError:  # older pypinyin without tone sandhi
        syll = lazy_pinyin(text, **kwargs)
    return [s.strip() for s in syll if s.strip()]


def to_pinyin(text: str) -> str:
    """``text`` (Chinese) as space-separated TONE3 pinyin (tone sandhi, polyphones, 百分之)."""
    return " ".join(_pinyin_items(text))


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
