"""The video's total length."""

from __future__ import annotations

import re

from pydantic import Field

from promptreel.agent.clause import Call, _Clause, _refs, _strip_quotes, rule
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
from promptreel.agent.phrases import degree, durations, has_any
from promptreel.draft import ops
from promptreel.draft.model import Draft, Segment


class DurationArgs(Args):
    total_ms: int | None = Field(default=None, ge=0)
    delta_ms: int | None = None
    scale: float | None = Field(
        default=None, gt=0, description="relative length: 0.8 a bit shorter, 1.25 longer"
    )


@capability(
    "set_duration",
    "Change the total length (scenes scale; beats are dropped if lines do not fit).",
    DurationArgs,
)
def set_duration(
    draft: Draft,
    ctx: EditContext,
    total_ms: int | None = None,
    delta_ms: int | None = None,
    scale: float | None = None,
) -> Result:
    st = _scene_track(draft)
    old_total = st.end - st.start
    if total_ms is None and delta_ms is None and scale is None:
        raise EditRefused("duration_what", "How long should the video be?")
    if total_ms is not None:
        target = int(total_ms)
    elif delta_ms is not None:
        target = old_total + int(delta_ms)
    else:
        target = round(old_total * float(scale or 1) / 1000) * 1000  # whole seconds, as a user counts
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
    for t in draft.tracks_by_role("bgm"):  # music that filled the video fills it still (over a lone
        for m in t.segments:  # scene the re-lay reads it as that scene's own, and clips it)
            now = d.find_segment(m.id)
            if m.end >= old_total and now is not None and now[1].end != target:
                d = ops.update_segment(d, m.id, duration=max(1, target - now[1].start))
    return d, {
        "what": "duration",
        "before": f"{old_total / 1000:g}s",
        "after": f"{target / 1000:g}s",
        "dropped": [scenes.index(s) + 1 for s in dropped],
        "count": len(kept),
    }


# ---------------------------------------------------------------- phrasings (EN/ZH)


@rule(19)
def _rule_total(c: _Clause) -> list[Call] | None:
    t = c.t
    if _refs(c):
        return None
    d = durations(_strip_quotes(t))
    # "it's too long" wants it shorter, "视频太短了" longer
    longer = has_any(
        t, ("longer", "extend", "lengthen", "too short", "延长", "加长", "长一点", "再长", "长一些", "太短")
    )
    shorter = has_any(
        t,
        (
            "shorter",
            "shorten",
            "trim",
            "cut",
            "reduce",
            "too long",
            "缩短",
            "短一点",
            "减少",
            "剪短",
            "短一些",
            "太长",
        ),
    )
    if not d:
        bare = re.sub(
            r"\b(?:a bit|a little|bit|slightly|please|pls|make it|much|a lot|way)\b|一点|一些|点|吧|再|稍微",
            "",
            t,
        )
        if (longer or shorter) and (
            re.search(r"\b(it|video|whole thing|everything|overall)\b|视频|整体|整个", t)
            or (len(bare.split()) <= 1 and len(bare.strip()) <= 8)
        ):
            much = degree(t) == "much"
            return [
                ("set_duration", {"scale": (1.5 if much else 1.25) if longer else (0.6 if much else 0.8)})
            ]
        return None
    ms = d[0][1]
    absolute = re.search(
        r"\b(to|into|under|max|at most|exactly)\b|改成|改为|缩短到|延长到|控制在|做成|变成|一共|总共", t
    )
    if (longer or shorter) and not absolute:
        return [("set_duration", {"delta_ms": ms if longer else -ms})]
    total_hint = re.search(
        r"\b(make it|make the (video|whole thing|clip)|video|total|overall|long|length|duration|"
        r"runtime|shorten|cut|trim|under|just|only)\b|视频|时长|总|整体|整个|长度|改成|缩短|做成|一共|控制",
        t,
    )
    if total_hint or len(_strip_quotes(t).split()) <= 3:
        return [("set_duration", {"total_ms": ms})]
    return None
