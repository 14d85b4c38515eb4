"""How big the words on screen are: one scene's headline (or every scene's), and all the text at
once — the title, the captions and the scenes' headlines — for "make the text bigger",
"the font is too small", "字太小了".

A scene's headline size is a factor in its meta (``headline_scale``, 1 = the layout's own size)
that the scene renderer applies before it fits the headline in its box."""

from __future__ import annotations

import re
from typing import Any

from pydantic import Field

from promptreel.agent.clause import _CAPTIONS, _TITLE, Call, _Clause, _refs, rule
from promptreel.agent.edits.base import (
    Args,
    EditContext,
    EditRefused,
    Result,
    _scene_index,
    _scene_name,
    _scene_track,
    capability,
)
from promptreel.agent.edits.sizes import size_wish
from promptreel.agent.phrases import color, has_any, scene_refs
from promptreel.draft import ops
from promptreel.draft.model import Draft

__all__ = ["size_wish", "line", "MIN_SCALE", "MAX_SCALE"]

MIN_SCALE, MAX_SCALE = 0.5, 2.0  # of the layout's own headline size


def _scale_of(meta_value: Any) -> float:
    try:
        v = float(meta_value)
    except (TypeError, ValueError):
        return 1.0
    return v if v > 0 else 1.0


def _scale_headlines(draft: Draft, idxs: list[int], size_scale: float) -> tuple[Draft, float, float, int]:
    """Scale the headlines of the scenes at ``idxs``; returns the draft, the first scene's factor
    before and after, and how many headlines changed."""
    st = _scene_track(draft)
    d = draft
    before = after = 1.0
    n = 0
    for k, i in enumerate(idxs):
        seg = st.segments[i]
        if seg.kind != "scene" or not str(seg.meta.get("headline") or "").strip():
            continue  # an uploaded picture, or a scene without words, has no headline
        old = _scale_of(seg.meta.get("headline_scale"))
        new = round(max(MIN_SCALE, min(MAX_SCALE, old * float(size_scale))), 2)
        if k == 0 or n == 0:
            before, after = old, new
        if new != old:
            d = ops.update_segment(d, seg.id, meta={"headline_scale": None if new == 1.0 else new})
            n += 1
    return d, before, after, n


class HeadlineSizeArgs(Args):
    size_scale: float = Field(gt=0, description="factor: 1.25 bigger, 0.8 smaller")
    scene: int | None = Field(default=None, description="1-based scene number; omitted: every scene")


@capability(
    "set_headline_size",
    "Make one scene's headline (the large words it shows) bigger or smaller, or every scene's; "
    "the video's title card is set_title.",
    HeadlineSizeArgs,
)
def set_headline_size(draft: Draft, ctx: EditContext, size_scale: float, scene: int | None = None) -> Result:
    st = _scene_track(draft)
    idxs = [_scene_index(draft, scene)] if scene is not None else list(range(len(st.segments)))
    if not any(
        st.segments[i].kind == "scene" and str(st.segments[i].meta.get("headline") or "").strip()
        for i in idxs
    ):
        raise EditRefused("no_headline", "That scene shows no headline.", scene=(idxs[0] + 1) if scene else 0)
    d, before, after, n = _scale_headlines(draft, idxs, size_scale)
    res: dict[str, Any] = {"what": "headline_size", "before": _pc(before), "after": _pc(after), "count": n}
    if scene is not None:
        res.update(scene=idxs[0] + 1, name=_scene_name(st.segments[idxs[0]]))
    if n == 0:
        res["limit"] = True  # already as big (or small) as a headline gets
    return d, res


class TextSizeArgs(Args):
    size_scale: float = Field(gt=0, description="factor: 1.25 bigger, 0.8 smaller")


@capability(
    "set_text_size",
    "Make all the words on screen bigger or smaller at once: the title, the captions and every scene's headline.",
    TextSizeArgs,
)
def set_text_size(draft: Draft, ctx: EditContext, size_scale: float) -> Result:
    from promptreel.agent.edits.captions import set_captions
    from promptreel.agent.edits.title import set_title

    d = draft
    parts: list[dict[str, Any]] = []
    title = draft.first_track("title")
    if title is not None and title.segments:
        d, r = set_title(d, ctx, size_scale=size_scale)
        parts.append({"part": "title", "before": r.get("before"), "after": r.get("after")})
    caps = draft.first_track("captions")
    if caps is not None and caps.segments and not caps.hidden:
        d, r = set_captions(d, ctx, size_scale=size_scale)
        parts.append({"part": "captions", "before": r.get("before"), "after": r.get("after")})
    st = d.first_track("scenes") or d.first_track("media")
    if st is not None and st.segments:
        d, before, after, n = _scale_headlines(d, list(range(len(st.segments))), size_scale)
        if n:
            parts.append({"part": "headlines", "before": _pc(before), "after": _pc(after), "count": n})
    if not parts:
        raise EditRefused("no_text", "This video shows no title, captions or headlines to resize.")
    return d, {"what": "text_size", "parts": parts, "bigger": size_scale > 1}


class TextColorArgs(Args):
    color: str = Field(description="#RRGGBB")


@capability(
    "set_text_color",
    "Colour all the words on screen at once: the title, the captions and every scene's headline "
    "(a headline keeps a readable colour where the new one would not read on its scene).",
    TextColorArgs,
)
def set_text_color(draft: Draft, ctx: EditContext, color: str) -> Result:
    from promptreel.agent.edits.captions import set_captions
    from promptreel.agent.edits.colours import MIN_CONTRAST, _mid, contrast
    from promptreel.agent.edits.title import set_title

    d = draft
    parts: list[dict[str, Any]] = []
    title = draft.first_track("title")
    if title is not None and title.segments:
        d, r = set_title(d, ctx, color=color)
        parts.append({"part": "title", "before": r.get("before"), "after": color})
    caps = draft.first_track("captions")
    if caps is not None and caps.segments and not caps.hidden:
        d, r = set_captions(d, ctx, color=color)
        parts.append({"part": "captions", "before": r.get("before"), "after": color})
    st = d.first_track("scenes") or d.first_track("media")
    done = kept = 0
    for seg in st.segments if st is not None else ():
        pal = [str(c) for c in seg.meta.get("palette") or ()]
        if seg.kind != "scene" or len(pal) < 5 or not str(seg.meta.get("headline") or "").strip():
            continue
        if contrast(color, _mid(pal[0], pal[1])) < MIN_CONTRAST:
            kept += 1  # it would not read on this scene's background
            continue
        d = ops.update_segment(d, seg.id, meta={"palette": [*pal[:4], color]})
        done += 1
    if done or kept:
        parts.append({"part": "headlines", "before": "", "after": color, "count": done, "kept": kept})
    if not parts:
        raise EditRefused("no_text", "This video shows no title, captions or headlines to colour.")
    return d, {"what": "text_color", "color": color, "parts": parts}


def _color_line(r: dict[str, Any], zh: bool) -> str:
    bits = []
    for p in r.get("parts") or ():
        name = (_PART_ZH if zh else _PART_EN).get(str(p.get("part")), str(p.get("part")))
        if p.get("part") == "headlines":
            n, kept = p.get("count"), p.get("kept")
            if zh:
                bit = f"{n} 个场景的标题" if n else "场景标题"
                if kept:
                    bit += f"（{kept} 个场景的标题保留原色：新颜色在那里的背景上看不清）"
            else:
                bit = f"the headlines of {n} scene{'s' * (n != 1)}" if n else "no scene headline"
                if kept:
                    bit += f" ({kept} kept their colour: {r.get('color')} would not read on their background)"
            bits.append(bit)
        else:
            bits.append(f"{name} {p.get('before')} → {p.get('after')}")
    if zh:
        return f"文字颜色改为 {r.get('color')}：" + "，".join(bits) + "。"
    return f"Text colour now {r.get('color')}: " + ", ".join(bits) + "."


def _pc(v: float) -> str:
    return f"{round(v * 100)}%"


# ---------------------------------------------------------------- the reply


_PART_ZH = {"title": "片名", "captions": "字幕", "headlines": "场景标题"}
_PART_EN = {"title": "title", "captions": "captions", "headlines": "scene headlines"}


def line(r: dict[str, Any], zh: bool) -> str:
    if r.get("what") == "text_color":
        return _color_line(r, zh)
    if r.get("what") == "text_size":
        bits = []
        for p in r.get("parts") or ():
            name = (_PART_ZH if zh else _PART_EN).get(str(p.get("part")), str(p.get("part")))
            count = p.get("count")
            if p.get("part") == "headlines" and count:
                name = f"{name}（{count} 个场景）" if zh else f"{name} ({count} scenes)"
            bits.append(f"{name} {p.get('before')} → {p.get('after')}")
        if zh:
            return "文字整体" + ("放大" if r.get("bigger") else "缩小") + "：" + "，".join(bits) + "。"
        return (
            "All on-screen text "
            + ("bigger" if r.get("bigger") else "smaller")
            + ": "
            + ", ".join(bits)
            + "."
        )
    scene, name = r.get("scene"), r.get("name") or ""
    if zh:
        where = f"第 {scene} 个场景“{name}”的标题" if scene else f"全部场景的标题（{r.get('count')} 个）"
        if r.get("limit"):
            return f"{where}已经是最大（或最小）的字号了：{r.get('after')}。"
        return f"{where}字号：{r.get('before')} → {r.get('after')}（片名不变）。"
    where = (
        f'Scene {scene} "{name}" headline' if scene else f"Every scene's headline ({r.get('count')} scenes)"
    )
    if r.get("limit"):
        return f"{where} is already at its size limit: {r.get('after')}."
    return f"{where} size: {r.get('before')} → {r.get('after')} (the video's title is unchanged)."


# ---------------------------------------------------------------- phrasings (EN/ZH)

_HEADLINE_EN = re.compile(r"\b(?:headlines?|headings?|titles?|big text|words|text|writing|font)\b")
_HEADLINE_ZH = re.compile(r"标题|大字|文字|字号|字体|字")
_TEXT_EN = re.compile(
    r"\b(?:text|texts|txt|font|fonts|words|writing|letters|lettering|type|typeface|on-?screen text|everything|evrything|every thing)\b"
)
_TEXT_ZH = re.compile(r"文字|字体|字号|字|文本")
_NOT_TEXT = re.compile(
    r"\b(?:music|song|volume|voice|narration|picture|image|photo|icon|logo|video|clip|scene length)\b"
    r"|音乐|音量|声音|旁白|图片|照片|图标|画面比例"
)


@rule(4)
def _rule_headline_size(c: _Clause) -> list[Call] | None:
    """ "make scene 2's title bigger", "the headline in the last scene is too small",
    "第三个场景的标题改大一点", "make the headlines smaller" (every scene)."""
    # "scene 2s title" is scene 2's title, not two seconds
    t = re.sub(r"\b(scene|shot|slide) (\d+)s\b", r"\1 \2's", c.t)
    if c.quotes or has_any(t, _CAPTIONS) or _NOT_TEXT.search(t):
        return None
    refs = [r.index for r in scene_refs(t)]
    scale = size_wish(t)
    if scale is None:
        return None
    if len(refs) == 1 and (_HEADLINE_ZH.search(t) if c.zh else _HEADLINE_EN.search(t)):
        return [("set_headline_size", {"scene": refs[0], "size_scale": scale})]
    if not refs and re.search(
        r"\bheadlines\b|\bscene (?:titles|headings|headlines)\b|场景(?:的)?标题|每个场景的标题", t
    ):
        return [("set_headline_size", {"size_scale": scale})]
    return None


@rule(5)
def _rule_text_color(c: _Clause) -> list[Call] | None:
    """ "make the text white", "change the font colour to yellow", "文字颜色改成白色", "字改成黄色":
    every word on screen."""
    t = c.t
    if c.quotes or _refs(c) or has_any(t, _CAPTIONS) or has_any(t, _TITLE) or _NOT_TEXT.search(t):
        return None
    if not (_TEXT_ZH.search(t) if c.zh else _TEXT_EN.search(t)) or re.search(r"\bbackground\b|背景", t):
        return None
    col = color(t)
    if not col or size_wish(t) is not None:
        return None
    return [("set_text_color", {"color": col[1]})]


@rule(5)
def _rule_text_size(c: _Clause) -> list[Call] | None:
    """ "make the text bigger", "the font is too small", "bigger font", "字太小了", "文字大一点":
    every word on screen — title, captions and headlines."""
    t = c.t
    if c.quotes or _refs(c) or has_any(t, _CAPTIONS) or has_any(t, _TITLE) or _NOT_TEXT.search(t):
        return None
    if not (_TEXT_ZH.search(t) if c.zh else _TEXT_EN.search(t)):
        return None
    scale = size_wish(t)
    if scale is None:
        return None
    return [("set_text_size", {"size_scale": scale})]
