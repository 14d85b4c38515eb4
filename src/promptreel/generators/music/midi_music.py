"""The :class:`~promptreel.generators.base.Music` engine (:class:`MidiMusic`): a bed composed,
rendered, filtered and levelled, read with fades as a :class:`BedStream` (long beds are one
loop repeated with crossfades)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from promptreel.clip import AudioClip, Ramps, apply_ramps
from promptreel.generators.music.composition import compose_midi
from promptreel.generators.music.styles import STYLES, resolve_style
from promptreel.generators.music.synthesis import (
    MUSIC_RATE,
    find_soundfont,
    lowpass,
    render_numpy,
    render_soundfont,
    reverb,
    rms_level,
    soundfont_renderer_installed,
)
from promptreel.timecode import ms_to_samples

__all__ = ["LOOP_MS", "LOOP_XFADE_MS", "BedStream", "MidiMusic", "bed_ms"]

LOOP_MS = 64_000  # longest bed composed in one piece; longer beds repeat it
LOOP_XFADE_MS = 2_000
_VERSION = 6  # bump when composition or rendering changes (invalidates cached music)


class MidiMusic:
    """The :class:`~promptreel.generators.base.Music` engine.

    ``soundfont``: a General MIDI ``.sf2``; ``None`` → ``settings.soundfont`` or the first one
    found on the system; if there is none, the numpy synth renders instead. Output is stereo
    48 kHz, exactly ``duration_ms`` long, RMS about −20 dBFS with the peak under −1 dBFS.
    """

    rate = MUSIC_RATE

    def __init__(
        self,
        soundfont: Path | None = None,
        *,
        use_soundfont: bool = True,
        fade_in_ms: int = 800,
        fade_out_ms: int = 2000,
    ) -> None:
        use_soundfont = use_soundfont and soundfont_renderer_installed()
        self.soundfont = find_soundfont(soundfont) if use_soundfont else None
        self.fade_in_ms = fade_in_ms
        self.fade_out_ms = fade_out_ms
        sf = f"{self.soundfont.name}:{self.soundfont.stat().st_size}" if self.soundfont else "numpy"
        self.version = f"midi:{_VERSION}:{sf}:{fade_in_ms}:{fade_out_ms}"

    @staticmethod
    def styles() -> list[str]:
        return list(STYLES)

    def midi(self, *, style: str, duration_ms: int, seed: int = 0, tempo: int = 0) -> Any:
        """The composition as ``pretty_midi.PrettyMIDI`` (e.g. to export a ``.mid``)."""
        return compose_midi(style, duration_ms, seed=seed, tempo=tempo)

    def compose(self, *, style: str, duration_ms: int, seed: int = 0, tempo: int = 0) -> AudioClip:
        """Music of exactly ``duration_ms``. Beds longer than ``LOOP_MS`` are one composed loop
        repeated with crossfades, so the time to make them stays flat however long the video
        is (:meth:`compose_stream` gives the same samples without holding them all)."""
        if duration_ms <= 0:
            return AudioClip.silence(0, MUSIC_RATE, channels=2)
        stream = self.compose_stream(style=style, duration_ms=duration_ms, seed=seed, tempo=tempo)
        return AudioClip(stream.read(0, stream.frames), MUSIC_RATE)

    def bed_ms(self, duration_ms: int) -> int:
        """How long the bed of music ``duration_ms`` long is (see :func:`bed_ms`)."""
        return bed_ms(duration_ms)

    def compose_stream(self, *, style: str, duration_ms: int, seed: int = 0, tempo: int = 0) -> BedStream:
        """:meth:`compose` read a piece at a time: memory is one bed (at most ``LOOP_MS`` and a
        crossfade), whatever the length."""
        bed = self.bed(style=style, duration_ms=duration_ms, seed=seed, tempo=tempo)
        return self.stream(bed, duration_ms)

    def bed(self, *, style: str, duration_ms: int, seed: int = 0, tempo: int = 0) -> AudioClip:
        """The rendered music that music of ``duration_ms`` is read from: :func:`bed_ms` long,
        without fades (what is worth caching)."""
        ms = bed_ms(duration_ms)
        if ms <= 0:
            return AudioClip.silence(0, MUSIC_RATE, channels=2)
        return AudioClip(self._bed(style, ms, seed, tempo), MUSIC_RATE)

    def stream(self, bed: AudioClip, duration_ms: int) -> BedStream:
        """Music of ``duration_ms`` read from ``bed`` (from :meth:`bed` for that duration)."""
        frames = max(0, ms_to_samples(duration_ms, MUSIC_RATE))
        tiled = bed_ms(duration_ms) < duration_ms
        return BedStream(
            bed.samples,
            frames,
            xfade=ms_to_samples(LOOP_XFADE_MS, MUSIC_RATE) if tiled else 0,
            ramps=_fade_ramps(frames, self.fade_in_ms, self.fade_out_ms),
        )

    def _bed(self, style: str, duration_ms: int, seed: int, tempo: int) -> npt.NDArray[np.float32]:
        """Rendered, filtered and levelled music of ``duration_ms`` (no fades)."""
        name, st = resolve_style(style)
        pm = compose_midi(name, duration_ms, seed=seed, tempo=tempo)
        frames = ms_to_samples(duration_ms, MUSIC_RATE)
        if self.soundfont is not None:
            x = render_soundfont(pm, frames, self.soundfont)
        else:
            x = render_numpy(pm, frames, seed)
        x = lowpass(x, st.brightness)
        x = reverb(x, st.reverb, seed)
        rms = rms_level(x)
        if rms > 1e-6:
            x *= 0.1 / rms  # −20 dBFS RMS
        peak = max(float(x.max()), -float(x.min())) if x.size else 0.0
        if peak > 0.89:
            x *= 0.89 / peak
        return np.asarray(x, dtype=np.float32)


def bed_ms(duration_ms: int) -> int:
    """How long the bed of music ``duration_ms`` long is: all of it, or one loop to repeat."""
    return LOOP_MS + LOOP_XFADE_MS if duration_ms > LOOP_MS + LOOP_XFADE_MS else max(0, duration_ms)


def _fade_ramps(n: int, fade_in_ms: int, fade_out_ms: int) -> Ramps:
    """Gentle fades over the first and last samples of ``n`` (sine² in, cosine² out), as ramps."""
    fi = min(n // 4, MUSIC_RATE * fade_in_ms // 1000)
    fo = min(n // 3, MUSIC_RATE * fade_out_ms // 1000)
    ramps: list[tuple[int, npt.NDArray[np.float32]]] = []
    if fi > 0:
        ramps.append((0, np.sin(np.linspace(0, np.pi / 2, fi, dtype=np.float32)) ** 2))
    if fo > 0:
        ramps.append((n - fo, np.cos(np.linspace(0, np.pi / 2, fo, dtype=np.float32)) ** 2))
    return tuple(ramps)


class BedStream:
    """Music ``frames`` long read from one bed: the bed itself (``xfade == 0``), or the bed
    repeated every ``len(bed) - xfade`` samples, each repeat crossfaded (equal power) over the
    end of the one before, then faded.
    Reading ``[a, b)`` gives exactly those samples of the whole, computed then."""

    def __init__(self, bed: npt.NDArray[np.float32], frames: int, *, xfade: int, ramps: Ramps) -> None:
        self.bed = np.ascontiguousarray(bed, dtype=np.float32)
        self.frames = frames if xfade else min(frames, self.bed.shape[0])
        self.rate = MUSIC_RATE
        self.channels = int(self.bed.shape[1])
        self.xfade = xfade
        self.ramps = ramps
        ramp = np.linspace(0.0, np.pi / 2, xfade, dtype=np.float32)[:, None]
        self._in, self._out = np.sin(ramp), np.cos(ramp)

    def read(self, start: int, stop: int) -> npt.NDArray[np.float32]:
        start, stop = max(0, start), min(self.frames, stop)
        out = np.empty((max(0, stop - start), self.channels), np.float32)
        bed, xf = self.bed, self.xfade
        period = bed.shape[0] - xf
        t = start
        while t < stop:
            if not xf:
                out[:] = bed[start:stop]
                break
            k, j = divmod(t, period)
            if k and j < xf:  # a repeat fading in over the end of the one before
                e = min(stop, t + xf - j)
                m = e - t
                out[t - start : e - start] = (
                    bed[period + j : period + j + m] * self._out[j : j + m]
                    + bed[j : j + m] * self._in[j : j + m]
                )
            else:
                e = min(stop, (k + 1) * period)
                out[t - start : e - start] = bed[j : j + e - t]
            t = e
        apply_ramps(out, start, self.ramps)
        return out
