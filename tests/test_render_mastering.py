"""The finished MP4 is on target: −14 ± 0.5 LUFS integrated and at most −1 dBTP true peak,
measured on the decoded AAC by an independent meter (pyloudnorm; 4× oversampling by scipy)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyloudnorm
import pytest
from scipy.signal import resample_poly

from promptreel.clip import AudioClip
from promptreel.draft import Segment
from promptreel.render import RenderOptions
from promptreel.render.avio import load_audio
from promptreel.render.engine import render_draft
from promptreel.render.master import LoudnessMeter, master, master_blocks
from promptreel.timecode import ms_to_samples
from test_render_engine_fakes import IndexPainter, make_draft

TARGET = -14.0


def speech_like(ms: int, rate: int = 22050, seed: int = 1) -> AudioClip:
    """Voiced syllables (a buzzy harmonic source under a 4 Hz syllable envelope, with
    consonant bursts and pauses): a peaky, speech-shaped signal normalised to −1 dBFS like TTS."""
    rng = np.random.default_rng(seed)
    n = ms_to_samples(ms, rate)
    t = np.arange(n) / rate
    f0 = 120 + 25 * np.sin(2 * np.pi * 0.7 * t)
    phase = 2 * np.pi * np.cumsum(f0) / rate
    voiced = sum(np.sin(k * phase) / k for k in range(1, 12))
    syll = np.clip(np.sin(2 * np.pi * 4.0 * t), 0, None) ** 1.5
    pauses = (np.sin(2 * np.pi * 0.35 * t) > -0.6).astype(float)
    bursts = rng.standard_normal(n) * (rng.random(n // 2205 + 1).repeat(2205)[:n] > 0.8)
    x = (voiced * syll + 0.4 * bursts * (1 - syll)) * pauses
    x = x / np.abs(x).max() * 0.89
    return AudioClip(x.astype(np.float32)[:, None], rate)


def music_like(ms: int, rate: int = 48000) -> AudioClip:
    """A chord with plucked attacks every half second (stereo): transients over a steady bed."""
    n = ms_to_samples(ms, rate)
    t = np.arange(n) / rate
    bed = sum(np.sin(2 * np.pi * f * t) for f in (220.0, 277.2, 329.6)) / 3
    beat = np.exp(-((t % 0.5) * 18))
    pluck = np.sin(2 * np.pi * 880 * t) * beat
    x = 0.25 * bed + 0.6 * pluck
    return AudioClip(np.stack([x, 0.9 * x], axis=1).astype(np.float32), rate)


class SoundAssets:
    def voice(self, segment: Segment) -> AudioClip:
        return speech_like(segment.duration)

    def music(self, segment: Segment) -> AudioClip:
        return music_like(4000)

    def illustration(self, name: str) -> str | None:
        return None

    def media_path(self, media_id: str) -> Path | None:
        return None


def lufs_and_true_peak(path: Path) -> tuple[float, float]:
    clip = load_audio(path)
    x = clip.samples.astype(np.float64)
    lufs = pyloudnorm.Meter(clip.rate).integrated_loudness(x)
    tp = 20 * np.log10(np.abs(resample_poly(x, 4, 1, axis=0)).max())
    return float(lufs), float(tp)


DRAFTS = {
    "speech-only": {"voice": (200, 7600), "music": False},
    "music-only": {"voice": None, "music": True},
    "mixed": {"voice": (1000, 6000), "music": True},
}


@pytest.fixture(scope="module", params=list(DRAFTS))
def rendered(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    draft = make_draft(160, 90, 8000, fps=10, **DRAFTS[request.param])
    out = tmp_path_factory.mktemp("master") / f"{request.param}.mp4"
    render_draft(draft, SoundAssets(), out, painter=IndexPainter)
    return out


def test_final_mp4_is_at_target_loudness_and_under_the_true_peak_ceiling(rendered: Path) -> None:
    lufs, tp = lufs_and_true_peak(rendered)
    assert abs(lufs - TARGET) <= 0.5, f"{rendered.name}: {lufs:.2f} LUFS"
    assert tp <= -1.0, f"{rendered.name}: {tp:.2f} dBTP"


def _ffmpeg() -> str | None:
    """FFmpeg's command line: the system's, else the one imageio-ffmpeg ships."""
    found = shutil.which("ffmpeg")
    if found:
        return found
    try:
        import imageio_ffmpeg
    except ImportError:
        return None
    return str(imageio_ffmpeg.get_ffmpeg_exe())


@pytest.mark.skipif(_ffmpeg() is None, reason="no FFmpeg command line")
def test_ffmpeg_ebur128_agrees(rendered: Path) -> None:
    proc = subprocess.run(
        [str(_ffmpeg()), "-nostats", "-i", str(rendered), "-af", "ebur128=peak=true", "-f", "null", "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    summary = proc.stderr[proc.stderr.rfind("Summary:") :]
    lufs = float(summary.split("I:")[1].split()[0])
    peak = float(summary.split("Peak:")[1].split()[0])
    assert abs(lufs - TARGET) <= 0.5 and peak <= -1.0


def test_hot_mix_lands_on_target_after_limiting() -> None:
    """Peaks ~15 dB over the loudness: limiting takes level away, the gain loop puts it back."""
    rng = np.random.default_rng(3)
    n = 48000 * 6
    x = (rng.standard_normal((n, 2)) * 0.02).astype(np.float32)
    x[::12000] = 0.9  # clicks every 250 ms
    out = master(x, 48000, TARGET, -1.0)
    lufs = pyloudnorm.Meter(48000).integrated_loudness(out.astype(np.float64))
    tp = 20 * np.log10(np.abs(resample_poly(out, 4, 1, axis=0)).max())
    assert abs(lufs - TARGET) <= 0.2 and tp <= -1.0


def test_the_mix_is_made_once_however_many_passes_mastering_takes() -> None:
    rng = np.random.default_rng(4)
    n = 48000 * 8
    x = (rng.standard_normal((n, 2)) * 0.02).astype(np.float32)
    x[::9000] = 0.9  # hot clicks: the limiter bends the level, so mastering takes several passes
    made: list[int] = []

    def mix() -> Iterator[np.ndarray]:
        made.append(1)
        for s in range(0, n, 20_000):
            yield x[s : s + 20_000].copy()

    out = np.concatenate(list(master_blocks(mix, n, 48000, TARGET, -1.0)))
    assert len(made) == 1
    assert np.array_equal(out, master(x.copy(), 48000, TARGET, -1.0))


def test_short_clip_is_mastered_too() -> None:
    x = (np.sin(np.arange(9600) * 0.05)[:, None] * np.ones(2) * 0.05).astype(np.float32)
    out = master(x, 48000, TARGET, -1.0)
    assert np.abs(out).max() > 0.05


def test_meter_fed_in_pieces_equals_one_shot() -> None:
    rng = np.random.default_rng(5)
    x = (rng.standard_normal((48000 * 3, 2)) * 0.1).astype(np.float32)
    meter = LoudnessMeter(48000, x.shape[0])
    for s in range(0, x.shape[0], 7777):
        meter.feed(x[s : s + 7777])
    want = pyloudnorm.Meter(48000).integrated_loudness(x.astype(np.float64))
    assert meter.result() == pytest.approx(want, abs=1e-6)


def test_other_targets_are_honoured(tmp_path: Path) -> None:
    out = tmp_path / "quiet.mp4"
    draft = make_draft(160, 90, 4000, fps=10, voice=(0, 4000), music=True)
    render_draft(draft, SoundAssets(), out, painter=IndexPainter, options=RenderOptions(loudness_lufs=-18.0))
    lufs, tp = lufs_and_true_peak(out)
    assert abs(lufs + 18.0) <= 0.5 and tp <= -1.0


@pytest.mark.parametrize("block", [50, 4_999, 129_600])
def test_limited_peaks_measured_from_the_first_pass_hold_whatever_the_blocks(block: int) -> None:
    """The limiter reads the mix's oversampled peaks measured once (scaled by each pass's gain):
    the finished mix, oversampled independently as a whole, stays under the ceiling while the
    limiter works right up to it, however the mix is cut into blocks."""
    rng = np.random.default_rng(6)
    n = 48000 * 5
    steps = np.repeat(rng.standard_normal((n // 7 + 1, 2)) * 0.2, 7, axis=0)[:n]
    x = steps.astype(np.float32)
    x[::4801] = 0.99  # clicks between held values: inter-sample overs after gain

    def mix() -> Iterator[np.ndarray]:
        for s in range(0, n, block):
            yield x[s : s + block].copy()

    out = np.concatenate(list(master_blocks(mix, n, 48000, -8.0, -1.0)))
    tp = 20 * np.log10(np.abs(resample_poly(out, 4, 1, axis=0)).max())
    assert -2.5 <= tp <= -1.0
    assert np.allclose(out, master(x.copy(), 48000, -8.0, -1.0), atol=1e-4)
