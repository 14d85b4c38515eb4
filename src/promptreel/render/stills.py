"""Still pictures checked with bounded memory: the size from the header, before any decoding,
then a check that the picture really decodes, without ever holding the full-size picture.

* The header (format, width, height) comes from skia's codec, which reads only the header;
  PNG and GIF headers that skia refuses are read at their fixed offsets, so a decompression
  bomb always says how large it claims to be.
* :func:`verify` decodes JPEG and WebP scaled down (at most ~256 px a side), streams a PNG's
  compressed data through zlib in small pieces (every chunk's CRC checked, and the data must
  give at least the bytes the header promises), and decodes other formats (GIF) at full size,
  so callers refuse pictures over their pixel limit first (``4 × pixels`` bytes at most).
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import skia

from promptreel.errors import UnsupportedFile

__all__ = ["StillHeader", "read_header", "verify"]

_THUMB = 256  # longest side of a scaled-down check decode
_READ = 1 << 16  # bytes read from a PNG at a time
_INFLATE = 1 << 20  # bytes inflated at a time
_FORMATS = {
    skia.EncodedImageFormat.kPNG: "png",
    skia.EncodedImageFormat.kJPEG: "jpg",
    skia.EncodedImageFormat.kWEBP: "webp",
    skia.EncodedImageFormat.kGIF: "gif",
    skia.EncodedImageFormat.kBMP: "bmp",
}
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))


@dataclass(frozen=True, slots=True)
class StillHeader:
    format: str  # "png" | "jpg" | "webp" | "gif" | "bmp" | …
    width: int
    height: int

    @property
    def pixels(self) -> int:
        return self.width * self.height


class _Open:
    """A skia codec with the mapped file it reads (the codec does not keep its data alive)."""

    def __init__(self, path: Path) -> None:
        self.data: skia.Data | None = None
        self.codec: skia.Codec | None = None
        try:
            self.data = skia.Data.MakeFromFileName(str(path))  # mapped, not read
            if self.data is not None:
                self.codec = skia.Codec.MakeFromData(self.data)  # reads only the header
        except (RuntimeError, ValueError):
            self.codec = None

    def __enter__(self) -> _Open:
        return self

    def __exit__(self, *exc: object) -> None:
        self.codec = None  # the codec first, then the mapping it reads
        self.data = None


def read_header(path: Path | str) -> StillHeader | None:
    """Format and size of a still picture, from its header only; ``None`` if it is not one."""
    p = Path(path)
    with _Open(p) as opened:
        if opened.codec is not None:
            return _header(opened.codec)
    try:
        with open(p, "rb") as fh:
            head = fh.read(32)
    except OSError:
        return None
    return _fixed_header(head)


def _header(codec: skia.Codec) -> StillHeader:
    d = codec.dimensions()
    kind = codec.getEncodedFormat()
    return StillHeader(
        _FORMATS.get(kind, str(kind).rsplit(".k", 1)[-1].lower()), int(d.width()), int(d.height())
    )


def _fixed_header(head: bytes) -> StillHeader | None:
    """The size a PNG, GIF or WebP header claims, read at fixed offsets (for headers skia refuses,
    such as a bomb's: a header with no picture behind it)."""
    try:
        if head[:8] == _PNG_SIGNATURE and head[12:16] == b"IHDR":
            w, h = struct.unpack(">II", head[16:24])
            return StillHeader("png", int(w), int(h))
        if head[:6] in (b"GIF87a", b"GIF89a"):
            w, h = struct.unpack("<HH", head[6:10])
            return StillHeader("gif", int(w), int(h))
        if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            chunk = head[12:16]
            if chunk == b"VP8X":
                w = 1 + int.from_bytes(head[24:27], "little")
                h = 1 + int.from_bytes(head[27:30], "little")
                return StillHeader("webp", w, h)
            if chunk == b"VP8L":
                bits = int.from_bytes(head[21:25], "little")
                return StillHeader("webp", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
            if chunk == b"VP8 ":
                w, h = struct.unpack("<HH", head[26:30])
                return StillHeader("webp", w & 0x3FFF, h & 0x3FFF)
    except struct.error:
        return None
    return None


def verify(path: Path | str) -> StillHeader:
    """Check that the picture at ``path`` decodes, holding little memory; its header.

    Raises :class:`UnsupportedFile` for a picture that is truncated, corrupt or not one.
    """
    p = Path(path)
    with _Open(p) as opened:
        if opened.codec is None:
            raise UnsupportedFile(f"{p.name}: the picture is truncated or corrupt.")
        header = _header(opened.codec)
        if header.width <= 0 or header.height <= 0:
            raise UnsupportedFile(f"{p.name}: the picture has no size.")
        if header.format == "png":
            _verify_png(p)
        else:
            _decode_small(opened.codec, header, p.name)
    return header


def _decode_small(codec: skia.Codec, header: StillHeader, name: str) -> None:
    k = min(1.0, _THUMB / max(header.width, header.height))
    d = codec.getScaledDimensions(k)
    w, h = int(d.width()), int(d.height())
    if w <= 0 or h <= 0:
        raise UnsupportedFile(f"{name}: the picture cannot be decoded.")
    pixels = np.empty((h, w, 4), np.uint8)  # full size only where the codec cannot scale (GIF, BMP)
    result = codec.getPixels(skia.ImageInfo.MakeN32Premul(w, h), pixels, w * 4)
    if result != skia.Codec.Result.kSuccess:
        raise UnsupportedFile(f"{name}: the picture is truncated or corrupt.")


def _png_expected_bytes(ihdr: bytes) -> int:
    """Bytes of filtered scanlines the IHDR promises (all seven passes when interlaced)."""
    w, h, depth, color, _compression, _filter, interlace = struct.unpack(">IIBBBBB", ihdr)
    bits = _PNG_CHANNELS.get(color, 0) * depth
    if not bits or w == 0 or h == 0:
        return -1

    def size(pw: int, ph: int) -> int:
        return 0 if pw == 0 or ph == 0 else ph * (1 + (pw * bits + 7) // 8)

    if not interlace:
        return size(w, h)
    return sum(
        size((w - x0 + dx - 1) // dx if w > x0 else 0, (h - y0 + dy - 1) // dy if h > y0 else 0)
        for x0, y0, dx, dy in _ADAM7
    )


def _verify_png(path: Path) -> None:
    """Every chunk's CRC, and the compressed picture inflating to exactly the promised size,
    streamed in small pieces: memory stays ~1 MB whatever the picture's size."""
    bad = UnsupportedFile(f"{path.name}: the picture is truncated or corrupt.")
    expected, inflated = -1, 0
    inflate = zlib.decompressobj()
    with open(path, "rb") as fh:
        if fh.read(8) != _PNG_SIGNATURE:
            raise bad
        while True:
            top = fh.read(8)
            if len(top) < 8:
                raise bad
            length, kind = struct.unpack(">I", top[:4])[0], top[4:]
            crc = zlib.crc32(kind)
            left = length
            ihdr = b""
            while left:
                piece = fh.read(min(left, _READ))
                if not piece:
                    raise bad
                left -= len(piece)
                crc = zlib.crc32(piece, crc)
                if kind == b"IHDR":
                    ihdr += piece[: 13 - len(ihdr)]
                elif kind == b"IDAT":
                    inflated += _inflate(inflate, piece, expected - inflated, bad)
            stored = fh.read(4)
            if len(stored) < 4 or struct.unpack(">I", stored)[0] != crc & 0xFFFFFFFF:
                raise bad
            if kind == b"IHDR":
                expected = _png_expected_bytes(ihdr) if len(ihdr) == 13 else -1
                if expected < 0:
                    raise bad
            elif kind == b"IEND":
                break
    if 0 <= inflated < expected:
        try:
            inflated += len(inflate.flush())  # all input was taken: only what zlib still holds
        except zlib.error:
            raise bad from None
    if expected < 0 or inflated < expected:
        raise bad


def _inflate(inflate: zlib._Decompress, data: bytes, room: int, bad: UnsupportedFile) -> int:
    """Inflate ``data`` in bounded pieces, up to ``room`` more bytes; how many came out.

    Data past the promised size is not inflated (decoders ignore it as well).
    """
    if room < 0:  # picture data before the header
        raise bad
    out = 0
    try:
        while data and out < room and not inflate.eof:
            out += len(inflate.decompress(data, min(_INFLATE, room - out)))
            data = inflate.unconsumed_tail
    except zlib.error:
        raise bad from None
    return out
