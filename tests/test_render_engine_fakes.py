"""Test doubles for the render tests: tone-based Assets, tiny drafts and simple painters."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import skia

from promptreel.clip import AudioClip
from promptreel.draft import Canvas, Draft, Meta, Segment, Track, TrackType
from promptreel.timecode import ms_to_samples

VOICE_HZ = 220.0
MUSIC_HZ = 1000.0


def tone(hz: float, ms: int, rate: int, amp: float, channels: int = 1, phase: float = 0.0) -> AudioClip:
    n = ms_to_samples(ms, rate)
    t = np.arange(n, dtype=np.float64) / rate
    x = (amp * np.sin(2 * np.pi * hz * t + phase)).astype(np.float32)
    return AudioClip(np.repeat(x[:, None], channels, axis=1), rate)


class ToneAssets:
    """Voice: mono 22.05 kHz tone as long as the segment. Music: stereo 48 kHz tone, 1 s (loops)."""

    def __init__(self, media: dict[str, Path] | None = None, music_ms: int = 1000) -> None:
        self.media = media or {}
        self.music_ms = music_ms
        self.voice_calls = 0

    def voice(self, segment: Segment) -> AudioClip:
        self.voice_calls += 1
        return tone(VOICE_HZ, segment.duration, 22050, 0.5, phase=np.pi / 2)  # starts at full level

    def music(self, segment: Segment) -> AudioClip:
        return tone(MUSIC_HZ, self.music_ms, 48000, 0.3, channels=2)

    def illustration(self, name: str) -> str | None:
        return None

    def media_path(self, media_id: str) -> Path | None:
        return self.media.get(media_id)


def make_draft(
    width: int = 320,
    height: int = 180,
    duration: int = 3000,
    *,
    voice: tuple[int, int] | None = (1000, 1000),
    music: bool = True,
    fps: int = 30,
) -> Draft:
    """Two scenes, a caption, optional narration span (start, duration) and background music."""
    half = duration // 2
    tracks = [
        Track(
            "t_scenes",
            TrackType.VIDEO,
            "scenes",
            segments=(
                Segment(
                    "s1", 0, half, "scene", meta=Meta({"headline": "One", "palette": ["#C0392B", "#8E44AD"]})
                ),
                Segment(
                    "s2",
                    half,
                    duration - half,
                    "scene",
                    meta=Meta({"headline": "Two", "palette": ["#16A085", "#2980B9"]}),
                ),
            ),
        )
    ]
    if voice is not None:
        tracks.append(
            Track(
                "t_voice",
                TrackType.AUDIO,
                "narration",
                segments=(Segment("v1", voice[0], voice[1], "voice"),),
            )
        )
    if music:
        tracks.append(Track("t_bgm", TrackType.AUDIO, "bgm", segments=(Segment("m1", 0, duration, "music"),)))
    tracks.append(
        Track(
            "t_cap",
            TrackType.TEXT,
            "captions",
            segments=(Segment("c1", 0, min(duration, 1000), "caption", meta=Meta({"text": "hello"})),),
        )
    )
    return Draft("d_test", Canvas(width, height, fps), tuple(tracks))


def level(frame: int) -> int:
    """Grey level that :class:`IndexPainter` paints on ``frame``."""
    return (frame * 37) % 200 + 28


class IndexPainter:
    """Fills the frame with a grey level derived from the frame index (to check order and timing)."""

    def __init__(self, draft: Draft, assets: object, width: int, height: int) -> None:
        self.closed = False

    def draw(self, canvas: skia.Canvas, frame: int) -> None:
        g = level(frame)
        canvas.clear(skia.ColorSetRGB(g, g, g))

    def close(self) -> None:
        self.closed = True
