"""Words replaced wherever the video shows or says them: the title, scene headlines and list
items, narration (re-voiced and re-timed, captions following), captions and text overlays."""

from __future__ import annotations

import difflib
import re
from typing import Any, Literal

from pydantic import Field

from promptreel.agent.clause import Call, _Clause, _refs, _unquote, rule
from promptreel.agent.edits.base import (
    Args,
    EditContext,
    EditRefused,
    Result,
    _inside,
    _narration_for,
    _scene_index,
    _scene_track,
    capability,
)
from promptreel.agent.edits.voice import _reflow_narration
from promptreel.agent.phrases import has_any
from promptreel.draft import ops
from promptreel.draft.meta import thaw
from promptreel.draft.model import Draft, Segment


class HeadlineArgs(Args):
    scene: int = Field(description="1-based scene number; -1 is the last scene")
    text: str = Field(min_length=1, description="the words the scene shows in large type")


class ReplaceArgs(Args):
    find: str = Field(min_length=1, description="the words as the video has them now")
    replace: str = Field(description="the new words")
    where: Literal["title"] | None = Field(default=None, description="only in the title; omitted: everywhere")


def _pattern(find: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in find.strip().split()]
    return re.compile(r"\s+".join(words), re.I)


def _cased(found: str, new: str) -> str:
    """``new`` in the case the words it replaces had: "Coffee Shop" → "Bike Shop"."""
    if not new[:1].islower() or not found[:1].isupper():
        return new
    words = found.split()
    if len(words) > 1 and all(w[:1].isupper() for w in words):
        return " ".join(w[:1].upper() + w[1:] for w in new.split())
    return new[:1].upper() + new[1:]


def _sub(pat: re.Pattern[str], text: str, new: str) -> str:
    out = pat.sub(lambda m: _cased(m.group(0), new), text)
    return re.sub(r"\s{2,}", " ", out).strip() if out != text else text


def _lines(draft: Draft) -> list[str]:
    """Every line of text the video has, once each, in timeline order."""
    seen: list[str] = []
    keys_seen: set[str] = set()
    for role, keys in (("title", ("text", "subtitle")), ("scenes", ("headline", "text")), ("media", ("headline",)),
                       ("narration", ("text",)), ("captions", ("text",)), ("overlays", ("text",))):  # fmt: skip
        t = draft.first_track(role)
        for s in t.segments if t else ():
            for k in keys:
                v = str(s.meta.get(k) or "").strip()
                key = v.rstrip(" .!?。！？，,").lower()
                if key and key not in keys_seen:
                    keys_seen.add(key)
                    seen.append(v)
    return seen


def closest(draft: Draft, find: str, n: int = 3) -> list[str]:
    """The lines most like ``find`` (then the first lines, when none is alike)."""
    lines = _lines(draft)
    key = find.lower()
    scored = sorted(lines, key=lambda x: -difflib.SequenceMatcher(None, key, x.lower()).ratio())
    return scored[:n]


def _scene_of(draft: Draft, seg: Segment) -> int | None:
    st = draft.first_track("scenes") or draft.first_track("media")
    for i, s in enumerate(st.segments if st else ()):
        if _inside(seg, s) or s.start <= seg.start < s.end:
            return i
    return None


@capability(
    "replace_text",
    "Replace words wherever the video shows or says them (title, headlines, narration, captions, text overlays).",
    ReplaceArgs,
)
def replace_text(draft: Draft, ctx: EditContext, find: str, replace: str, where: str | None = None) -> Result:
    pat = _pattern(find)
    new = replace.strip()
    d = draft
    places: list[str] = []
    scenes: set[int] = set()
    st = _scene_track(draft)
    spoken: dict[int, str] = {}
    shown = False
    for i, seg in enumerate(st.segments if where is None else ()):
        meta: dict[str, Any] = {}
        head = str(seg.meta.get("headline") or "")
        if pat.search(head):
            meta["headline"] = _sub(pat, head, new)
        items = [dict(x) for x in (thaw(seg.meta.get("items")) or []) if isinstance(x, dict)]
        if any(pat.search(str(x.get("text") or "")) for x in items):
            meta["items"] = [{**x, "text": _sub(pat, str(x.get("text") or ""), new)} for x in items]
        text = str(seg.meta.get("text") or "")
        if pat.search(text):
            if _narration_for(draft, seg) is not None:
                spoken[i] = _sub(pat, text, new)
            else:
                meta["text"] = _sub(pat, text, new)
        if meta:
            d = ops.update_segment(d, seg.id, meta=meta)
            shown = shown or "headline" in meta or "items" in meta
        if meta or i in spoken:
            scenes.add(i + 1)
    if spoken:
        d = _reflow_narration(d, ctx, texts=spoken)
        places.append("narration")
    if shown:
        places.append("headline")
    for role, keys in (("title", ("text", "subtitle")), ("captions", ("text",)), ("overlays", ("text",))):
        if where is not None and role != where:
            continue
        t = d.first_track(role)
        for s in t.segments if t else ():
            meta = {
                k: _sub(pat, str(s.meta.get(k) or ""), new)
                for k in keys
                if pat.search(str(s.meta.get(k) or ""))
            }
            if meta:
                d = ops.update_segment(d, s.id, meta=meta)
                if role not in places:
                    places.append(role)
                at = _scene_of(d, s) if role != "title" else None
                if at is not None:
                    scenes.add(at + 1)
    if d == draft:
        near = closest(draft, find)
        zh = bool(re.search(r"[\u4e00-\u9fff]", find + replace))
        quote = "“{}”".format if zh else '"{}"'.format
        raise EditRefused(
            "text_not_found",
            f"{find!r} is not in the video's text.",
            find=quote(find),
            closest=("、" if zh else ", ").join(quote(x) for x in near) or "-",
            lines=near,
        )
    return d, {
        "what": "text_replaced",
        "before": find,
        "after": new,
        "places": places,
        "scenes": sorted(scenes),
    }


@capability(
    "set_headline",
    "Change the large words one scene shows (its headline); the narration stays as it is.",
    HeadlineArgs,
)
def set_headline(draft: Draft, ctx: EditContext, scene: int, text: str) -> Result:
    idx = _scene_index(draft, scene)
    seg = _scene_track(draft).segments[idx]
    before = str(seg.meta.get("headline") or "")
    d = ops.update_segment(draft, seg.id, meta={"headline": text.strip()})
    return d, {"what": "headline", "scene": idx + 1, "before": before, "after": text.strip()}


_PLACES_ZH = {
    "narration": "旁白",
    "headline": "场景标题",
    "title": "片名",
    "captions": "字幕",
    "overlays": "文字",
}


def line(r: dict[str, Any], zh: bool) -> str:
    if r.get("what") == "headline":
        if zh:
            return f"第 {r.get('scene')} 个场景的标题：“{r.get('before')}” → “{r.get('after')}”。"
        return f'Scene {r.get("scene")} headline: "{r.get("before")}" → "{r.get("after")}".'
    places = [str(p) for p in r.get("places") or ()]
    scenes = ", ".join(str(n) for n in r.get("scenes") or ())
    if zh:
        where = "、".join(_PLACES_ZH.get(p, p) for p in places)
        at = f"（第 {scenes} 个场景）" if scenes else ""
        tail = "，旁白已重新配音并重新对齐时间" if "narration" in places else ""
        return f"已把“{r.get('before')}”改成“{r.get('after')}”：{where}{at}{tail}。"
    at = f" (scene {scenes})" if scenes else ""
    tail = "; the narration was re-voiced and re-timed" if "narration" in places else ""
    return f'Replaced "{r.get("before")}" with "{r.get("after")}" in the {", ".join(places)}{at}{tail}.'


# ---------------------------------------------------------------- phrasings (EN/ZH)

_VERB_EN = re.compile(
    r"^(?:please\s+)?(?:can you\s+)?(?:replace|change|swap|switch|turn|rewrite|edit|reword|make)\b(?:\s+(?:the\s+)?"
    r"(?:line|lines|text|words?|phrase|sentence|headline|caption|narration|bit|part)(?:\s+(?:that\s+)?says?)?)?\s*"
    r"⟦0⟧\s*(?:(?:in|on|from) (?:the )?(?P<where>title|heading|headlines?|captions?|subtitles?|narration|video)\s+)?"
    r"(?:with|to|into|for|so it says|->|→)\s*⟦1⟧$"
)
_VERB_ZH = re.compile(
    r"^(?:请|麻烦)?(?:把|将)?(?:(?P<where>标题|片名|题目)(?:里|中)?的?)?(?:文字|台词|旁白|字幕|这句话?|那句话?|那句|这句)?(?:里|中)?的?⟦0⟧"
    r"(?:这句话?|那句话?|这几个字|几个字|这段话?)?(?:改成|改为|换成|换为|替换成|替换为|变成|写成)⟦1⟧$"
    r"|^(?:用|拿)⟦1⟧(?:替换|换掉|代替)⟦0⟧$"
)
_UNQUOTED_EN = re.compile(r"^(?:please\s+)?replace\s+(?:the words?\s+|the line\s+)?(.+?)\s+with\s+(.+)$")


@rule(4)
def _rule_replace(c: _Clause) -> list[Call] | None:
    """ "replace 'Come and see' with 'Book a repair today'", "change the line 'X' to 'Y'",
    "把“X”改成“Y”"; unquoted only as "replace X with Y" when nothing else understood it."""
    t = c.t.strip(" .!。！?？")
    if len(c.quotes) != 2:
        return None
    m = _VERB_EN.search(t) or _VERB_ZH.search(t)
    if m:
        find, new = c.quotes
        if find.strip() and find.strip() != new.strip():
            args: dict[str, Any] = {"find": find.strip(), "replace": new.strip()}
            if m.groupdict().get("where") in ("title", "heading", "标题", "片名", "题目"):
                args["where"] = "title"
            return [("replace_text", args)]
    return None


_HEADLINE_EN = re.compile(r"\b(?:headline|heading|title|big text|on-screen text)\b")
_SIZE = re.compile(
    r"\b(?:bigger|smaller|larger|red|blue|green|white|black|yellow|top|bottom|center|centre)\b|大|小|颜色"
)
_SET_EN = re.compile(r"\b(?:change|set|rename|edit|rewrite|update|replace|make|reword)\b|:")
_HEADLINE_ZH = re.compile(r"(?:标题|大字|画面文字|屏幕上的字)")


@rule(4)
def _rule_headline(c: _Clause) -> list[Call] | None:
    """ "change the headline of scene 2 to 'Fast repairs'", "scene 2's title: Fast repairs",
    "第二个场景的标题改成“快速修车”"."""
    t = c.t.strip(" .!。！?？")
    refs = _refs(c)
    if len(refs) != 1:
        return None
    bare = re.sub(r"⟦\d+⟧", " ", t)
    if c.zh:
        if not _HEADLINE_ZH.search(bare) or "字幕" in bare or "旁白" in bare:
            return None
        m = re.search(r"(?:标题|大字|画面文字)(?:文字)?(?:改成|改为|换成|换为|设为|写成|：|:)\s*(.+)$", t)
    else:
        if not (_HEADLINE_EN.search(bare) and _SET_EN.search(bare)) or re.search(
            r"\bcaptions?\b|\bsubtitles?\b|\bnarration\b|\b(?:move|put|show|place)\b", bare
        ):
            return None
        m = re.search(r"\b(?:to|:|say|says|read|reads)\s*:?\s*(.+)$", t)
    if not m:
        return None
    if not m.group(1).startswith("⟦") and (
        _refs(_Clause(m.group(1), m.group(1), ())) or _SIZE.search(m.group(1))
    ):
        return None  # "move the title to scene 2", "make scene 2's title bigger": not new words
    text = _unquote(c, m.group(1)).strip(" .!。！\"'“”")
    if not c.quotes and not c.zh:
        at = c.raw.lower().find(text.lower())
        text = c.raw[at : at + len(text)] if at >= 0 else text
    return [("set_headline", {"scene": refs[0], "text": text})] if text else None


@rule(19)
def _rule_replace_unquoted(c: _Clause) -> list[Call] | None:
    t = c.t.strip(" .!。！?？")
    m = _UNQUOTED_EN.match(t)
    if (
        c.quotes
        or not m
        or has_any(t, ("music", "voice", "picture", "image", "video", "scene", "title", "font"))
    ):
        return None
    start = c.raw.lower().find(m.group(1))
    mid = c.raw.lower().find(m.group(2), start + len(m.group(1)))
    if start < 0 or mid < 0:
        return None
    find = c.raw[start : start + len(m.group(1))]
    new = c.raw[mid : mid + len(m.group(2))].strip(" .!")
    return [("replace_text", {"find": find, "replace": new})]
