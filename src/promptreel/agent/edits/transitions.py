"""The transition into every scene or into one."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import Field

from promptreel.agent.clause import _OFF, _TRANSITION, Call, _Clause, _refs, _Say, rule
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
from promptreel.agent.phrases import durations, has_any, transition
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


# ---------------------------------------------------------------- phrasings (EN/ZH)


@rule(4)
def _rule_transition(c: _Clause) -> list[Call] | None:
    t = c.t
    keyword = has_any(t, _TRANSITION)
    kind = transition(t)
    between = re.search(r"(crossfade|cross-fade|dissolve|wipe|slide|zoom|fade)s?\s+(between|into|to|from)", t)
    if kind is not None and not between:
        between = re.search(r"(场景|镜头|画面)(之间|中间|切换)", t)
    cuts_only = re.search(r"\b(hard|straight|jump) cuts?\b|\bcuts? only\b|\bjust cut\b", t)
    plural = re.search(r"\b(crossfades|dissolves|wipes|fades|zooms)\b", t)
    if not (keyword or between or cuts_only or plural):
        return None
    if kind not in (None, "cut") and re.search(
        r"\b(?:no|no more|without|stop|remove|drop|don't use|get rid of)\b[^,]*\b(?:crossfade|dissolve|wipe|fade|"
        r"slide|zoom)s?\b|(?:不要|去掉|取消|删除)\S*(?:擦除|淡入淡出|溶解|滑动|缩放)",
        t,
    ):
        kind = "cut"
    if kind is None:
        if has_any(t, _OFF) or has_any(t, ("none", "no", "remove", "删除", "去掉", "不要", "取消")):
            kind = "cut"
        elif re.search(
            r"\b(?:smooth|smoother|soft|softer|gentle|gentler|seamless)\b|平滑|柔和|顺滑|自然一?点|流畅", t
        ):
            kind = "crossfade"  # "smoother transitions": a crossfade is the smooth one
        else:
            raise _Say("transition_what")
    args: dict[str, Any] = {"transition": kind}
    refs = _refs(c)
    if refs:
        if re.search(r"between|和|与|跟|之间", t) and len(refs) >= 2:
            args["scene"] = max(refs) if all(r > 0 for r in refs) else refs[-1]
        elif re.search(r"\bafter\b|之后|后面|后的", t):
            r = refs[0]
            if r < 0:
                raise _Say("transition_after_last")
            args["scene"] = r + 1
        else:
            args["scene"] = refs[0]
    d = durations(t)
    if d and d[0][1] <= 5000:
        args["duration_ms"] = d[0][1]
    return [("set_transition", args)]
