"""Read-only questions about a draft: the one-line summary, lookups by role and time."""

from __future__ import annotations

from promptreel.draft.model import Draft, Segment, Track, TrackType
from promptreel.timecode import seconds_label

__all__ = ["summary", "track_label", "describe_track", "scenes", "span_label"]

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
    return f"{seconds_label(start).rstrip('s')}-{seconds_label(end)}"


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
