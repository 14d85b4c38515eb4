"""The soundtrack mix: placement, looping, volume, ducking, loudness and true peak."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import av
import numpy as np
import pyloudnorm
import pytest

from promptreel.clip import AudioClip
from promptreel.draft import Canvas, Draft, Meta, Segment, Track, TrackType
from promptreel.render import RenderOptions, mix_audio
from promptreel.render.audio import (
    duck_envelope,
    integrated_loudness,
    master,
    soundtrack,
    to_stereo,
    true_peak_db,
)
from promptreel.render.master import master_blocks
from promptreel.timecode import ms_to_samples
from test_render_engine_fakes import MUSIC_HZ, VOICE_HZ, ToneAssets, make_draft, tone

RATE = 48000


def amplitude_at(x: np.ndarray, hz: float, a: int, b: int) -> float:
    """Amplitude of the ``hz`` component of channel 0 in samples [a, b) (quadrature correlation)."""
    seg = x[a:b, 0].astype(np.float64)
    t = np.arange(a, b) / RATE
    i = np.dot(seg, np.sin(2 * np.pi * hz * t))
    q = np.dot(seg, np.cos(2 * np.pi * hz * t))
    return float(2 * np.hypot(i, q) / (b - a))


def loudness(x: np.ndarray) -> float:
    return float(pyloudnorm.Meter(RATE).integrated_loudness(x.astype(np.float64)))


def test_mix_has_the_draft_length_and_stereo_shape() -> None:
    mix = mix_audio(make_draft(duration=3000), ToneAssets())
    assert mix.shape == (ms_to_samples(3000, RATE), 2)
    assert mix.dtype == np.float32


def test_mix_is_normalised_to_target_loudness_and_true_peak() -> None:
    mix = mix_audio(make_draft(duration=3000), ToneAssets())
    assert loudness(mix) == pytest.approx(-14.0, abs=0.5)
    assert true_peak_db(mix) <= -1.0


def test_other_loudness_targets_are_honoured() -> None:
    opts = RenderOptions(loudness_lufs=-20.0)
    mix = mix_audio(make_draft(duration=3000), ToneAssets(), options=opts)
    assert loudness(mix) == pytest.approx(-20.0, abs=0.5)


def test_voice_starts_sample_exactly() -> None:
    draft = make_draft(duration=2000, voice=(1234, 500), music=False)
    mix = mix_audio(draft, ToneAssets())
    nz = np.flatnonzero(np.abs(mix[:, 0]) > 1e-6)
    assert nz[0] == ms_to_samples(1234, RATE)
    assert nz[-1] < ms_to_samples(1734, RATE)
    assert nz[-1] >= ms_to_samples(1734, RATE) - 48  # clip ends with the segment (tone zero-crossings aside)


def test_music_is_ducked_while_the_voice_speaks() -> None:
    draft = make_draft(duration=6000, voice=(1500, 1500), music=True)
    mix = mix_audio(draft, ToneAssets())
    before = amplitude_at(mix, MUSIC_HZ, ms_to_samples(700, RATE), ms_to_samples(1100, RATE))
    during = amplitude_at(mix, MUSIC_HZ, ms_to_samples(1900, RATE), ms_to_samples(2700, RATE))
    after = amplitude_at(mix, MUSIC_HZ, ms_to_samples(4000, RATE), ms_to_samples(4400, RATE))
    assert during > 0
    ratio_db = 20 * np.log10(during / before)
    assert -14.0 < ratio_db < -9.0  # ~-12 dB of ducking
    voice = amplitude_at(mix, VOICE_HZ, ms_to_samples(1900, RATE), ms_to_samples(2700, RATE))
    assert voice > 4 * during
    assert after > 0.85 * before  # released once the voice stops


def test_ducking_can_be_switched_off_per_track() -> None:
    draft = make_draft(duration=4000, voice=(1500, 1500), music=True)
    bgm = draft.track("t_bgm")
    assert bgm is not None
    draft = draft.replace(
        tracks=[t if t.id != "t_bgm" else t.replace(meta={"duck": False}) for t in draft.tracks]
    )
    mix = mix_audio(draft, ToneAssets())
    before = amplitude_at(mix, MUSIC_HZ, ms_to_samples(700, RATE), ms_to_samples(1100, RATE))
    during = amplitude_at(mix, MUSIC_HZ, ms_to_samples(1900, RATE), ms_to_samples(2700, RATE))
    assert during == pytest.approx(before, rel=0.05)


def test_envelope_attack_and_release_are_smooth() -> None:
    voice = np.zeros((RATE * 4, 2), np.float32)
    voice[RATE : 2 * RATE] = 0.5
    env = duck_envelope(voice, RATE)
    assert env[0] == pytest.approx(1.0)
    assert env[int(1.5 * RATE)] == pytest.approx(10 ** (-12 / 20), rel=0.02)
    assert env[-1] == pytest.approx(1.0, abs=0.02)
    assert env[int(0.5 * RATE)] == pytest.approx(1.0, abs=0.01)  # not before the pre-roll
    assert np.abs(np.diff(env)).max() < 0.01  # no clicks


def test_music_loops_to_fill_its_segment_and_fades() -> None:
    draft = make_draft(duration=5000, voice=None, music=True)
    mix = mix_audio(draft, ToneAssets(music_ms=1000))
    assert abs(mix[:10, 0]).max() < 1e-3  # fade-in starts from silence
    middle = amplitude_at(mix, MUSIC_HZ, ms_to_samples(2000, RATE), ms_to_samples(3000, RATE))
    late = amplitude_at(mix, MUSIC_HZ, ms_to_samples(3200, RATE), ms_to_samples(3400, RATE))
    assert late == pytest.approx(middle, rel=0.1)  # still playing after four loops
    assert abs(mix[-10:, 0]).max() < 1e-2  # faded out at the end


def test_muted_and_volume() -> None:
    base = make_draft(duration=3000, voice=(1000, 1000), music=True)
    muted = base.replace(
        tracks=[t.replace(meta={"muted": True}) if t.id == "t_bgm" else t for t in base.tracks]
    )
    mix = mix_audio(muted, ToneAssets())
    assert amplitude_at(mix, MUSIC_HZ, 0, ms_to_samples(900, RATE)) < 1e-4
    louder = base.replace(
        tracks=[t.replace(meta={"volume": 1.0}) if t.id == "t_bgm" else t for t in base.tracks]
    )
    quiet = mix_audio(base, ToneAssets())
    loud = mix_audio(louder, ToneAssets())
    m_quiet = amplitude_at(quiet, MUSIC_HZ, 0, 40000) / amplitude_at(quiet, VOICE_HZ, 50000, 90000)
    m_loud = amplitude_at(loud, MUSIC_HZ, 0, 40000) / amplitude_at(loud, VOICE_HZ, 50000, 90000)
    assert m_loud / m_quiet == pytest.approx(1.0 / 0.35, rel=0.05)  # bgm default volume 0.35


def test_silent_draft_is_silent_not_nan() -> None:
    mix = mix_audio(make_draft(duration=1500, voice=None, music=False), ToneAssets())
    assert mix.shape == (ms_to_samples(1500, RATE), 2)
    assert np.isfinite(mix).all() and not mix.any()


def test_very_short_audio_is_still_normalised() -> None:
    x = to_stereo(tone(440, 200, RATE, 0.9), RATE)
    out = master(x, RATE, -14.0, -1.0)
    assert np.isfinite(out).all()
    assert true_peak_db(out) <= -1.0


def test_hot_material_is_true_peak_limited() -> None:
    rng = np.random.default_rng(3)
    x = np.clip(rng.standard_normal((RATE * 2, 2)) * 0.3, -1, 1).astype(np.float32)
    x[RATE : RATE + 5] = 0.99  # a hot transient far above the rest
    out = master(x, RATE, -9.0, -1.0)
    assert true_peak_db(out) <= -1.0
    assert loudness(out) == pytest.approx(-9.0, abs=1.0)


def test_mono_clips_upmix_and_resample_to_48k() -> None:
    clip = tone(440, 1000, 22050, 0.5)
    out = to_stereo(clip, RATE)
    assert out.shape == (RATE, 2)
    assert np.allclose(out[:, 0], out[:, 1])
    assert amplitude_at(out, 440, 1000, RATE - 1000) == pytest.approx(0.5, rel=0.02)
    surround = AudioClip(np.zeros((480, 6), np.float32), 48000)
    assert to_stereo(surround, RATE).shape == (480, 2)


def write_tone_file(path: Path, hz: float, ms: int, rate: int = 44100) -> None:
    with av.open(str(path), "w") as c:
        s = c.add_stream("aac", rate=rate)
        s.layout = "mono"
        n = ms_to_samples(ms, rate)
        t = np.arange(n) / rate
        x = (0.5 * np.sin(2 * np.pi * hz * t)).astype(np.float32)
        for i in range(0, n, 1024):
            f = av.AudioFrame.from_ndarray(x[None, i : i + 1024], format="fltp", layout="mono")
            f.sample_rate = rate
            f.pts = i
            for p in s.encode(f):
                c.mux(p)
        for p in s.encode(None):
            c.mux(p)


def test_uploaded_audio_is_trimmed_and_placed(tmp_path: Path) -> None:
    song = tmp_path / "song.m4a"
    write_tone_file(song, 660, 3000)
    draft = Draft(
        "d_up",
        Canvas(320, 180, 30),
        (
            Track(
                "t_sfx",
                TrackType.AUDIO,
                "sfx",
                segments=(
                    Segment("a1", 500, 1000, "audio", meta=Meta({"media_id": "up_1", "trim_in": 2500})),
                ),
            ),
        ),
    )
    mix = mix_audio(draft.replace(tracks=[*draft.tracks]), ToneAssets(media={"up_1": song}))
    assert mix.shape[0] == ms_to_samples(1500, RATE)
    assert amplitude_at(mix, 660, ms_to_samples(600, RATE), ms_to_samples(900, RATE)) > 0.05
    # only 500 ms of the file remain after trim_in=2500: silence after that
    assert np.abs(mix[ms_to_samples(1100, RATE) :]).max() < 1e-3
    assert np.abs(mix[: ms_to_samples(500, RATE)]).max() < 1e-6


@pytest.mark.parametrize("seconds", [0.5, 3.0, 7.3])
def test_streamed_loudness_equals_pyloudnorm(seconds: float) -> None:
    rng = np.random.default_rng(int(seconds * 10))
    n = int(seconds * RATE)
    x = (rng.standard_normal((n, 2)) * np.linspace(0.01, 0.4, n)[:, None]).astype(np.float32)
    x[: n // 4] *= 0.001  # a quiet stretch the gates drop
    assert integrated_loudness(x, RATE) == pytest.approx(loudness(x), abs=1e-6)


def test_limiter_works_across_pieces_of_a_long_mix() -> None:
    rng = np.random.default_rng(5)
    n = RATE * 12  # longer than one processing piece
    x = (rng.standard_normal((n, 2)) * 0.25).astype(np.float32)
    x[::37_000] = 0.99  # hot transients everywhere, including near piece edges
    out = master(x.copy(), RATE, -10.0, -1.0)
    assert true_peak_db(out) <= -1.0
    assert loudness(out) == pytest.approx(-10.0, abs=1.0)
    ratio = np.abs(out[:, 0]) / np.maximum(np.abs(x[:, 0]), 1e-3)
    assert np.abs(np.diff(ratio[np.abs(x[:, 0]) > 0.05])).max() < 0.2  # gain moves smoothly


def test_mix_memory_stays_a_small_multiple_of_the_output() -> None:
    total = 60_000
    voices = tuple(Segment(f"v{i}", i * 10_000 + 500, 8_000, "voice") for i in range(total // 10_000))
    draft = Draft(
        "d_long",
        Canvas(320, 180, 30),
        (
            Track("t_n", TrackType.AUDIO, "narration", segments=voices),
            Track("t_m", TrackType.AUDIO, "bgm", segments=(Segment("m", 0, total, "music"),)),
        ),
    )
    tracemalloc.start()
    try:
        mix = mix_audio(draft, ToneAssets())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * mix.nbytes


def test_music_placed_in_pieces_is_identical_to_the_whole_clip(monkeypatch: pytest.MonkeyPatch) -> None:
    import promptreel.render.audio as audio_mod

    draft = make_draft(duration=6000, voice=(1000, 2500))
    assets = ToneAssets()
    assets.music_ms = 8000  # longer than the segment: trimmed, with the edge fade
    monkeypatch.setattr(audio_mod, "_TP_BLOCK", 4096)  # many pieces, fades across piece edges
    pieces = mix_audio(draft, assets)
    monkeypatch.setattr(audio_mod, "_music_reader", lambda *args: None)  # the whole clip instead
    whole = mix_audio(draft, assets)
    assert np.array_equal(pieces, whole)


def test_a_long_music_bed_is_mixed_without_a_copy_of_it() -> None:
    total = 120_000
    draft = Draft(
        "d_bed",
        Canvas(320, 180, 30),
        (Track("t_m", TrackType.AUDIO, "bgm", segments=(Segment("m", 0, total, "music"),)),),
    )
    assets = ToneAssets()
    assets.music_ms = total
    clip = assets.music(draft.tracks[0].segments[0])
    assets.music = lambda segment: clip  # type: ignore[method-assign]
    tracemalloc.start()
    try:
        mix = mix_audio(draft, assets)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2.6 * mix.nbytes  # the mix and mastering's pieces; no second bed


class _ToneStream:
    """A 48 kHz stereo music tone computed as it is read (never held whole)."""

    rate, channels = 48000, 2

    def __init__(self, frames: int) -> None:
        self.frames = frames

    def read(self, start: int, stop: int) -> np.ndarray:
        t = np.arange(start, stop, dtype=np.float64) / self.rate
        x = (0.3 * np.sin(2 * np.pi * MUSIC_HZ * t)).astype(np.float32)
        return np.repeat(x[:, None], 2, axis=1)


class _StreamingAssets(ToneAssets):
    def music(self, segment: Segment) -> AudioClip:
        stream = self.music_stream(segment)
        return AudioClip(stream.read(0, stream.frames), stream.rate)

    def music_stream(self, segment: Segment) -> _ToneStream:
        return _ToneStream(ms_to_samples(segment.duration, 48000))


def test_the_soundtrack_is_made_in_blocks_without_holding_the_mix(monkeypatch: pytest.MonkeyPatch) -> None:
    import promptreel.render.audio as audio_mod
    import promptreel.render.master as master_mod

    for module in (audio_mod, master_mod):  # small blocks: what a block costs stays small here
        monkeypatch.setattr(module, "_TP_BLOCK", 1 << 14)
    total = 90_000
    voices = tuple(Segment(f"v{i}", i * 3_000 + 500, 2_000, "voice") for i in range(total // 3_000))
    draft = Draft(
        "d_stream",
        Canvas(320, 180, 30),
        (
            Track("t_n", TrackType.AUDIO, "narration", segments=voices),
            Track("t_m", TrackType.AUDIO, "bgm", segments=(Segment("m", 0, total, "music"),)),
        ),
    )
    assets = _StreamingAssets()
    n = ms_to_samples(total, RATE)
    tracemalloc.start()
    try:
        count = 0
        for block in soundtrack(draft, assets):
            assert block.dtype == np.float32 and block.shape[1] == 2
            count += block.shape[0]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == n
    assert peak < 0.2 * n * 2 * 4  # a few blocks, never the 90 s mix (35 MB)
    whole = mix_audio(draft, assets)  # the same blocks in one array: mastered as before
    assert loudness(whole) == pytest.approx(-14.0, abs=0.5)
    assert true_peak_db(whole) <= -1.0


def test_mastering_in_blocks_equals_mastering_the_whole() -> None:
    rng = np.random.default_rng(9)
    n = RATE * 9 + 123
    x = (rng.standard_normal((n, 2)) * np.linspace(0.05, 0.5, n)[:, None]).astype(np.float32)
    x[::29_000] = 0.99  # transients near piece edges
    step = 50_001  # blocks that do not line up with the limiter's pieces

    def blocks() -> list[np.ndarray]:
        return [x[s : s + step].copy() for s in range(0, n, step)]

    streamed = np.concatenate(list(master_blocks(blocks, n, RATE, -14.0, -1.0)))
    assert np.array_equal(streamed, master(x.copy(), RATE, -14.0, -1.0))


def test_aac_encoded_from_blocks_equals_the_whole() -> None:
    from promptreel.render.avio import EncodedAudio

    rng = np.random.default_rng(2)
    x = (rng.standard_normal((RATE * 2 + 777, 2)) * 0.1).astype(np.float32)
    whole = EncodedAudio(x, RATE, 192_000).packets
    pieces = EncodedAudio((x[s : s + 5000] for s in range(0, x.shape[0], 5000)), RATE, 192_000).packets
    assert [bytes(p) for p in pieces if p] == [bytes(p) for p in whole if p]
    assert [p.pts for p in pieces if p] == [p.pts for p in whole if p]
