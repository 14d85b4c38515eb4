"""Writing an H.264/AAC MP4 frame by frame (:class:`VideoWriter`): the drawing thread fills
frames while an encoder thread converts them to yuv420p and encodes them."""

from __future__ import annotations

import contextlib
import queue
import threading
from fractions import Fraction
from pathlib import Path
from types import TracebackType
from typing import Any

import av
import numpy as np
import numpy.typing as npt
from av.codec.context import Flags

from promptreel.render.avio.encoding import BT601, MPEG_RANGE, configure_encoder, mp4_options
from promptreel.render.avio.soundtrack import EncodedAudio
from promptreel.render.avio.yuv import YuvConverter
from promptreel.render.damage import Rect, normalize
from promptreel.render.options import RenderOptions

__all__ = ["VideoWriter"]


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
                yuv.colorspace = BT601
                yuv.color_range = MPEG_RANGE
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
