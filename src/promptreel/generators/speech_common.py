"""What every speech engine shares: the peak level, silence, the speed check and the finish
(trim, normalise, ramp) each clip gets before it leaves its engine."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from promptreel.clip import AudioClip
from promptreel.errors import InvalidRequest

__all__ = [
    "PEAK",
    "PAUSE_MS",
    "SPEECH_VERSION",
    "finish_speech",
    "finish_with_offset",
    "silence",
    "check_speed",
]

#: peak level every synthesised clip is normalised to (about −1 dBFS)
PEAK = 0.89
PAUSE_MS = 220  # between sentences / language runs
SPEECH_VERSION = 7  # bump when post-processing changes (invalidates cached speech)


def finish_speech(
    samples: npt.NDArray[np.float32], rate: int, *, threshold_db: float = -42.0, pad_ms: int = 60
) -> AudioClip:
    """Trim leading/trailing silence (keeping ``pad_ms``), normalise the peak to :data:`PEAK`."""
    return finish_with_offset(samples, rate, threshold_db=threshold_db, pad_ms=pad_ms)[0]


def finish_with_offset(
    samples: npt.NDArray[np.float32], rate: int, *, threshold_db: float = -42.0, pad_ms: int = 60
) -> tuple[AudioClip, int]:
    """:func:`finish_speech` plus the number of samples trimmed from the start."""
    x = np.asarray(samples, dtype=np.float32).reshape(-1)
    if x.size == 0:
        return AudioClip.silence(0, rate), 0
    peak = float(np.max(np.abs(x)))
    if peak < 1e-6:
        return AudioClip(x.reshape(-1, 1), rate), 0
    start = 0
    win = max(1, rate // 100)  # 10 ms envelope
    n = x.size // win
    if n > 0:
        env = np.abs(x[: n * win]).reshape(n, win).max(axis=1)
        loud = np.nonzero(env > peak * 10 ** (threshold_db / 20))[0]
        if loud.size:
            pad = rate * pad_ms // 1000
            start = max(0, int(loud[0]) * win - pad)
            end = min(x.size, (int(loud[-1]) + 1) * win + pad)
            x = x[start:end]
    x = x * (PEAK / peak)
    edge = min(x.size // 2, rate * 5 // 1000)  # 5 ms ramps: no click where a cut lands mid-wave
    if edge > 0:
        ramp = np.linspace(0.0, 1.0, edge, dtype=np.float32)
        x[:edge] *= ramp
        x[-edge:] *= ramp[::-1]
    return AudioClip(x.astype(np.float32).reshape(-1, 1), rate), start


def silence(rate: int, ms: int) -> npt.NDArray[np.float32]:
    return np.zeros(rate * ms // 1000, dtype=np.float32)


def check_speed(speed: float) -> float:
    speed = float(speed or 1.0)
    if not 0.25 <= speed <= 4.0:
        raise InvalidRequest(f"Speech speed must be between 0.25 and 4, got {speed}.")
    return speed
