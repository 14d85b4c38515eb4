"""Compact JSON for drafts (``t``/``tt``/``sg``/``d``/``m``), versioned, validated with exact paths.

Wire shape (schema version 1)::

    {"v": 1, "id": "draft_…", "w": 1920, "h": 1080, "fps": 30, "ar": "16:9", "d": 30000,
     "m": {...},
     "t": [{"id": "trk_…", "tt": 0, "r": "scenes", "n": "Video", "m": {...},
            "sg": [{"id": "seg_…", "s": 0, "d": 5000, "k": "scene", "n": "…", "m": {...}}]}]}

``d`` on the draft is derived (the end of the last segment) and is written for readers; on
input it is checked to be a non-negative integer and otherwise recomputed. Missing ids,
kinds and starts are filled deterministically so drafts from simpler clients are accepted.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from typing import Any

from promptreel.draft.meta import Meta, thaw
from promptreel.draft.model import SCHEMA_VERSION, SEGMENT_KINDS, Canvas, Draft, Segment, Track, TrackType
from promptreel.errors import InvalidDraft

__all__ = ["Limits", "SCENE_LAYOUTS", "encode", "decode", "dumps", "loads", "validate"]


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds that keep a hostile draft from becoming a runaway render."""

    max_duration_ms: int = 15 * 60 * 1000
    max_segments: int = 2000
    max_tracks: int = 64
    max_canvas_px: int = 3840
    min_canvas_px: int = 16
    max_fps: int = 60
    max_string: int = 10_000
    max_depth: int = 8
    max_json_bytes: int = 8 * 1024 * 1024
    max_items: int = 12  # a scene's ``items`` and ``icons``
    max_label: int = 500  # a scene's short texts: items, value, label, by, icon ids
    max_quote: int = 2000


#: a scene's layouts (``meta.layout``); anything else is drawn as ``headline``
SCENE_LAYOUTS = (
    "headline",
    "list",
    "steps",
    "stat",
    "chart",
    "quote",
    "place",
    "countdown",
    "greeting",
    "compare",
    "cta",
)


DEFAULT_LIMITS = Limits()


def encode(draft: Draft) -> dict[str, Any]:
    c = draft.canvas
    return {
        "v": SCHEMA_VERSION,
        "id": draft.id,
        "w": c.width,
        "h": c.height,
        "fps": c.fps,
        "ar": c.aspect,
        "d": draft.duration,
        "m": thaw(draft.meta),
        "t": [
            {
                "id": t.id,
                "tt": int(t.type),
                "r": t.role,
                "n": t.name,
                "m": thaw(t.meta),
                "sg": [
                    {"id": s.id, "s": s.start, "d": s.duration, "k": s.kind, "n": s.name, "m": thaw(s.meta)}
                    for s in t.segments
                ],
            }
            for t in draft.tracks
        ],
    }


def dumps(draft: Draft, *, indent: int | None = None) -> str:
    return json.dumps(
        encode(draft), ensure_ascii=False, indent=indent, separators=None if indent else (",", ":")
    )


def loads(text: str | bytes, limits: Limits = DEFAULT_LIMITS) -> Draft:
    if len(text) > limits.max_json_bytes:
        raise InvalidDraft(f"draft JSON is larger than {limits.max_json_bytes} bytes", path="$")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise InvalidDraft(f"not valid JSON ({exc})", path="$") from None
    return decode(data, limits)


def _join(path: str, key: str) -> str:
    return key if path in ("", "$") else f"{path}.{key}"


def _fail(path: str, message: str) -> InvalidDraft:
    return InvalidDraft(message, path=path)


def _int(
    obj: dict[str, Any],
    key: str,
    path: str,
    *,
    default: int | None = None,
    lo: int = 0,
    hi: int | None = None,
) -> int:
    if key not in obj or obj[key] is None:
        if default is None:
            raise _fail(_join(path, key), "is required")
        return default
    v = obj[key]
    if isinstance(v, bool) or not isinstance(v, int):
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        else:
            raise _fail(_join(path, key), f"must be an integer (milliseconds or pixels), got {v!r:.40}")
    if v < lo:
        raise _fail(_join(path, key), f"must be ≥ {lo}, got {v}")
    if hi is not None and v > hi:
        raise _fail(_join(path, key), f"must be ≤ {hi}, got {v}")
    return v


def _str(obj: dict[str, Any], key: str, path: str, limits: Limits, default: str = "") -> str:
    v = obj.get(key, default)
    if v is None:
        return default
    if not isinstance(v, str):
        raise _fail(_join(path, key), "must be a string")
    if len(v) > limits.max_string:
        raise _fail(_join(path, key), f"is longer than {limits.max_string} characters")
    return v


def _meta(obj: dict[str, Any], path: str, limits: Limits) -> Meta:
    v = obj.get("m")
    if v is None:
        return Meta()
    if not isinstance(v, dict):
        raise _fail(_join(path, "m"), "must be an object")
    _check_json(v, _join(path, "m"), limits, 0)
    return Meta(v)


def _check_json(v: Any, path: str, limits: Limits, depth: int) -> None:
    if depth > limits.max_depth:
        raise _fail(path, f"is nested deeper than {limits.max_depth} levels")
    if isinstance(v, str):
        if len(v) > limits.max_string:
            raise _fail(path, f"is longer than {limits.max_string} characters")
    elif isinstance(v, dict):
        for k, x in v.items():
            if not isinstance(k, str) or len(k) > 100:
                raise _fail(path, "has an invalid key")
            _check_json(x, _join(path, k), limits, depth + 1)
    elif isinstance(v, list):
        if len(v) > 10_000:
            raise _fail(path, "has too many items")
        for i, x in enumerate(v):
            _check_json(x, f"{path}[{i}]", limits, depth + 1)
    elif v is not None and not isinstance(v, bool | int | float):
        raise _fail(path, "is not a JSON value")


def _text_field(meta: Meta, key: str, path: str, limit: int, *, number: bool = False) -> None:
    v = meta.get(key)
    if v is None or (number and isinstance(v, int | float) and not isinstance(v, bool)):
        return
    if not isinstance(v, str):
        raise _fail(_join(path, key), "must be a string")
    if len(v) > limit:
        raise _fail(_join(path, key), f"is longer than {limit} characters")


def _check_scene(meta: Meta, path: str, limits: Limits) -> None:
    """The scene grammar's keys (``layout``, ``items``, ``value``, ``label``, ``quote``, ``by``,
    ``icons``): right types, at most ``max_items`` items, short texts bounded."""
    mp = _join(path, "m")
    layout = meta.get("layout")
    if layout is not None and (not isinstance(layout, str) or len(layout) > 40):
        raise _fail(_join(mp, "layout"), f"must be a layout name ({', '.join(SCENE_LAYOUTS)})")
    for key in ("value", "label", "by"):
        _text_field(meta, key, mp, limits.max_label, number=key == "value")
    _text_field(meta, "quote", mp, limits.max_quote)
    items = thaw(meta.get("items")) if meta.get("items") is not None else None
    if items is not None:
        ip = _join(mp, "items")
        if not isinstance(items, list):
            raise _fail(ip, 'must be a list of {"text", "value", "icon"} objects')
        if len(items) > limits.max_items:
            raise _fail(ip, f"has {len(items)} items; a scene shows at most {limits.max_items}")
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                raise _fail(f"{ip}[{i}]", 'must be an object like {"text": "…", "value": "…"}')
            for key in ("text", "value", "icon"):
                _text_field(Meta(item), key, f"{ip}[{i}]", limits.max_label, number=key == "value")
    icons = thaw(meta.get("icons")) if meta.get("icons") is not None else None
    if icons is not None:
        cp = _join(mp, "icons")
        if not isinstance(icons, list):
            raise _fail(cp, "must be a list of illustration ids")
        if len(icons) > limits.max_items:
            raise _fail(cp, f"has {len(icons)} icons; a scene shows at most {limits.max_items}")
        for i, icon in enumerate(icons):
            if not isinstance(icon, str) or len(icon) > limits.max_label:
                raise _fail(
                    f"{cp}[{i}]", f"must be an illustration id of at most {limits.max_label} characters"
                )


def _default_kind(tt: TrackType, meta: Meta) -> str:
    if tt is TrackType.VIDEO:
        return "media" if ("media_id" in meta or "src" in meta) else "scene"
    if tt is TrackType.AUDIO:
        if "text" in meta:
            return "voice"
        return "audio" if ("media_id" in meta or "src" in meta) else "music"
    return "overlay"


_DEFAULT_ROLE = {
    "scene": "scenes",
    "media": "media",
    "voice": "narration",
    "music": "bgm",
    "audio": "sfx",
    "title": "title",
    "caption": "captions",
    "overlay": "overlays",
}


def decode(data: Any, limits: Limits = DEFAULT_LIMITS) -> Draft:
    """Build a :class:`Draft` from compact JSON, raising :class:`InvalidDraft` with the fault's path."""
    if not isinstance(data, dict):
        raise _fail("$", "a draft must be a JSON object")
    version = _int(data, "v", "$", default=SCHEMA_VERSION, lo=1)
    if version > SCHEMA_VERSION:
        raise _fail("v", f"schema version {version} is newer than this server understands ({SCHEMA_VERSION})")
    canvas = Canvas(
        width=_int(data, "w", "$", default=1920, lo=limits.min_canvas_px, hi=limits.max_canvas_px),
        height=_int(data, "h", "$", default=1080, lo=limits.min_canvas_px, hi=limits.max_canvas_px),
        fps=_int(data, "fps", "$", default=30, lo=1, hi=limits.max_fps),
    )
    if canvas.width % 2 or canvas.height % 2:
        raise _fail("w", "width and height must be even numbers (H.264 4:2:0)")
    if "d" in data:
        _int(data, "d", "$", lo=0)
    raw_tracks = data.get("t", [])
    if not isinstance(raw_tracks, list):
        raise _fail("t", "must be a list of tracks")
    if len(raw_tracks) > limits.max_tracks:
        raise _fail("t", f"has more than {limits.max_tracks} tracks")
    seen: set[str] = set()
    draft_id = _str(data, "id", "$", limits, default="draft") or "draft"
    seen.add(draft_id)
    tracks: list[Track] = []
    total_segments = 0
    for ti, rt in enumerate(raw_tracks):
        tp = f"t[{ti}]"
        if not isinstance(rt, dict):
            raise _fail(tp, "a track must be an object")
        tt_raw = _int(rt, "tt", tp)
        try:
            tt = TrackType(tt_raw)
        except ValueError:
            raise _fail(f"{tp}.tt", f"unknown track type {tt_raw} (0 video, 1 audio, 7 text)") from None
        tid = _str(rt, "id", tp, limits) or f"trk_{ti}"
        if tid in seen:
            raise _fail(f"{tp}.id", f"duplicate id {tid!r}")
        seen.add(tid)
        raw_segs = rt.get("sg", [])
        if not isinstance(raw_segs, list):
            raise _fail(f"{tp}.sg", "must be a list of segments")
        total_segments += len(raw_segs)
        if total_segments > limits.max_segments:
            raise _fail(f"{tp}.sg", f"the draft has more than {limits.max_segments} segments")
        segments: list[Segment] = []
        cursor = 0
        for si, rs in enumerate(raw_segs):
            sp = f"{tp}.sg[{si}]"
            if not isinstance(rs, dict):
                raise _fail(sp, "a segment must be an object")
            start = _int(rs, "s", sp, default=cursor, hi=limits.max_duration_ms)
            duration = _int(rs, "d", sp, lo=1, hi=limits.max_duration_ms)
            if start + duration > limits.max_duration_ms:
                raise _fail(f"{sp}.d", f"ends after the {limits.max_duration_ms} ms limit")
            meta = _meta(rs, sp, limits)
            kind = _str(rs, "k", sp, limits) or _default_kind(tt, meta)
            if kind not in SEGMENT_KINDS:
                raise _fail(f"{sp}.k", f"unknown segment kind {kind!r} ({', '.join(SEGMENT_KINDS)})")
            if SEGMENT_KINDS[kind][0] is not tt:
                raise _fail(f"{sp}.k", f"a {kind!r} segment cannot live on a track of type {int(tt)}")
            if kind == "scene":
                _check_scene(meta, sp, limits)
            sid = _str(rs, "id", sp, limits) or f"seg_{ti}_{si}"
            if sid in seen:
                raise _fail(f"{sp}.id", f"duplicate id {sid!r}")
            seen.add(sid)
            segments.append(Segment(sid, start, duration, kind, _str(rs, "n", sp, limits), meta))
            cursor = start + duration
        order = sorted(range(len(segments)), key=lambda i: segments[i].start)
        for a, b in itertools.pairwise(order):
            if segments[b].start < segments[a].end:
                raise _fail(
                    f"{tp}.sg[{b}].s",
                    f"overlaps segment {segments[a].id!r} "
                    f"({segments[a].start}-{segments[a].end} ms) on the same track",
                )
        tmeta = _meta(rt, tp, limits)
        role = _str(rt, "r", tp, limits) or (_DEFAULT_ROLE[segments[0].kind] if segments else "")
        tracks.append(
            Track(tid, tt, role, _str(rt, "n", tp, limits), tuple(segments[i] for i in order), tmeta)
        )
    return Draft(draft_id, canvas, tuple(tracks), _meta(data, "$", limits))


def validate(draft: Draft, limits: Limits = DEFAULT_LIMITS) -> Draft:
    """Check an in-memory draft against the same rules as :func:`decode` (round trip)."""
    return decode(encode(draft), limits)
