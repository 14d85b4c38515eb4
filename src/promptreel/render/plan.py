"""Draft → per-frame layer plan, computed once; O(log n) lookup per frame.

Both edges of every segment become frames with the one rounding rule of
:func:`promptreel.timecode.ms_to_frame`, so adjacent segments meet on exactly the same frame.
Tracks paint in draft order (later above earlier); hidden and audio tracks are left out.

A transition into a segment (``meta.transition`` other than ``cut`` with ``transition_ms`` > 0)
becomes a :class:`Transition` item. When the previous segment on the same track ends exactly
where this one starts, the window is centred on the cut and blends the two; otherwise the
segment enters alone over whatever is below it, from its start (not at frame 0).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from promptreel.draft import Draft, Segment, Track, TrackType
from promptreel.timecode import ms_to_frame

__all__ = ["Layer", "Transition", "Item", "Plan", "build_plan", "TRANSITIONS"]

TRANSITIONS = ("crossfade", "slide", "wipe", "zoom")
_DEFAULT_TRANSITION_MS = 500


@dataclass(frozen=True, slots=True)
class Layer:
    """One segment on one track, active for frames ``first <= f < end``."""

    track_index: int
    track: Track
    segment: Segment
    first: int
    end: int
    fps: int

    @property
    def kind(self) -> str:
        return self.segment.kind

    @property
    def role(self) -> str:
        return self.track.role

    def local_ms(self, frame: int) -> float:
        """Time since the segment's start, in ms (negative before it; past its duration after)."""
        return frame * 1000.0 / self.fps - self.segment.start


@dataclass(frozen=True, slots=True)
class Transition:
    """``incoming`` replaces ``outgoing`` (``None``: enters over the tracks below) in frames
    ``first <= f < end``."""

    kind: str
    first: int
    end: int
    incoming: Layer
    outgoing: Layer | None

    @property
    def track_index(self) -> int:
        return self.incoming.track_index

    def progress(self, frame: int) -> float:
        """0 at the window's first frame, approaching 1 at its end (the midpoint is 0.5)."""
        span = max(1, self.end - self.first)
        return min(1.0, max(0.0, (frame - self.first + 0.5) / span))


Item = Layer | Transition


@dataclass(frozen=True, slots=True)
class Plan:
    fps: int
    frames: int  # frame count of the whole draft
    layers: tuple[Layer, ...]
    transitions: tuple[Transition, ...]
    _starts: tuple[int, ...] = field(repr=False, default=())
    _items: tuple[tuple[Item, ...], ...] = field(repr=False, default=())

    def at(self, frame: int) -> tuple[Item, ...]:
        """Items to paint at ``frame``, bottom first. O(log n)."""
        i = bisect.bisect_right(self._starts, frame) - 1
        if i < 0:
            return ()
        return self._items[i]

    def layers_at(self, frame: int) -> tuple[Layer, ...]:
        """Every segment visible at ``frame`` (both sides of a transition), bottom first."""
        out: list[Layer] = []
        for item in self.at(frame):
            if isinstance(item, Transition):
                if item.outgoing is not None:
                    out.append(item.outgoing)
                out.append(item.incoming)
            else:
                out.append(item)
        return tuple(out)


def _transition_frames(seg: Segment, fps: int) -> tuple[str, int]:
    kind = str(seg.meta.get("transition") or "cut")
    if kind not in TRANSITIONS:
        return "cut", 0
    ms = seg.meta.get("transition_ms")
    try:
        ms_i = int(ms) if ms is not None else _DEFAULT_TRANSITION_MS
    except (TypeError, ValueError):
        ms_i = _DEFAULT_TRANSITION_MS
    return kind, max(0, ms_to_frame(max(0, ms_i), fps))


def build_plan(draft: Draft) -> Plan:
    fps = draft.canvas.fps
    layers: list[Layer] = []
    transitions: list[Transition] = []
    # per item: the frame span it covers
    spans: list[tuple[int, int, int, Item]] = []  # (track_index, first, end, item)
    for ti, track in enumerate(draft.tracks):
        if track.type == TrackType.AUDIO or track.hidden:
            continue
        track_layers: list[Layer] = []
        for seg in sorted(track.segments, key=lambda s: (s.start, s.id)):
            first, end = ms_to_frame(seg.start, fps), ms_to_frame(seg.end, fps)
            if end <= first:
                continue
            track_layers.append(Layer(ti, track, seg, first, end, fps))
        layers.extend(track_layers)
        # visible span of each layer, trimmed by transition windows
        vis = [[layer.first, layer.end] for layer in track_layers]
        for k, layer in enumerate(track_layers):
            if track.type != TrackType.VIDEO:
                continue
            kind, n = _transition_frames(layer.segment, fps)
            if kind == "cut" or n <= 0:
                continue
            prev = track_layers[k - 1] if k > 0 else None
            if prev is not None and prev.end == layer.first:
                n = min(n, (layer.end - layer.first), (prev.end - prev.first))
                half = n // 2
                first, end = layer.first - half, layer.first + (n - half)
                if n < 2:
                    continue
                tr = Transition(kind, first, end, layer, prev)
                vis[k - 1][1] = min(vis[k - 1][1], first)
            else:
                if layer.first == 0:
                    continue  # nothing to enter from at the very start
                n = min(n, layer.end - layer.first)
                if n < 2:
                    continue
                tr = Transition(kind, layer.first, layer.first + n, layer, None)
            vis[k][0] = max(vis[k][0], tr.end)
            transitions.append(tr)
            spans.append((ti, tr.first, tr.end, tr))
        for (first, end), layer in zip(vis, track_layers, strict=True):
            if end > first:
                spans.append((ti, first, end, layer))
    total = max((layer.end for layer in layers), default=0)
    total = max(total, ms_to_frame(draft.duration, fps))
    starting: dict[int, list[int]] = {}
    ending: dict[int, list[int]] = {}
    for n, (_ti, first, end, _item) in enumerate(spans):
        starting.setdefault(first, []).append(n)
        ending.setdefault(end, []).append(n)
    starts: list[int] = []
    items: list[tuple[Item, ...]] = []
    active: set[int] = set()
    for a in sorted(set(starting) | set(ending) | {0}):
        active.difference_update(ending.get(a, ()))
        active.update(starting.get(a, ()))
        order = sorted(active, key=lambda n: (spans[n][0], spans[n][1]))
        starts.append(a)
        items.append(tuple(spans[n][3] for n in order))
    return Plan(fps, total, tuple(layers), tuple(transitions), tuple(starts), tuple(items))
