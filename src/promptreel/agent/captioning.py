"""Captions from narration: each voice segment's text split into short phrases (≤ 42
characters in English, ≤ 16 in Chinese) at punctuation, then at word boundaries, each shown
for a share of its segment's time in proportion to its length. Pure."""

from __future__ import annotations

import re
from collections.abc import Sequence

from promptreel.agent.lexicon import has_cjk
from promptreel.draft import ops
from promptreel.draft.meta import Meta
from promptreel.draft.model import Draft, Segment, Track

__all__ = ["CAPTION_MAX_EN", "CAPTION_MAX_ZH", "caption_phrases", "caption_segments"]

CAPTION_MAX_EN = 42
CAPTION_MAX_ZH = 16


def _split_long(text: str, limit: int, zh: bool) -> list[str]:
    """Split one clause into near-equal chunks of at most ``limit`` characters at word boundaries."""
    if len(text) <= limit:
        return [text]
    tokens = re.findall(r"[A-Za-z0-9'’%.-]+\s*|\S\s*", text) if zh else text.split(" ")
    n = -(-len(text) // limit)
    while True:
        target = len(text) / n
        chunks: list[str] = []
        cur = ""
        for tok in tokens:
            piece = tok if zh else (tok if not cur else " " + tok)
            if cur and (len(cur) + len(piece) > limit or len(cur) >= target):
                chunks.append(cur)
                cur = tok
            else:
                cur += piece
        if cur:
            chunks.append(cur)
        if all(len(c) <= limit for c in chunks) or n > len(tokens):
            return [c.strip() for c in chunks if c.strip()]
        n += 1


def caption_phrases(text: str, lang: str) -> list[str]:
    """Short caption phrases (≤ 42 characters in English, ≤ 16 in Chinese) split at punctuation,
    then at word boundaries; Chinese phrases drop their trailing commas and full stops."""
    zh = lang == "zh" or has_cjk(text)
    limit = CAPTION_MAX_ZH if zh else CAPTION_MAX_EN
    text = " ".join(text.split())
    if not text:
        return []
    if zh:
        clauses = re.findall(r"[^，。！？；：、,!?;:]+[，。！？；：、,!?;:]*", text)
    else:
        clauses = re.findall(r".+?(?:[.!?;:,—](?=\s|$)|$)", text)
    phrases: list[str] = []
    for clause in (c.strip() for c in clauses):
        if not clause:
            continue
        # merge short clauses with the previous one when the pair still fits
        short = 6 if zh else 18
        if (
            phrases
            and len(phrases[-1]) + len(clause) + (0 if zh else 1) <= limit
            and min(len(clause), len(phrases[-1])) <= short
            and not re.search(r"[.!?。！？]$", phrases[-1])
        ):
            phrases[-1] = phrases[-1] + ("" if zh else " ") + clause
            continue
        phrases.extend(_split_long(clause, limit, zh))
    if zh:
        phrases = [re.sub(r"[，。、；：,;:]+$", "", p) or p for p in phrases]
    return [p for p in phrases if p.strip()]


def _timed(phrases: Sequence[str], start: int, duration: int, joiner: str) -> list[tuple[int, int, str]]:
    """Share ``duration`` among phrases in proportion to their length (merging any left with 0 ms)."""
    items = list(phrases)
    while True:
        weights = [max(1, len(p.replace(" ", ""))) for p in items]
        total = sum(weights)
        edges = [start]
        acc = 0
        for w in weights:
            acc += w
            edges.append(start + round(duration * acc / total))
        empty = [k for k in range(len(items)) if edges[k + 1] <= edges[k]]
        if not empty or len(items) == 1:
            return [(edges[k], edges[k + 1] - edges[k], p) for k, p in enumerate(items)]
        k = empty[0]
        j = k - 1 if k > 0 else k + 1
        lo, hi = min(j, k), max(j, k)
        items[lo : hi + 1] = [items[lo] + joiner + items[hi]]


def caption_segments(
    voice_track: Track, *, lang: str | None = None, draft: Draft | None = None
) -> list[Segment]:
    """Caption segments in sync with every ``voice`` segment of a narration track.

    Each voice segment's text is split into phrases whose time is shared in proportion to their
    length; captions stay inside their voice segment and never overlap. Ids are ``seg_caption_<n>``
    (fresh ones in ``draft`` when given, so the editing agent can add captions to an edited draft).
    """
    spans: list[tuple[int, int, str]] = []
    for seg in sorted(voice_track.segments, key=lambda s: s.start):
        text = str(seg.meta.get("text") or "")
        seg_lang = lang or str(seg.meta.get("lang") or ("zh" if has_cjk(text) else "en"))
        phrases = caption_phrases(text, seg_lang)
        if phrases and seg.duration > 0:
            spans.extend(_timed(phrases, seg.start, seg.duration, "" if seg_lang == "zh" else " "))
    if draft is not None:
        ids = ops.new_ids(draft, "seg_caption", len(spans))
    else:
        ids = [f"seg_caption_{i + 1}" for i in range(len(spans))]
    return [
        Segment(i, a, d, "caption", "", Meta({"text": t})) for i, (a, d, t) in zip(ids, spans, strict=True)
    ]
