"""Project files for editors, each written (and read back) by the library made for it.

* ``otio``: OpenTimelineIO JSON — every track, transitions, markers, text generator clips;
* ``fcpxml``: Final Cut Pro X XML (OTIO ``fcpx_xml`` adapter) — video and audio lanes, markers;
* ``fcp7``: Final Cut Pro 7 XML, read by Premiere and Resolve (OTIO ``fcp_xml`` adapter) — video,
  audio and text (generator) tracks, transitions, markers;
* ``edl``: CMX 3600 (OTIO ``cmx_3600`` adapter) — the one picture track and up to two sound
  tracks the format holds; captions travel as ``captions.srt`` beside it;
* ``jianying``: a CapCut / JianYing draft folder (``pyJianYingDraft``) — video, audio and text
  tracks (title and captions as text segments), transitions.
"""

from __future__ import annotations

import contextlib
import copy
import math
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import opentimelineio as otio

from promptreel.draft import Draft, TrackType
from promptreel.exchange.timeline import KEY, TEXT_KIND, clip_plans, file_stem, media_path
from promptreel.timecode import frames_to_ms

__all__ = ["FORMATS", "ProjectFile", "project_name", "read_timeline", "write_project", "read_jianying"]

#: format → (file suffix, OTIO adapter) ; jianying is a folder
FORMATS: dict[str, tuple[str, str]] = {
    "otio": (".otio", "otio_json"),
    "fcpxml": (".fcpxml", "fcpx_xml"),
    "fcp7": (".xml", "fcp_xml"),
    "edl": (".edl", "cmx_3600"),
    "jianying": ("", ""),
}


@dataclass
class ProjectFile:
    path: Path
    format: str
    notes: list[str] = field(default_factory=list)


def project_name(draft: Draft) -> str:
    """A file name from the draft's title (letters of any script kept), else its id (as a plain
    file name: :func:`~promptreel.exchange.timeline.file_stem`); never a path."""
    title = str(draft.meta.get("title", "") or "").strip()
    name = "".join(c if c.isalnum() or c in "-_ " else "_" for c in title).strip().replace(" ", "_")
    return (name or file_stem(draft.id))[:60]


def write_project(timeline: otio.schema.Timeline, draft: Draft, root: Path, fmt: str) -> ProjectFile:
    """Write ``fmt`` for ``timeline`` (from :func:`~promptreel.exchange.timeline.to_otio`) in ``root``."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown project format {fmt!r}; one of {', '.join(FORMATS)}")
    if fmt == "jianying":
        return _write_jianying(draft, root)
    suffix, adapter = FORMATS[fmt]
    out = ProjectFile(root / f"{project_name(draft)}{suffix}", fmt)
    tl = _for_format(timeline, fmt, out.notes)
    # the FCPXML writer also reads its own times back (a connected clip's offset in its parent)
    with _exact_fcpx_times() if fmt == "fcpxml" else contextlib.nullcontext():
        otio.adapters.write_to_file(tl, str(out.path), adapter_name=adapter)
    return out


def read_timeline(path: Path, fmt: str) -> otio.schema.Timeline:
    """Read a project file back with the same library (for checks and for import)."""
    _suffix, adapter = FORMATS[fmt]
    if fmt == "edl":
        # the adapter reads at a given rate; the EDL names no rate of its own
        return otio.adapters.read_from_file(str(path), adapter_name=adapter, rate=_edl_rate(path))
    with _exact_fcpx_times() if fmt == "fcpxml" else contextlib.nullcontext():
        result = otio.adapters.read_from_file(str(path), adapter_name=adapter)
    if isinstance(result, otio.schema.SerializableCollection):
        return next(iter(result.find_children(descended_from_type=otio.schema.Timeline)))
    return result


_FCPX_LOCK = threading.Lock()


def _fcpx_time(rational_number: str | None, fps: float) -> otio.opentime.RationalTime:
    """An FCPXML time ("82/5s") as whole frames, in exact arithmetic (the adapter multiplies floats and
    truncates: 82/5 × 30 gives 491.99… and so frame 491 for a clip written as 492 frames)."""
    if not rational_number or rational_number == "0s":
        return otio.opentime.RationalTime(0, int(fps))
    num, _, den = rational_number.removesuffix("s").partition("/")
    return otio.opentime.RationalTime(
        math.floor(Fraction(num) / Fraction(den or 1) * Fraction(fps)), int(fps)
    )


@contextlib.contextmanager
def _exact_fcpx_times() -> Iterator[None]:
    fcpx_xml = otio.adapters.from_name("fcpx_xml").module()  # the module the plugin loaded
    with _FCPX_LOCK:
        inexact = fcpx_xml.to_rational_time
        fcpx_xml.to_rational_time = _fcpx_time
        try:
            yield
        finally:
            fcpx_xml.to_rational_time = inexact


def _edl_rate(path: Path) -> int:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("* FPS:"):
            return int(line.split(":", 1)[1])
    return 30


def _for_format(timeline: otio.schema.Timeline, fmt: str, notes: list[str]) -> otio.schema.Timeline:
    if fmt == "otio":
        return timeline
    tl = copy.deepcopy(timeline)
    for item in [*tl.find_clips(), *tl.tracks.markers]:  # the XML adapters look names up by XPath
        item.name = item.name.replace("'", "\u2019").replace('"', "\u201d")
    if fmt in ("fcpxml", "fcp7", "edl"):
        for track in list(tl.tracks):
            if _is_text(track):
                tl.tracks.remove(track)
                notes.append(
                    f"{track.name}: text track carried in captions.srt (the format has no text track here)"
                )
    if fmt == "edl":
        video = [t for t in tl.tracks if t.kind == otio.schema.TrackKind.Video]
        audio = [t for t in tl.tracks if t.kind == otio.schema.TrackKind.Audio]
        for t in video[1:]:
            tl.tracks.remove(t)
            notes.append(f"{t.name}: CMX 3600 holds one picture track; this one is left out")
        for t in audio[2:]:
            tl.tracks.remove(t)
            notes.append(f"{t.name}: CMX 3600 holds two sound tracks; this one is left out")
        for t in tl.tracks:
            t.enabled = True
    if fmt == "fcpxml":
        for track in tl.tracks:  # the adapter writes no markers on the top stack; keep them on clips
            track.enabled = True
        for marker in list(tl.tracks.markers):
            clip = _clip_at(tl, marker.marked_range.start_time)
            if clip is not None:
                local = copy.deepcopy(marker)
                local.marked_range = otio.opentime.TimeRange(
                    clip.source_range.start_time, marker.marked_range.duration
                )
                clip.markers.append(local)
        tl.tracks.markers.clear()
    return tl


def _is_text(track: Any) -> bool:
    own = track.metadata.get(KEY, {})
    return bool(own) and int(own.get("track_type", -1)) == int(TrackType.TEXT)


def _clip_at(tl: otio.schema.Timeline, t: otio.opentime.RationalTime) -> otio.schema.Clip | None:
    for track in tl.video_tracks():
        for clip in track.find_clips():
            r = track.range_of_child(clip)
            if r.start_time == t:
                return clip
    return None


def is_text_clip(clip: otio.schema.Clip) -> bool:
    ref = clip.media_reference
    return isinstance(ref, otio.schema.GeneratorReference) and ref.generator_kind == TEXT_KIND


# -- JianYing / CapCut -----------------------------------------------------------------------

_JY_TRANSITIONS = {"crossfade": "叠化", "wipe": "向左擦除", "slide": "向左", "zoom": "推近"}


def _write_jianying(draft: Draft, root: Path) -> ProjectFile:
    import pyJianYingDraft as jy

    name = project_name(draft)
    out = ProjectFile(root / name, "jianying")
    fps = draft.canvas.fps
    folder = jy.DraftFolder(str(root))
    script = folder.create_draft(name, draft.canvas.width, draft.canvas.height, fps, allow_replace=True)

    def us(frames: int) -> int:  # on whole milliseconds, as the library measures the media
        return frames_to_ms(frames, fps) * 1000

    for track, plans in zip(draft.tracks, clip_plans(draft), strict=True):
        if not plans:
            continue
        kind = {TrackType.VIDEO: jy.TrackType.video, TrackType.AUDIO: jy.TrackType.audio}.get(
            track.type, jy.TrackType.text
        )
        ref = script.append_track(
            jy.TrackSpec(kind, name=track.id, mute=track.type == TrackType.AUDIO and track.volume <= 0)
        )
        made: list[Any] = []
        for p in plans:
            target = jy.Timerange(us(p.first), us(p.first + p.frames) - us(p.first))
            source = jy.Timerange(us(p.head), target.duration)
            seg: Any
            if track.type == TrackType.VIDEO:
                material = jy.VideoMaterial(str(root / media_path(track, p.segment)))
                if source.start + source.duration > material.duration:  # at most 1 ms, within the frame
                    source = jy.Timerange(source.start, material.duration - source.start)
                    target = jy.Timerange(target.start, source.duration)
                seg = jy.VideoSegment(material, target, source_timerange=source)
                if p.transition is not None and made:  # JianYing holds it on the outgoing clip
                    tkind, a, b = p.transition
                    made[-1].add_transition(
                        getattr(jy.TransitionType, _JY_TRANSITIONS[tkind]), duration=us(a + b)
                    )
            elif track.type == TrackType.AUDIO:
                material = jy.AudioMaterial(str(root / media_path(track, p.segment)))
                if source.start + source.duration > material.duration:  # at most 1 ms, within the frame
                    source = jy.Timerange(source.start, material.duration - source.start)
                    target = jy.Timerange(target.start, source.duration)
                seg = jy.AudioSegment(material, target, source_timerange=source)
            else:
                text = str(p.segment.meta.get("text", "") or p.segment.name)
                style = jy.TextStyle(size=10.0 if track.role == "title" else 6.0, align=1, auto_wrapping=True)
                pos = -0.7 if track.role == "captions" else (0.0 if track.role == "title" else 0.5)
                seg = jy.TextSegment(
                    text, target, style=style, clip_settings=jy.ClipSettings(transform_y=pos)
                )
            made.append(seg)
        for seg in made:
            script.add_segment(seg, ref)
    script.save()
    return out


def read_jianying(folder: Path) -> Any:
    """Load a JianYing draft folder back with the library that wrote it."""
    import pyJianYingDraft as jy

    return jy.DraftFolder(str(folder.parent)).load_template(folder.name)
