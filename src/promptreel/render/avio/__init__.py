"""The media IO edge: the one package that touches PyAV (``av``). Everything else in promptreel
reads and writes audio and video through the names here.

Writing (H.264/AAC MP4, :mod:`.writer`): :class:`VideoWriter` owns a small ring of RGBA/BGRA
frame buffers: the drawing thread draws straight into a free one
(:meth:`VideoWriter.next_buffer`, :meth:`VideoWriter.submit`) — or hands over its own array,
which is copied — and an encoder thread converts it to yuv420p and encodes it with libx264; both
release the GIL, so drawing frame *n+1* overlaps encoding frame *n*. The renderer instead draws
into its own persistent surface and hands it over with :meth:`VideoWriter.submit_pixels`, which
converts on the calling thread only the rectangles that changed into a recycled yuv420p picture
(each picture of the small pool remembers where it is stale). A frame that looks exactly like
the one before (:meth:`VideoWriter.repeat`) is encoded again from the previous yuv420p picture,
neither copied nor converted.

The conversion (:mod:`.yuv`) is BT.601 limited range, tagged so in the stream (primaries and
transfer stay BT.709/sRGB, :mod:`.encoding`): that is the matrix of libyuv's SIMD
``ARGBToI420`` (about 0.6 ms a 1080p frame, 7× cheaper than a general swscale call), used when
the system has libyuv; otherwise swscale converts with the same matrix, so every machine writes
the same colours.

Memory is the ring (``queue_frames`` + 2 frames) plus x264's look-ahead, whatever the
length. Audio is encoded a block at a time as its blocks come (:class:`EncodedAudio`,
:mod:`.soundtrack`) and interleaved as the video advances. :class:`ChunkJoiner`
(:mod:`.joiner`) concatenates separately encoded chunks without re-encoding.

Reading (:mod:`.reading`): video frames by time (:class:`VideoSource`), still images and audio
clips (:func:`load_image_rgba`, :func:`load_audio`); container facts (:func:`inspect_media`,
:mod:`.media_info`).
"""

from __future__ import annotations

from promptreel.render.avio.encoding import configure_encoder, video_stream_options
from promptreel.render.avio.encoding import mp4_options as mp4_options
from promptreel.render.avio.joiner import ChunkJoiner
from promptreel.render.avio.media_info import MediaInfo, check_pixels, inspect_media
from promptreel.render.avio.reading import RGBA as RGBA
from promptreel.render.avio.reading import VideoSource, load_audio, load_image_rgba
from promptreel.render.avio.soundtrack import AAC_FRAME, EncodedAudio
from promptreel.render.avio.writer import VideoWriter
from promptreel.render.avio.yuv import YuvConverter

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
