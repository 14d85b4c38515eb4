"""The timeline: Draft → Track → Segment. Frozen values, integer milliseconds, no IO.

Conventions (documented for every client in the OpenAPI schema):

* Track types follow the protocol: ``0`` video, ``1`` audio, ``7`` text. Later tracks paint
  above earlier ones; audio tracks are mixed.
* A track's ``role`` says what it is for: ``scenes`` (generated visuals), ``media`` (uploads),
  ``narration``, ``bgm``, ``sfx``, ``title``, ``captions``, ``overlays``.
* A segment's ``kind`` says how to render it (see ``SEGMENT_KINDS``) and its ``meta`` holds the
  kind's parameters (JSON values only).

A ``scene``'s ``layout`` picks what it draws over its background motion (absent or unknown:
``headline``):

* ``headline`` — illustration (``icon``), kinetic ``headline``, optional ``chart``;
* ``list`` — ``headline`` and ``items`` as rows; items with a ``value`` make a menu board
  (name, dotted leader, price right-aligned); two columns past six or eight rows;
* ``steps`` — numbered ``items`` appearing one after another across the scene;
* ``stat`` — a big ``value`` (counting up when numeric), ``label`` under it, ``headline`` above;
* ``chart`` — ``chart`` drawn large under the ``headline``;
* ``quote`` — ``quote`` in large type with quotation marks, ``by`` beneath;
* ``place`` — ``headline`` and ``items`` (date, time, place) each with a small icon;
* ``countdown`` — a big ``value`` in an animated ring, ``label`` under it;
* ``greeting`` — a big ``headline`` with the ``icons`` (occasion imagery) around it, ``label``;
* ``compare`` — ``items[0]`` vs ``items[1]``, each ``text`` as heading and ``value`` as detail;
* ``cta`` — ``headline`` and a button holding ``items[0].text`` (a URL or an action).

``items`` is a list of at most 12 ``{"text": str, "value": str, "icon": str}`` (value and icon
optional); ``value``, ``label``, ``by`` are short strings; ``icons`` a list of at most 12
illustration ids; ``chart`` is ``{"type": bar|line|pie|counter, "values", "labels", "unit"}``.
All text stays inside the platform-safe area and is wrapped and shrunk to fit, never cut.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from promptreel.draft.meta import EMPTY, Meta

__all__ = [
    "TrackType",
    "Segment",
    "Track",
    "Canvas",
    "Draft",
    "SEGMENT_KINDS",
    "TRACK_ROLES",
    "SCHEMA_VERSION",
]

SCHEMA_VERSION = 1


class TrackType(IntEnum):
    VIDEO = 0
    AUDIO = 1
    TEXT = 7


#: segment kind → track type it lives on, and the meta keys it understands
SEGMENT_KINDS: dict[str, tuple[TrackType, str]] = {
    "scene": (
        TrackType.VIDEO,
        "text, headline, icon, palette, motion, chart, transition, transition_ms, seed, layout "
        "(headline|list|steps|stat|chart|quote|place|countdown|greeting|compare|cta), "
        "items [{text, value, icon}] (≤ 12), value, label, quote, by, icons [illustration ids]",
    ),
    "media": (TrackType.VIDEO, "media_id, src, media_kind (image|video), trim_in, fit, kenburns, transition"),
    "voice": (TrackType.AUDIO, "text, voice, speed, lang, src"),
    "music": (TrackType.AUDIO, "style, mood, tempo, seed, src, fade_in, fade_out"),
    "audio": (TrackType.AUDIO, "media_id, src, trim_in"),
    "title": (TrackType.TEXT, "text, subtitle, style"),
    "caption": (TrackType.TEXT, "text, words"),
    "overlay": (TrackType.TEXT, "text, position, style"),
}

TRACK_ROLES = ("scenes", "media", "narration", "bgm", "sfx", "title", "captions", "overlays")


@dataclass(frozen=True, slots=True)
class Segment:
    id: str
    start: int
    duration: int
    kind: str
    name: str = ""
    meta: Meta = field(default=EMPTY)

    @property
    def end(self) -> int:
        return self.start + self.duration

    def replace(self, **changes: Any) -> Segment:
        if "meta" in changes and not isinstance(changes["meta"], Meta):
            changes["meta"] = Meta(changes["meta"])
        return dataclasses.replace(self, **changes)

    def contains(self, ms: int) -> bool:
        return self.start <= ms < self.end


@dataclass(frozen=True, slots=True)
class Track:
    id: str
    type: TrackType
    role: str = ""
    name: str = ""
    segments: tuple[Segment, ...] = ()
    meta: Meta = field(default=EMPTY)

    @property
    def start(self) -> int:
        return self.segments[0].start if self.segments else 0

    @property
    def end(self) -> int:
        return max((s.end for s in self.segments), default=0)

    @property
    def volume(self) -> float:
        """Audio gain 0..2 (1 = as generated); ``muted`` forces 0."""
        if self.meta.get("muted"):
            return 0.0
        return float(self.meta.get("volume", 1.0))

    @property
    def hidden(self) -> bool:
        return bool(self.meta.get("hidden", False))

    def replace(self, **changes: Any) -> Track:
        if "meta" in changes and not isinstance(changes["meta"], Meta):
            changes["meta"] = Meta(changes["meta"])
        if "segments" in changes:
            changes["segments"] = tuple(sorted(changes["segments"], key=lambda s: (s.start, s.id)))
        return dataclasses.replace(self, **changes)

    def segment(self, segment_id: str) -> Segment | None:
        return next((s for s in self.segments if s.id == segment_id), None)

    def at(self, ms: int) -> Segment | None:
        return next((s for s in self.segments if s.contains(ms)), None)


@dataclass(frozen=True, slots=True)
class Canvas:
    width: int = 1920
    height: int = 1080
    fps: int = 30

    @property
    def aspect(self) -> str:
        from math import gcd

        g = gcd(self.width, self.height) or 1
        return f"{self.width // g}:{self.height // g}"


@dataclass(frozen=True, slots=True)
class Draft:
    id: str
    canvas: Canvas = field(default_factory=Canvas)
    tracks: tuple[Track, ...] = ()
    meta: Meta = field(default=EMPTY)

    @property
    def duration(self) -> int:
        return max((t.end for t in self.tracks), default=0)

    @property
    def ready(self) -> bool:
        """Ready for export: at least one track has a segment."""
        return any(t.segments for t in self.tracks)

    def replace(self, **changes: Any) -> Draft:
        if "meta" in changes and not isinstance(changes["meta"], Meta):
            changes["meta"] = Meta(changes["meta"])
        if "tracks" in changes:
            changes["tracks"] = tuple(changes["tracks"])
        return dataclasses.replace(self, **changes)

    def track(self, track_id: str) -> Track | None:
        return next((t for t in self.tracks if t.id == track_id), None)

    def tracks_by_role(self, role: str) -> list[Track]:
        return [t for t in self.tracks if t.role == role]

    def first_track(self, role: str) -> Track | None:
        return next((t for t in self.tracks if t.role == role), None)

    def segments(self) -> Iterator[tuple[Track, Segment]]:
        for t in self.tracks:
            for s in t.segments:
                yield t, s

    def find_segment(self, segment_id: str) -> tuple[Track, Segment] | None:
        return next(((t, s) for t, s in self.segments() if s.id == segment_id), None)

    def ids(self) -> set[str]:
        out = {self.id}
        for t in self.tracks:
            out.add(t.id)
            out.update(s.id for s in t.segments)
        return out
