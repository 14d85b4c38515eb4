"""What a file is (:func:`inspect_media`): image, video or audio, its duration, picture size
and codec, checked by decoding its first frames."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import av

from promptreel.errors import UnsupportedFile

__all__ = ["MediaInfo", "check_pixels", "inspect_media"]

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
