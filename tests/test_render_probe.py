"""Media probing and reading: kinds, durations, corrupt files, frames by time."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest
import skia

from promptreel.errors import UnsupportedFile
from promptreel.render import VideoSource, load_audio, load_image_rgba, probe, render_draft
from test_render_engine_fakes import IndexPainter, ToneAssets, level, make_draft


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 320x180 30 fps, 4 s video whose frame i is a flat grey ``level(i)``, with sound."""
    out = tmp_path_factory.mktemp("media") / "clip.mp4"
    render_draft(make_draft(duration=4000), ToneAssets(), out, painter=IndexPainter)
    return out


def write_png(path: Path, w: int = 64, h: int = 48) -> None:
    surface = skia.Surface(w, h)
    surface.getCanvas().clear(skia.ColorSetRGB(10, 200, 30))
    surface.makeImageSnapshot().save(str(path), skia.kPNG)


def write_wav(path: Path, ms: int = 1500, rate: int = 16000, channels: int = 1) -> None:
    n = rate * ms // 1000
    x = (np.sin(2 * np.pi * 440 * np.arange(n) / rate) * 12000).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.repeat(x[:, None], channels, axis=1).tobytes())


def test_probe_video(clip: Path) -> None:
    info = probe(clip)
    assert info.kind == "video"
    assert (info.width, info.height) == (320, 180)
    assert abs(info.duration_ms - 4000) <= 34
    assert info.has_video and info.has_audio
    assert info.codec == "h264"
    assert info.size_bytes == clip.stat().st_size


def test_probe_image(tmp_path: Path) -> None:
    p = tmp_path / "still.png"
    write_png(p)
    info = probe(p)
    assert (info.kind, info.width, info.height, info.has_audio, info.duration_ms) == (
        "image",
        64,
        48,
        False,
        0,
    )


def test_probe_audio(tmp_path: Path) -> None:
    p = tmp_path / "voice.wav"
    write_wav(p)
    info = probe(p)
    assert (info.kind, info.has_video, info.has_audio) == ("audio", False, True)
    assert info.duration_ms == 1500


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"definitely not a video file\n" * 50,
        bytes(np.random.default_rng(1).integers(0, 255, 50_000, np.uint8)),
    ],
    ids=["empty", "text", "noise"],
)
def test_probe_rejects_garbage(tmp_path: Path, content: bytes) -> None:
    p = tmp_path / "upload.mp4"
    p.write_bytes(content)
    with pytest.raises(UnsupportedFile):
        probe(p)


def test_probe_rejects_a_truncated_video(tmp_path: Path, clip: Path) -> None:
    data = clip.read_bytes()
    p = tmp_path / "cut.mp4"
    p.write_bytes(data[: len(data) // 20])  # moov (faststart) survives, media does not
    with pytest.raises(UnsupportedFile):
        probe(p)


def test_probe_rejects_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedFile):
        probe(tmp_path / "nope.mp4")


def test_video_source_sequential_and_random_access(clip: Path) -> None:
    with VideoSource(clip) as src:
        assert (src.width, src.height) == (320, 180)
        assert abs(src.duration_ms - 4000) <= 34
        for i in range(0, 45):  # sequential at 30 fps
            frame = src.frame_at(round(i * 1000 / 30))
            assert frame.shape == (180, 320, 4)
            assert abs(float(frame[..., 0].mean()) - level(i)) < 3, i
        for i in (100, 7, 119, 60, 0):  # jumps back and forth
            assert abs(float(src.frame_at(round(i * 1000 / 30))[..., 0].mean()) - level(i)) < 3, i
        # between frame times: the frame that is showing; past the end: the last frame
        assert abs(float(src.frame_at(round(10.5 * 1000 / 30))[..., 0].mean()) - level(10)) < 3
        assert abs(float(src.frame_at(60_000)[..., 0].mean()) - level(119)) < 3


def test_video_source_scales_on_request(clip: Path) -> None:
    with VideoSource(clip, size=(160, 90)) as src:
        assert src.frame_at(0).shape == (90, 160, 4)
        assert src.frame_at(40, size=(32, 18)).shape == (18, 32, 4)


def test_video_source_rejects_audio_only(tmp_path: Path) -> None:
    p = tmp_path / "a.wav"
    write_wav(p)
    with pytest.raises(UnsupportedFile):
        VideoSource(p)


def test_load_image_rgba(tmp_path: Path) -> None:
    p = tmp_path / "still.png"
    write_png(p)
    img = load_image_rgba(p)
    assert img.shape == (48, 64, 4) and img.dtype == np.uint8
    assert tuple(img[5, 5]) == (10, 200, 30, 255)
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\nnope")
    with pytest.raises(UnsupportedFile):
        load_image_rgba(bad)


def test_load_audio(tmp_path: Path) -> None:
    p = tmp_path / "st.wav"
    write_wav(p, ms=500, rate=16000, channels=2)
    audio = load_audio(p)
    assert audio.rate == 16000 and audio.samples.shape == (8000, 2) and audio.samples.dtype == np.float32
    assert 0.3 < float(np.abs(audio.samples).max()) < 0.4
