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
from scipy.signal import resample_poly

from promptreel.clip import AudioClip
from promptreel.draft import Draft, Segment, Track, TrackType
from promptreel.render.assets import Assets
from promptreel.render.media import load_audio
from promptreel.render.options import RenderOptions
from promptreel.timecode import ms_to_samples

__all__ = ["mix_audio", "true_peak_db", "duck_envelope", "to_stereo"]

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
    voice_bus = np.zeros((n, 2), np.float32)
    other_bus = np.zeros((n, 2), np.float32)
    ducked: list[tuple[int, int, Samples]] = []  # (start, stop, signal) of duckable music
    for track in draft.tracks:
        if track.type != TrackType.AUDIO or not track.segments:
            continue
        gain = _track_gain(track)
        if gain <= 0:
            continue
        for seg in track.segments:
            a = ms_to_samples(seg.start, rate)
            b = min(n, ms_to_samples(seg.end, rate))
            if b <= a:
                continue
            sig = _segment_signal(seg, track, assets, rate, b - a)
            if sig is None:
                continue
            sig *= np.float32(gain * float(seg.meta.get("volume", 1.0)))
            is_music = seg.kind == "music" or track.role == "bgm"
            if is_music and track.meta.get("duck", True):
                ducked.append((a, b, sig))
            elif seg.kind == "voice" or track.role == "narration":
                voice_bus[a:b] += sig
            else:
                other_bus[a:b] += sig
    mix = voice_bus + other_bus
    if ducked:
        env = duck_envelope(voice_bus, rate)
        for a, b, sig in ducked:
            mix[a:b] += sig * env[a:b, None]
    del voice_bus, other_bus
    return master(mix, rate, opts.loudness_lufs, opts.true_peak_db)


def master(mix: Samples, rate: int, lufs: float, ceiling_db: float) -> Samples:
    """Normalise ``mix`` to ``lufs`` integrated loudness, then limit to ``ceiling_db`` dBTP."""
    mix = np.nan_to_num(mix.astype(np.float32, copy=False), copy=False)
    if mix.size == 0 or not np.any(mix):
        return np.zeros((mix.shape[0], 2), np.float32)
    loud = _integrated_loudness(mix, rate)
    if loud is not None and np.isfinite(loud):
        mix *= np.float32(10 ** ((lufs - loud) / 20))
    limited = _limit_true_peak(mix, rate, ceiling_db)
    return np.ascontiguousarray(np.clip(limited, -1.0, 1.0), dtype=np.float32)


def _integrated_loudness(x: Samples, rate: int) -> float | None:
    meter = pyloudnorm.Meter(rate)
    if x.shape[0] <= int(meter.block_size * rate):
        reps = int(np.ceil(meter.block_size * rate * 1.5 / max(1, x.shape[0])))
        x = np.tile(x, (reps, 1))  # very short clips: measure the clip repeated
    with np.errstate(divide="ignore", invalid="ignore"):
        value = float(meter.integrated_loudness(x.astype(np.float64)))
    return value if np.isfinite(value) else None


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
    media_id = str(seg.meta.get("media_id", "") or "")
    if media_id:
        found = assets.media_path(media_id)
        if found is not None:
            return found
    src = str(seg.meta.get("src", "") or "")
    if src:
        found = assets.media_path(src)
        if found is not None:
            return found
        if Path(src).is_file():
            return Path(src)
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
        x = resample_poly(x, rate // g, clip.rate // g, axis=0).astype(np.float32)
    return np.ascontiguousarray(x, dtype=np.float32)


def _fit(x: Samples, length: int, *, loop: bool) -> Samples:
    """Trim or extend ``x`` to ``length`` samples (looping with a short crossfade, or silence)."""
    out = np.zeros((length, 2), np.float32)
    if x.shape[0] == 0:
        return out
    if x.shape[0] >= length:
        out[:] = x[:length]
        if x.shape[0] > length:
            _fade(out, 0, min(length // 2, int(EDGE_FADE_MS * 48)))
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
    """Per-sample gain for music: ``depth_db`` while the voice speaks, 1 elsewhere.

    A sidechain follower on the voice: 10 ms RMS blocks above -45 dBFS count as speech, held
    across short pauses, then smoothed with the attack and release times (a one-pole per
    direction), starting to duck a little before the first word.
    """
    n = voice.shape[0]
    if n == 0:
        return np.ones(0, np.float32)
    block = max(1, rate * _BLOCK_MS // 1000)
    nb = -(-n // block)
    mono = np.abs(voice).max(axis=1) if voice.ndim == 2 else np.abs(voice)
    padded = np.zeros(nb * block, np.float32)
    padded[:n] = mono
    rms = np.sqrt(np.mean(np.square(padded.reshape(nb, block)), axis=1))
    active = rms > 10 ** (-45 / 20)
    hold = max(1, DUCK_HOLD_MS // _BLOCK_MS)
    active = maximum_filter1d(active.astype(np.uint8), size=2 * hold + 1) > 0
    floor = 10 ** (depth_db / 20)
    target = np.where(active, floor, 1.0)
    a_att = 1 - np.exp(-_BLOCK_MS / DUCK_ATTACK_MS)
    a_rel = 1 - np.exp(-_BLOCK_MS / DUCK_RELEASE_MS)
    gain = np.empty(nb, np.float64)
    g = 1.0
    for i, t in enumerate(target.tolist()):
        g += (t - g) * (a_att if t < g else a_rel)
        gain[i] = g
    centres = np.arange(nb) * block + block / 2
    return np.interp(np.arange(n), centres, gain).astype(np.float32)


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


def true_peak_db(x: Samples) -> float:
    """True peak (4× oversampled) of ``x`` in dBTP; ``-inf`` for silence."""
    if x.size == 0:
        return float("-inf")
    peak = float(_oversampled_peaks(np.asarray(x, np.float32).reshape(x.shape[0], -1)).max())
    return 20 * float(np.log10(peak)) if peak > 0 else float("-inf")


def _limit_true_peak(x: Samples, rate: int, ceiling_db: float) -> Samples:
    """Smooth look-ahead gain reduction wherever the oversampled peak exceeds the ceiling."""
    target = 10 ** ((ceiling_db - 0.2) / 20)  # a little headroom for the gain ripple
    win = max(1, rate * 3 // 1000) * 2 + 1  # ~6 ms attack/hold
    for _ in range(4):
        peaks = _oversampled_peaks(x)
        if float(peaks.max()) <= 10 ** (ceiling_db / 20):
            return x
        need = np.minimum(1.0, target / np.maximum(peaks, 1e-9))
        need = minimum_filter1d(need, size=win)
        gain = uniform_filter1d(need, size=win)  # average of a min-filter stays below need
        release = max(1, rate * 40 // 1000) * 2 + 1
        gain = np.minimum(gain, uniform_filter1d(minimum_filter1d(need, size=release), size=release))
        x = (x * gain[:, None]).astype(np.float32)
    peak = float(_oversampled_peaks(x).max())
    if peak > 10 ** (ceiling_db / 20):
        x = x * np.float32(target / peak)
    return x
