"""Draft ⇄ OpenTimelineIO timeline, in frames at the draft's fps.

Both edges of every segment become frames with the one rounding rule of
:func:`promptreel.timecode.ms_to_frame`, so neighbours meet exactly, as in the render.

* Video tracks (``scenes``, ``media``) hold one clip per segment, each referencing its own
  rendered file (``clips/<segment id>.mp4``; an id that is not a plain file name, such as
  ``../x``, becomes one: :func:`file_stem`) whose first ``head`` frames and last ``tail``
  frames are handles for the transitions that overlap the cut.
* Audio tracks hold one clip per segment referencing ``audio/<segment id>.wav``.
* Text tracks (``title``, ``captions``, ``overlays``) are OTIO video tracks of text generator
  clips (``GeneratorReference(generator_kind="Text")``): OTIO has no text track kind, so each
  carries ``metadata["promptreel"]["track_type"] = 7``.
* A centred transition into a segment becomes an OTIO :class:`Transition` between its clip and
  the previous one; scene starts become markers on the timeline.

Every clip and track carries the draft's own fields under ``metadata["promptreel"]``, so
:func:`from_otio` gives back every segment the draft model holds, taking positions from the
timeline (an editor may have moved them). What a foreign timeline holds that a draft cannot
(nested stacks, effects, speed changes, foreign markers…) is listed in ``ImportResult.notes``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import opentimelineio as otio

from promptreel.draft import Canvas, Draft, Meta, Segment, Track, TrackType
from promptreel.draft.meta import thaw
from promptreel.timecode import frames_to_ms, ms_to_frame

__all__ = [
    "ClipPlan",
    "ImportResult",
    "KEY",
    "TEXT_KIND",
    "TRANSITION_KINDS",
    "clip_plans",
    "file_stem",
    "from_otio",
    "media_path",
    "to_otio",
]

KEY = "promptreel"
TEXT_KIND = "Text"
_DEFAULT_TRANSITION_MS = 500
#: draft transition → OTIO transition type (the others are custom transitions named by kind)
TRANSITION_KINDS = {"crossfade": otio.schema.TransitionTypes.SMPTE_Dissolve}
_TRANSITIONS = ("crossfade", "slide", "wipe", "zoom")


@dataclass(frozen=True)
class ClipPlan:
    """Where one segment lands on the editor's timeline, in frames."""

    track: Track
    segment: Segment
    first: int  # timeline frame of the cut in
    frames: int  # frames on the timeline
    head: int = 0  # handle frames before the cut in (for a transition into this clip)
    tail: int = 0  # handle frames after the cut out (for a transition out of it)
    transition: tuple[str, int, int] | None = None  # (kind, in_offset, out_offset) into this clip

    @property
    def media_frames(self) -> int:
        return self.head + self.frames + self.tail


_PLAIN_STEM = re.compile(r"[A-Za-z0-9_-]{1,80}")


def file_stem(text: str) -> str:
    """``text`` (a draft's or a segment's id, which a draft may spell any way) as one file name
    inside the project folder: kept as it is when it is 1-80 ASCII letters, digits, ``-`` and
    ``_``; otherwise those characters (the rest as ``_``) and a hash of the whole text, so that
    no id leaves the folder (``../``, ``/abs``, ``..``) and two different ids never share a file."""
    if _PLAIN_STEM.fullmatch(text):
        return text
    plain = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "_" for c in text)[:40]
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return f"{plain}_{digest}"


def media_path(track: Track, segment: Segment) -> str:
    """The file an editor opens for ``segment``, relative to the project file."""
    if track.type == TrackType.VIDEO:
        return f"clips/{file_stem(segment.id)}.mp4"
    if track.type == TrackType.AUDIO:
        return f"audio/{file_stem(segment.id)}.wav"
    return ""


def _transition(seg: Segment, fps: int) -> tuple[str, int]:
    kind = str(seg.meta.get("transition") or "cut")
    if kind not in _TRANSITIONS:
        return "cut", 0
    try:
        ms = int(seg.meta.get("transition_ms", _DEFAULT_TRANSITION_MS))
    except (TypeError, ValueError):
        ms = _DEFAULT_TRANSITION_MS
    return kind, ms_to_frame(max(0, ms), fps)


def clip_plans(draft: Draft) -> list[list[ClipPlan]]:
    """Per draft track, its segments as timeline clips (same rules as the render plan).

    A segment shorter than one frame has no place on a frame-based timeline: it is left out
    here and named by :func:`to_otio`'s notes.
    """
    fps = draft.canvas.fps
    out: list[list[ClipPlan]] = []
    for track in draft.tracks:
        plans: list[ClipPlan] = []
        for seg in sorted(track.segments, key=lambda s: (s.start, s.id)):
            first, end = ms_to_frame(seg.start, fps), ms_to_frame(seg.end, fps)
            if end > first:
                plans.append(ClipPlan(track, seg, first, end - first))
        if track.type == TrackType.VIDEO:
            for k in range(1, len(plans)):
                cur, prev = plans[k], plans[k - 1]
                kind, n = _transition(cur.segment, fps)
                if kind == "cut" or prev.first + prev.frames != cur.first:
                    continue
                n = min(n, cur.frames, prev.frames)
                if n < 2:
                    continue
                half = n // 2
                plans[k] = _with(cur, head=half, transition=(kind, half, n - half))
                plans[k - 1] = _with(prev, tail=n - half)
        out.append(plans)
    return out


def _with(p: ClipPlan, **changes: Any) -> ClipPlan:
    from dataclasses import replace

    return replace(p, **changes)


def _rt(frames: int, fps: int) -> otio.opentime.RationalTime:
    return otio.opentime.RationalTime(frames, fps)


def _range(first: int, frames: int, fps: int) -> otio.opentime.TimeRange:
    return otio.opentime.TimeRange(_rt(first, fps), _rt(frames, fps))


def _plain(value: Any) -> Any:
    return thaw(value) if isinstance(value, Meta | tuple | list | Mapping) else value


def _py(value: Any) -> Any:
    """OTIO's C++-backed metadata as plain Python values (dicts, lists, scalars)."""
    if isinstance(value, Mapping) or hasattr(value, "items"):
        return {str(k): _py(v) for k, v in value.items()}
    if isinstance(value, list | tuple) or (hasattr(value, "__iter__") and not isinstance(value, str | bytes)):
        return [_py(v) for v in value]
    return value


def _segment_meta(seg: Segment) -> dict[str, Any]:
    return {
        "id": seg.id,
        "kind": seg.kind,
        "name": seg.name,
        "start_ms": seg.start,
        "duration_ms": seg.duration,
        "meta": _plain(seg.meta),
    }


def _track_meta(track: Track) -> dict[str, Any]:
    return {
        "id": track.id,
        "track_type": int(track.type),
        "role": track.role,
        "name": track.name,
        "meta": _plain(track.meta),
    }


def _clip_name(track: Track, seg: Segment) -> str:
    text = str(seg.meta.get("text", "") or "").strip()
    if track.type == TrackType.TEXT and text:
        return text
    return seg.name or text or seg.id


def to_otio(draft: Draft, *, notes: list[str] | None = None) -> otio.schema.Timeline:
    """The draft as an OTIO timeline referencing the exported media (paths relative)."""
    fps = draft.canvas.fps
    title = str(draft.meta.get("title", "") or draft.id)
    timeline = otio.schema.Timeline(name=title, global_start_time=_rt(0, fps))
    timeline.metadata[KEY] = {
        "id": draft.id,
        "canvas": {"width": draft.canvas.width, "height": draft.canvas.height, "fps": fps},
        "meta": _plain(draft.meta),
    }
    plans = clip_plans(draft)
    for track, tplans in zip(draft.tracks, plans, strict=True):
        kind = otio.schema.TrackKind.Audio if track.type == TrackType.AUDIO else otio.schema.TrackKind.Video
        ot = otio.schema.Track(name=track.name or track.role or track.id, kind=kind)
        ot.metadata[KEY] = _track_meta(track)
        ot.enabled = not track.hidden and not (track.type == TrackType.AUDIO and track.volume <= 0)
        placed = {p.segment.id for p in tplans}
        for seg in track.segments:
            if seg.id not in placed and notes is not None:
                notes.append(f"{track.name or track.id}: {seg.id} is shorter than one frame")
        cursor = 0
        for p in tplans:
            if p.first > cursor:
                ot.append(otio.schema.Gap(source_range=_range(0, p.first - cursor, fps)))
            if p.transition is not None:
                tkind, in_off, out_off = p.transition
                ot.append(
                    otio.schema.Transition(
                        name=tkind,
                        transition_type=TRANSITION_KINDS.get(tkind, otio.schema.TransitionTypes.Custom),
                        in_offset=_rt(in_off, fps),
                        out_offset=_rt(out_off, fps),
                    )
                )
            ot.append(_clip(draft, p))
            cursor = p.first + p.frames
        timeline.tracks.append(ot)
    for track, tplans in zip(draft.tracks, plans, strict=True):
        if track.role == "scenes":
            for p in tplans:
                marker = otio.schema.Marker(
                    name=_clip_name(track, p.segment),
                    marked_range=_range(p.first, 0, fps),
                    color=otio.schema.MarkerColor.BLUE,
                )
                marker.metadata[KEY] = {"segment": p.segment.id}
                timeline.tracks.markers.append(marker)
    return timeline


def _clip(draft: Draft, p: ClipPlan) -> otio.schema.Clip:
    fps = draft.canvas.fps
    track, seg = p.track, p.segment
    if track.type == TrackType.TEXT:
        ref: otio.core.MediaReference = otio.schema.GeneratorReference(
            name=_clip_name(track, seg),
            generator_kind=TEXT_KIND,
            parameters={"text": str(seg.meta.get("text", "") or seg.name)},
            available_range=_range(0, p.frames, fps),
        )
        source = _range(0, p.frames, fps)
    else:
        ref = otio.schema.ExternalReference(
            target_url=media_path(track, seg), available_range=_range(0, p.media_frames, fps)
        )
        source = _range(p.head, p.frames, fps)
    clip = otio.schema.Clip(name=_clip_name(track, seg), media_reference=ref, source_range=source)
    clip.metadata[KEY] = _segment_meta(seg)
    return clip


# -- import ----------------------------------------------------------------------------------


@dataclass
class ImportResult:
    draft: Draft
    notes: list[str] = field(default_factory=list)


def _fps(timeline: otio.schema.Timeline, fallback: int = 30) -> int:
    own = timeline.metadata.get(KEY, {})
    if isinstance(own, Mapping) and isinstance(own.get("canvas"), Mapping):
        return int(own["canvas"].get("fps", fallback))
    for clip in timeline.find_clips():
        return max(1, round(clip.trimmed_range().duration.rate))
    return fallback


def _ms(t: otio.opentime.RationalTime, fps: int) -> int:
    return frames_to_ms(round(t.rescaled_to(fps).value), fps)


def from_otio(timeline: otio.schema.Timeline, *, draft_id: str = "draft_imported") -> ImportResult:
    """A draft from an OTIO timeline: our own exports exactly, foreign ones as far as they go."""
    notes: list[str] = []
    own = _py(timeline.metadata.get(KEY, {}))
    own = own if isinstance(own, dict) else {}
    fps = _fps(timeline)
    canvas_meta = own.get("canvas", {}) if isinstance(own.get("canvas"), Mapping) else {}
    canvas = Canvas(
        width=int(canvas_meta.get("width", 1920)), height=int(canvas_meta.get("height", 1080)), fps=fps
    )
    ours = {m.metadata.get(KEY, {}).get("segment") for m in timeline.tracks.markers if KEY in m.metadata}
    for m in timeline.tracks.markers:
        if KEY not in m.metadata:
            notes.append(f"marker {m.name!r}: markers are not kept in a draft")
    ours.discard(None)
    tracks: list[Track] = []
    used: set[str] = set()
    for ti, ot in enumerate(timeline.tracks):
        if not isinstance(ot, otio.schema.Track):
            notes.append(f"track {ti + 1}: a nested stack cannot be represented; left out")
            continue
        tmeta = _py(ot.metadata.get(KEY, {}))
        tmeta = tmeta if isinstance(tmeta, dict) else {}
        ttype = TrackType(int(tmeta.get("track_type", 1 if ot.kind == otio.schema.TrackKind.Audio else 0)))
        segments = _segments(ot, ttype, fps, notes, used)
        track_id = str(tmeta.get("id") or f"trk_imported_{ti + 1}")
        role = str(tmeta.get("role") or ("media" if ttype == TrackType.VIDEO else "sfx"))
        meta = dict(tmeta.get("meta") or {})
        if not ot.enabled and "hidden" not in meta and "muted" not in meta:
            meta["muted" if ttype == TrackType.AUDIO else "hidden"] = True
        tracks.append(
            Track(
                track_id, ttype, role=role, name=str(tmeta.get("name", ot.name)), segments=(), meta=Meta(meta)
            ).replace(segments=segments)
        )
    draft = Draft(
        str(own.get("id") or draft_id),
        canvas=canvas,
        tracks=tuple(tracks),
        meta=Meta(dict(own.get("meta") or {})),
    )
    if "title" not in draft.meta and timeline.name:
        draft = draft.replace(meta=draft.meta.set(title=timeline.name))
    return ImportResult(draft, notes)


def _segments(
    ot: otio.schema.Track, ttype: TrackType, fps: int, notes: list[str], used: set[str]
) -> list[Segment]:
    out: list[Segment] = []
    pending: tuple[str, int] | None = None  # a transition into the next clip
    label = ot.name or "track"
    for item in ot:
        if isinstance(item, otio.schema.Gap):
            continue
        if isinstance(item, otio.schema.Transition):
            kind = item.name if item.name in _TRANSITIONS else "crossfade"
            if (
                item.transition_type not in (otio.schema.TransitionTypes.SMPTE_Dissolve,)
                and item.name not in _TRANSITIONS
            ):
                notes.append(f"{label}: transition {item.transition_type!r} is imported as a crossfade")
            n = round(item.in_offset.rescaled_to(fps).value) + round(item.out_offset.rescaled_to(fps).value)
            pending = (kind, frames_to_ms(n, fps))
            continue
        if not isinstance(item, otio.schema.Clip):
            notes.append(f"{label}: {type(item).__name__} {item.name!r} cannot be represented; left out")
            continue
        rng = ot.range_of_child(item)
        start, dur = _ms(rng.start_time, fps), _ms(rng.duration, fps)
        if item.effects:
            kinds = ", ".join(e.effect_name or type(e).__name__ for e in item.effects)
            notes.append(f"{label}: clip {item.name!r} effects ({kinds}) are not kept")
        smeta = _py(item.metadata.get(KEY, {}))
        smeta = smeta if isinstance(smeta, dict) else {}
        if smeta:
            seg = _own_segment(smeta, start, dur, fps)
        else:
            seg = _foreign_segment(item, ttype, start, dur, fps, len(out) + 1, label)
        if seg.id in used:
            seg = seg.replace(id=f"{seg.id}_{len(used)}")
        used.add(seg.id)
        if pending is not None:
            kind, ms = pending
            if str(seg.meta.get("transition") or "cut") == "cut":
                seg = seg.replace(meta=seg.meta.set(transition=kind, transition_ms=ms))
            pending = None
        out.append(seg)
    return out


def _own_segment(smeta: Mapping[str, Any], start: int, dur: int, fps: int) -> Segment:
    """Our own clip: the draft's exact times unless an editor moved it to other frames."""
    o_start, o_dur = int(smeta.get("start_ms", start)), int(smeta.get("duration_ms", dur))
    same = ms_to_frame(o_start, fps) == ms_to_frame(start, fps) and ms_to_frame(
        o_start + o_dur, fps
    ) == ms_to_frame(start + dur, fps)
    if same:
        start, dur = o_start, o_dur
    return Segment(
        str(smeta["id"]),
        start,
        dur,
        str(smeta.get("kind", "media")),
        name=str(smeta.get("name", "")),
        meta=Meta(dict(smeta.get("meta") or {})),
    )


def _foreign_segment(
    item: otio.schema.Clip, ttype: TrackType, start: int, dur: int, fps: int, n: int, label: str
) -> Segment:
    ref = item.media_reference
    if isinstance(ref, otio.schema.GeneratorReference):
        text = str(ref.parameters.get("text", "") or item.name)
        return Segment(f"seg_overlay_{n}", start, dur, "overlay", name=item.name, meta=Meta({"text": text}))
    src = ref.target_url if isinstance(ref, otio.schema.ExternalReference) else ""
    trim = _ms(item.trimmed_range().start_time, fps) if item.source_range is not None else 0
    if ref.available_range is not None:
        trim -= _ms(ref.available_range.start_time, fps)
    meta: dict[str, Any] = {"src": src, "trim_in": max(0, trim)}
    if not src:
        meta.pop("src")
    if ttype == TrackType.AUDIO:
        return Segment(
            f"seg_audio_{label}_{n}".replace(" ", "_"), start, dur, "audio", name=item.name, meta=Meta(meta)
        )
    meta["media_kind"] = "video"
    return Segment(
        f"seg_media_{label}_{n}".replace(" ", "_"), start, dur, "media", name=item.name, meta=Meta(meta)
    )
