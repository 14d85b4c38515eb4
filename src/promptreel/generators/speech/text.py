"""What is spoken: text without pictographs, its language, and word timings spread over a clip
whose engine gave none."""

from __future__ import annotations

import re
import unicodedata

import numpy as np

from promptreel.clip import AudioClip
from promptreel.generators.base import Word
from promptreel.generators.words import place_words, voiced
from promptreel.language import CJK_TEXT

__all__ = ["estimate_words", "lang_of", "speakable"]

_CJK = CJK_TEXT


def estimate_words(text: str, clip: AudioClip, lang: str = "en") -> list[Word]:
    """Word timings for a clip whose engine gave none: the words spread over its voiced part."""
    x = clip.samples[:, 0] if clip.frames else np.zeros(0, np.float32)
    a, b = voiced(x)
    kind = "zh" if lang_of(text) == "zh" or lang.startswith("zh") else "en"
    return place_words([(speakable(text), a, b, kind)], 0, clip.rate, clip.frames)


def speakable(text: str) -> str:
    """``text`` without emoji and pictographs (espeak would read "☕" as "hot beverage")."""
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat == "So" or ch in "\u200d\ufe0e\ufe0f" or 0x1F3FB <= ord(ch) <= 0x1F3FF:
            out.append(" ")
        else:
            out.append(ch)
    return re.sub(r"[ \t]{2,}", " ", "".join(out)).strip()


def lang_of(text: str) -> str:
    """``"zh"`` when Chinese characters make up a good part of ``text``, else ``"en"``."""
    cjk = len(re.findall(rf"[{_CJK}]", text))
    latin = len(re.findall(r"[A-Za-z]", text))
    return "zh" if cjk and cjk * 3 >= latin else "en"
