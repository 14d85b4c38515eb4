"""In-memory audio shared by generators and the renderer: float32 samples at an integer rate."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from promptreel.timecode import samples_to_ms

__all__ = ["AudioClip"]


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
