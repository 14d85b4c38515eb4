"""How long the video should be: which time spans of a prompt size the video, and which are
part of what it says ("a 30-second ad for our 15-minute car wash" is 30 seconds long and
mentions a 15-minute car wash).

:func:`video_length` reads the spans with :func:`promptreel.language.time_spans` and keeps those
the cues in ``agent/data/lengths.toml`` mark as the video's length; spans said one after another
("1 minute 30 seconds") are one length. :func:`cut_length` takes those spans (and the words that
go with them: "about", "long", "左右") out of the text, leaving every other span in the content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from promptreel.agent.patterns import data
from promptreel.language import MAX_VIDEO_MS, MIN_VIDEO_MS, TimeSpan, has_cjk, time_spans

__all__ = ["VideoLength", "cut_length", "parse_duration", "video_length"]

_CHAIN = re.compile(r"^\s*(?:and\s+)?$")
_NOT_A_LENGTH = ("a", "an", "a couple of", "a couple", "a few")  # "a second video"


@dataclass(frozen=True, slots=True)
class VideoLength:
    """The length a prompt asks for (ms, clamped to 5 s..10 min; ``None``: it names none) and
    where it says so (``(start, end)`` in the lower-cased prompt, with the words that go along)."""

    ms: int | None
    spans: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class _Cues:
    nouns: re.Pattern[str]
    before: tuple[re.Pattern[str], ...]
    after: re.Pattern[str]
    head: re.Pattern[str]
    within: re.Pattern[str]
    present: re.Pattern[str]
    filler: re.Pattern[str]
    separator: re.Pattern[str]
    cut_before: re.Pattern[str]
    cut_after: re.Pattern[str]
    zh_before: re.Pattern[str]
    zh_after: re.Pattern[str]
    zh_cut_before: re.Pattern[str]
    zh_cut_after: re.Pattern[str]


@cache
def _cues() -> _Cues:
    en, zh = data("lengths")["en"], data("lengths")["zh"]
    stop = en["stop"]
    return _Cues(
        nouns=re.compile(rf"^\s*-?\s*(?:(?!{stop}\b)[\w'’-]+\s+){{0,3}}?{en['nouns']}\b"),
        before=tuple(re.compile(p) for p in en["before"]),
        after=re.compile(en["after"]),
        head=re.compile(en["head"]),
        within=re.compile(en["within"]),
        present=re.compile(en["present"]),
        filler=re.compile(en["filler"]),
        separator=re.compile(en["separator"]),
        cut_before=re.compile(en["cut_before"]),
        cut_after=re.compile(en["cut_after"]),
        zh_before=re.compile(zh["before"]),
        zh_after=re.compile(zh["after"]),
        zh_cut_before=re.compile(zh["cut_before"]),
        zh_cut_after=re.compile(zh["cut_after"]),
    )


def _chinese(text: str, a: int, b: int) -> bool:
    """Whether the span ``[a, b)`` sits in Chinese text (the character beside it is Chinese)."""
    return has_cjk(text[a:b]) or has_cjk(text[:a].rstrip()[-1:]) or has_cjk(text[b:].lstrip()[:1])


def _clause(text: str, a: int, b: int, cues: _Cues) -> tuple[str, str]:
    """The text of the clause around ``[a, b)``: what stands before and after it in the clause."""
    starts = [m.end() for m in cues.separator.finditer(text[:a])]
    left = text[starts[-1] if starts else 0 : a]
    stop = cues.separator.search(text, b)
    right = text[b : stop.start() if stop else len(text)]
    return left, right


def _sizes(first: TimeSpan, last: TimeSpan, text: str, cues: _Cues) -> bool:
    """Whether the spans ``first``..``last`` (one length) size the video."""
    a, b = first.start, last.end
    before, after = text[:a], text[b:]
    if _chinese(text, a, b):
        return bool(cues.zh_before.search(before.rstrip(" ")) and cues.zh_after.match(after))
    if cues.nouns.match(after) or any(p.search(before) for p in cues.before):
        return True
    if cues.after.match(after) and cues.head.search(before.rstrip()):
        return True
    left, right = _clause(text, a, b, cues)
    if not cues.filler.sub(" ", left + " " + right).strip(" -–—"):
        return True  # the span is its clause: "Vertical, 15s"
    return bool(cues.within.search(before) and cues.present.search(left))


def video_length(prompt: str) -> VideoLength:
    """The length ``prompt`` asks the video to be, and where it says so (see :class:`VideoLength`)."""
    text = prompt.lower().replace("–", "-").replace("—", "-")
    cues = _cues()
    spans = [
        s
        for s in time_spans(text)
        if s.unit != "ms"
        and s.ms >= 1000  # "every half second" times something inside the video
        and not (s.unit == "min" and not s.zh and text[s.start : s.end].endswith("m"))  # 5m = 5 million
        and not (s.unit == "s" and s.number in _NOT_A_LENGTH)
    ]
    chains: list[list[TimeSpan]] = []
    for s in spans:
        if chains and _CHAIN.match(text[chains[-1][-1].end : s.start]):
            chains[-1].append(s)
        else:
            chains.append([s])
    sizing = [c for c in chains if _sizes(c[0], c[-1], text, cues)]
    english = [c for c in sizing if not c[0].zh]
    sizing = english or sizing  # English lengths first, Chinese ones when English names none
    if not sizing:
        return VideoLength(None)
    chain = sizing[0]
    minutes = any(s.unit == "min" for s in chain)
    total = 0
    for s in chain:  # "1 minute 30 seconds"; a seconds count past a minute stands alone
        if s.unit == "min" or not minutes or s.ms < 60_000:
            total += s.ms
    ms = int(min(MAX_VIDEO_MS, max(MIN_VIDEO_MS, total)))
    return VideoLength(ms, tuple(_with_words(c, text, cues) for c in sizing))


def _with_words(chain: list[TimeSpan], text: str, cues: _Cues) -> tuple[int, int]:
    """The chain's place in ``text`` with the words that go with it ("about", "long", "左右")."""
    a, b = chain[0].start, chain[-1].end
    zh = _chinese(text, a, b)
    pre = (cues.zh_cut_before if zh else cues.cut_before).search(text[:a])
    post = (cues.zh_cut_after if zh else cues.cut_after).match(text[b:])
    return (pre.start() if pre else a, b + (post.end() if post else 0))


def parse_duration(prompt: str) -> int | None:
    """The length ``prompt`` asks the video to be, in ms (clamped to 5 s..10 min), or ``None``.

    ``"a 30-second video"``, ``"make it 45 seconds long"``, ``"1 minute 30 seconds of
    highlights"``, ``"half a minute about tea"``, ``"Vertical, 15s"``, ``"45秒的视频"``,
    ``"时长一分钟"``; not ``"our 15-minute car wash"`` or ``"20分钟搞定"`` (content)."""
    return video_length(prompt).ms


def cut_length(text: str) -> str:
    """``text`` without the spans that size the video (content spans stay)."""
    spans = video_length(text).spans
    if not spans or len(text.lower()) != len(text):
        return text
    out, pos = [], 0
    for a, b in sorted(spans):
        out.append(text[pos:a])
        pos = max(pos, b)
    out.append(text[pos:])
    return re.sub(r" {2,}", " ", "".join(out))
