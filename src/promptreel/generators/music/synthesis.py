"""Rendering notes to samples: through a General MIDI soundfont with ``tinysoundfont`` (loaded
once per process, cut to the presets the styles play), or a small numpy synth; then the
style's low-pass and reverb, a piece at a time."""

from __future__ import annotations

import math
import tempfile
import threading
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from promptreel.generators.music.styles import STYLES
from promptreel.generators.soundfont import subset

__all__ = [
    "MUSIC_RATE",
    "find_soundfont",
    "lowpass",
    "render_numpy",
    "render_soundfont",
    "reverb",
    "rms_level",
    "soundfont_renderer_installed",
]

MUSIC_RATE = 48000
_SOUNDFONTS = (
    "/usr/share/sounds/sf2/FluidR3_GM.sf2",
    "/usr/share/sounds/sf2/default-GM.sf2",
    "/usr/share/sounds/sf2/TimGM6mb.sf2",
    "/usr/share/soundfonts/FluidR3_GM.sf2",
    "/usr/share/soundfonts/default.sf2",
)
_DRUM = 9


def find_soundfont(preferred: Path | None = None) -> Path | None:
    """``preferred`` if it exists, else the first General MIDI soundfont on the system."""
    if preferred is not None and Path(preferred).is_file():
        return Path(preferred)
    for cand in _SOUNDFONTS:
        if Path(cand).is_file():
            return Path(cand).resolve()
    return None


_SYNTHS: dict[str, tuple[Any, int, threading.Lock]] = {}
#: the (bank, program) pairs the styles play: their instruments, the drum kit and the fallback
_PRESETS = frozenset(
    {(0, p) for st in STYLES.values() for p in (st.pad, st.comp, st.bass, st.lead) if p is not None}
    | {(128, 0), (0, 0)}
)
_SYNTHS_LOCK = threading.Lock()


def soundfont_renderer_installed() -> bool:
    """Whether ``tinysoundfont`` is importable. scripts/setup.sh installs it pinned and without
    its PyAudio requirement (PyAudio is only for live playback, imported by ``Synth.start``,
    which this module never calls), so it is not a pip dependency; without it music renders
    with the numpy synth."""
    return find_spec("tinysoundfont") is not None


def _synth(path: Path) -> tuple[Any, int, threading.Lock]:
    """One loaded soundfont per process (FluidR3 takes about half a second to load)."""
    import tinysoundfont  # renders to arrays; never imports pyaudio

    key = str(path)
    with _SYNTHS_LOCK:
        if key not in _SYNTHS:
            synth = tinysoundfont.Synth(gain=-6, samplerate=MUSIC_RATE)
            _SYNTHS[key] = (synth, _load(synth, path), threading.Lock())
        return _SYNTHS[key]


def _load(synth: Any, path: Path) -> int:
    """Load only the presets the styles play: a subset of the soundfont (see
    :mod:`promptreel.generators.soundfont`; they sound the same) written to a temporary file,
    which the synthesiser holds in a third of the memory. Else the whole file."""
    with tempfile.NamedTemporaryFile(prefix="promptreel-", suffix=".sf2") as tmp:
        if subset(path, _PRESETS, tmp):
            tmp.flush()
            return int(synth.sfload(tmp.name, max_voices=192))
    return int(synth.sfload(str(path), max_voices=192))


def _silence_synth(synth: Any) -> None:
    """Let every voice die out, so the next render starts from the same state (the output is
    then a pure function of the notes; ``reset()`` would not give that)."""
    synth.notes_off()
    synth.sounds_off()
    synth.generate(MUSIC_RATE // 2)


def render_soundfont(pm: Any, frames: int, path: Path) -> npt.NDArray[np.float32]:
    synth, sfid, lock = _synth(path)
    events: list[tuple[int, int, int, int, int]] = []  # (sample, order, chan, key, vel)
    programs: list[tuple[int, int, bool]] = []
    chan = 0
    for inst in pm.instruments:
        if inst.is_drum:
            c = _DRUM
        else:
            c = chan if chan != _DRUM else chan + 1
            chan = c + 1
        programs.append((c, inst.program, inst.is_drum))
        for n in inst.notes:
            s = int(n.start * MUSIC_RATE)
            e = int(n.end * MUSIC_RATE)
            if s >= frames:
                continue
            events.append((s, 1, c, n.pitch, n.velocity))
            events.append((max(e, s + 1), 0, c, n.pitch, 0))
    events.sort()
    out = np.zeros((frames, 2), dtype=np.float32)
    with lock:
        for c, program, drum in programs:
            try:
                synth.program_select(c, sfid, 128 if drum else 0, 0 if drum else program, is_drums=drum)
            except RuntimeError:
                synth.program_select(c, sfid, 0, 0, is_drums=drum)
        pos = 0
        i = 0
        while pos < frames:
            nxt = events[i][0] if i < len(events) else frames
            nxt = min(max(nxt, pos), frames)
            if nxt > pos:
                buf = synth.generate(nxt - pos)
                out[pos:nxt] = np.frombuffer(buf, dtype=np.float32).reshape(-1, 2)
                pos = nxt
            while i < len(events) and events[i][0] <= pos:
                _, on, c, key, vel = events[i]
                if on:
                    synth.noteon(c, key, vel)
                else:
                    synth.noteoff(c, key)
                i += 1
            if i >= len(events) and pos < frames:
                buf = synth.generate(frames - pos)
                out[pos:] = np.frombuffer(buf, dtype=np.float32).reshape(-1, 2)
                pos = frames
        _silence_synth(synth)
    return out


def render_numpy(pm: Any, frames: int, seed: int) -> npt.NDArray[np.float32]:
    """A tiny additive synth: soft triangle-ish tones with envelopes, noise drums."""
    out = np.zeros((frames, 2), dtype=np.float32)
    rng = np.random.default_rng(seed)
    pans = {"pad": 0.0, "comp": -0.3, "bass": 0.0, "lead": 0.3, "drums": 0.1}
    for inst in pm.instruments:
        pan = pans.get(inst.name, 0.0)
        gains = np.array([math.cos((pan + 1) * math.pi / 4), math.sin((pan + 1) * math.pi / 4)], np.float32)
        for n in inst.notes:
            s = int(n.start * MUSIC_RATE)
            if s >= frames:
                continue
            vel = n.velocity / 127.0
            if inst.is_drum:
                length = int(0.12 * MUSIC_RATE) if n.pitch != 36 else int(0.25 * MUSIC_RATE)
                length = min(length, frames - s)
                t = np.arange(length, dtype=np.float32) / MUSIC_RATE
                if n.pitch in (35, 36, 41, 43, 45, 47):
                    f = 55.0 + 60.0 * np.exp(-t * 30)
                    sig = np.sin(2 * np.pi * np.cumsum(f) / MUSIC_RATE) * np.exp(-t * 12)
                else:
                    sig = rng.standard_normal(length).astype(np.float32) * np.exp(-t * 40) * 0.4
                sig = sig * vel * 0.5
            else:
                dur = max(0.05, n.end - n.start)
                length = min(int((dur + 0.3) * MUSIC_RATE), frames - s)
                t = np.arange(length, dtype=np.float32) / MUSIC_RATE
                f = 440.0 * 2 ** ((n.pitch - 69) / 12)
                ph = 2 * np.pi * f * t
                sig = np.sin(ph) + 0.25 * np.sin(2 * ph) + 0.1 * np.sin(3 * ph)
                attack = 0.08 if inst.name == "pad" else 0.01
                env = np.minimum(1.0, t / attack) * np.where(t < dur, 1.0, np.exp(-(t - dur) * 12))
                env *= np.exp(-t * (0.3 if inst.name == "pad" else 1.5))
                sig = sig * env * vel * (0.12 if inst.name == "pad" else 0.2)
            out[s : s + length] += sig[:, None].astype(np.float32) * gains
    return out


#: samples filtered at a time while a bed is made: its temporaries stay a few MB, however long
_PIECE = 8 * MUSIC_RATE


def reverb(x: npt.NDArray[np.float32], wet: float, seed: int) -> npt.NDArray[np.float32]:
    """``x`` with a seeded noise-burst reverb mixed in, in place, a piece at a time
    (overlap-add: each piece's tail is carried into the next)."""
    if wet <= 0:
        return x
    from scipy.signal import fftconvolve

    rng = np.random.default_rng(seed)
    n = int(1.4 * MUSIC_RATE)
    t = np.arange(n) / MUSIC_RATE
    decay = np.exp(-t * 4.2)
    ir = rng.standard_normal((n, 2)) * decay[:, None]
    ir[: int(0.012 * MUSIC_RATE)] = 0  # pre-delay
    ir /= np.sqrt((ir**2).sum(axis=0))
    ir32 = ir.astype(np.float32)
    dry, wet32 = np.float32(1 - wet * 0.5), np.float32(wet)
    carry: npt.NDArray[np.float32] | None = None  # the reverb of earlier pieces ringing on
    for start in range(0, x.shape[0], _PIECE):
        piece = x[start : start + _PIECE]
        y = fftconvolve(piece, ir32, axes=0).astype(np.float32, copy=False)
        if carry is not None:
            y[: carry.shape[0]] += carry
        k = piece.shape[0]
        carry = y[k:]
        piece *= dry
        piece += wet32 * y[:k]
    return x


def lowpass(x: npt.NDArray[np.float32], brightness: float) -> npt.NDArray[np.float32]:
    """``x`` low-passed (brighter styles: not at all), in place, a piece at a time."""
    if brightness >= 0.99:
        return x
    from scipy.signal import butter, sosfilt

    cutoff = 1500 + brightness * 9000
    sos = butter(2, cutoff, fs=MUSIC_RATE, output="sos")
    zi = np.zeros((sos.shape[0], x.shape[1], 2))
    for start in range(0, x.shape[0], _PIECE):
        piece = x[start : start + _PIECE]
        y, zi = sosfilt(sos, piece, axis=0, zi=zi)
        piece[:] = y
    return x


def rms_level(x: npt.NDArray[np.float32]) -> float:
    total = 0.0
    for start in range(0, x.shape[0], _PIECE):
        piece = x[start : start + _PIECE].astype(np.float64)
        total += float(np.einsum("ij,ij->", piece, piece))
    return float(np.sqrt(total / x.size)) if x.size else 0.0
