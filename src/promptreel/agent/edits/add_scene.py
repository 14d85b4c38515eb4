"""A new scene about a topic: line, picture, narration and captions."""

from __future__ import annotations

from pydantic import Field

from promptreel.agent.edits.base import (
    DEFAULT_TRANSITION_MS,
    NARRATION_LEAD_MS,
    NARRATION_TAIL_MS,
    Args,
    EditContext,
    EditRefused,
    Result,
    _lang,
    _retime_captions,
    _scene_track,
    _speak_ms,
    capability,
)
from promptreel.agent.lexicon import has_cjk
from promptreel.draft import ops
from promptreel.draft.meta import Meta, thaw
from promptreel.draft.model import Draft, Segment
from promptreel.draft.query import span_label


class AddSceneArgs(Args):
    about: str
    text: str | None = None
    position: int | None = Field(default=None, description="1-based position; default: at the end")
    duration_ms: int | None = Field(default=None, ge=0)


def _headline(about: str, lang: str) -> str:
    if lang == "zh" or has_cjk(about):
        return about[:12]
    words = about.split()[:6]
    return " ".join(w[:1].upper() + w[1:] for w in words)


def _sentence(about: str, lang: str) -> str:
    about = about.strip().rstrip(".。!！")
    if has_cjk(about):
        return about + "。"
    return about[:1].upper() + about[1:] + "."


@capability(
    "add_scene",
    "Add a scene about a topic (script line, illustration, narration, captions).",
    AddSceneArgs,
)
def add_scene(
    draft: Draft,
    ctx: EditContext,
    about: str,
    text: str | None = None,
    position: int | None = None,
    duration_ms: int | None = None,
) -> Result:
    about = about.strip()
    if not about:
        raise EditRefused("scene_what", "What should the new scene be about?")
    st = _scene_track(draft)
    n = len(st.segments)
    pos = n if position is None else (int(position) - 1 if int(position) > 0 else n + 1 + int(position))
    if not 0 <= pos <= n:
        raise EditRefused(
            "no_scene",
            f"There is no position {position} — the video has {n} scenes.",
            index=position,
            count=n,
        )
    lang = "zh" if has_cjk(about) else _lang(draft)
    line = (text or _sentence(about, lang)).strip()
    neighbour = st.segments[min(pos, n - 1)] if pos < n else st.segments[-1]
    exclude = tuple(str(s.meta.get("icon")) for s in st.segments if s.meta.get("icon"))
    icon = ""
    if ctx.illustrations is not None:
        icon = (
            ctx.illustrations.match(about, lang=lang, exclude=exclude)
            or ctx.illustrations.match(about, lang=lang)
            or ""
        )
    voice = str(draft.meta.get("voice") or "")
    speed = float(draft.meta.get("speed") or 1.0)
    nt = draft.first_track("narration")
    has_voice = nt is not None and bool(nt.segments)
    ms = _speak_ms(ctx, line, lang=lang, voice=voice, speed=speed) if has_voice else 0
    dur = int(duration_ms) if duration_ms else max(3000, NARRATION_LEAD_MS + ms + NARRATION_TAIL_MS)
    sid = ops.new_id(draft, "seg_scene")
    seed = int(draft.meta.get("seed", 0) or 0) + n + 1
    meta = {
        "text": line,
        "headline": _headline(about, lang),
        "icon": icon,
        "palette": list(thaw(neighbour.meta.get("palette", [])) or []),
        "motion": neighbour.meta.get("motion", "gradient"),
        "transition": neighbour.meta.get("transition", "crossfade") if pos > 0 else "cut",
        "transition_ms": int(neighbour.meta.get("transition_ms", DEFAULT_TRANSITION_MS) or 0),
        "seed": seed,
    }
    new_seg = Segment(sid, 0, dur, "scene", _headline(about, lang), Meta(meta))
    order = [(s.id, s.duration) for s in st.segments]
    order.insert(pos, (sid, dur))
    d = ops.remap_segments(draft, st.id, order, new_segments=[new_seg])
    placed = _scene_track(d).segments[pos]
    if has_voice and nt is not None:
        vid = ops.new_id(d, "seg_voice")
        vseg = Segment(
            vid,
            placed.start + NARRATION_LEAD_MS,
            min(ms, placed.duration - NARRATION_LEAD_MS),
            "voice",
            "",
            Meta({"text": line, "voice": voice, "speed": speed, "lang": lang}),
        )
        d = ops.add_segment(d, nt.id, vseg)
        if d.first_track("captions") is not None:
            d = _retime_captions(d, placed, vseg)
    return d, {
        "what": "scene_added",
        "scene": pos + 1,
        "name": meta["headline"],
        "text": line,
        "icon": icon,
        "timing": span_label(placed.start, placed.end),
        "before": n,
        "after": n + 1,
    }
