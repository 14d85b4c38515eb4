"""Uploads: multipart streamed to disk in chunks, or URLs fetched with SSRF protection.

Every file is judged by its content (magic bytes, then a probe with bounded memory, see
:mod:`promptreel.service.probing`), never by its name; limits are enforced while streaming, and
a refused upload leaves nothing behind (all files of one request are stored together or not at
all).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
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
from promptreel.service.probing import ACCEPTED, MediaFacts, Prober, sniff
from promptreel.settings import Settings
from promptreel.storage import BlobStore, BlobWriter, Database, media
from promptreel.storage.models import Media
from promptreel.wire import MediaInfo

__all__ = ["ACCEPTED", "sniff", "UploadService", "media_info", "check_url_host"]

MAX_FILES = 20
MAX_URLS = 10
_CHUNK = 1 << 16


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
    facts: MediaFacts | None = None


@dataclass
class _Part:
    """The multipart parser's place: the part's headers so far, and where its data goes."""

    headers: dict[str, bytes] = field(default_factory=dict)
    key: bytes = b""
    value: bytes = b""
    current: _Pending | None = None
    skip: bool = False


def media_info(row: Media) -> MediaInfo:
    return MediaInfo.model_validate(
        {
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
    )


class UploadService:
    def __init__(self, db: Database, blobs: BlobStore, settings: Settings) -> None:
        self.db = db
        self.blobs = blobs
        self.settings = settings
        self.prober = Prober(settings.max_image_pixels, settings.probe_concurrency)
        self.fetcher = Fetcher(blobs, FetchPolicy.from_settings(settings))

    # -- multipart --------------------------------------------------------------------------
    async def from_multipart(
        self,
        user_id: str,
        session_id: str,
        content_type: str,
        body: AsyncIterator[bytes],
        attribution: dict[str, str],
    ) -> list[MediaInfo]:
        ctype, params = parse_options_header(content_type)
        boundary = params.get(b"boundary")
        if ctype != b"multipart/form-data" or not boundary:
            raise InvalidRequest(
                "Send multipart/form-data with one or more 'files' fields, or JSON "
                '{"urls": [...], "source_type": "url"}.'
            )
        limit = self.settings.max_upload_bytes
        done: list[_Pending] = []
        state = _Part()

        def on_part_begin() -> None:
            state.headers = {}
            state.current = None
            state.skip = False

        def on_header_field(data: bytes, start: int, end: int) -> None:
            state.key += data[start:end]

        def on_header_value(data: bytes, start: int, end: int) -> None:
            state.value += data[start:end]

        def on_header_end() -> None:
            state.headers[state.key.decode("latin-1").lower()] = state.value
            state.key = b""
            state.value = b""

        def on_headers_finished() -> None:
            _, disp = parse_options_header(state.headers.get("content-disposition", b""))
            name = disp.get(b"name", b"").decode("utf-8", "replace")
            filename = disp.get(b"filename")
            if name not in ("files", "file", "files[]") or filename is None:
                state.skip = True  # other form fields are ignored
                return
            if len(done) >= MAX_FILES:
                raise InvalidRequest(f"At most {MAX_FILES} files per upload.")
            state.current = _Pending(
                self.blobs.writer(limit), clean_name(filename.decode("utf-8", "replace"))
            )

        def on_part_data(data: bytes, start: int, end: int) -> None:
            cur = state.current
            if cur is None:
                return
            if not cur.writer.write(data[start:end]):
                raise FileTooLarge(
                    f"{cur.name} is larger than the {limit // (1024 * 1024) or limit} "
                    f"{'MB' if limit >= 1024 * 1024 else 'bytes'} limit. Compress or trim it.",
                    data={"max_bytes": limit, "name": cur.name},
                )

        def on_part_end() -> None:
            cur = state.current
            if cur is not None:
                cur.writer.close_file()
                done.append(cur)
                state.current = None

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
            cur = state.current
            if cur is not None:
                cur.writer.discard()
            for p in done:
                if not p.writer.done:
                    p.writer.discard()

    def _store(
        self, user_id: str, session_id: str, pending: list[_Pending], attribution: dict[str, str]
    ) -> list[MediaInfo]:
        """Check every file, then commit all to the blob store and the database (all or nothing)."""
        for p in pending:
            w = p.writer
            if w.size == 0:
                raise UnsupportedFile(f"{p.name}: the file is empty.")
            p.facts = self.prober.facts(w.path, w.head, p.name)
        out: list[MediaInfo] = []
        with self.db.write() as s:
            for p in pending:
                facts = p.facts
                assert facts is not None  # every file was probed above
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
                    format=facts.format,
                    mime=facts.mime,
                    kind=facts.kind,
                    duration_ms=facts.duration_ms,
                    width=facts.width,
                    height=facts.height,
                )
                out.append(media_info(row))
        return out

    # -- URLs -------------------------------------------------------------------------------
    async def from_urls(
        self, user_id: str, session_id: str, urls: list[str], attribution: dict[str, str]
    ) -> list[MediaInfo]:
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
