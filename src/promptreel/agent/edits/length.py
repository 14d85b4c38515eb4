"""The video's total length."""

from __future__ import annotations

from pydantic import Field

from promptreel.agent.edits.base import (
    MIN_SCENE_MS,
    NARRATION_TAIL_MS,
    Args,
    EditContext,
    EditRefused,
    Result,
    _narration_for,
    _scene_track,
    capability,
)
from promptreel.draft import ops
from promptreel.draft.model import Draft, Segment


class DurationArgs(Args):
    total_ms: int | None = Field(default=None, ge=0)
    delta_ms: int | None = None


@capability(
    "set_duration",
    "Change the total length (scenes scale; beats are dropped if lines do not fit).",
    DurationArgs,
)
def set_duration(
    draft: Draft, ctx: EditContext, total_ms: int | None = None, delta_ms: int | None = None
) -> Result:
    st = _scene_track(draft)
    old_total = st.end - st.start
    if total_ms is None and delta_ms is None:
        raise EditRefused("duration_what", "How long should the video be?")
    target = int(total_ms) if total_ms is not None else old_total + int(delta_ms or 0)
    if target < MIN_SCENE_MS:
        raise EditRefused("too_short_total", "A video needs at least 1 second.", min_s=1)
    if target == old_total:
        raise EditRefused(
            "same_total", f"The video is already {target / 1000:g}s long.", total_s=target / 1000
        )
    scenes = list(st.segments)
    mins = {}
    for s in scenes:
        n = _narration_for(draft, s)
        mins[s.id] = max(
            MIN_SCENE_MS // 2, (n.end - s.start + NARRATION_TAIL_MS // 2) if n is not None else 0
        )
    kept = list(scenes)
    dropped: list[Segment] = []
    # drop beats from the middle (keep the opening and the closing scene) until the lines fit
    while sum(mins[s.id] for s in kept) > target and len(kept) > 2:
        body = [s for s in kept[1:-1] if s.meta.get("beat", "body") == "body"]
        victim = body[-1] if body else kept[-2]
        kept.remove(victim)
        dropped.append(victim)
    if sum(mins[s.id] for s in kept) > target:
        need = sum(mins[s.id] for s in kept)
        raise EditRefused(
            "too_short_total",
            f"The narration alone needs {need / 1000:g}s; try a faster voice or fewer scenes.",
            min_s=need / 1000,
        )
    cur = sum(s.duration for s in kept)
    durs: dict[str, int] = {}
    if target >= cur:
        for s in kept:
            durs[s.id] = round(s.duration * target / cur)
    else:
        slack = sum(s.duration - mins[s.id] for s in kept)
        cut = cur - target
        for s in kept:
            room = s.duration - mins[s.id]
            durs[s.id] = s.duration - (round(cut * room / slack) if slack > 0 else 0)
    diff = target - sum(durs.values())
    durs[kept[-1].id] += diff
    if any(v <= 0 for v in durs.values()):
        raise EditRefused("too_short_total", "That is too short for these scenes.", min_s=len(kept))
    d = ops.remap_segments(draft, st.id, [(s.id, durs[s.id]) for s in kept])
    return d, {
        "what": "duration",
        "before": f"{old_total / 1000:g}s",
        "after": f"{target / 1000:g}s",
        "dropped": [scenes.index(s) + 1 for s in dropped],
        "count": len(kept),
    }
