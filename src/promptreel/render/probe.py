"""What a media file is: kind, duration, size, codecs — or ``UnsupportedFile`` if unreadable."""

from __future__ import annotations

from pathlib import Path

from promptreel.errors import UnsupportedFile
from promptreel.render import stills
from promptreel.render.avio import MediaInfo, check_pixels, inspect_media

__all__ = ["MAX_PIXELS", "MediaInfo", "probe"]

#: the default picture limit (width × height) of a still or a video frame; callers pass their own
MAX_PIXELS = 40_000_000

_CODEC_NAMES = {"jpg": "mjpeg"}  # still formats by the codec name PyAV would give


def probe(path: Path | str, *, max_pixels: int = MAX_PIXELS) -> MediaInfo:
    """Inspect ``path``: a still picture from its header, then a decode check with bounded memory
    (:mod:`promptreel.render.stills`); other media by opening it and decoding its first frames.

    A picture or video frame over ``max_pixels`` is refused from its header, before anything is
    decoded. Raises :class:`promptreel.errors.UnsupportedFile` for anything that is not a
    readable image, video or audio file (missing, empty, truncated or corrupt, too large).
    """
    p = Path(path)
    if not p.is_file() or p.stat().st_size == 0:
        raise UnsupportedFile(f"{p.name}: not a readable file.")
    header = stills.read_header(p)
    if header is not None:
        check_pixels(p, header.width, header.height, max_pixels)
        stills.verify(p)
        return MediaInfo(
            kind="image",
            duration_ms=0,
            width=header.width,
            height=header.height,
            has_audio=False,
            has_video=True,
            codec=_CODEC_NAMES.get(header.format, header.format),
            size_bytes=p.stat().st_size,
        )
    return inspect_media(p, max_pixels)
