"""Subtitles out of a draft: SRT and WebVTT from the caption track (or narration when none)."""

from __future__ import annotations

from promptreel.draft.model import Draft, Segment

__all__ = ["caption_cues", "to_srt", "to_vtt"]


def caption_cues(draft: Draft) -> list[Segment]:
    track = draft.first_track("captions") or draft.first_track("narration")
    if track is None:
        return []
    return [s for s in track.segments if str(s.meta.get("text", "")).strip()]


def _stamp(ms: int, sep: str) -> str:
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, milli = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{milli:03d}"


def to_srt(draft: Draft) -> str:
    blocks = []
    for i, s in enumerate(caption_cues(draft), 1):
        text = str(s.meta["text"]).strip()
        blocks.append(f"{i}\n{_stamp(s.start, ',')} --> {_stamp(s.end, ',')}\n{text}\n")
    return "\n".join(blocks)


def to_vtt(draft: Draft) -> str:
    cues = [
        f"{_stamp(s.start, '.')} --> {_stamp(s.end, '.')}\n{str(s.meta['text']).strip()}\n"
        for s in caption_cues(draft)
    ]
    return "WEBVTT\n\n" + "\n".join(cues)
