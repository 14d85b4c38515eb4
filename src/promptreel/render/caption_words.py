"""Captions timed by the narration as it is actually spoken.

Before a render, every caption gets ``meta.words`` (each word with its start and end in ms from
the caption's start) from the word timings of the narration clip it belongs to, and its edges
move to the spoken phrase: it appears when its first word is heard and stays until the next
caption of the same line appears. Word timings come from assets that can speak with timings
(:class:`SpokenWords`: the speech engines align the text to their own audio); other assets
leave the draft as it is. Captions whose words cannot be matched to the narration keep their
times.
"""

from __future__ import annotations

import re
from typing import Protocol, runtime_checkable

from promptreel.clip import AudioClip
from promptreel.draft import Draft, Meta, Segment, TrackType
from promptreel.language import WRITTEN_TOKEN, has_cjk

__all__ = ["SpokenWords", "with_word_times", "caption_tokens"]

Word = tuple[str, int, int]

_TOKEN = WRITTEN_TOKEN


@runtime_checkable
class SpokenWords(Protocol):
    def speak_timed(
        self, text: str, *, lang: str = "", voice: str = "", speed: float = 0.0
    ) -> tuple[AudioClip, list[Word]]:
        """The narration clip for ``text`` and ``[(word, start_ms, end_ms), …]`` in it."""
        ...


def caption_tokens(text: str) -> int:
    """How many timed words ``text`` holds (English: words; Chinese: characters and numbers)."""
    if has_cjk(text):
        return len(_TOKEN.findall(text))
    return sum(1 for t in text.split() if re.search(r"\w", t))


def _voice_words(seg: Segment, assets: SpokenWords) -> list[Word]:
    """The segment's words in draft ms (cut at the segment's end, as the mix cuts the clip)."""
    m = seg.meta
    _clip, words = assets.speak_timed(
        str(m.get("text") or ""),
        lang=str(m.get("lang", "") or ""),
        voice=str(m.get("voice", "") or ""),
        speed=float(m.get("speed", 0) or 0),
    )
    out = []
    for w, s, e in words:
        a = seg.start + int(s)
        if a >= seg.end:
            break
        out.append((w, a, min(seg.end, seg.start + int(e))))
    return out


def with_word_times(draft: Draft, assets: object) -> Draft:
    """``draft`` with every caption timed by its narration's spoken words (see the module)."""
    if not isinstance(assets, SpokenWords):
        return draft
    voices = [
        s
        for t in draft.tracks
        if t.type == TrackType.AUDIO and not t.meta.get("muted")
        for s in t.segments
        if s.kind == "voice" and str(s.meta.get("text") or "").strip()
    ]
    cap_tracks = [t for t in draft.tracks if t.type == TrackType.TEXT and t.role == "captions" and t.segments]
    if not voices or not cap_tracks:
        return draft
    timed: dict[str, list[Word]] = {}
    changed: dict[str, Segment] = {}
    for track in cap_tracks:
        groups: dict[str, list[Segment]] = {}
        for cap in sorted(track.segments, key=lambda s: s.start):
            owner = max(voices, key=lambda v: min(v.end, cap.end) - max(v.start, cap.start))
            if min(owner.end, cap.end) > max(owner.start, cap.start):
                groups.setdefault(owner.id, []).append(cap)
        for vid, caps in groups.items():
            voice = next(v for v in voices if v.id == vid)
            if vid not in timed:
                timed[vid] = _voice_words(voice, assets)
            changed.update(_retime(caps, timed[vid], voice))
    if not changed:
        return draft
    tracks = []
    for t in draft.tracks:
        if any(s.id in changed for s in t.segments):
            t = t.replace(segments=tuple(changed.get(s.id, s) for s in t.segments))
        tracks.append(t)
    return draft.replace(tracks=tuple(tracks))


def _retime(caps: list[Segment], words: list[Word], voice: Segment) -> dict[str, Segment]:
    counts = [caption_tokens(str(c.meta.get("text") or "")) for c in caps]
    if not words or sum(counts) != len(words) or 0 in counts:
        return {}  # the captions do not read the narration word for word: keep their times
    chunks: list[list[Word]] = []
    k = 0
    for n in counts:
        chunks.append(words[k : k + n])
        k += n
    starts = [max(voice.start, ch[0][1]) for ch in chunks]
    out: dict[str, Segment] = {}
    for i, (cap, ch) in enumerate(zip(caps, chunks, strict=True)):
        start = starts[i]
        end = starts[i + 1] if i + 1 < len(caps) else max(cap.end, ch[-1][2])
        end = max(end, start + 1)
        meta = dict(cap.meta)
        meta["words"] = [[w, s - start, max(s, e) - start] for w, s, e in ch]
        out[cap.id] = cap.replace(start=start, duration=end - start, meta=Meta(meta))
    return out
