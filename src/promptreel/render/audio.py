"""The soundtrack: place narration, music and uploaded audio, duck, normalise, limit — once.

Everything is integer samples at the output rate. The mix is normalised to an integrated
loudness (ITU-R BS.1770 via pyloudnorm) and then limited so the 4× oversampled true peak stays
at or below the ceiling.
"""

from __future__ import annotations

from math import gcd
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyloudnorm
from scipy.ndimage import maximum_filter1d, minimum_filter1d, uniform_filter1d
from scipy.signal import lfilter, lfilter_zi, resample_poly

from promptreel.clip import AudioClip
from promptreel.draft import Draft, Segment, Track, TrackType
from promptreel.render.assets import Assets
from promptreel.render.media import load_audio
from promptreel.render.options import RenderOptions
from promptreel.timecode import ms_to_samples

__all__ = [
    "mix_audio",
    "master",
    "integrated_loudness",
    "true_peak_db",
    "duck_envelope",
    "duck_envelope_from_energy",
    "to_stereo",
]

Samples = npt.NDArray[np.float32]

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
    """The draft's whole soundtrack as ``(n, 2)`` float32 at ``rate``, ``n`` = the draft duration.

    Narration (``voice``) segments start sample-exactly at their start; music loops or is
    trimmed to its segment with fades and is ducked under the narration; uploaded ``audio``
    segments honour ``trim_in``. Track ``volume``/``muted`` apply (background music defaults to
    0.35). The mix is normalised to ``options.loudness_lufs`` and true-peak limited to
    ``options.true_peak_db``. A silent draft gives silence.
    """
    opts = options or RenderOptions()
    n = ms_to_samples(draft.duration, rate)
    mix = np.zeros((n, 2), np.float32)
    block = _block(rate)
    voice_energy = np.zeros(-(-n // block) if n else 0, np.float64)  # per 10 ms block
    later: list[tuple[Track, Segment, float]] = []
    # pass 1: narration, straight into the mix; its energy drives the ducking
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
            placed = _place(mix, seg, track, assets, rate, gain)
            if placed is not None:
                a, sig = placed
                _add_energy(voice_energy, sig, a, block)
    env = _duck_gain(voice_energy, block)  # per 10 ms block: applied piecewise, never n samples long
    # pass 2: everything else, music ducked under the narration
    for track, seg, gain in later:
        duck = (seg.kind == "music" or track.role == "bgm") and bool(track.meta.get("duck", True))
        _place(mix, seg, track, assets, rate, gain, env if duck else None)
    del env, voice_energy
    return master(mix, rate, opts.loudness_lufs, opts.true_peak_db)


def _place(
    mix: Samples,
    seg: Segment,
    track: Track,
    assets: Assets,
    rate: int,
    gain: float,
    env: tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]] | None = None,
) -> tuple[int, Samples] | None:
    """Add one segment's sound to ``mix`` at its start; returns (first sample, the signal)."""
    n = mix.shape[0]
    a = ms_to_samples(seg.start, rate)
    b = min(n, ms_to_samples(seg.end, rate))
    if b <= a:
        return None
    sig = _segment_signal(seg, track, assets, rate, b - a)
    if sig is None:
        return None
    sig *= np.float32(gain * float(seg.meta.get("volume", 1.0)))
    if env is not None:
        _apply_gain(sig, a, *env)
    mix[a:b] += sig
    return a, sig


def _block(rate: int) -> int:
    return max(1, rate * _BLOCK_MS // 1000)


def _add_energy(energy: npt.NDArray[np.float64], sig: Samples, start: int, block: int) -> None:
    """Accumulate the mean square (loudest channel) of ``sig`` into 10 ms blocks of ``energy``."""
    if sig.shape[0] == 0:
        return
    sq = np.square(sig, dtype=np.float64).max(axis=1)
    first = start // block
    offset = start - first * block
    padded = np.zeros(-(-(offset + sq.shape[0]) // block) * block, np.float64)
    padded[offset : offset + sq.shape[0]] = sq
    sums = padded.reshape(-1, block).mean(axis=1)
    stop = min(energy.shape[0], first + sums.shape[0])
    energy[first:stop] += sums[: stop - first]


def master(mix: Samples, rate: int, lufs: float, ceiling_db: float) -> Samples:
    """Normalise ``mix`` to ``lufs`` integrated loudness, then limit to ``ceiling_db`` dBTP."""
    mix = np.nan_to_num(mix.astype(np.float32, copy=False), copy=False)
    if mix.size == 0 or not np.any(mix):
        return np.zeros((mix.shape[0], 2), np.float32)
    loud = _integrated_loudness(mix, rate)
    if loud is not None and np.isfinite(loud):
        mix *= np.float32(10 ** ((lufs - loud) / 20))
    limited = _limit_true_peak(mix, rate, ceiling_db)
    return np.ascontiguousarray(np.clip(limited, -1.0, 1.0, out=limited), dtype=np.float32)


def _integrated_loudness(x: Samples, rate: int) -> float | None:
    meter = pyloudnorm.Meter(rate)
    if x.shape[0] <= int(meter.block_size * rate):
        reps = int(np.ceil(meter.block_size * rate * 1.5 / max(1, x.shape[0])))
        x = np.tile(x, (reps, 1))  # very short clips: measure the clip repeated
    value = integrated_loudness(x, rate)
    return value if np.isfinite(value) else None


_STREAM = 1 << 18  # samples filtered at a time


def integrated_loudness(x: Samples, rate: int) -> float:
    """ITU-R BS.1770-4 integrated loudness (LUFS) of (n, channels) audio, computed in pieces.

    Identical to ``pyloudnorm.Meter(rate).integrated_loudness`` (same K-weighting filters,
    400 ms blocks with 75 % overlap, absolute and relative gates), but the filtering runs over
    slices with carried filter state, so memory stays small whatever the length.
    """
    meter = pyloudnorm.Meter(rate)
    x = x.reshape(x.shape[0], -1)
    n, channels = x.shape
    hop = int(meter.block_size * (1 - meter.overlap) * rate)  # 100 ms
    win = int(meter.block_size * rate)
    if n < win or hop <= 0:
        return float("-inf")
    stages = list(meter._filters.values())
    states = [[lfilter_zi(f.b, f.a) * 0.0 for f in stages] for _ in range(channels)]
    hops = -(-n // hop)
    hop_sums = np.zeros((channels, hops + 1), np.float64)
    for s in range(0, n, _STREAM):
        e = min(n, s + _STREAM)
        for ch in range(channels):
            y = x[s:e, ch].astype(np.float64)
            for k, f in enumerate(stages):
                y, states[ch][k] = lfilter(f.b, f.a, y, zi=states[ch][k])
                y *= f.passband_gain
            sq = np.square(y)
            # accumulate squared samples into 100 ms hops (absolute sample positions)
            idx = np.arange(s, e) // hop
            hop_sums[ch, idx[0] : idx[-1] + 1] += np.bincount(idx - idx[0], weights=sq)
    per = win // hop
    blocks = int(np.round((n / rate - meter.block_size) / (meter.block_size * (1 - meter.overlap)))) + 1
    csum = np.concatenate([np.zeros((channels, 1)), np.cumsum(hop_sums, axis=1)], axis=1)
    j = np.arange(blocks)
    z = (csum[:, np.minimum(j + per, hops)] - csum[:, j]) / win  # mean square per block and channel
    gains = np.array([1.0, 1.0, 1.0, 1.41, 1.41][:channels])[:, None]
    power = (gains * z).sum(axis=0)
    with np.errstate(divide="ignore"):
        loud = -0.691 + 10 * np.log10(power)
    gated = loud >= -70.0
    if not gated.any():
        return float("-inf")
    relative = -0.691 + 10 * np.log10((gains * z[:, gated].mean(axis=1)[:, None]).sum()) - 10.0
    keep = (loud > relative) & (loud > -70.0)
    if not keep.any():
        return float("-inf")
    return float(-0.691 + 10 * np.log10((gains * z[:, keep].mean(axis=1)[:, None]).sum()))


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
    if x.shape[1] == 1:
        x = np.repeat(x, 2, axis=1)
    elif x.shape[1] > 2:
        x = np.stack([x[:, 0::2].mean(axis=1), x[:, 1::2].mean(axis=1)], axis=1)
    if clip.rate != rate and x.shape[0] > 0:
        g = gcd(int(clip.rate), int(rate))
        x = resample_poly(x, rate // g, clip.rate // g, axis=0).astype(np.float32, copy=False)
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


# -- true peak -----------------------------------------------------------------------------

_TP_BLOCK = 1 << 17
_TP_PAD = 64


def _oversampled_peaks(x: Samples) -> npt.NDArray[np.float32]:
    """Per input sample, the largest |value| of its 4× oversampled neighbourhood (all channels)."""
    n = x.shape[0]
    out = np.empty(n, np.float32)
    for s in range(0, n, _TP_BLOCK):
        e = min(n, s + _TP_BLOCK)
        a, b = max(0, s - _TP_PAD), min(n, e + _TP_PAD)
        up = resample_poly(x[a:b], 4, 1, axis=0)
        peaks = np.abs(up).max(axis=1).reshape(-1, 4).max(axis=1)
        out[s:e] = peaks[s - a : s - a + (e - s)]
    return out


def _peak(x: Samples) -> float:
    """Largest 4× oversampled |value| of ``x``, computed piece by piece."""
    best = 0.0
    for s in range(0, x.shape[0], _TP_BLOCK):
        a, b = max(0, s - _TP_PAD), min(x.shape[0], s + _TP_BLOCK + _TP_PAD)
        best = max(best, float(np.abs(resample_poly(x[a:b], 4, 1, axis=0)).max()))
    return best


def true_peak_db(x: Samples) -> float:
    """True peak (4× oversampled) of ``x`` in dBTP; ``-inf`` for silence."""
    if x.size == 0:
        return float("-inf")
    peak = _peak(np.asarray(x, np.float32).reshape(x.shape[0], -1))
    return 20 * float(np.log10(peak)) if peak > 0 else float("-inf")


def _limiter_gain(x: Samples, rate: int, target: float) -> npt.NDArray[np.float32]:
    """Smooth gain ≤ ``target`` / oversampled peak everywhere: ~3 ms attack, ~40 ms release."""
    peaks = _oversampled_peaks(x)
    need = np.minimum(np.float32(1.0), np.float32(target) / np.maximum(peaks, np.float32(1e-9)))
    short = max(1, rate * 3 // 1000) * 2 + 1
    long = max(1, rate * 40 // 1000) * 2 + 1
    # the moving average of a min-filter of the same width never exceeds the need at any sample
    fast = uniform_filter1d(minimum_filter1d(need, size=short), size=short)
    slow = uniform_filter1d(minimum_filter1d(need, size=long), size=long)
    return np.minimum(fast, slow).astype(np.float32)


def _limit_true_peak(x: Samples, rate: int, ceiling_db: float) -> Samples:
    """Look-ahead limiting wherever the 4× oversampled peak exceeds the ceiling (in place).

    Works through the audio in pieces (each seeing its neighbours' original samples), so
    memory does not grow with the length.
    """
    ceiling = 10 ** (ceiling_db / 20)
    target = 10 ** ((ceiling_db - 0.3) / 20)  # headroom for the gain ripple and the AAC encoder
    n = x.shape[0]
    pad = max(1, rate * 40 // 1000) * 2 + max(1, rate * 3 // 1000) * 2 + 2 * _TP_PAD
    for _ in range(3):
        if n == 0 or _peak(x) <= ceiling:
            return x
        tail: Samples | None = None  # original samples just before the current piece
        for s in range(0, n, _TP_BLOCK):
            e = min(n, s + _TP_BLOCK)
            ahead = x[s : min(n, e + pad)]
            piece = ahead if tail is None else np.concatenate([tail, ahead])
            off = 0 if tail is None else tail.shape[0]
            gain = _limiter_gain(piece, rate, target)
            keep = min(pad, off + (e - s))
            tail = piece[off + (e - s) - keep : off + (e - s)].copy()
            x[s:e] *= gain[off : off + (e - s), None]
    peak = _peak(x)
    if peak > ceiling:
        x *= np.float32(target / peak)
    return x
