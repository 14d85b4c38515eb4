"""What an uploaded file is, judged by its content with bounded memory.

1. Magic bytes name the format (:func:`sniff`); only :data:`ACCEPTED` formats go further.
2. Pictures: the size is read from the header and anything over ``max_image_pixels`` is refused
   before a single pixel is decoded; the picture is then checked scaled down or streamed
   (:mod:`promptreel.render.stills`). Videos: the frame size is checked from the stream header
   before the first frames are decoded. Audio: the first frame is decoded.
3. At most ``probe_concurrency`` files are checked at once (other uploads wait their turn), so
   the memory all probes hold together is bounded too.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from promptreel.errors import UnsupportedFile
from promptreel.render.probe import probe

__all__ = ["ACCEPTED", "MediaFacts", "Prober", "sniff"]

#: format → (kind guess, mime)
ACCEPTED: dict[str, tuple[str, str]] = {
    "mp4": ("video", "video/mp4"),
    "mov": ("video", "video/quicktime"),
    "avi": ("video", "video/x-msvideo"),
    "webm": ("video", "video/webm"),
    "mkv": ("video", "video/x-matroska"),
    "jpg": ("image", "image/jpeg"),
    "png": ("image", "image/png"),
    "gif": ("image", "image/gif"),
    "webp": ("image", "image/webp"),
    "mp3": ("audio", "audio/mpeg"),
    "wav": ("audio", "audio/wav"),
    "m4a": ("audio", "audio/mp4"),
    "aac": ("audio", "audio/aac"),
}


def sniff(head: bytes) -> str | None:
    """The accepted format these first bytes belong to, or ``None``."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand == b"qt  ":
            return "mov"
        if brand in (b"M4A ", b"M4B ", b"M4P "):
            return "m4a"
        return "mp4"
    if head[:4] == b"RIFF" and len(head) >= 12:
        return {b"AVI ": "avi", b"WAVE": "wav", b"WEBP": "webp"}.get(head[8:12])
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "webm" if b"webm" in head[:64] else "mkv"
    if head[:3] == b"\xff\xd8\xff":
        return "jpg"
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:3] == b"ID3":
        return "mp3"
    if len(head) >= 2 and head[0] == 0xFF:
        if head[1] & 0xF6 == 0xF0:
            return "aac"  # ADTS
        if head[1] & 0xE0 == 0xE0 and head[1] & 0x06 == 0x02:
            return "mp3"  # MPEG audio layer III frame sync
    return None


@dataclass(frozen=True, slots=True)
class MediaFacts:
    """What a probe found in one file (its format judged by content)."""

    format: str
    mime: str
    kind: str  # image | video | audio
    duration_ms: int
    width: int
    height: int


class Prober:
    """Judges uploaded files: format, kind, duration and size, or :class:`UnsupportedFile`.

    ``max_pixels`` limits pictures and video frames; ``concurrency`` probes run at once.
    """

    def __init__(self, max_pixels: int, concurrency: int) -> None:
        self.max_pixels = max_pixels
        self._slots = threading.BoundedSemaphore(max(1, concurrency))

    def facts(self, path: Path, head: bytes, name: str) -> MediaFacts:
        """Format, mime type, kind, duration and size of one file."""
        fmt = sniff(head)
        if fmt is None:
            raise UnsupportedFile(
                f"{name}: unsupported file type (judged by content). Accepted: {', '.join(ACCEPTED)}.",
                data={"accepted": list(ACCEPTED)},
            )
        with self._slots:
            return self._probe(path, fmt, name)

    def _probe(self, path: Path, fmt: str, name: str) -> MediaFacts:
        kind, mime = ACCEPTED[fmt]
        try:
            info = probe(path, max_pixels=self.max_pixels)
        except UnsupportedFile as exc:  # the message names the stored file: name the upload
            raise UnsupportedFile(f"{name}: {exc.message.split(': ', 1)[-1]}", data=exc.data) from None
        except Exception:
            raise UnsupportedFile(f"{name}: the file looks like {fmt} but cannot be read.") from None
        if kind == "audio" and info.kind != "audio" and fmt != "m4a":
            raise UnsupportedFile(f"{name}: the content does not match its {fmt} header.")
        return MediaFacts(
            format=fmt,
            mime=mime,
            kind=info.kind,
            duration_ms=int(info.duration_ms),
            width=int(info.width),
            height=int(info.height),
        )
