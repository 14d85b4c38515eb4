"""Uploads: multipart streamed to disk in chunks, or URLs fetched with SSRF protection.

Every file is judged by its content (magic bytes, then a decode probe), never by its name;
limits are enforced while streaming, and a refused upload leaves nothing behind (all files of
one request are stored together or not at all).
"""

from __future__ import annotations

import json
import struct
import unicodedata
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import anyio
from python_multipart.multipart import MultipartParser, parse_options_header

from promptreel.errors import (
    FileTooLarge,
    InvalidRequest,
    PromptreelError,
    UnsupportedFile,
)
from promptreel.service.fetch import Fetcher, FetchPolicy, check_url_host
from promptreel.settings import Settings
from promptreel.storage import BlobStore, BlobWriter, Database, media
from promptreel.storage.models import Media

__all__ = ["ACCEPTED", "sniff", "UploadService", "media_info", "check_url_host"]

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
MAX_FILES = 20
MAX_URLS = 10
MAX_IMAGE_PIXELS = 80_000_000  # refuses decompression bombs before decoding
_CHUNK = 1 << 16


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


def _image_pixels(fmt: str, head: bytes) -> int:
    try:
        if fmt == "png" and len(head) >= 24:
            w, h = struct.unpack(">II", head[16:24])
            return int(w) * int(h)
        if fmt == "gif" and len(head) >= 10:
            w, h = struct.unpack("<HH", head[6:10])
            return int(w) * int(h)
    except struct.error:
        return 0
    return 0


def _declared_pixels(fmt: str, path: Path) -> int:
    """Width × height a JPEG (SOF marker) or WebP (VP8/VP8L/VP8X) header declares; 0 when unknown."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(256 * 1024)
        if fmt == "jpg":
            i = 2
            while i + 9 < len(data):
                if data[i] != 0xFF:
                    i += 1
                    continue
                marker = data[i + 1]
                if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
                    i += 1 if marker == 0xFF else 2
                    continue
                length = struct.unpack(">H", data[i + 2 : i + 4])[0]
                if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                    h, w = struct.unpack(">HH", data[i + 5 : i + 9])
                    return int(w) * int(h)
                i += 2 + length
        elif fmt == "webp" and len(data) >= 30:
            kind = data[12:16]
            if kind == b"VP8X":
                w = 1 + int.from_bytes(data[24:27], "little")
                h = 1 + int.from_bytes(data[27:30], "little")
                return w * h
            if kind == b"VP8L":
                bits = int.from_bytes(data[21:25], "little")
                return ((bits & 0x3FFF) + 1) * (((bits >> 14) & 0x3FFF) + 1)
            if kind == b"VP8 ":
                w, h = struct.unpack("<HH", data[26:30])
                return (w & 0x3FFF) * (h & 0x3FFF)
    except (OSError, struct.error):
        return 0
    return 0


def clean_name(name: str) -> str:
    """A display name only (files are stored by hash): no path, no control characters, ≤ 200 chars."""
    name = unquote(name).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()[:200]
    return "upload" if name.strip(". ") == "" else name


@dataclass
class _Pending:
    writer: BlobWriter
    name: str
    source_url: str = ""
    facts: dict[str, Any] = field(default_factory=dict)


def media_info(row: Media) -> dict[str, Any]:
    return {
        "media_id": row.id,
        "name": row.name,
        "kind": row.kind,
        "format": row.format,
        "mime": row.mime,
        "size": row.size,
        "duration_ms": row.duration_ms,
        "duration": row.duration_ms,
        "width": row.width,
        "height": row.height,
        "source_url": row.source_url or None,
    }


def _probe(path: Path, fmt: str, name: str) -> dict[str, Any]:
    kind, _ = ACCEPTED[fmt]
    try:
        from promptreel.render.probe import probe
    except ImportError:  # render engine not installed: magic bytes are all we have
        return {"kind": kind, "duration_ms": 0, "width": 0, "height": 0}
    try:
        info = probe(path)
    except UnsupportedFile as exc:
        raise UnsupportedFile(f"{name}: {exc.message.split(': ', 1)[-1]}") from None
    except Exception:
        raise UnsupportedFile(f"{name}: the file looks like {fmt} but cannot be read.") from None
    if kind == "audio" and info.kind != "audio" and fmt != "m4a":
        raise UnsupportedFile(f"{name}: the content does not match its {fmt} header.")
    return {
        "kind": info.kind,
        "duration_ms": int(info.duration_ms),
        "width": int(info.width),
        "height": int(info.height),
    }


class UploadService:
    def __init__(self, db: Database, blobs: BlobStore, settings: Settings) -> None:
        self.db = db
        self.blobs = blobs
        self.settings = settings
        self.fetcher = Fetcher(blobs, FetchPolicy.from_settings(settings))

    # -- multipart --------------------------------------------------------------------------
    async def from_multipart(
        self,
        user_id: str,
        session_id: str,
        content_type: str,
        body: AsyncIterator[bytes],
        attribution: dict[str, str],
    ) -> list[dict[str, Any]]:
        ctype, params = parse_options_header(content_type)
        boundary = params.get(b"boundary")
        if ctype != b"multipart/form-data" or not boundary:
            raise InvalidRequest(
                "Send multipart/form-data with one or more 'files' fields, or JSON "
                '{"urls": [...], "source_type": "url"}.'
            )
        limit = self.settings.max_upload_bytes
        done: list[_Pending] = []
        state: dict[str, Any] = {"headers": {}, "field": b"", "value": b"", "current": None, "skip": False}

        def on_part_begin() -> None:
            state["headers"] = {}
            state["current"] = None
            state["skip"] = False

        def on_header_field(data: bytes, start: int, end: int) -> None:
            state["field"] += data[start:end]

        def on_header_value(data: bytes, start: int, end: int) -> None:
            state["value"] += data[start:end]

        def on_header_end() -> None:
            state["headers"][state["field"].decode("latin-1").lower()] = state["value"]
            state["field"] = b""
            state["value"] = b""

        def on_headers_finished() -> None:
            _, disp = parse_options_header(state["headers"].get("content-disposition", b""))
            name = disp.get(b"name", b"").decode("utf-8", "replace")
            filename = disp.get(b"filename")
            if name not in ("files", "file", "files[]") or filename is None:
                state["skip"] = True  # other form fields are ignored
                return
            if len(done) >= MAX_FILES:
                raise InvalidRequest(f"At most {MAX_FILES} files per upload.")
            state["current"] = _Pending(
                self.blobs.writer(limit), clean_name(filename.decode("utf-8", "replace"))
            )

        def on_part_data(data: bytes, start: int, end: int) -> None:
            cur: _Pending | None = state["current"]
            if cur is None:
                return
            if not cur.writer.write(data[start:end]):
                raise FileTooLarge(
                    f"{cur.name} is larger than the {limit // (1024 * 1024) or limit} "
                    f"{'MB' if limit >= 1024 * 1024 else 'bytes'} limit. Compress or trim it.",
                    data={"max_bytes": limit, "name": cur.name},
                )

        def on_part_end() -> None:
            cur: _Pending | None = state["current"]
            if cur is not None:
                cur.writer.close_file()
                done.append(cur)
                state["current"] = None

        parser = MultipartParser(
            boundary,
            {
                "on_part_begin": on_part_begin,
                "on_header_field": on_header_field,
                "on_header_value": on_header_value,
                "on_header_end": on_header_end,
                "on_headers_finished": on_headers_finished,
                "on_part_data": on_part_data,
                "on_part_end": on_part_end,
            },
        )
        try:
            try:
                async for chunk in body:
                    parser.write(chunk)
                parser.finalize()
            except PromptreelError:
                await _drain(body, 64 * 1024 * 1024)  # let the client read our answer
                raise
            except Exception:
                raise InvalidRequest("The multipart body is malformed.") from None
            if not done:
                raise InvalidRequest("No file found: send the file(s) in the multipart field 'files'.")
            return await anyio.to_thread.run_sync(self._store, user_id, session_id, done, attribution)
        finally:
            cur = state["current"]
            if cur is not None:
                cur.writer.discard()
            for p in done:
                if not p.writer.done:
                    p.writer.discard()

    def _store(
        self, user_id: str, session_id: str, pending: list[_Pending], attribution: dict[str, str]
    ) -> list[dict[str, Any]]:
        """Check every file, then commit all to the blob store and the database (all or nothing)."""
        for p in pending:
            w = p.writer
            if w.size == 0:
                raise UnsupportedFile(f"{p.name}: the file is empty.")
            fmt = sniff(w.head)
            if fmt is None:
                raise UnsupportedFile(
                    f"{p.name}: unsupported file type (judged by content). Accepted: {', '.join(ACCEPTED)}.",
                    data={"accepted": list(ACCEPTED)},
                )
            if max(_image_pixels(fmt, w.head), _declared_pixels(fmt, w.path)) > MAX_IMAGE_PIXELS:
                raise UnsupportedFile(
                    f"{p.name}: the image is too large in pixels (at most {MAX_IMAGE_PIXELS})."
                )
            p.facts = {"format": fmt, "mime": ACCEPTED[fmt][1], **_probe(w.path, fmt, p.name)}
            if p.facts["width"] * p.facts["height"] > MAX_IMAGE_PIXELS:
                raise UnsupportedFile(
                    f"{p.name}: the picture is too large in pixels (at most {MAX_IMAGE_PIXELS})."
                )
        out: list[dict[str, Any]] = []
        with self.db.write() as s:
            for p in pending:
                size = p.writer.size
                sha = p.writer.commit()
                row = media.create(
                    s,
                    user_id=user_id,
                    session_id=session_id,
                    blob=sha,
                    name=p.name,
                    size=size,
                    source_url=p.source_url,
                    attribution=json.dumps(attribution),
                    **p.facts,
                )
                out.append(media_info(row))
        return out

    # -- URLs -------------------------------------------------------------------------------
    async def from_urls(
        self, user_id: str, session_id: str, urls: list[str], attribution: dict[str, str]
    ) -> list[dict[str, Any]]:
        """Fetch every URL (see :mod:`promptreel.service.fetch`), then store all of them or none."""
        if not urls:
            raise InvalidRequest("'urls' must list at least one URL.")
        if len(urls) > MAX_URLS:
            raise InvalidRequest(f"At most {MAX_URLS} URLs per upload.")
        pending: list[_Pending] = []
        async with self.fetcher.slot(user_id):
            try:
                for url in urls:
                    got = await self.fetcher.fetch(url)
                    pending.append(_Pending(got.writer, clean_name(got.path), source_url=got.url))
                return await self.fetcher.run(self._store, user_id, session_id, pending, attribution)
            finally:
                left = [p.writer for p in pending if not p.writer.done]
                if left:
                    await self.fetcher.run(_discard, left)

    def media_path(self, user_id: str) -> Callable[[str], Path | None]:
        """Resolver for the renderer: a media id or blob key of this user's uploads → local file."""

        def resolve(ref: str) -> Path | None:
            ref = str(ref or "")
            with self.db.read() as s:
                row = media.get(s, ref) if ref.startswith("med_") else media.by_blob(s, user_id, ref)
                if row is None or row.user_id != user_id:
                    return None
                p = self.blobs.path(row.blob)
            return p if p.is_file() else None

        return resolve

    def for_session(self, session_id: str) -> list[Media]:
        with self.db.read() as s:
            return media.for_session(s, session_id)


def _discard(writers: list[BlobWriter]) -> None:
    for w in writers:
        w.discard()


async def _drain(body: AsyncIterator[bytes], cap: int) -> None:
    seen = 0
    try:
        async for chunk in body:
            seen += len(chunk)
            if seen > cap:
                return
    except Exception:
        return
