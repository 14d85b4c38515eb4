"""On-screen text other than the title and captions."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import Field

from promptreel.agent.clause import (
    _CAPTIONS,
    _REMOVE,
    _TITLE,
    _VOICE,
    Call,
    _Clause,
    _position,
    _refs,
    _strip_quotes,
    _unquote,
    rule,
)
from promptreel.agent.edits.base import (
    Args,
    EditContext,
    EditRefused,
    Result,
    _require_track,
    _scene_index,
    _scene_track,
    capability,
)
from promptreel.agent.phrases import SCENE_WORDS_EN, durations, has_any
from promptreel.draft import ops
from promptreel.draft.meta import Meta
from promptreel.draft.model import Draft, Segment, TrackType
from promptreel.draft.query import span_label


class OverlayArgs(Args):
    text: str
    at: Literal["start", "end", "whole"] | None = None
    duration_ms: int | None = Field(default=None, ge=0)
    start_ms: int | None = Field(default=None, ge=0)
    scene: int | None = Field(default=None, description="1-based scene number; -1 is the last scene")
    position: Literal["top", "center", "bottom", "lower-third"] | None = None


class RemoveOverlayArgs(Args):
    text: str | None = None


@capability(
    "add_overlay",
    "Add on-screen text at the start, the end, a time or over a scene.",
    OverlayArgs,
)
def add_overlay(
    draft: Draft,
    ctx: EditContext,
    text: str,
    at: str = "end",
    duration_ms: int = 3000,
    start_ms: int | None = None,
    scene: int | None = None,
    position: str = "center",
) -> Result:
    text = text.strip()
    if not text:
        raise EditRefused("empty_text", "What should the text say?")
    total = draft.duration
    if total <= 0:
        raise EditRefused("no_scenes", "The draft has no scenes yet.")
    if position not in ("top", "center", "bottom", "lower-third"):
        position = "center"
    dur = max(1, int(duration_ms or 3000))
    if scene is not None:
        s = _scene_track(draft).segments[_scene_index(draft, scene)]
        start = s.start
        dur = min(dur, s.duration) if duration_ms else s.duration
    elif start_ms is not None:
        start = max(0, int(start_ms))
    elif at == "whole":
        start, dur = 0, total
    elif at in ("start", "beginning"):
        start = 0
    else:
        start = max(0, total - dur)
    if start >= total:
        raise EditRefused("past_end", f"The video is only {total / 1000:g}s long.", total_s=total / 1000)
    dur = min(dur, total - start)
    d, tid = ops.upsert_track(draft, "overlays", TrackType.TEXT, "Text")
    t = d.track(tid)
    assert t is not None
    clash = [s for s in t.segments if s.start < start + dur and start < s.end]
    if clash:
        d = ops.replace_segments(d, tid, [s for s in t.segments if s not in clash])
    sid = ops.new_id(d, "seg_overlay")
    d = ops.add_segment(
        d, tid, Segment(sid, start, dur, "overlay", text, Meta({"text": text, "position": position}))
    )
    return d, {
        "what": "overlay",
        "name": text,
        "timing": span_label(start, start + dur),
        "position": position,
        "replaced": [str(s.meta.get("text", "")) for s in clash],
    }


@capability(
    "remove_overlays",
    "Remove on-screen text (all, or those containing text).",
    RemoveOverlayArgs,
)
def remove_overlays(draft: Draft, ctx: EditContext, text: str | None = None) -> Result:
    t = _require_track(draft, "overlays", "no_overlays", "There is no text overlay to remove.")
    gone = [s for s in t.segments if text is None or text.lower() in str(s.meta.get("text", "")).lower()]
    if not gone:
        raise EditRefused("no_overlays", f"No text overlay says {text!r}.", text=text or "")
    d = ops.replace_segments(draft, t.id, [s for s in t.segments if s not in gone])
    return d, {
        "what": "overlay_removed",
        "name": ", ".join(str(s.meta.get("text", "")) for s in gone),
        "count": len(gone),
    }


# ---------------------------------------------------------------- phrasings (EN/ZH)


@rule(9)
def _rule_overlay(c: _Clause) -> list[Call] | None:
    t = c.t
    if has_any(t, _TITLE) or has_any(t, _CAPTIONS):
        return None
    text_word = has_any(t, ("text", "texts", "overlay", "overlays", "words", "caption card", "label", "banner", "文字",
                            "字样", "文本", "标语", "口号"))  # fmt: skip
    if (has_any(t, _REMOVE) and text_word and not c.quotes) or (
        has_any(t, _REMOVE) and c.quotes and text_word
    ):
        return [("remove_overlays", {"text": c.quotes[0]} if c.quotes else {})]
    if not c.quotes:
        m = re.search(
            r"(?:add|put|show|display|overlay|write)\s+(?:the\s+)?(?:text|words)\s*:?\s*(.+?)"
            r"(?:\s+(?:at|on|in|for|from|over|during)\b.*)?$",
            t,
        )
        if not m:
            m2 = re.search(
                r"(?:加上|添加|加|显示|写上|放上)(?:一(?:行|句|段)(?:文)?字|文字|字样|文本)[:：]?\s*(\S+?)"
                r"(?:在|于|持续|，|$)",
                t,
            )
            if not m2:
                return None
            text = m2.group(1)
        else:
            text = _unquote(c, m.group(1)).strip(" .!")
            idx = c.raw.lower().find(text)
            text = c.raw[idx : idx + len(text)] if idx >= 0 else text
    else:
        if not has_any(t, ("add", "put", "show", "display", "overlay", "write", "insert", "place", "加上", "添加",
                           "加", "显示", "写上", "放上", "插入", "打上")):  # fmt: skip
            return None
        if has_any(t, _VOICE) and not text_word:
            return None
        text = c.quotes[0]
    if re.search(rf"\b(add|insert)\s+(an?|one|new|another)\s+(new\s+)?{SCENE_WORDS_EN}", t):
        return None
    args: dict[str, Any] = {"text": text}
    dd = durations(_strip_quotes(t))
    starts = re.search(
        r"(?:at|from)\s+(\d+(?:\.\d+)?)\s*(?:s|sec|secs|seconds?)\b|从\s*(\d+(?:\.\d+)?)\s*秒|在\s*(\d+(?:\.\d+)?)\s*秒",
        t,
    )
    if starts:
        val = next(g for g in starts.groups() if g)
        args["start_ms"] = round(float(val) * 1000)
        dd = [x for x in dd if not starts.start() <= x[0] < starts.end()]
    d = [ms for _, ms in dd]
    if d:
        args["duration_ms"] = d[0]
    refs = _refs(c)
    if refs and "start_ms" not in args:
        args["scene"] = refs[0]
    elif has_any(t, ("whole video", "entire video", "whole thing", "throughout", "all the time", "the whole time",
                     "全程", "整个视频", "一直显示", "始终")):  # fmt: skip
        args["at"] = "whole"
        args.pop("duration_ms", None)
    elif has_any(t, ("start", "beginning", "opening", "intro", "开头", "开始", "片头", "最前")):
        args["at"] = "start"
    elif "start_ms" not in args:
        args["at"] = "end"
    pos = _position(t)
    if has_any(t, ("lower third", "lower-third", "下三分之一")):
        pos = "lower-third"
    if pos:
        args["position"] = pos
    return [("add_overlay", args)]
