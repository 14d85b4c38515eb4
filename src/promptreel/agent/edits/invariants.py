"""What every edit must leave true of the video, re-checked after the edits that can break it.

* The title card belongs to the opening (hook) scene. Over any other scene it may cover at
  most :data:`TITLE_SHARE` of the scene, so that scene's own headline stays readable.
"""

from __future__ import annotations

from promptreel.draft import ops
from promptreel.draft.model import Draft
from promptreel.draft.query import span_label

__all__ = ["TITLE_SHARE", "keep_title_clear"]

TITLE_SHARE = 0.4
MIN_TITLE_MS = 1000


def keep_title_clear(draft: Draft) -> tuple[Draft, str | None]:
    """The draft with the title re-timed onto the first scene when it would hide that scene's
    headline for most of its time, and the new timing (``None`` when nothing moved)."""
    tt = draft.first_track("title")
    st = draft.first_track("scenes") or draft.first_track("media")
    if tt is None or not tt.segments or st is None or not st.segments:
        return draft, None
    seg, first = tt.segments[0], st.segments[0]
    if first.meta.get("beat") == "hook" or not first.meta.get("headline"):
        return draft, None
    if seg.start >= first.end or seg.end <= first.start:
        return draft, None
    end = first.start + max(MIN_TITLE_MS, round(first.duration * TITLE_SHARE))
    end = min(end, first.end)
    if seg.start == first.start and seg.end <= end:
        return draft, None
    d = ops.update_segment(draft, seg.id, start=first.start, duration=end - first.start)
    return d, span_label(first.start, end)
