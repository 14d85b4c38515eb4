"""A closing scene for "add an ending", "add an outro", "加个结尾", "加个片尾": an end card that
shows (and says) the video's title, or the words the user gives."""

from __future__ import annotations

import re
from typing import Any

from pydantic import Field

from promptreel.agent.clause import Call, _Clause, rule
from promptreel.agent.edits.add_scene import add_scene
from promptreel.agent.edits.base import Args, EditContext, EditRefused, Result, capability
from promptreel.draft.model import Draft
from promptreel.language import has_cjk

__all__ = ["line"]


class EndingArgs(Args):
    text: str | None = Field(
        default=None, description="what the closing scene says; default: the video's title"
    )


def _title(draft: Draft) -> str:
    t = draft.first_track("title")
    if t is not None and t.segments and str(t.segments[0].meta.get("text") or "").strip():
        return str(t.segments[0].meta.get("text")).strip()
    return str(draft.meta.get("title") or "").strip()


@capability(
    "add_ending",
    "Add a closing scene (end card, outro) at the end: it shows and says the video's title, or `text`.",
    EndingArgs,
)
def add_ending(draft: Draft, ctx: EditContext, text: str | None = None) -> Result:
    words = (text or "").strip() or _title(draft)
    if not words:
        raise EditRefused("ending_what", "What should the closing scene say?")
    line_ = words if re.search(r"[.!?。！？]$", words) else words + ("。" if has_cjk(words) else ".")
    d, res = add_scene(draft, ctx, about=words, text=line_)
    res.update(what="ending", from_title=not (text or "").strip())
    return d, res


@capability(
    "add_opening",
    '"Add an intro", "加个片头" with nothing more: the title card opens the video (added from the video\'s '
    "title when there is none).",
    Args,
)
def add_opening(draft: Draft, ctx: EditContext) -> Result:
    from promptreel.agent.edits.title import set_title

    t = draft.first_track("title")
    if t is not None and t.segments:
        seg = t.segments[0]
        return draft, {
            "what": "opening",
            "note": "opening_exists",
            "name": str(seg.meta.get("text") or ""),
            "timing": f"{seg.start / 1000:g}-{seg.end / 1000:g}s",
        }
    words = _title(draft)
    if not words:
        st = draft.first_track("scenes")
        words = str(st.segments[0].meta.get("headline") or "") if st is not None and st.segments else ""
    if not words:
        raise EditRefused("no_title", "There is no title yet — tell me its text first.")
    d, res = set_title(draft, ctx, text=words, at="start")
    return d, {**res, "what": "opening", "added": True, "name": words}


def _opening_line(r: dict[str, Any], zh: bool) -> str:
    name, timing = r.get("name"), r.get("timing")
    if r.get("added"):
        return (f"加了片头：片名“{name}”显示在 {timing}。" if zh
                else f'Added an opening title card "{name}" ({timing}).')  # fmt: skip
    if zh:
        return (f"视频已经以片名“{name}”开场（{timing}）。想在开头加一个场景，可以说“在开头加一个关于……的场景”；"
                f"想换片名，可以说：把标题改成“……”。")  # fmt: skip
    return (f'The video already opens with its title card "{name}" ({timing}). To add an opening scene, say "add an '
            f'intro scene about …"; to change the title, say change the title to "…".')  # fmt: skip


def line(r: dict[str, Any], zh: bool) -> str:
    if r.get("what") == "opening":
        return _opening_line(r, zh)
    scene, name, timing = r.get("scene"), r.get("name"), r.get("timing")
    if zh:
        out = f"在结尾加了收尾场景（第 {scene} 个，{timing}）：画面显示“{name}”，旁白说“{r.get('text')}”"
        if r.get("from_title"):
            out += "想换成别的话，可以说：加个片尾，写“期待你的光临”。"
        return out
    out = f'Added a closing scene (scene {scene}, {timing}) showing "{name}"; the narration says "{r.get("text")}"'
    if r.get("from_title"):
        out += ' To end on other words, say: add an ending that says "See you soon".'
    return out


# ---------------------------------------------------------------- phrasings (EN/ZH)

_ENDING_EN = re.compile(
    r"^(?:please\s+)?(?:can you\s+|could you\s+)?(?:add|put|give it|make|insert|append|i want|i need|we need|needs?)"
    r"\s+(?:an?\s+|some\s+|the\s+)?(?:proper\s+|nice\s+|short\s+|simple\s+)?"
    r"(?:ending|outro|end card|end screen|end slide|closing(?: scene| card| slide| shot)?|finale|conclusion|sign[- ]off)"
    r"(?:\s+(?:to|at|for)\s+(?:it|the video|the end))?(?:\s+please)?$"
)
_ENDING_ZH = re.compile(
    r"^(?:请|麻烦)?(?:帮我)?(?:在最后|在结尾)?(?:加|添加|加上|增加|补|补上|来)(?:一)?(?:个|段|张)?"
    r"(?:结尾|片尾|结束画面|结尾页|结束页|收尾|落版|尾版)(?:画面|场景|页)?(?:吧|一下)?$"
)
_SAYS = re.compile(r"(?:that says|saying|with|reading)\s*⟦0⟧$|(?:写着?|说|内容是)\s*[:：]?\s*⟦0⟧$")


_OPENING = re.compile(
    r"^(?:please\s+)?(?:can you\s+|could you\s+)?(?:add|put|give it|insert|i want|i need|we need|needs?)\s+"
    r"(?:an?\s+|some\s+|the\s+)?(?:nice\s+|short\s+|simple\s+)?(?:intro|opening|opener|title card|opening card)"
    r"(?:\s+(?:to|at|for)\s+(?:it|the video|the start|the beginning))?(?:\s+please)?$"
    r"|^(?:请|麻烦)?(?:帮我)?(?:在开头)?(?:加|添加|加上|增加|补|来)(?:一)?(?:个|段|张)?(?:片头|开场|开头)(?:画面|动画|页)?(?:吧|一下)?$"
)


@rule(6)
def _rule_opening(c: _Clause) -> list[Call] | None:
    """ "add an intro", "加个片头": the title card opens the video."""
    if not c.quotes and _OPENING.match(c.t.strip(" .!。！")):
        return [("add_opening", {})]
    return None


@rule(6)
def _rule_ending(c: _Clause) -> list[Call] | None:
    """ "add an ending", "add an outro", "add a closing card", "加个结尾", "加个片尾";
    "add an ending that says 'See you soon'"."""
    t = c.t.strip(" .!。！")
    if len(c.quotes) == 1:
        m = _SAYS.search(t)
        head = t[: m.start()].strip(" ，,") if m else ""
        if m and (_ENDING_EN.match(head) or _ENDING_ZH.match(head)):
            return [("add_ending", {"text": c.quotes[0]})]
        return None
    if c.quotes:
        return None
    if _ENDING_EN.match(t) or _ENDING_ZH.match(t):
        return [("add_ending", {})]
    return None
