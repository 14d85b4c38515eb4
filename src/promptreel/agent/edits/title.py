"""The title card: its text (and where the narration says it), style, position and timing."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import Field

from promptreel.agent.clause import (
    _BIGGER,
    _CAPTIONS,
    _FONTS,
    _REMOVE,
    _SMALLER,
    _TITLE,
    Call,
    _Clause,
    _first_quote,
    _position,
    _Say,
    _strip_quotes,
    _tail_text,
    rule,
)
from promptreel.agent.edits.base import (
    DEFAULT_TITLE_MS,
    Args,
    EditContext,
    EditRefused,
    Result,
    _default_size,
    _narration_for,
    _require_track,
    capability,
)
from promptreel.agent.edits.invariants import refit_length
from promptreel.agent.edits.sizes import size_wish
from promptreel.agent.edits.voice import _reflow_narration
from promptreel.agent.phrases import color, durations, has_any, scene_refs
from promptreel.draft import ops
from promptreel.draft.meta import Meta, thaw
from promptreel.draft.model import Draft, Segment, Track, TrackType
from promptreel.draft.query import span_label


class TitleArgs(Args):
    text: str | None = None
    color: str | None = None
    size_scale: float | None = Field(default=None, gt=0)
    font: str | None = None
    start_ms: int | None = Field(default=None, ge=0)
    duration_ms: int | None = Field(default=None, ge=0)
    position: Literal["top", "center", "bottom"] | None = None
    at: Literal["start", "end"] | None = None
    adding: bool | None = Field(
        default=None, description="true when the user asked to add a title rather than to change it"
    )


class NoArgs(Args):
    pass


def _title_track(draft: Draft) -> tuple[Draft, Track, Segment]:
    t = draft.first_track("title")
    if t is not None and t.segments:
        return draft, t, t.segments[0]
    draft, tid = ops.upsert_track(draft, "title", TrackType.TEXT, "Title")
    sid = ops.new_id(draft, "seg_title")
    total = draft.duration or DEFAULT_TITLE_MS
    seg = Segment(
        sid, 0, min(DEFAULT_TITLE_MS, total), "title", "", Meta({"text": draft.meta.get("title", "")})
    )
    draft = ops.add_segment(draft, tid, seg)
    t2 = draft.track(tid)
    assert t2 is not None
    return draft, t2, seg


@capability(
    "set_title",
    "Change the title: text, colour (#RRGGBB), size (scale factor), font, position or timing.",
    TitleArgs,
)
def set_title(
    draft: Draft,
    ctx: EditContext,
    text: str | None = None,
    color: str | None = None,
    size_scale: float | None = None,
    font: str | None = None,
    start_ms: int | None = None,
    duration_ms: int | None = None,
    position: str | None = None,
    at: str | None = None,
    adding: bool | None = None,
) -> Result:
    if all(v is None for v in (text, color, size_scale, font, start_ms, duration_ms, position, at)):
        raise EditRefused(
            "title_what", "What should change about the title: its text, colour, size or timing?"
        )
    existing = draft.first_track("title")
    if (existing is None or not existing.segments) and not (text or draft.meta.get("title")):
        raise EditRefused("no_title", "There is no title yet — tell me its text first.")
    if adding and text and text.strip() and existing is not None and existing.segments:
        return _add_title_line(draft, existing, text.strip(), color=color, font=font, position=position)
    d, _t, seg = _title_track(draft)
    before_text = str(seg.meta.get("text", ""))
    style = dict(thaw(seg.meta.get("style", {})) or {})
    changes: dict[str, Any] = {}
    res: dict[str, Any] = {"what": "title", "name": before_text}
    if text is not None:
        text = text.strip()
        if not text:
            raise EditRefused("empty_text", "The title text cannot be empty.")
        changes["text"] = text
        res.update(before=before_text, after=text, name=text)
    fields: list[dict[str, Any]] = []  # every part changed, for the reply

    def changed(field: str, before: Any, after: Any) -> None:
        res.update(field=field, before=before, after=after)
        fields.append({"field": field, "before": before, "after": after})

    if color is not None:
        changed("color", style.get("color", "default"), color)
        style["color"] = color
    if size_scale is not None:
        old = int(style.get("size") or _default_size(draft, 0.12, 0.13))
        new_size = max(24, min(320, round(old * float(size_scale))))
        style["size"] = new_size
        changed("size", old, new_size)
    if font is not None:
        changed("font", style.get("font", "default"), font)
        style["font"] = font
    if style != dict(thaw(seg.meta.get("style", {})) or {}):
        changes["style"] = style
    if position is not None:
        changes["position"] = position
        changed("position", seg.meta.get("position", "center"), position)
    new_start = seg.start if start_ms is None else max(0, int(start_ms))
    new_dur = seg.duration if duration_ms is None else int(duration_ms)
    if at == "end":
        new_start = max(0, d.duration - new_dur)
    elif at == "start":
        new_start = 0
    if new_dur <= 0:
        raise EditRefused("bad_duration", "The title needs a positive duration.")
    total = d.duration
    if new_start >= total > 0:
        new_start = max(0, total - new_dur)
    new_dur = min(new_dur, max(1, total - new_start)) if total > 0 else new_dur
    if (new_start, new_dur) != (seg.start, seg.duration):
        changed("timing", span_label(seg.start, seg.end), span_label(new_start, new_start + new_dur))
    extra: dict[str, Any] = {"name": text} if text is not None else {}
    d = ops.update_segment(d, seg.id, start=new_start, duration=new_dur, meta=changes, **extra)
    if text is not None:
        d = ops.set_meta(d, title=text)
        if before_text and before_text != text:
            d, said = _rename_in_story(d, ctx, before_text, text)
            if said:
                res["also_in"] = said
    res["timing"] = span_label(new_start, new_start + new_dur)
    if len(fields) > 1:
        res["fields"] = fields
    return d, res


_SIZE_OF_SECOND = 0.7  # a second title line is set smaller than the title it joins
_FREE_PLACE = {"center": "bottom", "top": "bottom", "bottom": "top"}


def _add_title_line(
    draft: Draft,
    track: Track,
    text: str,
    *,
    color: str | None = None,
    font: str | None = None,
    position: str | None = None,
) -> Result:
    """ "Add a title" when the video has one: a second title line shown with the card, where the
    card leaves room (below a centred title, opposite one at the top or bottom), a size smaller;
    the title itself stays as it is."""
    first = track.segments[0]
    lines = [
        s
        for t in draft.tracks_by_role("title")
        for s in t.segments
        if s.start < first.end and first.start < s.end
    ]
    if any(s.meta.get("text") == text for s in lines):
        return draft, {"what": "title_added", "name": text, "existing": text, "already": True}
    taken = {str(s.meta.get("position") or "center") for s in lines}
    prefer = (_FREE_PLACE[str(first.meta.get("position") or "center")], "bottom", "top", "center")
    place = position or next((p for p in prefer if p not in taken), "bottom")
    style = dict(thaw(first.meta.get("style", {})) or {})
    style["size"] = round(int(style.get("size") or _default_size(draft, 0.12, 0.13)) * _SIZE_OF_SECOND)
    if color is not None:
        style["color"] = color
    if font is not None:
        style["font"] = font
    # a track holds no overlapping segments: the line shown with the card has a title track of its own
    tid = ops.new_id(draft, "trk_title")
    d = ops.add_track(
        draft, Track(tid, TrackType.TEXT, "title", f"Title {len(draft.tracks_by_role('title')) + 1}")
    )
    meta = Meta({"text": text, "position": place, "style": style})
    d = ops.add_segment(
        d, tid, Segment(ops.new_id(d, "seg_title"), first.start, first.duration, "title", text, meta)
    )
    return d, {
        "what": "title_added",
        "name": text,
        "existing": str(first.meta.get("text", "")),
        "position": place,
        "timing": span_label(first.start, first.end),
    }


@capability(
    "remove_title",
    "Remove the title.",
    NoArgs,
)
def remove_title(draft: Draft, ctx: EditContext) -> Result:
    t = _require_track(draft, "title", "no_title", "There is no title to remove.")
    seg = t.segments[0]
    d = draft
    for line in draft.tracks_by_role("title"):  # a second title line goes with the title
        d = ops.remove_track(d, line.id)
    return d, {
        "what": "title_removed",
        "name": str(seg.meta.get("text", "")),
        "timing": span_label(seg.start, seg.end),
    }


def _rename_in_story(draft: Draft, ctx: EditContext, old: str, new: str) -> tuple[Draft, list[int]]:
    """The old title replaced by the new one wherever the video says or shows it: scene headlines
    and lines (spelled as the title was, so a common noun stays), narration (re-voiced) and its captions. The scenes are re-fitted to the length the
    video had. Returns the draft and the 1-based scenes that changed."""
    st = draft.first_track("scenes") or draft.first_track("media")
    if st is None:
        return draft, []
    pattern = re.compile(re.escape(old))  # a name is spelled with its capitals
    d = draft
    texts: dict[int, str] = {}
    changed: list[int] = []
    for i, s in enumerate(st.segments):
        n = _narration_for(draft, s)
        line = str(n.meta.get("text") or "") if n is not None else ""
        if pattern.search(line):
            texts[i] = pattern.sub(new, line)
        meta = {
            key: pattern.sub(new, v)
            for key in ("headline", "text")
            if isinstance(v := s.meta.get(key), str)
            and pattern.search(v)
            and not (key == "text" and i in texts)
        }
        if meta:
            d = ops.update_segment(d, s.id, meta=meta)
        if meta or i in texts:
            changed.append(i + 1)
    if texts:
        d = _reflow_narration(d, ctx, texts=texts)
        if d.duration != draft.duration:
            d = refit_length(d, ctx, st.end - st.start)
    return d, changed


# ---------------------------------------------------------------- phrasings (EN/ZH)


@rule(5)
def _rule_title(c: _Clause) -> list[Call] | None:
    t = c.t
    renamed = re.search(r"\b(?:rename|call|name)\s+(?:it|the video|this|the clip|the film)\b", t)
    if not renamed and (
        not has_any(t, _TITLE) or (has_any(t, _CAPTIONS) and not re.search(r"(?<![a-z])title", t))
    ):
        return None
    if has_any(t, ("副标题",)):
        return None
    bare = _strip_quotes(t)
    if (has_any(bare, _REMOVE) or has_any(bare, ("no title", "hide", "without", "隐藏"))) and not c.quotes:
        return [("remove_title", {})]
    args: dict[str, Any] = {}
    text = _first_quote(c)
    if text is None:
        text = (
            _tail_text(
                c,
                r"(?<![a-z])(?:title|heading)\s*(?:text\s+)?(?:to|as|into|:|=|should be|should say|reads?|says?)\s*",
            )
            or _tail_text(
                c, r"(?:rename|call|name)\s+(?:it|the video|this|the clip|the film)\s*(?:to|as)?\s*"
            )
            or _tail_text(
                c,
                r"(?:标题|片名|题目)(?:文字)?(?:(?:改|换)一下\s*[，,]?\s*)?(?:改成|改为|换成|换为|设为|设置为|定为|叫做|叫|是|写成|：|:)",
            )
        )
        if text is not None and (
            (color(text.lower()) and len(text) <= 8 and color(text.lower())[0] == text.lower())  # type: ignore[index]
            or has_any(text.lower(), _BIGGER + _SMALLER)
        ):
            text = None  # "change the title to red" / "把标题改成红色" is a colour, not a text
        if text is not None and re.fullmatch(
            r"(?:the\s+)?(?:end|start|beginning|top|bottom|center|centre|middle|left|right)(?:\s+of .*)?|"
            r"(?:结尾|开头|顶部|底部|中间|居中|最后|片头|片尾)",
            text.lower().strip(),
        ):
            text = None  # "move the title to the end" is a place, not a text
        if (
            text is not None
            and not c.quotes
            and re.fullmatch(r"(?:the\s+)?(?:scene\s+\S+|\S+\s+scene)|第.{1,3}个?场景", text.lower().strip())
            and scene_refs(text.lower())
        ):
            text = None  # "move the title to scene 2" is a place too
    if text:
        args["text"] = text
    bare_nt = bare if text is None else bare.replace(text.lower(), " ")
    if text and re.search(r"\b(?:add|put|insert|include|give it)\b|添加|加上|加个|加一个|增加", bare_nt):
        args["adding"] = True
    col = color(bare_nt)
    if col and "text" not in args:
        args["color"] = col[1]
    scale = size_wish(bare_nt)  # "the title is too small" wants it bigger
    if scale is not None:
        args["size_scale"] = scale
    for k, v in _FONTS.items():
        if has_any(bare_nt, (k,)) and ("font" in bare_nt or "字体" in bare_nt or k in ("serif", "衬线")):
            args["font"] = v
            break
    pos = _position(bare_nt)
    if pos and "text" not in args:
        args["position"] = pos
    d = durations(bare_nt)
    if d and "text" not in args:
        args["duration_ms"] = d[-1][1]
        m = re.search(r"(?:at|from|starting at)\s+(\d+(?:\.\d+)?)\s*s|从\s*(\d+(?:\.\d+)?)\s*秒", bare_nt)
        if m:
            args["start_ms"] = round(float(m.group(1) or m.group(2)) * 1000)
            if len(d) == 1:
                args.pop("duration_ms")
    if "text" not in args and re.search(
        r"\b(?:at|to|in) the (?:end|close)\b|(?:放到|移到|在)(?:结尾|最后|片尾)", bare_nt
    ):
        args["at"] = "end"
    elif "text" not in args and re.search(
        r"\b(?:at|to|in) the (?:start|beginning)\b|(?:放到|移到|在)(?:开头|片头)", bare_nt
    ):
        args["at"] = "start"
    if has_any(bare_nt, ("longer", "久一点", "长一点", "更久")) and "duration_ms" not in args:
        raise _Say("title_how_long")
    if not args:
        raise _Say("title_what")
    return [("set_title", args)]
