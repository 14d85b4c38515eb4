"""On-screen text other than the title and captions."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from promptreel.agent.edits.base import (
    Args,
    EditContext,
    EditRefused,
    Result,
    _require_track,
    _scene_index,
    _scene_track,
    capability,
)
from promptreel.draft import ops
from promptreel.draft.meta import Meta
from promptreel.draft.model import Draft, Segment, TrackType
from promptreel.draft.query import span_label


class OverlayArgs(Args):
    text: str
    at: Literal["start", "end", "whole"] | None = None
    duration_ms: int | None = Field(default=None, ge=0)
    start_ms: int | None = Field(default=None, ge=0)
    scene: int | None = Field(default=None, description="1-based scene number; -1 is the last scene")
    position: Literal["top", "center", "bottom", "lower-third"] | None = None


class RemoveOverlayArgs(Args):
    text: str | None = None


@capability(
    "add_overlay",
    "Add on-screen text at the start, the end, a time or over a scene.",
    OverlayArgs,
)
def add_overlay(
    draft: Draft,
    ctx: EditContext,
    text: str,
    at: str = "end",
    duration_ms: int = 3000,
    start_ms: int | None = None,
    scene: int | None = None,
    position: str = "center",
) -> Result:
    text = text.strip()
    if not text:
        raise EditRefused("empty_text", "What should the text say?")
    total = draft.duration
    if total <= 0:
        raise EditRefused("no_scenes", "The draft has no scenes yet.")
    if position not in ("top", "center", "bottom", "lower-third"):
        position = "center"
    dur = max(1, int(duration_ms or 3000))
    if scene is not None:
        s = _scene_track(draft).segments[_scene_index(draft, scene)]
        start = s.start
        dur = min(dur, s.duration) if duration_ms else s.duration
    elif start_ms is not None:
        start = max(0, int(start_ms))
    elif at == "whole":
        start, dur = 0, total
    elif at in ("start", "beginning"):
        start = 0
    else:
        start = max(0, total - dur)
    if start >= total:
        raise EditRefused("past_end", f"The video is only {total / 1000:g}s long.", total_s=total / 1000)
    dur = min(dur, total - start)
    d, tid = ops.upsert_track(draft, "overlays", TrackType.TEXT, "Text")
    t = d.track(tid)
    assert t is not None
    clash = [s for s in t.segments if s.start < start + dur and start < s.end]
    if clash:
        d = ops.replace_segments(d, tid, [s for s in t.segments if s not in clash])
    sid = ops.new_id(d, "seg_overlay")
    d = ops.add_segment(
        d, tid, Segment(sid, start, dur, "overlay", text, Meta({"text": text, "position": position}))
    )
    return d, {
        "what": "overlay",
        "name": text,
        "timing": span_label(start, start + dur),
        "position": position,
        "replaced": [str(s.meta.get("text", "")) for s in clash],
    }


@capability(
    "remove_overlays",
    "Remove on-screen text (all, or those containing text).",
    RemoveOverlayArgs,
)
def remove_overlays(draft: Draft, ctx: EditContext, text: str | None = None) -> Result:
    t = _require_track(draft, "overlays", "no_overlays", "There is no text overlay to remove.")
    gone = [s for s in t.segments if text is None or text.lower() in str(s.meta.get("text", "")).lower()]
    if not gone:
        raise EditRefused("no_overlays", f"No text overlay says {text!r}.", text=text or "")
    d = ops.replace_segments(draft, t.id, [s for s in t.segments if s not in gone])
    return d, {
        "what": "overlay_removed",
        "name": ", ".join(str(s.meta.get("text", "")) for s in gone),
        "count": len(gone),
    }
