"""Scene order and length: resize, move, swap, remove (ripple edits)."""

from __future__ import annotations

from pydantic import Field

from promptreel.agent.edits.base import (
    MIN_SCENE_MS,
    Args,
    EditContext,
    EditRefused,
    Result,
    _narration_for,
    _plan,
    _scene_index,
    _scene_name,
    _scene_track,
    capability,
)
from promptreel.agent.edits.invariants import keep_title_clear
from promptreel.draft import ops
from promptreel.draft.model import Draft
from promptreel.draft.query import span_label


class ResizeArgs(Args):
    scene: int = Field(description="1-based scene number; -1 is the last scene")
    duration_ms: int | None = Field(default=None, ge=0)
    delta_ms: int | None = None


class MoveArgs(Args):
    scene: int = Field(description="1-based scene number; -1 is the last scene")
    to: int = Field(description="1-based scene number; -1 is the last scene")


class SwapArgs(Args):
    a: int = Field(description="1-based scene number; -1 is the last scene")
    b: int = Field(description="1-based scene number; -1 is the last scene")


class SceneArgs(Args):
    scene: int = Field(description="1-based scene number; -1 is the last scene")


@capability(
    "resize_scene",
    "Make one scene longer or shorter (ripple: later scenes move, music stretches).",
    ResizeArgs,
)
def resize_scene(
    draft: Draft, ctx: EditContext, scene: int, duration_ms: int | None = None, delta_ms: int | None = None
) -> Result:
    idx = _scene_index(draft, scene)
    st = _scene_track(draft)
    seg = st.segments[idx]
    if duration_ms is None and delta_ms is None:
        raise EditRefused("resize_what", "How long should the scene be?")
    new = int(duration_ms) if duration_ms is not None else seg.duration + int(delta_ms or 0)
    n = _narration_for(draft, seg)
    floor = max(MIN_SCENE_MS // 2, (n.end - seg.start) if n is not None else 0)
    if new < floor:
        raise EditRefused(
            "too_short",
            f"Scene {idx + 1} cannot be shorter than {floor / 1000:g}s — its narration needs that long.",
            scene=idx + 1,
            min_s=floor / 1000,
        )
    if new == seg.duration:
        raise EditRefused("same_length", f"Scene {idx + 1} is already {new / 1000:g}s long.", scene=idx + 1)
    d = ops.remap_segments(draft, st.id, _plan(st, {seg.id: new}))
    after = _scene_track(d).segments[idx]
    return d, {
        "what": "scene_length",
        "scene": idx + 1,
        "name": _scene_name(seg),
        "before": f"{seg.duration / 1000:g}s",
        "after": f"{new / 1000:g}s",
        "timing": span_label(after.start, after.end),
        "shift_ms": new - seg.duration,
        "total": span_label(0, d.duration),
    }


@capability(
    "move_scene",
    "Move a scene to another position.",
    MoveArgs,
)
def move_scene(draft: Draft, ctx: EditContext, scene: int, to: int) -> Result:
    idx = _scene_index(draft, scene)
    st = _scene_track(draft)
    target = _scene_index(draft, to)
    if target == idx:
        raise EditRefused("same_place", f"Scene {idx + 1} is already there.", scene=idx + 1)
    order = list(st.segments)
    seg = order.pop(idx)
    order.insert(target, seg)
    d = ops.remap_segments(draft, st.id, [(s.id, s.duration) for s in order])
    after = _scene_track(d).segments[target]
    d, retimed = keep_title_clear(d)
    return d, {
        **({"title_retimed": retimed} if retimed else {}),
        "what": "scene_moved",
        "scene": idx + 1,
        "name": _scene_name(seg),
        "before": idx + 1,
        "after": target + 1,
        "timing": span_label(after.start, after.end),
    }


@capability(
    "swap_scenes",
    "Swap two scenes.",
    SwapArgs,
)
def swap_scenes(draft: Draft, ctx: EditContext, a: int, b: int) -> Result:
    i, j = _scene_index(draft, a), _scene_index(draft, b)
    if i == j:
        raise EditRefused("same_place", "Those are the same scene.", scene=i + 1)
    st = _scene_track(draft)
    order = list(st.segments)
    order[i], order[j] = order[j], order[i]
    d = ops.remap_segments(draft, st.id, [(s.id, s.duration) for s in order])
    d, retimed = keep_title_clear(d)
    return d, {
        **({"title_retimed": retimed} if retimed else {}),
        "what": "scenes_swapped",
        "scene": i + 1,
        "other": j + 1,
        "name": _scene_name(st.segments[i]),
        "other_name": _scene_name(st.segments[j]),
        "before": f"{i + 1} ↔ {j + 1}",
        "after": f"{j + 1} ↔ {i + 1}",
    }


@capability(
    "remove_scene",
    "Remove a scene with its narration and captions (ripple).",
    SceneArgs,
)
def remove_scene(draft: Draft, ctx: EditContext, scene: int) -> Result:
    idx = _scene_index(draft, scene)
    st = _scene_track(draft)
    if len(st.segments) == 1:
        raise EditRefused("only_scene", "That is the only scene; a video needs at least one.")
    seg = st.segments[idx]
    before_total = draft.duration
    d = ops.remap_segments(draft, st.id, [(s.id, s.duration) for s in st.segments if s.id != seg.id])
    d, retimed = keep_title_clear(d)
    return d, {
        **({"title_retimed": retimed} if retimed else {}),
        "what": "scene_removed",
        "scene": idx + 1,
        "name": _scene_name(seg),
        "timing": span_label(seg.start, seg.end),
        "before": span_label(0, before_total),
        "after": span_label(0, d.duration),
        "count": len(st.segments) - 1,
    }
