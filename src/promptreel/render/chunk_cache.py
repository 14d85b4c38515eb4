"""Rendered chunks kept by content hash, so a re-render after an edit redraws only what changed.

A chunk's key is the sha256 of everything that decides its pixels: the renderer's own source
code, the painter, the output size and encoder settings, the chunk's frame range, the draft's
canvas and visual meta, every visual track's header and segment timing, and the full content
of the segments that overlap the chunk (on video tracks widened by the longest transition, since
a transition blends neighbours across a cut; text is widened by one frame for rounding) together
with the size and mtime of the media files they use.
Audio tracks are left out: the soundtrack is mixed once for the whole video. So editing a title's
text changes the keys of the chunks the title is on screen in, and no others.

Entries are plain MP4 chunk files (``<root>/<key[:2]>/<key>.mp4``) in a
:class:`promptreel.cas.ContentStore`: written atomically, trimmed to ``max_bytes`` by least
recent use.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from promptreel.cas import ContentStore
from promptreel.draft import Draft, TrackType
from promptreel.render.assets import Assets
from promptreel.render.chunks import Chunk
from promptreel.render.options import RenderOptions
from promptreel.render.painter import PainterFactory

__all__ = ["ChunkCache", "chunk_keys", "json_value", "renderer_fingerprint"]

#: draft.meta keys that never change a pixel (the soundtrack is not part of a chunk)
_NON_VISUAL_META = frozenset({"title", "prompt", "mood", "voice", "speed"})
_MIN_MARGIN_MS = 1000


@lru_cache(maxsize=1)
def renderer_fingerprint() -> str:
    """sha256 of the render package's source, so a changed renderer never reuses old chunks."""
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for path in sorted([*here.glob("*.py"), *here.glob("avio/*.py")]):
        h.update(path.relative_to(here).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def json_value(value: Any) -> Any:
    """``value`` as JSON can hold it (mappings as dicts, anything else unknown as its text), for keys."""
    if isinstance(value, dict | list | tuple | str | int | float | bool) or value is None:
        return value
    if hasattr(value, "items"):
        return {str(k): v for k, v in value.items()}
    return str(value)


def _media_stat(meta: Any, assets: Assets) -> list[Any]:
    out: list[Any] = []
    for field in ("media_id", "src"):
        ref = meta.get(field)
        if not isinstance(ref, str) or not ref:
            continue
        path = assets.media_path(ref)
        if path is None:
            out.append([field, ref, None])
            continue
        try:
            st = Path(path).stat()
            out.append([field, ref, str(path), st.st_size, st.st_mtime_ns])
        except OSError:
            out.append([field, ref, str(path), None])
    return out


def _margin_ms(draft: Draft) -> int:
    longest = _MIN_MARGIN_MS
    for _track, seg in draft.segments():
        try:
            longest = max(longest, int(seg.meta.get("transition_ms") or 0))
        except (TypeError, ValueError):
            continue
    return longest


def chunk_keys(
    draft: Draft,
    assets: Assets,
    chunks: list[Chunk],
    width: int,
    height: int,
    options: RenderOptions,
    painter: PainterFactory,
) -> list[str]:
    """The content key of each chunk (see the module docstring for what goes in)."""
    fps = draft.canvas.fps
    c = draft.canvas
    visual_meta = {k: json_value(v) for k, v in draft.meta.items() if k not in _NON_VISUAL_META}
    tracks = list(enumerate(t for t in draft.tracks if t.type != TrackType.AUDIO))  # paint order
    headers = [
        [
            i,
            t.id,
            int(t.type),
            t.role,
            t.hidden,
            json_value(t.meta),
            [[s.id, s.start, s.duration, s.kind] for s in t.segments],
        ]
        for i, t in tracks
    ]
    common = [
        renderer_fingerprint(),
        f"{getattr(painter, '__module__', '')}.{getattr(painter, '__qualname__', repr(painter))}",
        [c.width, c.height, c.fps, width, height],
        [
            options.preset,
            options.x264_params,
            options.crf,
            options.scale,
            options.gop_s,
            options.chunk_s,
            options.encoder_threads,
        ],
        visual_meta,
        headers,
    ]
    common_blob = json.dumps(common, sort_keys=True, default=str, ensure_ascii=False)
    margin = _margin_ms(draft)
    frame_ms = -(-1000 // fps)
    keys = []
    for chunk in chunks:
        body = []
        for i, t in tracks:
            # transitions (video tracks only) blend across a cut; text is on screen only in its span
            pad = margin if t.type == TrackType.VIDEO else frame_ms
            lo = chunk.start * 1000 // fps - pad
            hi = -(-chunk.stop * 1000 // fps) + pad
            for s in t.segments:
                if s.end > lo and s.start < hi:
                    body.append([i, s.id, s.name, json_value(s.meta), _media_stat(s.meta, assets)])
        blob = json.dumps([chunk.start, chunk.stop, body], sort_keys=True, default=str, ensure_ascii=False)
        keys.append(hashlib.sha256((common_blob + "\n" + blob).encode()).hexdigest())
    return keys


class ChunkCache:
    """A folder of finished chunk files by key, bounded by ``max_bytes`` (least recently used go):
    a :class:`~promptreel.cas.ContentStore` of ``.mp4`` entries."""

    def __init__(self, root: Path | str, max_bytes: int = 4 * 2**30) -> None:
        self.store = ContentStore(root, ext="mp4", max_bytes=max_bytes)
        self.root = self.store.root
        self.max_bytes = max_bytes

    def path(self, key: str) -> Path:
        return self.store.path(key)

    def get(self, key: str) -> Path | None:
        """The cached chunk (marked as recently used), or ``None``."""
        return self.store.get(key)

    def put(self, key: str, source: Path, *, move: bool = False) -> Path:
        """Store ``source`` under ``key`` atomically (moved when ``move`` and on the same
        filesystem, else copied); returns the cached path."""
        return self.store.put(key, source, move=move)

    def trim(self) -> int:
        """Delete least recently used entries until the folder fits ``max_bytes``, and temp files
        that crashed writers left over an hour ago; returns the entries' bytes freed."""
        self.store.clean_tmp(older_than_s=3600.0)
        return self.store.trim(self.max_bytes)
