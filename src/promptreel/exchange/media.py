"""The media an editor needs beside the project file: one rendered clip per picture segment, one
WAV per sound segment, the uploads copied, the captions as SRT — all under one folder, named by
relative paths so the folder can be moved or zipped.

* ``clips/<segment id>.mp4``: the segment alone (no title or captions burned in: those are text
  tracks in the project), H.264 at the draft's size and fps (or a preview scale), with handle
  frames before and after where a transition overlaps the cut. A scene's handles are its own
  picture held a little longer; an uploaded video's handles are its real neighbouring frames.
* ``audio/<segment id>.wav``: the narration line or the music exactly as long as its segment,
  16-bit stereo, at unity gain (the track's volume is the project's, not baked in).
* ``uploads/``: every upload the draft references, copied as it is.
* ``captions.srt``.
"""

from __future__ import annotations

import shutil
import wave
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from promptreel.clip import AudioClip
from promptreel.draft import Draft, Segment, Track, TrackType
from promptreel.draft.interop import to_srt
from promptreel.exchange.timeline import ClipPlan, clip_plans, media_path
from promptreel.media_refs import MEDIA_FIELDS
from promptreel.render import Assets, RenderOptions, load_audio, render_draft
from promptreel.render.audio import to_stereo
from promptreel.timecode import frames_to_ms, ms_to_samples

__all__ = ["MediaFiles", "write_media", "AUDIO_RATE"]

AUDIO_RATE = 48000
_FADE_MS = 8
_MUSIC_FADE_IN_MS = 500
_MUSIC_FADE_OUT_MS = 1500

Progress = Callable[[float, str], None]


@dataclass
class MediaFiles:
    """What :func:`write_media` wrote, relative to the folder."""

    root: Path
    clips: dict[str, str] = field(default_factory=dict)  # segment id → relative path
    uploads: dict[str, str] = field(default_factory=dict)  # reference → relative path
    captions: str = ""
    notes: list[str] = field(default_factory=list)

    def files(self) -> list[str]:
        out = [*self.clips.values(), *self.uploads.values()]
        return out + ([self.captions] if self.captions else [])


def write_media(
    draft: Draft,
    assets: Assets,
    root: Path,
    *,
    options: RenderOptions = RenderOptions(),
    progress: Progress | None = None,
) -> MediaFiles:
    """Write every file the project references under ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    out = MediaFiles(root)
    plans = [p for tp in clip_plans(draft) for p in tp]
    for i, p in enumerate(plans):
        rel = media_path(p.track, p.segment)
        if not rel:
            continue
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if p.track.type == TrackType.VIDEO:
            _render_clip(draft, p, assets, path, options)
        else:
            _write_wav(path, _sound(draft, p, assets))
        out.clips[p.segment.id] = rel
        if progress:
            progress((i + 1) / max(1, len(plans)), "media")
    for track, seg in draft.segments():
        for fld in MEDIA_FIELDS:
            ref = str(seg.meta.get(fld, "") or "")
            if not ref or ref in out.uploads:
                continue
            found = assets.media_path(ref)
            if found is None:
                if fld == "media_id" or not seg.meta.get("media_id"):
                    out.notes.append(
                        f"{track.name or track.id}: {seg.id} names {ref!r}, which is not available"
                    )
                continue
            dest = root / "uploads" / f"{_safe(seg.id)}{Path(found).suffix.lower()}"
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(found, dest)
            out.uploads[ref] = dest.relative_to(root).as_posix()
    srt = to_srt(draft)
    if srt.strip():
        (root / "captions.srt").write_text(srt, encoding="utf-8")
        out.captions = "captions.srt"
    return out


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in name)[:80] or "media"


def _render_clip(draft: Draft, p: ClipPlan, assets: Assets, path: Path, options: RenderOptions) -> None:
    """The segment alone on a draft of its own, as long as its clip with handles."""
    fps = draft.canvas.fps
    seg = p.segment
    meta = seg.meta.set(transition="cut", transition_ms=0)
    if seg.kind == "media" and p.head:
        trim = int(seg.meta.get("trim_in", 0) or 0)
        meta = meta.set(trim_in=max(0, trim - frames_to_ms(p.head, fps)))
    only = replace(seg, start=0, duration=frames_to_ms(p.media_frames, fps), meta=meta)
    track = Track(p.track.id, TrackType.VIDEO, role=p.track.role, name=p.track.name, segments=(only,))
    sub = draft.replace(tracks=(track,))
    render_draft(sub, assets, path, options=replace(options, workers=1, chunk_cache="", backend="local"))


def _sound(draft: Draft, p: ClipPlan, assets: Assets) -> np.ndarray:
    """The segment's sound, stereo float32, exactly as many samples as its clip."""
    fps = draft.canvas.fps
    seg = p.segment
    n = ms_to_samples(frames_to_ms(p.media_frames, fps), AUDIO_RATE)
    clip: AudioClip | None = None
    if seg.kind == "voice":
        clip = assets.voice(seg)
    elif seg.kind == "music":
        clip = assets.music(seg)
    elif seg.kind == "audio":
        found = _media(seg, assets)
        if found is not None:
            clip = load_audio(found)
            skip = ms_to_samples(int(seg.meta.get("trim_in", 0) or 0), clip.rate)
            clip = AudioClip(clip.samples[skip:], clip.rate)
    if clip is None or clip.frames == 0:
        return np.zeros((n, 2), np.float32)
    x = to_stereo(clip, AUDIO_RATE)
    if seg.kind == "music" and 0 < x.shape[0] < n:
        x = np.concatenate([x] * (-(-n // x.shape[0])))
    x = x[:n].copy() if x.shape[0] >= n else np.concatenate([x, np.zeros((n - x.shape[0], 2), np.float32)])
    if seg.kind == "music":
        _fade(
            x,
            int(seg.meta.get("fade_in", _MUSIC_FADE_IN_MS)),
            int(seg.meta.get("fade_out", _MUSIC_FADE_OUT_MS)),
        )
    else:
        _fade(x, _FADE_MS, _FADE_MS)
    return x


def _media(seg: Segment, assets: Assets) -> Path | None:
    for fld in MEDIA_FIELDS:
        ref = str(seg.meta.get(fld, "") or "")
        found = assets.media_path(ref) if ref else None
        if found is not None:
            return Path(found)
    return None


def _fade(x: np.ndarray, fade_in_ms: int, fade_out_ms: int) -> None:
    n = x.shape[0]
    a = min(max(0, ms_to_samples(fade_in_ms, AUDIO_RATE)), n // 2)
    b = min(max(0, ms_to_samples(fade_out_ms, AUDIO_RATE)), n - a)
    if a:
        x[:a] *= np.linspace(0.0, 1.0, a, dtype=np.float32)[:, None]
    if b:
        x[n - b :] *= np.linspace(1.0, 0.0, b, dtype=np.float32)[:, None]


def _write_wav(path: Path, x: np.ndarray) -> None:
    pcm = (np.clip(x, -1.0, 1.0) * 32767.0).round().astype("<i2")
    tmp = path.with_name(f".{path.name}.tmp")
    with wave.open(str(tmp), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(AUDIO_RATE)
        w.writeframes(pcm.tobytes())
    tmp.replace(path)
