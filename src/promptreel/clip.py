"""In-memory audio shared by generators and the renderer: float32 samples at an integer rate."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from promptreel.timecode import samples_to_ms

__all__ = ["AudioClip", "AudioStream", "ClipStream", "RampedStream", "Ramps", "apply_ramps"]


@dataclass(frozen=True, slots=True, eq=False)
class AudioClip:
    """``samples`` is float32 in [-1, 1] shaped ``(n, channels)``; ``rate`` in Hz."""

    samples: npt.NDArray[np.float32]
    rate: int

    @property
    def channels(self) -> int:
        return int(self.samples.shape[1])

    @property
    def frames(self) -> int:
        return int(self.samples.shape[0])

    @property
    def duration_ms(self) -> int:
        return samples_to_ms(self.frames, self.rate)

    @classmethod
    def silence(cls, frames: int, rate: int, channels: int = 1) -> AudioClip:
        return cls(np.zeros((frames, channels), dtype=np.float32), rate)


@runtime_checkable
class AudioStream(Protocol):
    """Audio read a piece at a time, for sound too long to hold whole (a music bed as long as
    the video): ``read(start, stop)`` gives samples ``[start, stop)`` as ``(stop - start,
    channels)`` float32, a fresh array the caller may change."""

    @property
    def rate(self) -> int: ...

    @property
    def frames(self) -> int: ...

    @property
    def channels(self) -> int: ...

    def read(self, start: int, stop: int) -> npt.NDArray[np.float32]: ...


#: gain ramps applied in order: (first sample, per-sample gain)
Ramps = tuple[tuple[int, npt.NDArray[np.float32]], ...]


def apply_ramps(x: npt.NDArray[np.float32], start: int, ramps: Ramps) -> None:
    """Multiply ``x`` (samples ``start`` … of a stream) by the parts of ``ramps`` it overlaps."""
    stop = start + x.shape[0]
    for first, ramp in ramps:
        lo, hi = max(start, first), min(stop, first + ramp.shape[0])
        if lo < hi:
            x[lo - start : hi - start] *= ramp[lo - first : hi - first, None]


@dataclass(frozen=True, slots=True, eq=False)
class ClipStream:
    """An :class:`AudioClip` read as an :class:`AudioStream`, with gain ``ramps`` (fades)."""

    clip: AudioClip
    ramps: Ramps = ()

    @property
    def rate(self) -> int:
        return self.clip.rate

    @property
    def frames(self) -> int:
        return self.clip.frames

    @property
    def channels(self) -> int:
        return self.clip.channels

    def read(self, start: int, stop: int) -> npt.NDArray[np.float32]:
        x = np.array(self.clip.samples[start:stop], dtype=np.float32)
        apply_ramps(x, start, self.ramps)
        return x


@dataclass(frozen=True, slots=True, eq=False)
class RampedStream:
    """``source`` with further gain ``ramps`` applied as it is read."""

    source: AudioStream
    ramps: Ramps

    @property
    def rate(self) -> int:
        return self.source.rate

    @property
    def frames(self) -> int:
        return self.source.frames

    @property
    def channels(self) -> int:
        return self.source.channels

    def read(self, start: int, stop: int) -> npt.NDArray[np.float32]:
        x = self.source.read(start, stop)
        apply_ramps(x, start, self.ramps)
        return x
