"""The media IO edge: the one module that touches PyAV (``av``). Everything else in promptreel
reads and writes audio and video through the names here.

Writing (H.264/AAC MP4): :class:`VideoWriter` owns a small ring of RGBA/BGRA frame buffers: the
drawing thread draws straight into a free one (:meth:`VideoWriter.next_buffer`,
:meth:`VideoWriter.submit`) — or hands over its own array, which is copied — and an encoder
thread converts it to yuv420p and encodes it with libx264; both release the GIL, so drawing
frame *n+1* overlaps encoding frame *n*. The renderer instead draws into its own persistent
surface and hands it over with :meth:`VideoWriter.submit_pixels`, which converts on the calling
thread only the rectangles that changed into a recycled yuv420p picture (each picture of the
small pool remembers where it is stale). A frame that looks exactly like the one before
(:meth:`VideoWriter.repeat`) is encoded again from the previous yuv420p picture, neither copied
nor converted.

The conversion is BT.601 limited range, tagged so in the stream (primaries and transfer stay
BT.709/sRGB): that is the matrix of libyuv's SIMD ``ARGBToI420`` (about 0.6 ms a 1080p frame,
7× cheaper than a general swscale call), used when the system has libyuv; otherwise swscale
converts with the same matrix, so every machine writes the same colours.

Memory is the ring (``queue_frames`` + 2 frames) plus x264's look-ahead, whatever the
length. Audio is encoded a block at a time as its blocks come (:class:`EncodedAudio`) and
interleaved as the video advances. :class:`ChunkJoiner` concatenates separately encoded
chunks without re-encoding.

Reading: video frames by time (:class:`VideoSource`), still images and audio clips
(:func:`load_image_rgba`, :func:`load_audio`), and container facts (:func:`inspect_media`).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import queue
import struct
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from types import TracebackType
from typing import Any

import av
import numpy as np
import numpy.typing as npt
from av.codec.context import Flags

from promptreel.clip import AudioClip
from promptreel.errors import RenderFailed, UnsupportedFile
from promptreel.render.damage import Rect, normalize
from promptreel.render.options import RenderOptions

__all__ = [
    "AAC_FRAME",
    "ChunkJoiner",
    "EncodedAudio",
    "MediaInfo",
    "VideoSource",
    "VideoWriter",
    "YuvConverter",
    "check_pixels",
    "configure_encoder",
    "inspect_media",
    "load_audio",
    "load_image_rgba",
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

    def blank(self) -> av.VideoFrame | None:
        """A new yuv420p picture to convert into with :meth:`convert_into` (``None`` without
        libyuv: then only :meth:`convert` works)."""
        return av.VideoFrame(self.width, self.height, "yuv420p") if self._fn is not None else None

    def convert_into(
        self, buf: npt.NDArray[np.uint8], frame: av.VideoFrame, rects: list[Rect] | None = None
    ) -> None:
        """Convert the ``rects`` of ``buf`` (x0, y0, x1, y1; even corners; ``None``: all of it)
        into the same pixels of ``frame`` (from :meth:`blank`); the rest of ``frame`` is kept.
        Aligned on the 2×2 chroma blocks, a rectangle converts to exactly the bytes a whole-frame
        conversion gives there."""
        if self._fn is None:
            raise RuntimeError("converting into a picture needs libyuv")
        if buf.shape != (self.height, self.width, 4) or not buf.flags.c_contiguous:
            raise ValueError("frames must be contiguous (height, width, 4) uint8 arrays")
        planes = frame.planes
        (y_ptr, y_pitch), (u_ptr, u_pitch), (v_ptr, v_pitch) = ((p.buffer_ptr, p.line_size) for p in planes)
        src, pitch = buf.ctypes.data, self.width * 4
        for x0, y0, x1, y1 in rects if rects is not None else [(0, 0, self.width, self.height)]:
            if (
                x0 % 2
                or y0 % 2
                or x1 % 2
                or y1 % 2
                or not (0 <= x0 < x1 <= self.width and 0 <= y0 < y1 <= self.height)
            ):
                raise ValueError(f"bad rectangle {(x0, y0, x1, y1)}")
            cx, cy = x0 // 2, y0 // 2
            if (
                self._fn(
                    src + y0 * pitch + x0 * 4,
                    pitch,
                    y_ptr + y0 * y_pitch + x0,
                    y_pitch,
                    u_ptr + cy * u_pitch + cx,
                    u_pitch,
                    v_ptr + cy * v_pitch + cx,
                    v_pitch,
                    x1 - x0,
                    y1 - y0,
                )
                != 0
            ):
                raise RuntimeError("libyuv could not convert the frame")

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


def mp4_options(options: RenderOptions) -> dict[str, str]:
    """The MP4 muxer's settings: the index first (``faststart``), or with ``options.fragmented``
    an empty index and a fragment per keyframe, each written out as soon as it is complete, so
    a reader can play the file while it grows."""
    if options.fragmented:
        return {"movflags": "+frag_keyframe+empty_moov+default_base_moof", "flush_packets": "1"}
    return {"movflags": "+faststart"}


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
        self._container = av.open(str(path), "w", format="mp4", options=mp4_options(options))
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
        self._work: queue.Queue[tuple[int, npt.NDArray[np.uint8] | av.VideoFrame | None] | None] = (
            queue.Queue(queue_frames)
        )
        self._converter = YuvConverter(width, height, pixel_format)
        # pictures for submit_pixels (made on first use): each remembers where it is stale
        self._yuv_free: queue.Queue[av.VideoFrame] = queue.Queue()
        self._stale: dict[int, list[Rect] | None] = {}
        self._pool_size = queue_frames + 3  # drawing side 1, queue, encoder current + last
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

    def submit_pixels(self, buf: npt.NDArray[np.uint8], rects: list[Rect] | None = None) -> None:
        """Queue the picture in ``buf`` (the caller's own array, e.g. a persistent drawing
        surface) as the next frame, converted to yuv420p now, on the calling thread: ``buf``
        may be drawn over again as soon as this returns. ``rects`` (even corners) are where it
        differs from the previous frame submitted this way (``None``: anywhere): with libyuv
        only what is stale in the recycled picture is converted, so a frame that changes in a
        small area costs little more than its rectangles."""
        self._raise_if_failed()
        if not self._converter.simd:
            self._queue(self._converter.convert(buf))
            return
        stale = self._stale
        for key, old in stale.items():
            if old is not None:
                stale[key] = None if rects is None or len(old) + len(rects) > 32 else old + rects
        if len(stale) < self._pool_size:
            frame = self._converter.blank()
            assert frame is not None
            stale[id(frame)] = None
        else:
            frame = self._take_yuv()
        todo = stale[id(frame)]
        self._converter.convert_into(
            buf, frame, None if todo is None else normalize(todo, self.width, self.height)
        )
        stale[id(frame)] = []
        self._queue(frame)

    def _take_yuv(self) -> av.VideoFrame:
        while True:
            try:
                return self._yuv_free.get(timeout=0.5)
            except queue.Empty:
                self._raise_if_failed()

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

    def _queue(self, buf: npt.NDArray[np.uint8] | av.VideoFrame | None) -> None:
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
                if isinstance(buf, av.VideoFrame):  # converted by submit_pixels
                    if yuv is not None and yuv is not buf and id(yuv) in self._stale:
                        self._yuv_free.put(yuv)  # the previous picture is free once replaced
                    yuv = buf
                elif buf is not None:
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


# -- joining chunks without re-encoding -------------------------------------------------------


class ChunkJoiner:
    """Concatenates chunk files, in order, into one MP4 without re-encoding; adds AAC audio.

    The first chunk's stream is the template (same SPS/PPS for all); packet timestamps are
    shifted by the chunk's first frame. Audio is encoded and interleaved as the video advances.
    """

    def __init__(self, out: Path, fps: int, audio: EncodedAudio | None, options: RenderOptions) -> None:
        self.out, self.fps, self.audio, self.options = out, fps, audio, options
        self.frame_tb = Fraction(1, fps)
        self.packets = 0
        self._output: Any = None
        self._vstream: Any = None
        self._extradata: bytes | None = None
        self._astream: Any = None

    def _open(self, template: Any) -> None:
        output = av.open(str(self.out), "w", format="mp4", options=mp4_options(self.options))
        self._output = output
        self._vstream = output.add_stream_from_template(template)
        self._vstream.time_base = self.frame_tb
        self._extradata = template.codec_context.extradata
        if self.audio is not None:
            self._astream = self.audio.add_stream(output)

    def add(self, start: int, path: Path) -> None:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            if self._output is None:
                self._open(stream)
            elif stream.codec_context.extradata != self._extradata:
                raise RenderFailed("Chunks were encoded with different settings and cannot be joined.")
            tb = stream.time_base
            assert tb is not None
            for packet in container.demux(stream):
                if packet.size == 0 or packet.pts is None:
                    continue
                dts = packet.dts if packet.dts is not None else packet.pts
                packet.pts = round(packet.pts * tb / self.frame_tb) + start
                packet.dts = round(dts * tb / self.frame_tb) + start
                packet.time_base = self.frame_tb
                packet.duration = 1
                packet.stream = self._vstream
                self._output.mux(packet)
                self.packets += 1
                if self.audio is not None:
                    self.audio.mux_until(
                        self._output, self._astream, Fraction(max(0, packet.dts + 1), self.fps)
                    )

    def close(self) -> None:
        """Write the rest of the audio and the index; nothing to do if no chunk was added."""
        if self._output is None:
            return
        try:
            if self.audio is not None:
                self.audio.mux_until(self._output, self._astream, None)
        finally:
            self._output.close()
            self._output = None

    def abort(self) -> None:
        if self._output is not None:
            with contextlib.suppress(Exception):
                self._output.close()
            self._output = None


# -- reading ---------------------------------------------------------------------------------

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


# -- what a file is -------------------------------------------------------------------------

#: demuxers that hold a single still picture
_IMAGE_FORMATS = ("image2", "png_pipe", "jpeg_pipe", "webp_pipe", "gif", "bmp_pipe", "tiff_pipe", "gif_pipe")
_IMAGE_CODECS = ("png", "mjpeg", "webp", "gif", "bmp", "tiff", "jpegls")
_CODEC_NAMES = {"jpg": "mjpeg"}  # still formats by the codec name PyAV would give


@dataclass(frozen=True)
class MediaInfo:
    kind: str  # "video" | "image" | "audio"
    duration_ms: int
    width: int
    height: int
    has_audio: bool
    has_video: bool
    codec: str  # codec of the main stream (video stream if any, else audio)
    size_bytes: int


def inspect_media(p: Path, max_pixels: int) -> MediaInfo:
    """Open ``p`` as a container and decode its first frames; :class:`UnsupportedFile` if it is
    not readable audio or video (or its picture is over ``max_pixels``, from the stream header)."""
    try:
        with av.open(str(p), "r") as container:
            return _inspect(container, p, max_pixels)
    except UnsupportedFile:
        raise
    except (av.FFmpegError, ValueError, IndexError, OSError, UnicodeDecodeError) as exc:
        raise UnsupportedFile(f"{p.name}: unreadable or corrupt media ({exc.__class__.__name__}).") from exc


def check_pixels(p: Path, width: int, height: int, max_pixels: int) -> None:
    if width * height > max_pixels:
        raise UnsupportedFile(
            f"{p.name}: the picture is too large in pixels ({width}×{height}; at most {max_pixels}).",
            data={"width": width, "height": height, "max_pixels": max_pixels},
        )


def _inspect(container: av.container.InputContainer, p: Path, max_pixels: int) -> MediaInfo:
    videos = [s for s in container.streams.video if not _is_cover_art(s)]
    audios = list(container.streams.audio)
    if not videos and not audios:
        raise UnsupportedFile(f"{p.name}: no picture or sound in this file.")
    fmt = container.format.name.split(",")[0]
    if videos:
        stream = videos[0]
        codec = stream.codec_context.name
        width, height = stream.codec_context.width, stream.codec_context.height
        check_pixels(p, width, height, max_pixels)  # from the stream header, before decoding
        frames = _decode_first(container, stream, need=2)
        if frames == 0 or width <= 0 or height <= 0:
            raise UnsupportedFile(f"{p.name}: the picture cannot be decoded.")
        still = fmt in _IMAGE_FORMATS or (codec in _IMAGE_CODECS and frames < 2 and not audios)
        kind = "image" if still else "video"
    else:
        codec = audios[0].codec_context.name
        width = height = 0
        if _decode_first(container, audios[0], need=1) == 0:
            raise UnsupportedFile(f"{p.name}: the sound cannot be decoded.")
        kind = "audio"
    duration_ms = 0 if kind == "image" else _duration_ms(container)
    if kind != "image" and duration_ms <= 0:
        raise UnsupportedFile(f"{p.name}: the file has no duration.")
    return MediaInfo(
        kind=kind,
        duration_ms=duration_ms,
        width=width,
        height=height,
        has_audio=bool(audios),
        has_video=kind != "audio",
        codec=codec,
        size_bytes=p.stat().st_size,
    )


def _is_cover_art(stream: av.video.stream.VideoStream) -> bool:
    return bool(stream.disposition & av.stream.Disposition.attached_pic)


def _decode_first(container: av.container.InputContainer, stream: av.stream.Stream, need: int) -> int:
    """Decode up to ``need`` frames of ``stream``; how many came out."""
    count = 0
    for packet in container.demux(stream):
        for _frame in packet.decode():
            count += 1
            if count >= need:
                return count
    return count


def _duration_ms(container: av.container.InputContainer) -> int:
    if container.duration is not None and container.duration > 0:
        return round(container.duration * 1000 / av.time_base)
    best = 0
    for s in container.streams:
        if s.duration and s.time_base:
            best = max(best, round(float(s.duration * s.time_base) * 1000))
    return best
