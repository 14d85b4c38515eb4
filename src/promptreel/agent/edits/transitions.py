"""The transition into every scene or into one."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from promptreel.agent.edits.base import (
    DEFAULT_TRANSITION_MS,
    Args,
    EditContext,
    EditRefused,
    Result,
    _scene_index,
    _scene_track,
    capability,
)
from promptreel.draft import ops
from promptreel.draft.model import Draft


class TransitionArgs(Args):
    transition: Literal["cut", "crossfade", "slide", "wipe", "zoom"]
    scene: int | None = Field(default=None, description="1-based scene number; -1 is the last scene")
    duration_ms: int | None = Field(default=None, ge=0)


@capability(
    "set_transition",
    "Set the transition into every scene, or into one scene.",
    TransitionArgs,
)
def set_transition(
    draft: Draft, ctx: EditContext, transition: str, scene: int | None = None, duration_ms: int | None = None
) -> Result:
    from promptreel.agent.phrases import TRANSITIONS

    if transition not in TRANSITIONS:
        raise EditRefused("bad_transition", f"Transition {transition!r} is unknown.", transition=transition)
    st = _scene_track(draft)
    if len(st.segments) < 2:
        raise EditRefused("one_scene", "With a single scene there is nothing to transition between.")
    targets = list(range(1, len(st.segments))) if scene is None else [_scene_index(draft, scene)]
    if targets == [0]:
        raise EditRefused(
            "first_scene", "The first scene has nothing before it; pick the scene after the cut."
        )
    before = sorted({str(st.segments[i].meta.get("transition") or "cut") for i in targets})
    ms = 0 if transition == "cut" else int(duration_ms or DEFAULT_TRANSITION_MS)
    segs = list(st.segments)
    for i in targets:
        segs[i] = segs[i].replace(meta=segs[i].meta.set(transition=transition, transition_ms=ms))
    d = ops.replace_segments(draft, st.id, segs)
    mt = d.first_track("media")
    if mt is not None:  # uploads shown in those scenes cut the same way
        starts = {st.segments[i].start for i in targets}
        d = ops.replace_segments(
            d,
            mt.id,
            [
                s.replace(meta=s.meta.set(transition=transition, transition_ms=ms))
                if s.start in starts
                else s
                for s in mt.segments
            ],
        )
    return d, {
        "what": "transition",
        "before": "/".join(before),
        "after": transition,
        "scene": targets[0] + 1 if scene is not None else None,
        "count": len(targets),
        "ms": ms,
    }
