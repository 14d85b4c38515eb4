"""Pure edits: every function takes a Draft and returns a new Draft. No IO, no mutation.

Ids are deterministic: :func:`new_id` picks the next free ``<prefix>_<n>`` in the draft, so
the same edits on the same draft always produce the same ids.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from promptreel.draft.model import SEGMENT_KINDS, Canvas, Draft, Segment, Track, TrackType
from promptreel.errors import InvalidDraft, NotFound

__all__ = [
    "new_id",
    "new_ids",
    "set_canvas",
    "set_meta",
    "add_track",
    "remove_track",
    "update_track",
    "upsert_track",
    "add_segment",
    "remove_segment",
    "update_segment",
    "map_segments",
    "replace_segments",
    "resize_segment",
    "ripple_resize",
    "ripple_remove",
    "move_segment_order",
    "sequence",
    "remap_segments",
]


def new_ids(draft: Draft, prefix: str, count: int) -> list[str]:
    used = draft.ids()
    out: list[str] = []
    n = 1
    while len(out) < count:
        cand = f"{prefix}_{n}"
        if cand not in used:
            out.append(cand)
            used.add(cand)
        n += 1
    return out


def new_id(draft: Draft, prefix: str) -> str:
    return new_ids(draft, prefix, 1)[0]


def set_canvas(draft: Draft, width: int, height: int, fps: int | None = None) -> Draft:
    return draft.replace(canvas=Canvas(width, height, fps or draft.canvas.fps))


def set_meta(draft: Draft, **changes: Any) -> Draft:
    return draft.replace(meta=draft.meta.set(**changes))


def _check_no_overlap(track: Track) -> None:
    segs = sorted(track.segments, key=lambda s: s.start)
    for a, b in itertools.pairwise(segs):
        if b.start < a.end:
            raise InvalidDraft(
                f"segment {b.id!r} would overlap {a.id!r} on track {track.id!r}", path=track.id
            )
    for s in segs:
        if s.start < 0 or s.duration <= 0:
            raise InvalidDraft(f"segment {s.id!r} needs a start ≥ 0 and a positive duration", path=s.id)
        if SEGMENT_KINDS.get(s.kind, (None,))[0] is not track.type:
            raise InvalidDraft(f"a {s.kind!r} segment cannot live on track {track.id!r}", path=s.id)


def _put_track(draft: Draft, track: Track) -> Draft:
    _check_no_overlap(track)
    return draft.replace(tracks=[track if t.id == track.id else t for t in draft.tracks])


def _track(draft: Draft, track_id: str) -> Track:
    t = draft.track(track_id)
    if t is None:
        raise NotFound(f"no track {track_id!r} in the draft")
    return t


def add_track(draft: Draft, track: Track, *, index: int | None = None) -> Draft:
    if track.id in draft.ids():
        raise InvalidDraft(f"id {track.id!r} is already used", path=track.id)
    _check_no_overlap(track)
    tracks = list(draft.tracks)
    tracks.insert(len(tracks) if index is None else index, track)
    return draft.replace(tracks=tracks)


def remove_track(draft: Draft, track_id: str) -> Draft:
    _track(draft, track_id)
    return draft.replace(tracks=[t for t in draft.tracks if t.id != track_id])


def update_track(
    draft: Draft, track_id: str, *, meta: Mapping[str, Any] | None = None, **changes: Any
) -> Draft:
    t = _track(draft, track_id)
    if meta is not None:
        changes["meta"] = t.meta.merge(meta)
    return _put_track(draft, t.replace(**changes))


def upsert_track(
    draft: Draft, role: str, tt: TrackType, name: str, *, index: int | None = None
) -> tuple[Draft, str]:
    """The first track with ``role``, created empty (at ``index`` or on top) when missing."""
    existing = draft.first_track(role)
    if existing is not None:
        return draft, existing.id
    tid = new_id(draft, f"trk_{role}")
    return add_track(draft, Track(tid, tt, role, name), index=index), tid


def add_segment(draft: Draft, track_id: str, segment: Segment) -> Draft:
    t = _track(draft, track_id)
    if segment.id in draft.ids():
        raise InvalidDraft(f"id {segment.id!r} is already used", path=segment.id)
    return _put_track(draft, t.replace(segments=[*t.segments, segment]))


def replace_segments(draft: Draft, track_id: str, segments: Iterable[Segment]) -> Draft:
    t = _track(draft, track_id)
    return _put_track(draft, t.replace(segments=list(segments)))


def remove_segment(draft: Draft, segment_id: str) -> Draft:
    found = draft.find_segment(segment_id)
    if found is None:
        raise NotFound(f"no segment {segment_id!r} in the draft")
    t, _ = found
    return _put_track(draft, t.replace(segments=[s for s in t.segments if s.id != segment_id]))


def update_segment(
    draft: Draft, segment_id: str, *, meta: Mapping[str, Any] | None = None, **changes: Any
) -> Draft:
    """Change fields of one segment; ``meta`` is merged (a ``None`` value removes a key)."""
    found = draft.find_segment(segment_id)
    if found is None:
        raise NotFound(f"no segment {segment_id!r} in the draft")
    t, s = found
    if meta is not None:
        changes["meta"] = s.meta.merge(meta)
    new = s.replace(**changes)
    return _put_track(draft, t.replace(segments=[new if x.id == segment_id else x for x in t.segments]))


def map_segments(draft: Draft, fn: Callable[[Track, Segment], Segment | None]) -> Draft:
    """Apply ``fn`` to every segment; returning ``None`` removes the segment."""
    tracks = []
    for t in draft.tracks:
        segs = [x for x in (fn(t, s) for s in t.segments) if x is not None]
        nt = t.replace(segments=segs)
        _check_no_overlap(nt)
        tracks.append(nt)
    return draft.replace(tracks=tracks)


def resize_segment(draft: Draft, segment_id: str, duration: int) -> Draft:
    if duration <= 0:
        raise InvalidDraft("a segment needs a positive duration", path=segment_id)
    return update_segment(draft, segment_id, duration=duration)


def _shift_after(draft: Draft, at: int, delta: int, *, skip: set[str]) -> Draft:
    """Move every segment starting at or after ``at`` by ``delta`` ms (in reverse order to keep gaps)."""

    def shift(_t: Track, s: Segment) -> Segment:
        if s.id in skip or s.start < at:
            return s
        return s.replace(start=max(0, s.start + delta))

    return map_segments(draft, shift)


def ripple_resize(draft: Draft, segment_id: str, duration: int) -> Draft:
    """Resize a segment and shift everything after its end on all tracks by the difference.

    Segments that span the old end on other tracks (music, a title) are stretched or shrunk
    so the timeline keeps no gaps.
    """
    found = draft.find_segment(segment_id)
    if found is None:
        raise NotFound(f"no segment {segment_id!r} in the draft")
    if duration <= 0:
        raise InvalidDraft("a segment needs a positive duration", path=segment_id)
    _, seg = found
    delta = duration - seg.duration
    old_end = seg.end

    new_end = seg.start + duration

    def fn(_t: Track, s: Segment) -> Segment | None:
        if s.id == segment_id:
            return s.replace(duration=duration)
        if s.start >= old_end:
            return s.replace(start=s.start + delta)
        if s.end > old_end or (s.end == old_end and s.start <= seg.start):
            # spans the old end (music, a long title) or is aligned with the segment: follows it
            return s.replace(duration=s.duration + delta) if s.duration + delta > 0 else None
        if s.end > new_end:
            # ends inside the segment's old span and no longer fits: trimmed to the new end
            return s.replace(duration=new_end - s.start) if new_end > s.start else None
        return s

    return map_segments(draft, fn)


def ripple_remove(draft: Draft, segment_id: str) -> Draft:
    """Remove a segment and close the gap on every track (segments inside it are removed too,
    segments spanning it are shortened)."""
    found = draft.find_segment(segment_id)
    if found is None:
        raise NotFound(f"no segment {segment_id!r} in the draft")
    _, seg = found
    a, b = seg.start, seg.end
    delta = b - a

    def fn(_t: Track, s: Segment) -> Segment | None:
        if s.id == segment_id or (s.start >= a and s.end <= b):
            return None
        if s.start >= b:
            return s.replace(start=s.start - delta)
        if s.start < a and s.end > b:
            return s.replace(duration=s.duration - delta)
        if s.start < a < s.end:  # overlaps the removed range at its start
            return s.replace(duration=a - s.start)
        if s.start < b < s.end:  # overlaps at its end
            return s.replace(start=a, duration=s.end - b)
        return s

    return map_segments(draft, fn)


def move_segment_order(draft: Draft, segment_id: str, new_index: int) -> Draft:
    """Reorder a segment among its track's back-to-back segments, re-packing start times.

    Segments on other tracks that are aligned with the moved ones (same start and duration,
    e.g. narration for a scene) move with them.
    """
    found = draft.find_segment(segment_id)
    if found is None:
        raise NotFound(f"no segment {segment_id!r} in the draft")
    t, _ = found
    order = list(t.segments)
    old_index = next(i for i, s in enumerate(order) if s.id == segment_id)
    new_index = max(0, min(new_index, len(order) - 1))
    moved = order.pop(old_index)
    order.insert(new_index, moved)
    base = t.segments[0].start
    new_starts: dict[tuple[int, int], int] = {}
    cursor = base
    for s in order:
        new_starts[(s.start, s.duration)] = cursor
        cursor += s.duration

    def fn(tr: Track, s: Segment) -> Segment:
        key = (s.start, s.duration)
        if tr.id == t.id or key in new_starts:
            return s.replace(start=new_starts.get(key, s.start))
        return s

    return map_segments(draft, fn)


def sequence(durations: Iterable[int], start: int = 0) -> list[tuple[int, int]]:
    """Back-to-back ``(start, duration)`` pairs for the given durations."""
    out = []
    cursor = start
    for d in durations:
        out.append((cursor, d))
        cursor += d
    return out


def remap_segments(
    draft: Draft,
    track_id: str,
    plan: Iterable[tuple[str, int]],
    *,
    inner: Mapping[str, tuple[int, float]] | None = None,
    durations: Mapping[str, int] | None = None,
    keep_roles: Iterable[str] = ("title",),
    new_segments: Iterable[Segment] = (),
) -> Draft:
    """Re-lay a track's back-to-back segments in a new order with new durations; the rest follows.

    ``plan`` lists ``(segment id, new duration)`` in the new order; ids left out are removed.
    Segments on other tracks that lie inside one of the track's segments (its narration,
    captions, an overlay) move with it, are dropped with it and are clipped to its new end;
    ``inner[id] = (pivot_ms, ratio)`` stretches them about ``pivot_ms`` after the segment's
    start. Segments spanning several (music, a long title) are mapped by their edges, so they
    stretch or shrink; segments after the track's end shift by the change in length.
    ``new_segments`` are added to the track where the plan puts them (their ids must be new).
    ``durations`` overrides the duration of any other segment after the move. Segments on
    ``keep_roles`` tracks (the title) keep their start and length, clipped to the new end.
    """
    t = _track(draft, track_id)
    old = sorted(t.segments, key=lambda s: s.start)
    by_id = {s.id: s for s in old}
    added = {s.id: s for s in new_segments}
    used = draft.ids()
    for sid in added:
        if sid in used:
            raise InvalidDraft(f"id {sid!r} is already used", path=sid)
    by_id.update(added)
    plan = list(plan)
    seen: set[str] = set()
    for sid, dur in plan:
        if sid not in by_id:
            raise NotFound(f"no segment {sid!r} on track {track_id!r}")
        if sid in seen:
            raise InvalidDraft(f"segment {sid!r} appears twice in the new order", path=sid)
        if dur <= 0:
            raise InvalidDraft("a segment needs a positive duration", path=sid)
        seen.add(sid)
    base = old[0].start if old else 0
    old_end = t.end
    new_pos: dict[str, tuple[int, int]] = {}
    cursor = base
    for sid, dur in plan:
        new_pos[sid] = (cursor, dur)
        cursor += dur
    new_end = cursor
    inner = inner or {}
    durations = durations or {}
    keep = set(keep_roles)

    def owner(s: Segment) -> Segment | None:
        return next((o for o in old if o.start <= s.start and s.end <= o.end), None)

    def point(x: int) -> int:
        if x <= base:
            return x
        if x >= old_end:
            return x + new_end - old_end
        for i, o in enumerate(old):
            if o.start <= x < o.end:
                if o.id in new_pos:
                    ns, nd = new_pos[o.id]
                    return ns + min(x - o.start, nd)
                nxt = next((n for n in old[i + 1 :] if n.id in new_pos), None)
                return new_pos[nxt.id][0] if nxt else new_end
        return x

    def fn(tr: Track, s: Segment) -> Segment | None:
        if tr.id == track_id:
            if s.id not in new_pos:
                return None
            ns, nd = new_pos[s.id]
            return s.replace(start=ns, duration=nd)
        o = owner(s)
        if tr.role in keep:
            a = min(s.start, max(base, new_end - 1))
            b = a + s.duration if o is not None else point(s.end)
            b = min(b, max(new_end, a + 1)) if b > a else min(a + s.duration, max(new_end, a + 1))
            return s.replace(start=a, duration=durations.get(s.id, b - a))
        if o is not None:
            if o.id not in new_pos:
                return None
            ns, nd = new_pos[o.id]
            off, end_off = s.start - o.start, s.end - o.start
            if o.id in inner:
                pivot, ratio = inner[o.id]
                if off >= pivot:
                    off = pivot + round((off - pivot) * ratio)
                if end_off > pivot:
                    end_off = pivot + round((end_off - pivot) * ratio)
            start = ns + off
            dur = durations.get(s.id, max(1, end_off - off))
            if start >= ns + nd:
                return None
            return s.replace(start=start, duration=max(1, min(dur, ns + nd - start)))
        a, b = point(s.start), point(s.end)
        if b <= a:
            b = a + s.duration
        return s.replace(start=a, duration=durations.get(s.id, b - a))

    if added:
        draft = draft.replace(
            tracks=[
                tr.replace(segments=[*tr.segments, *added.values()]) if tr.id == track_id else tr
                for tr in draft.tracks
            ]
        )
    return map_segments(draft, fn)
