"""The soundtrack: place narration, music and uploaded audio, duck, normalise, limit.

Everything is integer samples at the output rate. The mix is never held whole: a
:class:`Mixer` makes it a block of time at a time from its sources (narration clips, music
read from its bed, uploaded audio), as often as mastering needs a pass over it. Mastering
(:mod:`promptreel.render.master`) measures the integrated loudness (ITU-R BS.1770) in a first
pass, then finds the gain with a look-ahead true-peak limiter in the loop and hands the
finished blocks to the encoder in order: memory is a few blocks and the sources of the moment,
whatever the length.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from math import gcd
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy.ndimage import maximum_filter1d
from scipy.signal import resample_poly

from promptreel.clip import AudioClip, AudioStream, ClipStream, Ramps, apply_ramps
from promptreel.draft import Draft, Segment, Track, TrackType
from promptreel.render.assets import Assets, MusicStreams
from promptreel.render.avio import load_audio
from promptreel.render.master import integrated_loudness, master, master_blocks, true_peak_db
from promptreel.render.options import RenderOptions
from promptreel.timecode import ms_to_samples

__all__ = [
    "Mixer",
    "mix_audio",
    "soundtrack",
    "master",
    "integrated_loudness",
    "true_peak_db",
    "duck_envelope",
    "duck_envelope_from_energy",
    "to_stereo",
]

Samples = npt.NDArray[np.float32]
Envelope = tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]

BGM_DEFAULT_VOLUME = 0.35
DUCK_DB = -12.0
DUCK_ATTACK_MS = 80
DUCK_RELEASE_MS = 400
DUCK_HOLD_MS = 250
MUSIC_FADE_IN_MS = 500
MUSIC_FADE_OUT_MS = 1500
EDGE_FADE_MS = 8  # de-click fade on cut edges of voice and uploaded clips
_BLOCK_MS = 10


def mix_audio(
    draft: Draft, assets: Assets, rate: int = 48000, options: RenderOptions | None = None
) -> Samples:
    """The draft's whole soundtrack as ``(n, 2)`` float32 at ``rate``, ``n`` = the draft duration:
    the blocks of :func:`soundtrack` in one array."""
    n = ms_to_samples(draft.duration, rate)
    out = np.empty((n, 2), np.float32)
    pos = 0
    for block in soundtrack(draft, assets, rate, options):
        out[pos : pos + block.shape[0]] = block
        pos += block.shape[0]
    return out


def soundtrack(
    draft: Draft, assets: Assets, rate: int = 48000, options: RenderOptions | None = None
) -> Iterator[Samples]:
    """The draft's finished soundtrack, ``(k, 2)`` float32 blocks in order, ``n`` samples in all.

    Narration (``voice``) segments start sample-exactly at their start; music loops or is
    trimmed to its segment with fades and is ducked under the narration; uploaded ``audio``
    segments honour ``trim_in``. Track ``volume``/``muted`` apply (background music defaults to
    0.35). The mix is normalised to ``options.loudness_lufs`` and true-peak limited to
    ``options.true_peak_db``. A silent draft gives silence.
    """
    opts = options or RenderOptions()
    mixer = Mixer(draft, assets, rate)
    return master_blocks(
        mixer.blocks,
        mixer.n,
        rate,
        opts.loudness_lufs,
        opts.true_peak_db,
        oversample=opts.true_peak_oversample,
        tolerance=opts.loudness_tolerance_lu,
    )


class Mixer:
    """The draft's mix before mastering, made a block at a time (:meth:`blocks`, as often as
    asked): each block is the sum of the sources it overlaps, in the draft's order, narration
    first. The ducking envelope is computed once, from the narration, per 10 ms."""

    def __init__(self, draft: Draft, assets: Assets, rate: int) -> None:
        self.n = ms_to_samples(draft.duration, rate)
        self.rate = rate
        block = _block(rate)
        voice_energy = np.zeros(-(-self.n // block) if self.n else 0, np.float64)  # per 10 ms block
        voices: list[_Source] = []
        later: list[tuple[Track, Segment, float]] = []
        for track in draft.tracks:
            gain = _track_gain(track) if track.type == TrackType.AUDIO else 0.0
            for seg in track.segments if gain > 0 else ():
                if (
                    seg.kind == "music"
                    or track.role == "bgm"
                    or not (seg.kind == "voice" or track.role == "narration")
                ):
                    later.append((track, seg, gain))
                    continue
                source = self._source(seg, track, assets, gain, None)
                if source is not None:
                    voices.append(source)
                    sig = source.whole()
                    if sig is not None:
                        _add_energy(voice_energy, sig, source.a, block)
                    source.reset()
        env = _duck_gain(voice_energy, block)  # per 10 ms block: applied piecewise, never n samples long
        self.sources = voices
        for track, seg, gain in later:
            duck = (seg.kind == "music" or track.role == "bgm") and bool(track.meta.get("duck", True))
            source = self._source(seg, track, assets, gain, env if duck else None)
            if source is not None:
                self.sources.append(source)

    def _source(
        self, seg: Segment, track: Track, assets: Assets, gain: float, env: Envelope | None
    ) -> _Source | None:
        a = ms_to_samples(seg.start, self.rate)
        b = min(self.n, ms_to_samples(seg.end, self.rate))
        if b <= a:
            return None
        scale = gain * float(seg.meta.get("volume", 1.0))
        if seg.kind == "music":
            streamed = _music_reader(seg, assets, self.rate, b - a)
            if streamed is not None:
                return _Streamed(a, b, *streamed, scale, env)
        rate = self.rate

        def make() -> Samples | None:
            return _segment_signal(seg, track, assets, rate, b - a)

        return _Whole(a, b, make, scale, env)

    def blocks(self) -> Iterator[Samples]:
        """One pass over the mix: ``(k, 2)`` float32 blocks of ``_TP_BLOCK`` samples (the last
        shorter), ``n`` samples in all."""
        size = _TP_BLOCK
        try:
            for s in range(0, self.n, size):
                e = min(self.n, s + size)
                out = np.zeros((e - s, 2), np.float32)
                for source in self.sources:
                    if source.a < e and source.b > s:
                        source.add(out, s, e)
                yield out
        finally:
            for source in self.sources:
                source.reset()


class _Source:
    """One segment's sound in the mix, samples ``[a, b)``."""

    a: int
    b: int

    def add(self, out: Samples, s: int, e: int) -> None:
        """Add this source's part of mix samples ``[s, e)`` to ``out``."""
        raise NotImplementedError

    def whole(self) -> Samples | None:
        """All ``b - a`` samples at once (narration: short), ``None`` for none."""
        out = np.zeros((self.b - self.a, 2), np.float32)
        self.add(out, self.a, self.b)
        return out

    def reset(self) -> None:
        """Let go of what the last pass held."""


class _Whole(_Source):
    """A segment whose signal is made whole (narration, uploaded audio, looped music) when its
    first block is mixed, and let go after its last."""

    def __init__(
        self, a: int, b: int, make: Callable[[], Samples | None], scale: float, env: Envelope | None
    ) -> None:
        self.a, self.b = a, b
        self._make, self._scale, self._env = make, scale, env
        self._sig: Samples | None = None
        self._made = False

    def _signal(self) -> Samples | None:
        if not self._made:
            sig = self._make()
            if sig is not None:
                sig *= np.float32(self._scale)
                if self._env is not None:
                    _apply_gain(sig, self.a, *self._env)
            self._sig, self._made = sig, True
        return self._sig

    def whole(self) -> Samples | None:
        return self._signal()

    def add(self, out: Samples, s: int, e: int) -> None:
        sig = self._signal()
        if sig is not None:
            lo, hi = max(s, self.a), min(e, self.b)
            out[lo - s : hi - s] += sig[lo - self.a : hi - self.a]
        if e >= self.b:
            self.reset()

    def reset(self) -> None:
        self._sig, self._made = None, False


class _Streamed(_Source):
    """A music bed read from its stream a block at a time, with the trim fade, the music fades,
    gain and ducking applied to each piece: the same arithmetic as the whole clip. The stream
    (a bed of bounded length) is opened once and read at every pass."""

    def __init__(
        self, a: int, b: int, stream: AudioStream, ramps: Ramps, scale: float, env: Envelope | None
    ) -> None:
        self.a, self.b = a, b
        self._stream, self._ramps, self._scale, self._env = stream, ramps, scale, env

    def add(self, out: Samples, s: int, e: int) -> None:
        lo, hi = max(s, self.a), min(e, self.b)
        piece = self._stream.read(lo - self.a, hi - self.a)
        apply_ramps(piece, lo - self.a, self._ramps)
        piece *= np.float32(self._scale)
        if self._env is not None:
            _apply_gain(piece, lo, *self._env)
        out[lo - s : hi - s] += piece


def _music_reader(seg: Segment, assets: Assets, rate: int, length: int) -> tuple[AudioStream, Ramps] | None:
    """The stream of a music bed that needs no resampling, upmix or looping, with the fades
    :func:`_segment_signal` would apply as ramps; ``None``: not such a bed (it is made whole
    instead)."""
    stream = assets.music_stream(seg) if isinstance(assets, MusicStreams) else ClipStream(assets.music(seg))
    if stream.rate != rate or stream.channels != 2 or stream.frames < length:
        return None
    # the factors _fit and _fade would apply, as (first sample, ramp) spans
    ramps: list[tuple[int, Samples]] = []
    if stream.frames > length:
        edge = min(length // 2, int(EDGE_FADE_MS * 48))
        edge = min(max(0, edge), length)
        if edge:
            ramps.append((length - edge, np.linspace(1.0, 0.0, edge, dtype=np.float32)))
    fade_in = ms_to_samples(int(seg.meta.get("fade_in", MUSIC_FADE_IN_MS)), rate)
    fade_out = ms_to_samples(int(seg.meta.get("fade_out", MUSIC_FADE_OUT_MS)), rate)
    fade_in = min(max(0, fade_in), length // 2)
    fade_out = min(max(0, fade_out), length - fade_in)
    if fade_in:
        ramps.append((0, np.linspace(0.0, 1.0, fade_in, dtype=np.float32)))
    if fade_out:
        ramps.append((length - fade_out, np.linspace(1.0, 0.0, fade_out, dtype=np.float32)))
    return stream, tuple(ramps)


def _block(rate: int) -> int:
    return max(1, rate * _BLOCK_MS // 1000)


def _add_energy(energy: npt.NDArray[np.float64], sig: Samples, start: int, block: int) -> None:
    """Accumulate the mean square (loudest channel) of ``sig`` into 10 ms blocks of ``energy``."""
    if sig.shape[0] == 0:
        return
    sq = np.square(sig[:, 0], dtype=np.float64)
    for c in range(1, sig.shape[1]):  # the loudest channel (elementwise: max(axis=1) is slow)
        np.maximum(sq, np.square(sig[:, c], dtype=np.float64), out=sq)
    first = start // block
    offset = start - first * block
    padded = np.zeros(-(-(offset + sq.shape[0]) // block) * block, np.float64)
    padded[offset : offset + sq.shape[0]] = sq
    sums = padded.reshape(-1, block).mean(axis=1)
    stop = min(energy.shape[0], first + sums.shape[0])
    energy[first:stop] += sums[: stop - first]


# -- segments ------------------------------------------------------------------------------


def _track_gain(track: Track) -> float:
    if track.meta.get("muted"):
        return 0.0
    default = BGM_DEFAULT_VOLUME if track.role == "bgm" else 1.0
    return max(0.0, float(track.meta.get("volume", default)))


def _segment_signal(seg: Segment, track: Track, assets: Assets, rate: int, length: int) -> Samples | None:
    if seg.kind == "voice":
        clip = assets.voice(seg)
        return _fit(to_stereo(clip, rate), length, loop=False)
    if seg.kind == "music":
        clip = assets.music(seg)
        sig = _fit(to_stereo(clip, rate), length, loop=True)
        fade_in = int(seg.meta.get("fade_in", MUSIC_FADE_IN_MS))
        fade_out = int(seg.meta.get("fade_out", MUSIC_FADE_OUT_MS))
        _fade(sig, ms_to_samples(fade_in, rate), ms_to_samples(fade_out, rate))
        return sig
    if seg.kind == "audio":
        path = _media_file(seg, assets)
        if path is None:
            return None
        clip = load_audio(path)
        skip = ms_to_samples(int(seg.meta.get("trim_in", 0)), clip.rate)
        clip = AudioClip(clip.samples[skip:], clip.rate)
        return _fit(to_stereo(clip, rate), length, loop=False)
    return None


def _media_file(seg: Segment, assets: Assets) -> Path | None:
    """The file of an ``audio`` segment: its ``media_id`` (else ``src``) as ``assets`` resolves it
    (never a path taken from the draft itself)."""
    for field in ("media_id", "src"):
        ref = str(seg.meta.get(field, "") or "")
        if ref:
            found = assets.media_path(ref)
            if found is not None:
                return found
    return None


def to_stereo(clip: AudioClip, rate: int) -> Samples:
    """``clip`` as (n, 2) float32 at ``rate``: mono upmixed, >2 channels folded, resampled."""
    x = np.asarray(clip.samples, dtype=np.float32)
    if x.ndim == 1:
        x = x[:, None]
    if x.shape[1] > 2:
        x = np.stack([x[:, 0::2].mean(axis=1), x[:, 1::2].mean(axis=1)], axis=1)
    if clip.rate != rate and x.shape[0] > 0:  # before the upmix: a mono voice is resampled once
        g = gcd(int(clip.rate), int(rate))
        x = resample_poly(x, rate // g, clip.rate // g, axis=0).astype(np.float32, copy=False)
    if x.shape[1] == 1:
        x = np.repeat(x, 2, axis=1)
    x = np.ascontiguousarray(x, dtype=np.float32)
    # the caller's own array (it is faded and scaled in place), never the clip's samples
    return x.copy() if np.may_share_memory(x, clip.samples) else x


def _fit(x: Samples, length: int, *, loop: bool) -> Samples:
    """Trim or extend ``x`` (the caller's own array) to ``length`` samples (looping with a short
    crossfade, or silence); a long enough ``x`` is trimmed in place, without a copy."""
    if x.shape[0] >= length > 0:
        out = x[:length]
        if x.shape[0] > length:
            _fade(out, 0, min(length // 2, int(EDGE_FADE_MS * 48)))
        return out
    out = np.zeros((length, 2), np.float32)
    if x.shape[0] == 0:
        return out
    if not loop:
        out[: x.shape[0]] = x
        return out
    xf = min(x.shape[0] // 4, 2400)  # 50 ms crossfade at 48 kHz at each loop point
    pos = 0
    first = True
    while pos < length:
        piece = x.copy()
        if not first and xf > 0:
            ramp = np.linspace(0.0, 1.0, xf, dtype=np.float32)[:, None]
            piece[:xf] *= ramp
            start = max(0, pos - xf)
            out[start:pos] *= 1.0 - ramp[: pos - start]
            pos = start
        take = min(piece.shape[0], length - pos)
        out[pos : pos + take] += piece[:take]
        pos += take
        first = False
    return out


def _fade(x: Samples, fade_in: int, fade_out: int) -> None:
    n = x.shape[0]
    fade_in = min(max(0, fade_in), n // 2)
    fade_out = min(max(0, fade_out), n - fade_in)
    if fade_in:
        x[:fade_in] *= np.linspace(0.0, 1.0, fade_in, dtype=np.float32)[:, None]
    if fade_out:
        x[n - fade_out :] *= np.linspace(1.0, 0.0, fade_out, dtype=np.float32)[:, None]


# -- ducking -------------------------------------------------------------------------------


def duck_envelope(voice: Samples, rate: int, depth_db: float = DUCK_DB) -> npt.NDArray[np.float32]:
    """Per-sample gain for music under ``voice`` (n, channels): see :func:`duck_envelope_from_energy`."""
    n = voice.shape[0]
    block = _block(rate)
    energy = np.zeros(-(-n // block) if n else 0, np.float64)
    _add_energy(energy, voice.reshape(n, -1), 0, block)
    return duck_envelope_from_energy(energy, block, n, depth_db)


def duck_envelope_from_energy(
    energy: npt.NDArray[np.float64], block: int, n: int, depth_db: float = DUCK_DB
) -> npt.NDArray[np.float32]:
    """Per-sample gain for music: ``depth_db`` while the voice speaks, 1 elsewhere.

    A sidechain follower on the voice: 10 ms blocks above -45 dBFS RMS count as speech, held
    across short pauses (and a little before the first word), then smoothed with the attack and
    release times (a one-pole per direction).
    """
    out = np.ones((n, 1), np.float32)
    if n:
        _apply_gain(out, 0, *_duck_gain(energy, block, depth_db))
    return out[:, 0]


def _duck_gain(
    energy: npt.NDArray[np.float64], block: int, depth_db: float = DUCK_DB
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """The ducking gain per 10 ms block, as (block centre in samples, gain)."""
    active = np.sqrt(energy) > 10 ** (-45 / 20)
    hold = max(1, DUCK_HOLD_MS // _BLOCK_MS)
    active = maximum_filter1d(active.astype(np.uint8), size=2 * hold + 1) > 0
    floor = 10 ** (depth_db / 20)
    target = np.where(active, floor, 1.0)
    a_att = 1 - np.exp(-_BLOCK_MS / DUCK_ATTACK_MS)
    a_rel = 1 - np.exp(-_BLOCK_MS / DUCK_RELEASE_MS)
    gain = np.empty(target.shape[0], np.float64)
    g = 1.0
    for i, t in enumerate(target.tolist()):
        g += (t - g) * (a_att if t < g else a_rel)
        gain[i] = g
    centres = np.arange(target.shape[0], dtype=np.float64) * block + block / 2
    return centres, gain


def _apply_gain(
    x: Samples, start: int, centres: npt.NDArray[np.float64], gain: npt.NDArray[np.float64]
) -> None:
    """Multiply ``x`` (samples ``start`` … of the mix) by the block gain, interpolated per sample,
    piece by piece: no temporaries as long as ``x``."""
    n = x.shape[0]
    for s in range(0, n, _TP_BLOCK):
        e = min(n, s + _TP_BLOCK)
        x[s:e] *= np.interp(np.arange(start + s, start + e, dtype=np.float64), centres, gain).astype(
            np.float32
        )[:, None]


_TP_BLOCK = 1 << 17  # samples gained at a time
