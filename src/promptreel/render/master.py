"""Mastering: the finished mix at a target integrated loudness under a true-peak ceiling.

Loudness is ITU-R BS.1770-4 (what pyloudnorm and FFmpeg's ``ebur128`` measure); true peak is
the 4× oversampled peak. The gain loop is closed around the limiter: the mix is gained,
limited and *measured after limiting*, the gain corrected and the mix limited again, until the
limited mix lands within :data:`TOLERANCE_LU` of the target (at most :data:`MAX_PASSES`
measurements). The mix is never needed whole: :func:`master_blocks` takes a way to make it
again block by block (a pass), measures it in a first pass, measures the limited mix in the
next ones and yields the finished blocks in order in the last, so memory does not grow with
its length. The mix is oversampled once, in the first pass: its per-sample true peaks are kept
in a temporary file, and every later pass scales them by its gain instead of oversampling again.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import IO

import numpy as np
import numpy.typing as npt
import pyloudnorm
from scipy.ndimage import minimum_filter1d, uniform_filter1d
from scipy.signal import lfilter, lfilter_zi, resample_poly

__all__ = [
    "master",
    "master_blocks",
    "Pass",
    "integrated_loudness",
    "true_peak_db",
    "LoudnessMeter",
    "TOLERANCE_LU",
    "MAX_PASSES",
]

Samples = npt.NDArray[np.float32]
#: one pass over a mix: its blocks in order, (k, channels) float32 each, any sizes
Pass = Callable[[], Iterable[Samples]]

#: how close to the target the limited mix must measure before it is written
TOLERANCE_LU = 0.1
#: measurements of the limited mix at most (the last correction is written unmeasured)
MAX_PASSES = 3
#: the limiter aims this far under the ceiling: gain ripple and the AAC encoder's overshoot
HEADROOM_DB = 0.9

_STREAM = 1 << 18  # samples filtered at a time by the meter
_TP_BLOCK = 1 << 17  # samples limited at a time
_TP_PAD = 64  # oversampling filter context at each side of a piece
#: true peak: 4× oversampled (ITU-R BS.1770-4)
OVERSAMPLE = 4


class LoudnessMeter:
    """ITU-R BS.1770-4 integrated loudness, fed the audio piece by piece (in order).

    Identical to ``pyloudnorm.Meter(rate).integrated_loudness`` of the whole (same K-weighting
    filters, 400 ms blocks with 75 % overlap, absolute and relative gates); holds only the
    filter state and one sum per 100 ms.
    """

    def __init__(self, rate: int, length: int, channels: int = 2) -> None:
        meter = pyloudnorm.Meter(rate)
        self.rate, self.n, self.channels = rate, length, channels
        self.block_s = float(meter.block_size)
        self.hop = int(meter.block_size * (1 - meter.overlap) * rate)  # 100 ms
        self.win = int(meter.block_size * rate)
        self._stages = _k_weighting(rate)
        self._state = [[lfilter_zi(f.b, f.a) * 0.0 for f in self._stages] for _ in range(channels)]
        self._sums = np.zeros((channels, -(-length // max(1, self.hop)) + 1), np.float64)
        self._pos = 0

    def feed(self, x: Samples) -> None:
        x = x.reshape(x.shape[0], -1)
        for s in range(0, x.shape[0], _STREAM):
            piece = x[s : s + _STREAM]
            a, e = self._pos, self._pos + piece.shape[0]
            idx = np.arange(a, e) // self.hop
            for ch in range(self.channels):
                y = piece[:, ch].astype(np.float64)
                for k, f in enumerate(self._stages):
                    y, self._state[ch][k] = lfilter(f.b, f.a, y, zi=self._state[ch][k])
                    y *= f.passband_gain
                self._sums[ch, idx[0] : idx[-1] + 1] += np.bincount(idx - idx[0], weights=np.square(y))
            self._pos = e

    def result(self) -> float:
        n, hop, win = self.n, self.hop, self.win
        if n < win or hop <= 0:
            return float("-inf")
        hops = self._sums.shape[1] - 1
        per = win // hop
        blocks = int(np.round((n / self.rate - self.block_s) / (self.block_s * 0.25))) + 1
        csum = np.concatenate([np.zeros((self.channels, 1)), np.cumsum(self._sums, axis=1)], axis=1)
        j = np.arange(blocks)
        z = (csum[:, np.minimum(j + per, hops)] - csum[:, j]) / win  # mean square per block, channel
        gains = np.array([1.0, 1.0, 1.0, 1.41, 1.41][: self.channels])[:, None]
        with np.errstate(divide="ignore"):
            loud = -0.691 + 10 * np.log10((gains * z).sum(axis=0))
        gated = loud >= -70.0
        if not gated.any():
            return float("-inf")
        relative = -0.691 + 10 * np.log10((gains * z[:, gated].mean(axis=1)[:, None]).sum()) - 10.0
        keep = (loud > relative) & (loud > -70.0)
        if not keep.any():
            return float("-inf")
        return float(-0.691 + 10 * np.log10((gains * z[:, keep].mean(axis=1)[:, None]).sum()))


def _k_weighting(rate: int) -> list[pyloudnorm.IIRfilter]:
    """The two K-weighting stages of BS.1770 at ``rate`` (a high shelf, then a high pass), built
    with pyloudnorm's public filter designer from the parameters its ``Meter`` uses."""
    return [
        pyloudnorm.IIRfilter(4.0, 1 / np.sqrt(2), 1500.0, rate, "high_shelf"),
        pyloudnorm.IIRfilter(0.0, 0.5, 38.0, rate, "high_pass"),
    ]


def integrated_loudness(x: Samples, rate: int) -> float:
    """Integrated loudness (LUFS) of (n, channels) audio, computed in pieces (see :class:`LoudnessMeter`)."""
    x = x.reshape(x.shape[0], -1)
    meter = LoudnessMeter(rate, x.shape[0], x.shape[1])
    meter.feed(x)
    return meter.result()


# -- true peak -----------------------------------------------------------------------------


def _up(x: Samples, factor: int) -> Samples:
    """``x`` oversampled ``factor`` times (1: as it is, the sample peak)."""
    return x if factor <= 1 else resample_poly(x, factor, 1, axis=0)


def _abs_peaks(x: Samples) -> npt.NDArray[np.float32]:
    """Per sample, the largest |value| over the channels of ``x`` (n, channels).

    Written as an elementwise maximum of the columns: numpy's ``max(axis=1)`` over two values a
    row is two orders of magnitude slower, and this runs on every sample of every pass."""
    cols = [np.abs(x[:, c]) for c in range(x.shape[1])]
    out = cols[0]
    for col in cols[1:]:
        np.maximum(out, col, out=out)
    return out.astype(np.float32, copy=False)


def _group_max(p: npt.NDArray[np.float32], k: int) -> npt.NDArray[np.float32]:
    """The maximum of each run of ``k`` values of ``p`` (its length a multiple of ``k``)."""
    out = p[0::k].copy()
    for i in range(1, k):
        np.maximum(out, p[i::k], out=out)
    return out


def _oversampled_peaks(x: Samples, factor: int = OVERSAMPLE) -> npt.NDArray[np.float32]:
    """Per input sample, the largest |value| of its oversampled neighbourhood (all channels)."""
    n = x.shape[0]
    if factor <= 1:
        return _abs_peaks(x)
    out = np.empty(n, np.float32)
    for s in range(0, n, _TP_BLOCK):
        e = min(n, s + _TP_BLOCK)
        a, b = max(0, s - _TP_PAD), min(n, e + _TP_PAD)
        peaks = _group_max(_abs_peaks(_up(x[a:b], factor)), factor)
        out[s:e] = peaks[s - a : s - a + (e - s)]
    return out


def _peak(x: Samples, factor: int = OVERSAMPLE) -> float:
    """Largest oversampled |value| of ``x``, computed piece by piece."""
    best = 0.0
    for s in range(0, x.shape[0], _TP_BLOCK):
        a, b = max(0, s - _TP_PAD), min(x.shape[0], s + _TP_BLOCK + _TP_PAD)
        best = max(best, float(np.abs(_up(x[a:b], factor)).max()))
    return best


def true_peak_db(x: Samples) -> float:
    """True peak (4× oversampled) of ``x`` in dBTP; ``-inf`` for silence."""
    if x.size == 0:
        return float("-inf")
    peak = _peak(np.asarray(x, np.float32).reshape(x.shape[0], -1))
    return 20 * float(np.log10(peak)) if peak > 0 else float("-inf")


# -- limiter -------------------------------------------------------------------------------


def _limiter_gain(peaks: npt.NDArray[np.float32], rate: int, target: float) -> npt.NDArray[np.float32]:
    """Smooth gain ≤ ``target`` / ``peaks`` everywhere (per-sample peaks of the gained signal):
    ~3 ms attack, ~40 ms release."""
    need = np.minimum(np.float32(1.0), np.float32(target) / np.maximum(peaks, np.float32(1e-9)))
    short = max(1, rate * 3 // 1000) * 2 + 1
    long = max(1, rate * 40 // 1000) * 2 + 1
    # the moving average of a min-filter of the same width never exceeds the need at any sample
    fast = uniform_filter1d(minimum_filter1d(need, size=short), size=short)
    slow = uniform_filter1d(minimum_filter1d(need, size=long), size=long)
    return np.minimum(fast, slow).astype(np.float32)


def _limiter_pad(rate: int) -> int:
    """Samples of context a limited piece needs at each side (the filters' reach)."""
    return max(1, rate * 40 // 1000) * 2 + max(1, rate * 3 // 1000) * 2 + 2 * _TP_PAD


def _limited(
    blocks: Iterable[Samples], n: int, rate: int, gain: float, target: float, peaks: _PeakTrack
) -> Iterator[tuple[int, int, Samples, float]]:
    """``gain`` × the ``n`` samples of ``blocks`` through a look-ahead true-peak limiter, piece
    by piece: (start, end, piece, peak), pieces of :data:`_TP_BLOCK` samples whatever the blocks.

    The limiter reads the oversampled peaks of the ungained mix from ``peaks`` (made once:
    gaining scales them), and ``peak`` is the piece's oversampled peak after limiting, from the
    same: the limiter's gain moves over milliseconds, the oversampling filter reaches a quarter
    of one, so the peak of the limited signal is the limited peak of the signal.

    Each piece is computed from the samples around it: a copy of the little context before it
    is kept and the blocks are read just far enough ahead, so a caller that hands the blocks of
    an array may write each piece back into it as it comes.
    """
    pad = _limiter_pad(rate)
    g = np.float32(gain)
    source = iter(blocks)
    window: Samples | None = None  # samples [w0, w0 + len) not yet limited, and the look-ahead
    w0 = 0
    tail: Samples | None = None  # samples just before the current piece
    for s in range(0, n, _TP_BLOCK):
        e = min(n, s + _TP_BLOCK)
        want = min(n, e + pad)
        have = [] if window is None else [window]
        got = w0 + (0 if window is None else window.shape[0])
        while got < want:
            block = next(source, None)
            if block is None:
                break
            block = np.nan_to_num(np.asarray(block, np.float32).reshape(block.shape[0], -1), copy=False)
            have.append(block)
            got += block.shape[0]
        window = have[0] if len(have) == 1 else np.concatenate(have)
        ahead = window[s - w0 : want - w0]
        piece = (ahead if tail is None else np.concatenate([tail, ahead])) * g
        off = 0 if tail is None else tail.shape[0]
        p = peaks.read(s - off, s - off + piece.shape[0]) * g
        lg = _limiter_gain(p, rate, target)[off : off + (e - s)]
        tail = window[max(0, e - pad) - w0 : e - w0].copy()
        window, w0 = window[e - w0 :], e
        out = piece[off : off + (e - s)] * lg[:, None]
        yield s, e, out, float(np.max(p[off : off + (e - s)] * lg, initial=0.0))


class _PeakTrack:
    """Per sample, the largest ``factor``× oversampled |value| (all channels) of a mix fed
    block by block in order, kept in an unnamed temporary file and read back by range. Each
    sample's peak is computed with :data:`_TP_PAD` samples of context at both sides, as
    :func:`_peak` does over the whole; the last ``_TP_PAD`` samples of a block wait for the next."""

    def __init__(self, factor: int = OVERSAMPLE) -> None:
        self.factor = factor
        self._file: IO[bytes] = tempfile.TemporaryFile(prefix="promptreel-peaks-")  # noqa: SIM115
        self._carry: Samples | None = None  # context already written, then samples not yet
        self._done = 0  # samples of the carry already written

    def feed(self, block: Samples | None) -> None:
        """The next block, or ``None`` after the last."""
        parts = [p for p in (self._carry, block) if p is not None]
        if not parts:
            return
        x = np.concatenate(parts)
        end = x.shape[0] if block is None else max(self._done, x.shape[0] - _TP_PAD)
        if end > self._done:
            peaks = _oversampled_peaks(x, self.factor)[self._done : end]
            self._file.write(np.ascontiguousarray(peaks, np.float32).tobytes())
        keep = max(0, end - _TP_PAD)
        self._carry, self._done = x[keep:].copy(), end - keep

    def read(self, a: int, b: int) -> npt.NDArray[np.float32]:
        """The peaks of samples ``[a, b)``."""
        self._file.seek(a * 4)
        data = self._file.read((b - a) * 4)
        return np.frombuffer(data, np.float32).copy()

    def close(self) -> None:
        self._file.close()


def _short(n: int, rate: int) -> bool:
    return n <= int(pyloudnorm.Meter(rate).block_size * rate)


def _loudness_short(x: Samples, rate: int) -> float:
    """Loudness of a clip shorter than one 400 ms block: the clip repeated."""
    reps = int(np.ceil(pyloudnorm.Meter(rate).block_size * rate * 1.5 / max(1, x.shape[0])))
    return integrated_loudness(np.tile(x, (reps, 1)), rate)


def _measure(
    source: Pass, n: int, rate: int, gain: float, target: float, peaks: _PeakTrack
) -> tuple[float, float]:
    """Integrated loudness and true peak of the mix gained and limited, nothing written."""
    pieces = _limited(source(), n, rate, gain, target, peaks)
    if _short(n, rate):
        got = list(pieces)
        x = np.concatenate([p for _s, _e, p, _pk in got])
        return _loudness_short(x, rate), max(pk for *_x, pk in got)
    meter: LoudnessMeter | None = None
    peak = 0.0
    for _s, _e, piece, piece_peak in pieces:
        if meter is None:
            meter = LoudnessMeter(rate, n, piece.shape[1])
        meter.feed(piece)
        peak = max(peak, piece_peak)
    return (meter.result() if meter is not None else float("-inf")), peak


class _Spool:
    """A pass source made once: the first complete pass writes its blocks to an unnamed
    temporary file as they are made, later passes read them back a block at a time. Mastering
    takes three to five passes; the mix (narration, music, ducking) is computed in one of
    them, and memory stays a block whatever the length."""

    def __init__(self, source: Pass) -> None:
        self._source = source
        self._file: IO[bytes] | None = None
        self._shapes: list[tuple[int, ...]] = []

    def __call__(self) -> Iterable[Samples]:
        return self._replay() if self._file is not None else self._record()

    def _record(self) -> Iterator[Samples]:
        file = tempfile.TemporaryFile(prefix="promptreel-mix-")  # noqa: SIM115 - open across passes
        shapes: list[tuple[int, ...]] = []
        try:
            for block in self._source():
                x = np.ascontiguousarray(block, np.float32)
                file.write(x.tobytes())
                shapes.append(x.shape)
                yield block
        except BaseException:
            file.close()
            raise
        self._file, self._shapes = file, shapes

    def _replay(self) -> Iterator[Samples]:
        assert self._file is not None
        self._file.seek(0)
        for shape in self._shapes:
            count = int(np.prod(shape))
            data = self._file.read(count * 4)
            yield np.frombuffer(data, np.float32, count).reshape(shape).copy()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


def master_blocks(
    source: Pass,
    n: int,
    rate: int,
    lufs: float,
    ceiling_db: float,
    *,
    oversample: int = OVERSAMPLE,
    tolerance: float = TOLERANCE_LU,
) -> Iterator[Samples]:
    """The ``n``-sample mix that ``source()`` makes at ``lufs`` integrated loudness with its
    true peak at most ``ceiling_db``, as blocks in order (see :func:`_master_passes`). The mix is
    made once and read back from a temporary file at the later passes. Peaks are measured
    ``oversample`` times oversampled (4: the true peak of BS.1770; 1: the sample peak, about ten
    times cheaper, for previews); the loudness lands within ``tolerance`` LU of ``lufs``."""
    spool = _Spool(source)
    try:
        yield from _master_passes(spool, n, rate, lufs, ceiling_db, oversample, tolerance)
    finally:
        spool.close()


def _master_passes(
    source: Pass,
    n: int,
    rate: int,
    lufs: float,
    ceiling_db: float,
    factor: int = OVERSAMPLE,
    tolerance: float = TOLERANCE_LU,
) -> Iterator[Samples]:
    """The ``n``-sample mix that ``source()`` gives (again at every pass) at ``lufs``
    integrated loudness with its true peak at most ``ceiling_db``, as blocks in order.

    The first pass measures the mix. The gain is found with the limiter in the loop: start from
    the gain that would bring the unlimited mix to ``lufs``, measure the limited result (a
    pass each), correct (secant steps on the dB-to-dB curve, which limiting bends) until it
    measures within :data:`TOLERANCE_LU`; the last pass limits the mix at that gain and yields
    it. Mixes too quiet to measure are only limited; silence stays silence.
    """
    if _short(n, rate) and n > 0:  # under one 400 ms block: measured as a loop of itself
        whole = np.concatenate([np.asarray(b, np.float32).reshape(b.shape[0], -1) for b in source()])
        source = lambda: (whole,)  # noqa: E731
    meter: LoudnessMeter | None = None
    sound = False
    peaks = _PeakTrack(factor)
    try:
        for block in source():
            x = np.nan_to_num(np.asarray(block, np.float32).reshape(block.shape[0], -1), copy=False)
            if meter is None:
                meter = LoudnessMeter(rate, n, x.shape[1])
            meter.feed(x)
            peaks.feed(x)
            sound = sound or bool(np.any(x))
        peaks.feed(None)
        if meter is None or not sound:
            for s in range(0, n, _TP_BLOCK):
                yield np.zeros((min(n, s + _TP_BLOCK) - s, 2), np.float32)
            return
        yield from _gained(source, n, rate, lufs, ceiling_db, tolerance, meter, peaks)
    finally:
        peaks.close()


def _gained(
    source: Pass,
    n: int,
    rate: int,
    lufs: float,
    ceiling_db: float,
    tolerance: float,
    meter: LoudnessMeter,
    peaks: _PeakTrack,
) -> Iterator[Samples]:
    """The gain loop and the last pass of :func:`_master_passes`, the mix measured."""
    ceiling = 10 ** (ceiling_db / 20)
    aim = 10 ** ((ceiling_db - HEADROOM_DB) / 20)
    loud0 = _loudness_short(np.concatenate(list(source())), rate) if _short(n, rate) else meter.result()
    gain_db = lufs - loud0 if np.isfinite(loud0) else 0.0
    tried: list[tuple[float, float]] = []  # (gain dB, loudness after limiting)
    measured: dict[float, float] = {}  # gain dB → true peak after limiting
    for _ in range(MAX_PASSES if np.isfinite(loud0) else 0):
        loud, measured[gain_db] = _measure(source, n, rate, 10 ** (gain_db / 20), aim, peaks)
        if not np.isfinite(loud):
            break
        tried.append((gain_db, loud))
        if abs(lufs - loud) <= tolerance:
            break
        if len(tried) >= 2 and abs(tried[-1][1] - tried[-2][1]) > 1e-3:
            (g1, l1), (g2, l2) = tried[-2], tried[-1]
            slope = min(1.0, max(0.2, (l2 - l1) / (g2 - g1))) if g2 != g1 else 1.0
        else:
            slope = 1.0
        gain_db += (lufs - loud) / slope
    gain = 10 ** (gain_db / 20)
    peak = measured.get(gain_db)
    if peak is None:  # the last correction, not measured yet: its peak
        peak = max((pk for *_x, pk in _limited(source(), n, rate, gain, aim, peaks)), default=0.0)
    # limiter ripple past the ceiling: never let it through
    scale = np.float32(aim / peak) if peak > ceiling else None
    for _s, _e, piece, _pk in _limited(source(), n, rate, gain, aim, peaks):
        if scale is not None:
            piece *= scale
        yield np.clip(piece, -1.0, 1.0, out=piece)


def master(mix: Samples, rate: int, lufs: float, ceiling_db: float) -> Samples:
    """``mix`` (n, channels) at ``lufs`` integrated loudness with its true peak at most
    ``ceiling_db`` (see :func:`master_blocks`), written in place; a silent mix gives (n, 2)
    zeros."""
    mix = np.nan_to_num(mix.astype(np.float32, copy=False), copy=False)
    if mix.size == 0 or not np.any(mix):
        return np.zeros((mix.shape[0], 2), np.float32)
    mix = mix.reshape(mix.shape[0], -1)
    pos = 0
    for piece in master_blocks(lambda: (mix,), mix.shape[0], rate, lufs, ceiling_db):
        mix[pos : pos + piece.shape[0]] = piece
        pos += piece.shape[0]
    return np.ascontiguousarray(mix, dtype=np.float32)
