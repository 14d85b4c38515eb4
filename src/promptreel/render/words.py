"""Words of Chinese text, for line breaking and highlighting.

Text tokens (:func:`promptreel.render.text.tokenize`) are single CJK characters, so a line may
break anywhere; this module says which neighbouring tokens belong to one word ("新年快乐",
"工程师") so that lines break between words and a highlight colours whole words. Words come
from jieba's dictionary segmentation (loaded once, on the first Chinese text); without it every
character counts as a word of its own.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Sequence

__all__ = ["segment", "joins", "word_groups"]

_lock = threading.Lock()


@functools.lru_cache(maxsize=4096)
def segment(text: str) -> tuple[str, ...]:
    """``text`` cut into dictionary words (jieba, precise mode); characters when unavailable."""
    try:
        import jieba
    except ImportError:  # pragma: no cover - jieba is a dependency
        return tuple(text)
    with _lock:  # jieba builds its dictionary on first use; not thread-safe while it does
        jieba.setLogLevel(logging.WARNING)
        return tuple(jieba.lcut(text, cut_all=False))


def _has_cjk(s: str) -> bool:
    return any(ord(c) >= 0x2E80 for c in s)


def joins(texts: Sequence[str], gaps: Sequence[bool]) -> list[bool]:
    """For each token, whether it continues the word of the token before it (a line break
    before it would split a word). ``gaps[i]``: a space precedes token ``i``."""
    n = len(texts)
    out = [False] * n
    i = 0
    while i < n:
        j = i + 1
        while j < n and not gaps[j]:
            j += 1  # tokens i..j-1 are written without spaces: one run
        run = texts[i:j]
        if len(run) > 1 and any(_has_cjk(t) for t in run):
            starts: set[int] = set()
            pos = 0
            for word in segment("".join(run)):
                starts.add(pos)
                pos += len(word)
            pos = 0
            for k, t in enumerate(run):
                # a token of several characters (a number with its unit, a character with its
                # punctuation) ends a word of its own: "50元" never joins "免" ("元免")
                if k and pos not in starts and len(run[k - 1]) == 1:
                    out[i + k] = True
                pos += len(t)
        i = j
    return out


def word_groups(texts: Sequence[str], gaps: Sequence[bool]) -> list[list[int]]:
    """Token indices grouped into words (each group one word, in order)."""
    groups: list[list[int]] = []
    for i, joined in enumerate(joins(texts, gaps)):
        if joined and groups:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups
