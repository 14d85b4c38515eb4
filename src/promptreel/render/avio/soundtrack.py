"""A soundtrack as AAC packets (:class:`EncodedAudio`): encoded a block at a time as the blocks
come, muxed as the video advances, and storable as bytes to reuse."""

from __future__ import annotations

import struct
import threading
from collections.abc import Callable, Iterable
from fractions import Fraction
from typing import Any

import av
import numpy as np
import numpy.typing as npt
from av.codec.context import Flags

__all__ = ["AAC_FRAME", "EncodedAudio"]

AAC_FRAME = 1024  # samples per AAC frame


class EncodedAudio:
    """A whole soundtrack as AAC packets (about 24 KB a second), ready to interleave.

    The samples are encoded as they come, a block at a time, so a long render never holds the
    float mix: :meth:`in_background` makes the blocks (mixing and mastering them) and encodes
    them on a thread while the frames are drawn, and :meth:`mux_until` muxes the packets that
    exist so far (the muxer interleaves the rest when they come) and lets them go.
    """

    def __init__(
        self, samples: npt.NDArray[np.float32] | Iterable[npt.NDArray[np.float32]], rate: int, bitrate: int
    ) -> None:
        self._start(rate, bitrate)
        self._encode(samples)
        self._done.set()

    @classmethod
    def in_background(
        cls,
        mix: Callable[[], npt.NDArray[np.float32] | Iterable[npt.NDArray[np.float32]]],
        rate: int,
        bitrate: int,
        *,
        keep: Callable[[bytes], None] | None = None,
    ) -> EncodedAudio:
        """Run ``mix()`` (the samples, or their blocks in order) and encode them on a thread;
        an error surfaces when muxing. With ``keep``, the finished packets are also handed to
        it once, as :meth:`from_bytes` reads them (e.g. to cache the soundtrack)."""
        self = cls.__new__(cls)
        self._start(rate, bitrate)
        if keep is not None:
            self._record = []

        def run() -> None:
            try:
                self._encode(mix())
                if keep is not None and self._record is not None:
                    keep(self._recording())
            except BaseException as exc:
                self._error = exc
            finally:
                self._record = None
                self._done.set()

        threading.Thread(target=run, name="promptreel-audio", daemon=True).start()
        return self

    def _start(self, rate: int, bitrate: int) -> None:
        self.rate = rate
        self.bitrate = bitrate
        self.packets: list[av.Packet | None] = []
        self._next = 0
        self._error: BaseException | None = None
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._record: list[tuple[int, int, int, bytes]] | None = None

    # the bytes of a finished soundtrack: a header, then per packet pts, dts, duration, size, data
    _MAGIC = b"PRAAC1"
    _HEAD = struct.Struct("<6sIII")
    _PACKET = struct.Struct("<qqiI")

    def _recording(self) -> bytes:
        assert self._record is not None
        parts = [self._HEAD.pack(self._MAGIC, self.rate, self.bitrate, len(self._record))]
        for pts, dts, duration, data in self._record:
            parts.append(self._PACKET.pack(pts, dts, duration, len(data)))
            parts.append(data)
        return b"".join(parts)

    @classmethod
    def from_bytes(cls, data: bytes) -> EncodedAudio:
        """Packets written by an earlier encode (see ``keep`` of :meth:`in_background`), ready
        to mux; :class:`ValueError` if ``data`` is not such a recording."""
        if len(data) < cls._HEAD.size:
            raise ValueError("not an encoded soundtrack")
        magic, rate, bitrate, count = cls._HEAD.unpack_from(data, 0)
        if magic != cls._MAGIC or rate <= 0:
            raise ValueError("not an encoded soundtrack")
        self = cls.__new__(cls)
        self._start(rate, bitrate)
        pos = cls._HEAD.size
        tb = Fraction(1, rate)
        for _ in range(count):
            if pos + cls._PACKET.size > len(data):
                raise ValueError("truncated soundtrack")
            pts, dts, duration, size = cls._PACKET.unpack_from(data, pos)
            pos += cls._PACKET.size
            if pos + size > len(data):
                raise ValueError("truncated soundtrack")
            packet = av.Packet(data[pos : pos + size])
            pos += size
            packet.pts, packet.dts, packet.duration, packet.time_base = pts, dts, duration, tb
            self.packets.append(packet)
        if pos != len(data):
            raise ValueError("trailing bytes after the soundtrack")
        self._done.set()
        return self

    def _encode(self, samples: npt.NDArray[np.float32] | Iterable[npt.NDArray[np.float32]]) -> None:
        rate = self.rate
        ctx = av.CodecContext.create("aac", "w")
        ctx.sample_rate = rate
        ctx.layout = "stereo"
        ctx.format = "fltp"
        ctx.bit_rate = self.bitrate
        ctx.time_base = Fraction(1, rate)
        ctx.options = {"aac_coder": "fast"}  # twice as fast as "twoloop"; transparent at 192 kbit/s
        ctx.flags = int(ctx.flags) | int(Flags.global_header)
        blocks = (samples,) if isinstance(samples, np.ndarray) else samples
        pos = 0  # samples encoded so far
        rest: npt.NDArray[np.float32] | None = None  # under one AAC frame, waiting for more
        for block in blocks:
            x = block if rest is None else np.concatenate([rest, block])
            whole = x.shape[0] - x.shape[0] % AAC_FRAME
            self._frames(ctx, x[:whole], pos)
            pos += whole
            rest = x[whole:] if whole < x.shape[0] else None
        if rest is not None:
            self._frames(ctx, rest, pos)
        self._keep(ctx.encode(None))

    def _frames(self, ctx: Any, samples: npt.NDArray[np.float32], pos: int) -> None:
        """Encode ``samples`` (stereo, starting at sample ``pos``) in AAC frames."""
        rate = self.rate
        for a in range(0, samples.shape[0], AAC_FRAME):
            b = min(samples.shape[0], a + AAC_FRAME)
            frame = av.AudioFrame.from_ndarray(
                np.ascontiguousarray(samples[a:b].T, dtype=np.float32), format="fltp", layout="stereo"
            )
            frame.sample_rate = rate
            frame.pts = pos + a
            frame.time_base = Fraction(1, rate)
            self._keep(ctx.encode(frame))

    def _keep(self, packets: list[av.Packet]) -> None:
        if packets:
            if self._record is not None:
                for p in packets:
                    pts = p.pts if p.pts is not None else 0
                    self._record.append((pts, p.dts if p.dts is not None else pts, p.duration or 0, bytes(p)))
            with self._lock:
                self.packets.extend(packets)

    def add_stream(self, container: Any) -> Any:
        """An AAC stream in ``container`` matching these packets."""
        stream = container.add_stream("aac", rate=self.rate)
        stream.layout = "stereo"
        stream.format = "fltp"
        stream.bit_rate = self.bitrate
        stream.time_base = Fraction(1, self.rate)
        return stream

    def mux_until(self, container: Any, stream: Any, t: Fraction | None) -> None:
        """Mux the packets encoded so far that start before ``t`` seconds; with ``None``, wait
        for the encode to finish and mux all that remain."""
        if t is None:
            self._done.wait()
        if self._error is not None:
            raise self._error
        limit = None if t is None else t * self.rate
        while True:
            with self._lock:
                if self._next >= len(self.packets):
                    return
                packet = self.packets[self._next]
                assert packet is not None
                if limit is not None and packet.pts is not None and packet.pts >= limit:
                    return
                self.packets[self._next] = None  # muxed: let it go
                self._next += 1
            packet.stream = stream
            packet.time_base = Fraction(1, self.rate)
            container.mux(packet)
            if self._next >= 4096:  # drop the muxed slots now and then: the list stays short
                with self._lock:
                    del self.packets[: self._next]
                    self._next = 0
