"""What every edit must leave true of the video, re-checked after each capability runs
(:func:`recheck`, called by :func:`~promptreel.agent.edits.base.apply_tool` on every path):

* **The title card stays clear of headlines.** The opening title belongs to the opening (hook)
  scene. Over any other scene it may cover at most :data:`TITLE_SHARE` of the scene, so that the
  scene's own headline (which waits for the title) shows for most of its time.
* **The length stays what was asked.** An edit that is not about length (a new voice, a new
  line, a new scene…) keeps the video as long as it was: the scenes are re-fitted when every
  line still fits; otherwise the length changes and the result says so, for the reply.

The title's own edits (its text, timing) and the history moves (undo, redo) are not re-checked:
the first are the user's word on the title, the second restore a version as it was.
"""

from __future__ import annotations

from typing import Any

from promptreel.agent.edits.base import EditContext, EditRefused
from promptreel.agent.edits.length import set_duration
from promptreel.draft import ops
from promptreel.draft.model import Draft, Segment
from promptreel.draft.query import span_label

__all__ = [
    "TITLE_SHARE",
    "ABOUT_LENGTH",
    "keep_music_to_the_end",
    "keep_title_clear",
    "refit_length",
    "recheck",
]

TITLE_SHARE = 0.4
MIN_TITLE_MS = 1000

#: capabilities whose point is the length: their results say the new length themselves
ABOUT_LENGTH = frozenset({"set_duration", "resize_scene", "remove_scene", "set_speech_speed"})
_TITLE_OWN = frozenset({"set_title", "remove_title"})
_UNCHECKED = frozenset({"undo", "redo", "show_timeline", "describe_scene"})
_MUSIC_OWN = frozenset({"set_music", "remove_music", "use_media"})  # may end the music on purpose


def _owns_title(scene: Segment) -> bool:
    """A scene a title card may cover whole: the hook, or one without a headline of its own."""
    return scene.meta.get("beat") == "hook" or not scene.meta.get("headline")


def keep_title_clear(draft: Draft) -> tuple[Draft, str | None]:
    """The draft with the opening title re-timed where it would hide a scene's headline for most
    of that scene's time, and the new timing (``None`` when nothing moved). Every title line
    shown with the card (a second title added beside it) moves with it; a title the user placed
    later in the video is left where it is."""
    tt = draft.first_track("title")
    st = draft.first_track("scenes") or draft.first_track("media")
    if tt is None or not tt.segments or st is None or not st.segments:
        return draft, None
    seg, scenes = tt.segments[0], list(st.segments)
    first = scenes[0]
    if seg.start >= first.end or seg.end <= first.start:
        return draft, None
    start, end = seg.start, seg.end
    if not _owns_title(first):
        limit = min(first.end, first.start + max(MIN_TITLE_MS, round(first.duration * TITLE_SHARE)))
        start, end = first.start, min(end, limit) if seg.start == first.start else limit
    for s in scenes[1:]:
        if s.start >= end:
            break
        if not _owns_title(s) and end - s.start > s.duration * TITLE_SHARE:
            end = max(s.start, start + MIN_TITLE_MS)  # the card ends with the opening scene
            break
    if (start, end) == (seg.start, seg.end):
        return draft, None
    d = draft
    for line in (s for t in draft.tracks_by_role("title") for s in t.segments):
        if (line.start, line.end) == (seg.start, seg.end):
            d = ops.update_segment(d, line.id, start=start, duration=end - start)
    return d, span_label(start, end)


def refit_length(draft: Draft, ctx: EditContext, total_ms: int) -> Draft:
    """The scenes re-fitted to ``total_ms`` when every line still fits without dropping a scene;
    otherwise the draft as it is (the reply then says the length changed)."""
    try:
        fitted, res = set_duration(draft, ctx, total_ms=total_ms)
    except EditRefused:
        return draft
    return draft if res.get("dropped") else fitted


def recheck(
    name: str, before: Draft, after: Draft, ctx: EditContext, result: dict[str, Any]
) -> tuple[Draft, dict[str, Any]]:
    """``after`` (what capability ``name`` made of ``before``) with the invariants restored, and
    its result with what that took: ``length_refit`` (the length kept, e.g. ``"20s"``),
    ``length_changed`` (``[before, after]`` spans) or ``title_retimed`` (the card's new span)."""
    if name in _UNCHECKED or after == before:
        return after, result
    d, res = after, dict(result)
    old, new = before.duration, after.duration
    if name not in ABOUT_LENGTH and "length_kept" not in res and old > 0 and new != old:
        fitted = refit_length(d, ctx, old)
        if fitted.duration == old:
            d, res["length_refit"] = fitted, f"{old / 1000:g}s"
            st = d.first_track("scenes") or d.first_track("media")
            n = res.get("scene")
            if st is not None and isinstance(n, int) and 0 < n <= len(st.segments) and "timing" in res:
                seg = st.segments[n - 1]  # the scene's time after the re-fit, not before it
                res["timing"] = span_label(seg.start, seg.end)
        else:
            res["length_changed"] = [span_label(0, old), span_label(0, d.duration)]
    if name not in _TITLE_OWN:
        d, retimed = keep_title_clear(d)
        if retimed:
            res["title_retimed"] = retimed
    return (d if name in _MUSIC_OWN else keep_music_to_the_end(before, d)), res


def keep_music_to_the_end(before: Draft, after: Draft) -> Draft:
    """Background music that played to the end of ``before`` plays to the end of ``after`` (an
    edit that re-lays the scenes can read music over a lone scene as that scene's own)."""
    d = after
    for track in before.tracks_by_role("bgm"):
        for seg in track.segments:
            found = d.find_segment(seg.id)
            if (
                seg.end >= before.duration
                and found is not None
                and found[1].start < d.duration != found[1].end
            ):
                d = ops.update_segment(d, seg.id, duration=d.duration - found[1].start)
    return d
