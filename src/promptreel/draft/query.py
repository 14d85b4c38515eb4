"""Read-only questions about a draft: the one-line summary, lookups by role and time."""

from __future__ import annotations

import re

from promptreel.draft.model import Draft, Segment, Track, TrackType
from promptreel.timecode import seconds_label

__all__ = [
    "summary",
    "track_label",
    "describe_track",
    "scenes",
    "span_label",
    "span_text",
    "length_text",
    "parse_span",
]

_ROLE_LABEL = {
    "scenes": "Video",
    "media": "Video",
    "narration": "Voiceover",
    "bgm": "BGM",
    "sfx": "Audio",
    "title": "Title",
    "captions": "Captions",
    "overlays": "Text",
}
_TYPE_LABEL = {TrackType.VIDEO: "Video", TrackType.AUDIO: "Audio", TrackType.TEXT: "Text"}


def span_label(start: int, end: int) -> str:
    """The exact span, for results and files: ``"0.3-14.397s"`` (read back by :func:`parse_span`)."""
    return f"{seconds_label(start).rstrip('s')}-{seconds_label(end)}"


_SPAN = re.compile(r"(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)s")
_LENGTH = re.compile(r"(\d+(?:\.\d+)?)s")


def parse_span(label: str) -> tuple[int, int] | None:
    """``"0.3-14.397s"`` → ``(300, 14397)``; ``"12.5s"`` → ``(0, 12500)``; anything else → None."""
    m = _SPAN.fullmatch(label.strip())
    if m:
        return round(float(m[1]) * 1000), round(float(m[2]) * 1000)
    m = _LENGTH.fullmatch(label.strip())
    return (0, round(float(m[1]) * 1000)) if m else None


def _secs(ms: int) -> str:
    """Seconds to a tenth, as people say them: ``14397`` → ``"14.4"``, ``20000`` → ``"20"``."""
    tenths = (ms + 50) // 100
    whole, rest = divmod(tenths, 10)
    return f"{whole}.{rest}" if rest else str(whole)


def length_text(ms: int, zh: bool = False) -> str:
    """A length for people: ``12033`` → ``"12 s"`` (``"12 秒"``), ``2500`` → ``"2.5 s"``."""
    return f"{_secs(ms)} 秒" if zh else f"{_secs(ms)} s"


def span_text(start: int, end: int, total: int | None = None, zh: bool = False) -> str:
    """A span for people: ``"0.3–14.4 s"`` (``"0.3–14.4 秒"``); ``"whole video"`` (``"全片"``)
    when it is the whole of a video ``total`` ms long."""
    if total is not None and start == 0 and end == total and total > 0:
        return "全片" if zh else "whole video"
    a, b = _secs(start), _secs(end)
    if a == b:  # shorter than a tenth: say where it is
        return f"{a} 秒处" if zh else f"at {a} s"
    return f"{a}–{b} 秒" if zh else f"{a}–{b} s"


def track_label(track: Track) -> str:
    return _ROLE_LABEL.get(track.role) or _TYPE_LABEL[track.type]


def _segment_name(s: Segment) -> str:
    text = s.name or str(s.meta.get("text") or s.meta.get("style") or s.kind)
    return text if len(text) <= 40 else text[:39] + "…"


def describe_track(track: Track) -> str:
    """``Video: city timelapse (0-10s)``, ``BGM: Lo-fi (0-10s, 35%)``, ``Title: "Urban Dreams" (0-3s)``."""
    label = track_label(track)
    if not track.segments:
        return f"{label}: empty"
    span = span_label(track.start, track.end)
    segs = track.segments
    if track.type is TrackType.TEXT and len(segs) == 1:
        what = f'"{_segment_name(segs[0])}"'
    elif track.role == "captions" or (track.type is TrackType.TEXT and len(segs) > 1):
        what = f"{len(segs)} captions" if track.role == "captions" else f"{len(segs)} texts"
    elif len(segs) == 1:
        what = _segment_name(segs[0])
    elif track.role == "narration":
        what = f"{len(segs)} lines"
    else:
        what = f"{len(segs)} scenes" if track.type is TrackType.VIDEO else f"{len(segs)} clips"
    extra = ""
    if (track.type is TrackType.AUDIO and track.role in ("bgm", "sfx")) or track.meta.get("muted"):
        extra = ", muted" if track.meta.get("muted") else f", {round(track.volume * 100)}%"
    if track.hidden:
        extra += ", hidden"
    return f"{label}: {what} ({span}{extra})"


def summary(draft: Draft) -> str:
    n = len(draft.tracks)
    parts = [f"{i}. {describe_track(t)}" for i, t in enumerate(draft.tracks, 1)]
    head = f"Timeline ({n} track{'s' if n != 1 else ''})"
    return f"{head}: {' '.join(parts)}" if parts else f"{head}: empty"


def scenes(draft: Draft) -> list[Segment]:
    """The visual scenes in time order (generated scenes and placed media on the main video track)."""
    track = draft.first_track("scenes") or draft.first_track("media")
    return list(track.segments) if track else []
