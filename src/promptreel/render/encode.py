"""H.264/AAC MP4 writing with PyAV: the one place frames become a file.

:class:`VideoWriter` owns a small ring of RGBA/BGRA frame buffers: the drawing thread draws
straight into a free one (:meth:`VideoWriter.next_buffer`, :meth:`VideoWriter.submit`) — or
hands over its own array, which is copied — and an encoder thread converts it to yuv420p and
encodes it with libx264; both release the GIL, so drawing frame *n+1* overlaps encoding frame
*n*. A frame that looks exactly like the one before (:meth:`VideoWriter.repeat`) is encoded
again from the previous yuv420p picture, neither copied nor converted.

The conversion is BT.601 limited range, tagged so in the stream (primaries and transfer stay
BT.709/sRGB): that is the matrix of libyuv's SIMD ``ARGBToI420`` (about 0.6 ms a 1080p frame,
7× cheaper than a general swscale call), used when the system has libyuv; otherwise swscale
converts with the same matrix, so every machine writes the same colours.

Memory is the ring (``queue_frames`` + 2 frames) plus x264's look-ahead, whatever the
length. Audio comes pre-encoded (:class:`EncodedAudio`) and is interleaved as the video
advances.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import queue
import threading
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from types import TracebackType
from typing import Any

import av
import numpy as np
import numpy.typing as npt
from av.codec.context import Flags

from promptreel.render.options import RenderOptions

__all__ = [
    "AAC_FRAME",
    "EncodedAudio",
    "VideoWriter",
    "YuvConverter",
    "configure_encoder",
    "video_stream_options",
]

AAC_FRAME = 1024  # samples per AAC frame
_BT709 = 1  # AVCOL_PRI/TRC_BT709
_BT601 = 6  # AVCOL_SPC_SMPTE170M: the BT.601 matrix the frames are converted with
_MPEG_RANGE = 1  # AVCOL_RANGE_MPEG (limited)


def _libyuv() -> Any:
    """libyuv's ``ARGBToI420``/``ABGRToI420`` (SIMD), or ``None`` where the library is missing."""
    for name in ("libyuv.so.0", ctypes.util.find_library("yuv")):
        if not name:
            continue
        try:
            lib = ctypes.CDLL(name)
            for fn in (lib.ARGBToI420, lib.ABGRToI420):
                fn.argtypes = (ctypes.c_void_p, ctypes.c_int) * 4 + (ctypes.c_int, ctypes.c_int)
                fn.restype = ctypes.c_int
        except (OSError, AttributeError):
            continue
        return lib
    return None


_LIBYUV = _libyuv()


class YuvConverter:
    """RGBA or BGRA frames (8-bit, opaque) → yuv420p, BT.601 limited range.

    With libyuv, each call converts into one reused :class:`av.VideoFrame` (the encoder copies
    its input, so the picture may be overwritten once it is encoded); otherwise each call
    returns a fresh frame converted by swscale with the same matrix.
    """

    def __init__(self, width: int, height: int, pixel_format: str, *, simd: bool = True) -> None:
        self.width, self.height = width, height
        self.pixel_format = pixel_format
        self._fn: Any = None
        if simd and _LIBYUV is not None:
            # libyuv names formats by their 32-bit word: "ARGB" is B, G, R, A in memory
            self._fn = _LIBYUV.ARGBToI420 if pixel_format == "bgra" else _LIBYUV.ABGRToI420
            self._frame = av.VideoFrame(width, height, "yuv420p")
            planes = self._frame.planes
            self._dst = [v for plane in planes for v in (plane.buffer_ptr, plane.line_size)]

    @property
    def simd(self) -> bool:
        return self._fn is not None

    def convert(self, buf: npt.NDArray[np.uint8]) -> av.VideoFrame:
        if self._fn is None:
            src = av.VideoFrame.from_numpy_buffer(buf, format=self.pixel_format)
            return src.reformat(
                format="yuv420p",
                dst_colorspace="ITU601",
                dst_color_range="MPEG",
                src_color_range="JPEG",
                threads=1,
            )
        if buf.shape != (self.height, self.width, 4) or not buf.flags.c_contiguous:
            raise ValueError("frames must be contiguous (height, width, 4) uint8 arrays")
        if self._fn(buf.ctypes.data, self.width * 4, *self._dst, self.width, self.height) != 0:
            raise RuntimeError("libyuv could not convert the frame")
        return self._frame


def video_stream_options(options: RenderOptions, fps: int) -> dict[str, str]:
    """libx264 private options shared by every render so separate chunks join seamlessly."""
    gop = max(1, options.gop_s * fps)
    params = f"keyint={gop}:min-keyint={min(gop, fps)}"
    if options.x264_params:
        params += ":" + options.x264_params
    return {"preset": options.preset, "crf": str(options.crf), "x264-params": params}


def configure_encoder(ctx: Any, width: int, height: int, fps: int, options: RenderOptions) -> None:
    """Give a libx264 context exactly the settings every render uses (stream or standalone)."""
    ctx.width, ctx.height = width, height
    ctx.pix_fmt = "yuv420p"
    ctx.time_base = Fraction(1, fps)
    ctx.framerate = Fraction(fps)
    ctx.profile = "High"
    ctx.bit_rate = 0
    ctx.bit_rate_tolerance = 128000
    ctx.thread_type = "FRAME"
    ctx.thread_count = options.encoder_threads
    ctx.color_primaries = ctx.color_trc = _BT709
    ctx.colorspace = _BT601
    ctx.color_range = _MPEG_RANGE
    ctx.options = video_stream_options(options, fps)


class EncodedAudio:
    """A whole soundtrack as AAC packets (about 24 KB a second), ready to interleave.

    Encoding the mix up front lets the float samples go before the frames are drawn, so a long
    render holds kilobytes of audio instead of the full float32 mix. :meth:`in_background`
    mixes and encodes on a thread while the frames are drawn; until it is done,
    :meth:`mux_until` leaves the audio for later (the muxer interleaves it when it comes).
    """

    def __init__(self, samples: npt.NDArray[np.float32], rate: int, bitrate: int) -> None:
        self._start(rate, bitrate)
        self._encode(samples)
        self._done.set()

    @classmethod
    def in_background(
        cls, mix: Callable[[], npt.NDArray[np.float32]], rate: int, bitrate: int
    ) -> EncodedAudio:
        """Run ``mix()`` and encode its samples on a thread; an error surfaces when muxing."""
        self = cls.__new__(cls)
        self._start(rate, bitrate)

        def run() -> None:
            try:
                self._encode(mix())
            except BaseException as exc:
                self._error = exc
            finally:
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

    def _encode(self, samples: npt.NDArray[np.float32]) -> None:
        rate = self.rate
        ctx = av.CodecContext.create("aac", "w")
        ctx.sample_rate = rate
        ctx.layout = "stereo"
        ctx.format = "fltp"
        ctx.bit_rate = self.bitrate
        ctx.time_base = Fraction(1, rate)
        ctx.options = {"aac_coder": "fast"}  # twice as fast as "twoloop"; transparent at 192 kbit/s
        ctx.flags = int(ctx.flags) | int(Flags.global_header)
        packets: list[av.Packet | None] = []
        for a in range(0, samples.shape[0], AAC_FRAME):
            b = min(samples.shape[0], a + AAC_FRAME)
            frame = av.AudioFrame.from_ndarray(
                np.ascontiguousarray(samples[a:b].T, dtype=np.float32), format="fltp", layout="stereo"
            )
            frame.sample_rate = rate
            frame.pts = a
            frame.time_base = Fraction(1, rate)
            packets.extend(ctx.encode(frame))
        packets.extend(ctx.encode(None))
        self.packets = packets

    def add_stream(self, container: Any) -> Any:
        """An AAC stream in ``container`` matching these packets."""
        stream = container.add_stream("aac", rate=self.rate)
        stream.layout = "stereo"
        stream.format = "fltp"
        stream.bit_rate = self.bitrate
        stream.time_base = Fraction(1, self.rate)
        return stream

    def mux_until(self, container: Any, stream: Any, t: Fraction | None) -> None:
        """Mux the packets that start before ``t`` seconds (all that remain for ``None``,
        waiting for a background encode to finish; otherwise nothing until it has)."""
        if not self._done.is_set():
            if t is not None:
                return
            self._done.wait()
        if self._error is not None:
            raise self._error
        limit = None if t is None else t * self.rate
        while self._next < len(self.packets):
            packet = self.packets[self._next]
            assert packet is not None
            if limit is not None and packet.pts is not None and packet.pts >= limit:
                return
            packet.stream = stream
            packet.time_base = Fraction(1, self.rate)
            container.mux(packet)
            self.packets[self._next] = None  # muxed: let it go
            self._next += 1


class VideoWriter:
    """Write 8-bit RGBA or BGRA frames (and optionally a pre-encoded AAC soundtrack) to an MP4.

    Frame ``i`` gets pts ``i`` in time base ``1/fps``. Call :meth:`write` per frame and
    :meth:`finish` once; leaving the ``with`` block without ``finish`` (an error) aborts the
    encoder thread and closes the file, which the caller then deletes.

    ``segment_frames`` > 0 restarts the encoder every that many frames (flush, then a fresh
    libx264 with the same settings), so the stream is made of the same independently encoded
    pieces a chunked render joins: both ways give the same bitstream.
    """

    def __init__(
        self,
        path: Path | str,
        width: int,
        height: int,
        fps: int,
        options: RenderOptions,
        audio: EncodedAudio | None = None,
        *,
        segment_frames: int = 0,
        queue_frames: int = 3,
        pixel_format: str = "rgba",
    ) -> None:
        if width % 2 or height % 2:
            raise ValueError("width and height must be even for yuv420p")
        if pixel_format not in ("rgba", "bgra"):
            raise ValueError("pixel_format must be rgba or bgra")
        self._pixel_format = pixel_format
        self.width, self.height, self.fps = width, height, fps
        self._options = options
        self._container = av.open(str(path), "w", format="mp4", options={"movflags": "+faststart"})
        try:
            self._video = self._add_video()
            self._encoder: Any = self._video.codec_context
            self._segment_frames = segment_frames
            self._segment_start = 0
            self._audio_data = audio
            self._audio = audio.add_stream(self._container) if audio is not None else None
        except BaseException:
            self._container.close()
            raise
        self.frames = 0
        # ring of frame buffers: the drawing thread fills a free one, the encoder returns it
        self._free: queue.Queue[npt.NDArray[np.uint8]] = queue.Queue()
        for _ in range(queue_frames + 2):
            self._free.put(np.empty((height, width, 4), np.uint8))
        self._work: queue.Queue[tuple[int, npt.NDArray[np.uint8] | None] | None] = queue.Queue(queue_frames)
        self._converter = YuvConverter(width, height, pixel_format)
        self._error: BaseException | None = None
        self._abort = threading.Event()
        self._thread = threading.Thread(target=self._encode_loop, name="promptreel-encode", daemon=True)
        self._thread.start()
        self._finished = False

    # -- setup -----------------------------------------------------------------------------
    def _add_video(self) -> Any:
        stream = self._container.add_stream("libx264", rate=self.fps)
        stream.time_base = Fraction(1, self.fps)
        configure_encoder(stream.codec_context, self.width, self.height, self.fps, self._options)
        return stream

    def _fresh_encoder(self) -> Any:
        ctx = av.CodecContext.create("libx264", "w")
        configure_encoder(ctx, self.width, self.height, self.fps, self._options)
        ctx.flags = int(ctx.flags) | int(Flags.global_header)  # SPS/PPS in extradata, as in the stream
        return ctx

    def _encode(self, frame: av.VideoFrame | None) -> None:
        for packet in self._encoder.encode(frame):
            packet.stream = self._video
            if self._segment_start:
                packet.pts += self._segment_start
                packet.dts += self._segment_start
            self._container.mux(packet)

    # -- the drawing side ------------------------------------------------------------------
    def next_buffer(self) -> npt.NDArray[np.uint8]:
        """A free (height, width, 4) buffer of the ring to draw the next frame into; hand it
        back with :meth:`submit` (its old contents are undefined)."""
        self._raise_if_failed()
        while True:
            try:
                return self._free.get(timeout=0.5)
            except queue.Empty:
                self._raise_if_failed()

    def submit(self, buf: npt.NDArray[np.uint8]) -> None:
        """Queue ``buf`` (from :meth:`next_buffer`) as the next frame; it is the writer's again."""
        self._queue(buf)

    def repeat(self) -> None:
        """Queue the next frame as an exact copy of the previous one (encoded again from its
        yuv420p picture: nothing is copied or converted)."""
        if self.frames == 0:
            raise ValueError("there is no previous frame to repeat")
        self._queue(None)

    def write(self, frame: npt.NDArray[np.uint8]) -> None:
        """Queue one (height, width, 4) uint8 frame in ``pixel_format`` order. The array is
        copied; reuse it at once."""
        buf = self.next_buffer()
        np.copyto(buf, frame)
        self._queue(buf)

    def _queue(self, buf: npt.NDArray[np.uint8] | None) -> None:
        index = self.frames
        self.frames += 1
        while True:
            try:
                self._work.put((index, buf), timeout=0.5)
                return
            except queue.Full:
                self._raise_if_failed()

    def finish(self) -> None:
        """Flush the encoders, write the remaining audio and close the file."""
        self._raise_if_failed()
        self._work.put(None)
        self._thread.join()
        self._raise_if_failed()
        self._encode(None)
        if self._audio is not None:
            self._encode_audio_until(None)
        self._container.close()
        self._finished = True

    def _raise_if_failed(self) -> None:
        if self._error is not None:
            raise self._error

    # -- the encoder thread ----------------------------------------------------------------
    def _encode_loop(self) -> None:
        yuv: av.VideoFrame | None = None  # the last picture: a repeated frame encodes it again
        try:
            while not self._abort.is_set():
                item = self._work.get()
                if item is None:
                    return
                index, buf = item
                if buf is not None:
                    yuv = self._converter.convert(buf)
                    self._free.put(buf)
                elif yuv is None:
                    raise RuntimeError("a repeated frame before any frame")
                if self._segment_frames and index and index % self._segment_frames == 0:
                    self._encode(None)  # flush this piece, start the next on a fresh encoder
                    self._encoder = self._fresh_encoder()
                    self._segment_start = index
                yuv.pts = index - self._segment_start
                yuv.time_base = Fraction(1, self.fps)
                yuv.colorspace = _BT601
                yuv.color_range = _MPEG_RANGE
                self._encode(yuv)
                if self._audio is not None:
                    self._encode_audio_until(Fraction(index + 1, self.fps))
        except BaseException as exc:
            self._error = exc
            # unblock a producer waiting for a free buffer
            self._free.put(np.empty((self.height, self.width, 4), np.uint8))

    def _encode_audio_until(self, t: Fraction | None) -> None:
        assert self._audio_data is not None
        self._audio_data.mux_until(self._container, self._audio, t)

    # -- context manager -------------------------------------------------------------------
    def __enter__(self) -> VideoWriter:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if not self._finished:
            self.abort()

    def abort(self) -> None:
        """Stop the encoder thread and close the file without finishing it."""
        self._abort.set()
        try:
            while True:
                self._work.get_nowait()
        except queue.Empty:
            pass
        with contextlib.suppress(queue.Full):
            self._work.put_nowait(None)
        self._thread.join(timeout=30)
        with contextlib.suppress(Exception):  # the file is discarded anyway
            self._container.close()
        self._finished = True
