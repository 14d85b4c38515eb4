"""The encoder and muxer settings every render shares (a whole file or separate chunks), so the
pieces of one video join seamlessly: libx264 with the same options, BT.601 limited range tagged
in the stream (primaries and transfer BT.709/sRGB), and the MP4 muxer's flags."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from promptreel.render.options import RenderOptions

__all__ = ["BT601", "BT709", "MPEG_RANGE", "configure_encoder", "mp4_options", "video_stream_options"]

BT709 = 1  # AVCOL_PRI/TRC_BT709
BT601 = 6  # AVCOL_SPC_SMPTE170M: the BT.601 matrix the frames are converted with
MPEG_RANGE = 1  # AVCOL_RANGE_MPEG (limited)


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
    ctx.color_primaries = ctx.color_trc = BT709
    ctx.colorspace = BT601
    ctx.color_range = MPEG_RANGE
    ctx.options = video_stream_options(options, fps)


def mp4_options(options: RenderOptions) -> dict[str, str]:
    """The MP4 muxer's settings: the index first (``faststart``), or with ``options.fragmented``
    an empty index and a fragment per keyframe, each written out as soon as it is complete, so
    a reader can play the file while it grows."""
    if options.fragmented:
        return {"movflags": "+frag_keyframe+empty_moov+default_base_moof", "flush_packets": "1"}
    return {"movflags": "+faststart"}
