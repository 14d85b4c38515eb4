"""A new scene about a topic: line, picture, narration and captions."""

from __future__ import annotations

import re
from typing import Any

from pydantic import Field

from promptreel.agent.clause import Call, _Clause, _refs, _Say, _unquote, rule
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
from promptreel.agent.phrases import SCENE_WORDS_EN, has_any
from promptreel.draft import ops
from promptreel.draft.meta import Meta, thaw
from promptreel.draft.model import Draft, Segment
from promptreel.draft.query import span_label
from promptreel.language import has_cjk


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


# ---------------------------------------------------------------- phrasings (EN/ZH)


def _insert_position(c: _Clause, refs: list[int]) -> int | None:
    t = c.t
    if refs:
        r = refs[-1]
        if re.search(r"\bafter\b|之后|后面|后边|以后", t):
            return r + 1 if r > 0 else None
        if re.search(r"\bbefore\b|之前|前面|前边", t):
            return r if r > 0 else r - 1
    if has_any(t, ("at the start", "at the beginning", "at the front", "first", "opening", "beginning", "开头",
                   "最前面", "最前", "开始处", "片头")):  # fmt: skip
        return 1
    return None


_PLACE_EN = re.compile(
    rf"^\s*(?:(?:right\s+)?(?:at|to)\s+the\s+(?:very\s+)?(?:end|start|beginning|front)|"
    rf"(?:right\s+)?(?:after|before)\s+(?:the\s+)?(?:(?:\w+\s+)?{SCENE_WORDS_EN}(?:\s+\w+)?|\w+\s+one))"
)


@rule(7)
def _rule_add_scene(c: _Clause) -> list[Call] | None:
    t = c.t
    en = re.search(
        rf"\b(?:add|insert|include|create|make|put in|append|need|want)\s+(?:an?|one|another|a new|one more|"
        rf"new|an extra|an additional)\s+(?:new\s+|extra\s+|more\s+|final\s+|closing\s+|last\s+|outro\s+|"
        rf"ending\s+|intro\s+|opening\s+|first\s+)?{SCENE_WORDS_EN}\b(.*)$",
        t,
    ) or re.search(rf"\bone more\s+{SCENE_WORDS_EN}\b(.*)$", t)
    zh = re.search(
        r"(?:添加|加上|加入|增加|新增|插入|加|再来|补充|多加)(?:一个|一段|一幕|一张|个|段|一)?(?:新的)?"
        r"(?:关于|介绍|讲|展示|有关)?(.*?)(?:的)?(?:场景|镜头|画面|片段|分镜)(.*)$",
        t,
    )
    said: str | None = None
    if en:
        # where it goes may come first: "add a scene at the end saying …", "after scene 2 about …"
        rest = re.sub(_PLACE_EN, " ", en.group(1))
        m = re.search(
            r"^\s*(?:about|showing|that shows|on|of|with|featuring|for|introducing|covering|where|"
            r"that talks about|to show|saying|that says|which says|with the line|:)\s*(.+)$",
            rest,
        )
        if not m:
            raise _Say("scene_about_what")
        about = m.group(1)
        about = re.split(r"\s+(?:after|before|at the|between|in position|as the)\b", about)[0]
        if re.search(r"\b(?:saying|says|with the line)\s*:?\s*$", rest[: m.start(1)]):
            said = _unquote(c, about).strip(" .!\"'")
    elif zh:
        about = zh.group(1) or ""
        tail = zh.group(2) or ""
        m = re.search(r"^[:：，,]?\s*(?:关于|介绍|讲|展示)?(.+)$", tail) if not about else None
        if m:
            about = m.group(1)
        quote = re.fullmatch(r"(?:说|写着|写|内容是|台词是|旁白是)[:：]?\s*(⟦\d+⟧)", about.strip(" ，,"))
        if quote:  # "在最后加一个场景，说“期待你的光临”": the line is what it is about
            about = said = _unquote(c, quote.group(1))
        about = re.sub(
            r"^(?:在)?(?:第\S+?(?:个)?(?:场景|镜头)?(?:之后|后面|前面|之前)|开头|最后|结尾)", "", about
        )
        about = re.sub(r"^(?:关于|介绍|讲|展示|有关)", "", about).strip(" ，,的")
        if not about:
            raise _Say("scene_about_what")
    else:
        return None
    about = _unquote(c, about).strip(" .!。！,，\"'")
    idx = c.raw.lower().find(about.lower())
    if idx >= 0:
        about = c.raw[idx : idx + len(about)]
    args: dict[str, Any] = {"about": about}
    pos = _insert_position(c, _refs(c))
    if (
        en
        and pos is None
        and re.search(r"\b(?:intro|opening|first)\s+" + SCENE_WORDS_EN + r"|\ban?\s+intro\b", t)
    ):
        pos = 1
    if pos is not None:
        args["position"] = pos
    if said:
        args["text"] = said
    elif c.quotes and about != c.quotes[0]:
        args["text"] = c.quotes[0]
    return [("add_scene", args)]
