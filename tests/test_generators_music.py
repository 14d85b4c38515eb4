"""Background music: composition by style and seed, soundfont and numpy rendering."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from promptreel.clip import AudioClip
from promptreel.errors import InvalidRequest
from promptreel.generators.music import (
    LOOP_MS,
    LOOP_XFADE_MS,
    MUSIC_RATE,
    STYLES,
    BedStream,
    MidiMusic,
    compose_midi,
    find_soundfont,
)

DURATION = 4000


@pytest.fixture(scope="session")
def music() -> MidiMusic:
    return MidiMusic()


@pytest.fixture(scope="session")
def clips(music: MidiMusic) -> dict[str, AudioClip]:
    return {s: music.compose(style=s, duration_ms=DURATION, seed=7) for s in STYLES}


def _rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(x.astype(np.float64) ** 2)))


def test_soundfont_is_found() -> None:
    sf = find_soundfont()
    assert sf is not None and sf.suffix == ".sf2"


def test_the_soundfont_renders_without_pyaudio(
    music: MidiMusic, clips: dict[str, AudioClip], monkeypatch: pytest.MonkeyPatch
) -> None:
    """tinysoundfont is installed without its PyAudio requirement (scripts/models.txt, --no-deps):
    rendering to arrays must never need it."""
    assert music.soundfont is not None and "numpy" not in music.version
    monkeypatch.setitem(sys.modules, "pyaudio", None)  # any import of it now fails
    with pytest.raises(ImportError):
        import pyaudio  # noqa: F401
    again = MidiMusic().compose(style="calm", duration_ms=DURATION, seed=7)
    assert np.array_equal(again.samples, clips["calm"].samples)


def test_without_tinysoundfont_the_numpy_synth_renders(monkeypatch: pytest.MonkeyPatch) -> None:
    import promptreel.generators.music.synthesis as music_module

    monkeypatch.setattr(music_module, "find_spec", lambda name: None)
    assert not music_module.soundfont_renderer_installed()
    synth = MidiMusic()
    assert synth.soundfont is None and "numpy" in synth.version
    assert synth.compose(style="calm", duration_ms=500).duration_ms >= 500


def test_every_style_is_stereo_long_enough_and_audible(clips: dict[str, AudioClip]) -> None:
    for style, clip in clips.items():
        assert clip.rate == 48000 and clip.channels == 2, style
        assert clip.duration_ms >= DURATION, style
        assert clip.samples.dtype == np.float32
        middle = clip.samples[clip.frames // 4 : 3 * clip.frames // 4]
        assert _rms(middle) > 0.03, style
        assert float(np.max(np.abs(clip.samples))) <= 0.9, style


def test_fades_in_and_out(clips: dict[str, AudioClip]) -> None:
    clip = clips["upbeat"]
    head = clip.samples[: clip.rate // 20]
    tail = clip.samples[-clip.rate // 20 :]
    middle = clip.samples[clip.frames // 3 : 2 * clip.frames // 3]
    assert _rms(head) < 0.3 * _rms(middle)
    assert _rms(tail) < 0.3 * _rms(middle)


def test_deterministic_by_seed_and_different_by_style(music: MidiMusic, clips: dict[str, AudioClip]) -> None:
    again = music.compose(style="lofi", duration_ms=DURATION, seed=7)
    assert np.array_equal(again.samples, clips["lofi"].samples)
    other_seed = music.compose(style="lofi", duration_ms=DURATION, seed=8)
    assert not np.array_equal(other_seed.samples, clips["lofi"].samples)
    styles = list(clips)
    for i, a in enumerate(styles):
        for b in styles[i + 1 :]:
            assert not np.allclose(clips[a].samples, clips[b].samples, atol=1e-3), (a, b)


def test_tempo_and_composition() -> None:
    pm = compose_midi("upbeat", 10000, seed=1)
    assert pm.get_end_time() >= 10.0
    roles = {i.name for i in pm.instruments}
    assert {"pad", "bass", "drums"} <= roles
    slow = compose_midi("upbeat", 10000, seed=1, tempo=60)
    notes = sum(len(i.notes) for i in pm.instruments)
    assert sum(len(i.notes) for i in slow.instruments) < notes
    assert abs(pm.estimate_tempo() - slow.estimate_tempo()) > 1 or pm.get_tempo_changes()[1][0] == 118


def test_numpy_fallback_renders_without_a_soundfont() -> None:
    synth = MidiMusic(use_soundfont=False)
    assert synth.soundfont is None and "numpy" in synth.version
    clip = synth.compose(style="calm", duration_ms=3000, seed=3)
    assert clip.duration_ms >= 3000 and clip.channels == 2
    assert _rms(clip.samples) > 0.03


def test_unknown_style_is_a_clear_error_and_aliases_work(music: MidiMusic) -> None:
    with pytest.raises(InvalidRequest, match="style"):
        music.compose(style="polka-metal", duration_ms=1000)
    assert music.compose(style="Chill", duration_ms=500).duration_ms >= 500
    assert music.compose(style="lofi", duration_ms=0).frames == 0


def test_style_names_and_moods() -> None:
    from promptreel.generators.music import style_name

    assert style_name("Chill") == "lofi" and style_name("inspiring") == "cinematic"
    assert style_name("upbeat") == "upbeat" and style_name("polka-metal") is None


def test_long_beds_repeat_one_loop_seamlessly() -> None:
    music = MidiMusic(use_soundfont=False)
    clip = music.compose(style="lofi", duration_ms=150_000, seed=3)
    x = clip.samples
    assert clip.rate == MUSIC_RATE and x.shape == (150 * MUSIC_RATE, 2)
    # the second pass starts where the first loop ends: its opening matches the first one
    period = (LOOP_MS) * MUSIC_RATE // 1000
    xfade = LOOP_XFADE_MS * MUSIC_RATE // 1000
    a = x[xfade + MUSIC_RATE : xfade + 2 * MUSIC_RATE]
    b = x[period + xfade + MUSIC_RATE : period + xfade + 2 * MUSIC_RATE]
    assert np.allclose(a, b, atol=1e-5)
    # audible everywhere between the fades: no silent gap at loop joins
    body = x[3 * MUSIC_RATE : -3 * MUSIC_RATE]
    windows = body[: len(body) // MUSIC_RATE * MUSIC_RATE].reshape(-1, MUSIC_RATE, 2)
    rms = np.sqrt((windows.astype(np.float64) ** 2).mean(axis=(1, 2)))
    assert rms.min() > 0.01


def test_a_long_bed_read_in_pieces_is_the_composed_music() -> None:
    """compose_stream gives compose's samples, piece by piece, from one loop-long bed."""
    music = MidiMusic(use_soundfont=False)
    whole = music.compose(style="upbeat", duration_ms=150_000, seed=3).samples
    stream = music.compose_stream(style="upbeat", duration_ms=150_000, seed=3)
    assert stream.frames == whole.shape[0] and stream.rate == MUSIC_RATE
    assert stream.bed.shape[0] == (LOOP_MS + LOOP_XFADE_MS) * MUSIC_RATE // 1000
    step = 77_777  # pieces that straddle loop joins and fades
    pieces = np.concatenate([stream.read(s, s + step) for s in range(0, stream.frames, step)])
    assert np.array_equal(pieces, whole)


def test_the_cache_keeps_the_bed_not_the_whole_music(tmp_path: Path) -> None:
    from promptreel.generators.cache import CachedMusic, DiskCache

    engine = MidiMusic(use_soundfont=False)
    cached = CachedMusic(engine, DiskCache(tmp_path))
    stream = cached.compose_stream(style="calm", duration_ms=100_000, seed=2)
    again = cached.compose_stream(style="calm", duration_ms=130_000, seed=2)  # the same bed
    assert isinstance(stream, BedStream) and isinstance(again, BedStream)
    assert again.bed is stream.bed
    stored = sum(p.stat().st_size for p in tmp_path.rglob("*.npz"))
    assert stored < 1.1 * stream.bed.nbytes  # one bed, not 100 s of music
    whole = engine.compose(style="calm", duration_ms=100_000, seed=2).samples
    assert np.array_equal(stream.read(0, stream.frames), whole)


@pytest.mark.parametrize("name", ["TimGM6mb.sf2", "FluidR3_GM.sf2"])
def test_the_synth_loads_only_what_the_styles_play(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The soundfont is cut to the styles' presets (a fraction of the file) and sounds the same."""
    import promptreel.generators.music.synthesis as music_module
    from promptreel.generators.soundfont import subset

    path = Path("/usr/share/sounds/sf2") / name
    if not path.is_file():
        pytest.skip(f"{name} is not installed")
    cut = tmp_path / "cut.sf2"
    with cut.open("wb") as out:
        assert subset(path, music_module._PRESETS, out)
    assert cut.stat().st_size < 0.5 * path.stat().st_size or name.startswith("Tim")
    if name.startswith("Fluid"):
        return  # loading the whole of FluidR3 to compare costs 400 MB: the small font compares
    monkeypatch.setattr(music_module, "_SYNTHS", {})
    music = MidiMusic(path)
    cut_clip = music.compose(style="energetic", duration_ms=6000, seed=1).samples
    monkeypatch.setattr(music_module, "_SYNTHS", {})
    monkeypatch.setattr(music_module, "subset", lambda *args: False)  # the whole file
    whole_clip = music.compose(style="energetic", duration_ms=6000, seed=1).samples
    assert _rms(whole_clip) > 0.01
    assert np.allclose(cut_clip, whole_clip, atol=1e-4)
