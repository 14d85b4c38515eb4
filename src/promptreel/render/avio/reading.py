"""Reading media: video frames by time (:class:`VideoSource`), still images
(:func:`load_image_rgba`) and audio clips (:func:`load_audio`)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from types import TracebackType

import av
import numpy as np
import numpy.typing as npt

from promptreel.clip import AudioClip
from promptreel.errors import UnsupportedFile

__all__ = ["RGBA", "VideoSource", "load_audio", "load_image_rgba"]

RGBA = npt.NDArray[np.uint8]

#: a forward jump up to this many ms is decoded through instead of seeking
_SEEK_AHEAD_MS = 2000


class VideoSource:
    """Frames of a video file by time, as RGBA arrays.

    Sequential access (each call a little later than the previous) decodes forward without
    seeking; a jump backwards or far ahead seeks to the nearest keyframe first. ``size``
    (width, height) asks swscale to resize while converting, which is far cheaper than
    scaling the full-size picture afterwards. Use as a context manager, or call :meth:`close`.
    """

    def __init__(self, path: Path | str, size: tuple[int, int] | None = None) -> None:
        self.path = Path(path)
        try:
            self._container = av.open(str(self.path), "r")
            self._stream = self._container.streams.video[0]
        except (av.FFmpegError, IndexError, OSError) as exc:
            raise UnsupportedFile(f"{self.path.name}: no readable video.") from exc
        self._stream.thread_type = "AUTO"
        cc = self._stream.codec_context
        self.width = int(cc.width)
        self.height = int(cc.height)
        self.size = size or (self.width, self.height)
        rate = self._stream.average_rate or self._stream.guessed_rate or Fraction(30)
        self.fps = Fraction(rate)
        self._tb = Fraction(self._stream.time_base or Fraction(1, 1000))
        start = self._stream.start_time
        self._start_ms = float(start * self._tb * 1000) if start is not None else 0.0
        if self._container.duration:
            self.duration_ms = round(self._container.duration * 1000 / av.time_base)
        elif self._stream.duration:
            self.duration_ms = round(float(self._stream.duration * self._tb) * 1000)
        else:
            self.duration_ms = 0
        self._frames = self._container.decode(self._stream)
        self._cur: av.VideoFrame | None = None  # latest decoded frame
        self._cur_ms = -1.0
        self._next: av.VideoFrame | None = None  # one frame of look-ahead
        self._next_ms = -1.0
        self._eof = False
        self._cache_key: tuple[float, tuple[int, int]] | None = None
        self._cache: RGBA | None = None

    # -- context manager -------------------------------------------------------------------
    def __enter__(self) -> VideoSource:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._cur = self._next = None
        self._container.close()

    # -- frames ----------------------------------------------------------------------------
    def frame_at(self, ms: int, size: tuple[int, int] | None = None) -> RGBA:
        """The frame shown at ``ms`` from the start (clamped to the last frame), (h, w, 4) uint8.

        The returned array may be reused by the next call for the same frame; copy it to keep it.
        """
        want = max(0.0, float(ms)) + self._start_ms
        frame, frame_ms = self._seek_to(want)
        out_size = size or self.size
        key = (frame_ms, out_size)
        if key == self._cache_key and self._cache is not None:
            return self._cache
        arr = np.zeros((out_size[1], out_size[0], 4), np.uint8) if frame is None else _rgba(frame, out_size)
        self._cache_key, self._cache = key, arr
        return arr

    def _read(self) -> tuple[av.VideoFrame | None, float]:
        if self._eof:
            return None, -1.0
        try:
            frame = next(self._frames)
        except (StopIteration, av.FFmpegError):
            self._eof = True
            return None, -1.0
        t = frame.pts if frame.pts is not None else 0
        return frame, float(t * self._tb * 1000)

    def _advance(self) -> None:
        self._cur, self._cur_ms = self._next, self._next_ms
        self._next, self._next_ms = self._read()

    def _seek_to(self, want: float) -> tuple[av.VideoFrame | None, float]:
        if self._cur is not None and (want < self._cur_ms or want - self._cur_ms > _SEEK_AHEAD_MS):
            self._container.seek(int(want / 1000 / self._tb), stream=self._stream)
            self._frames = self._container.decode(self._stream)
            self._eof = False
            self._cur = self._next = None
        if self._cur is None:
            self._cur, self._cur_ms = self._read()
            self._next, self._next_ms = self._read()
        while self._next is not None and self._next_ms < want + 0.5:  # integer ms: nearest-ms rule
            self._advance()
        return self._cur, self._cur_ms


def load_image_rgba(path: Path | str, size: tuple[int, int] | None = None) -> RGBA:
    """Decode a still image (first frame of an animation) to (h, w, 4) uint8 RGBA."""
    p = Path(path)
    try:
        with av.open(str(p), "r") as container:
            stream = container.streams.video[0]
            for frame in container.decode(stream):
                return _rgba(frame, size or (frame.width, frame.height))
    except (av.FFmpegError, IndexError, OSError) as exc:
        raise UnsupportedFile(f"{p.name}: not a readable image.") from exc
    raise UnsupportedFile(f"{p.name}: not a readable image.")


def load_audio(path: Path | str) -> AudioClip:
    """Decode the first audio stream of a file to float32 at its own rate, mono or stereo."""
    p = Path(path)
    chunks: list[npt.NDArray[np.float32]] = []
    try:
        with av.open(str(p), "r") as container:
            stream = container.streams.audio[0]
            rate = int(stream.codec_context.sample_rate or stream.rate or 48000)
            layout = "mono" if stream.codec_context.channels == 1 else "stereo"
            resampler = av.AudioResampler(format="flt", layout=layout, rate=rate)
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    chunks.append(_interleaved(out))
            for out in resampler.resample(None):
                chunks.append(_interleaved(out))
    except (av.FFmpegError, IndexError, OSError) as exc:
        raise UnsupportedFile(f"{p.name}: no readable audio.") from exc
    channels = 1 if layout == "mono" else 2
    samples = np.concatenate(chunks) if chunks else np.zeros((0, channels), np.float32)
    return AudioClip(np.ascontiguousarray(samples, dtype=np.float32), rate)


def _rgba(frame: av.VideoFrame, size: tuple[int, int]) -> RGBA:
    arr: RGBA = np.asarray(frame.to_ndarray(format="rgba", width=size[0], height=size[1]), np.uint8)
    return arr


def _interleaved(frame: av.AudioFrame) -> npt.NDArray[np.float32]:
    """A packed ``flt`` frame as (n, channels) float32."""
    arr = np.asarray(frame.to_ndarray(), np.float32)
    return arr.reshape(-1, frame.layout.nb_channels)
